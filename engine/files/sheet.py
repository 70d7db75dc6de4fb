"""Spreadsheets (.xlsx, .xls, .csv): every sheet, hidden ones too, read as a labelled form per row;
redacted cell by cell, with everything out of sight (hidden sheets, comments, names, properties) gone.

Each data row reads "户主姓名：冷延军；身份证号：…；家庭住址：…": the column header before each value
lets the cue rules of `engine.deid` treat the cell by what its column holds, and "；" ends a clause so
the statistical recognizer reads only the cells a cue does not settle. The header labels are the
reader's (no place); every character of a value sits in its `Cell`; a sheet's name is row 0.

python-calamine (Rust) reads .xlsx and .xls values several times faster than openpyxl and tells
hidden from very hidden sheets; openpyxl writes the redacted .xlsx. Formulas are published as their
values: a formula that refers to a redacted cell (=B2, VLOOKUP into a hidden sheet) or holds a
literal would otherwise bring the original back on the next recalculation, and its cached value is
exactly what the reader saw and the detector judged. An .xls is published as .xlsx (values and
sheet layout; no writer of .xls is maintained).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import python_calamine
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.worksheet.datavalidation import DataValidationList
from openpyxl.worksheet.header_footer import HeaderFooter

from engine import sheets
from engine.files import Cell, Cut, Layout, TextBuilder, Unsafe, draw, ensure_gone, package, removed_texts

LABEL, FIELD_SEP = "：", "；"
CSV_SHEET = "CSV"
HEADER_SCAN = 10  # a header row sits within the first rows, under at most a few title rows
_SPACE = re.compile(r"\s")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


class Sheet:
    """One sheet's values: `rows` holds (1-based row, [(1-based column, text), …]) and `values` the
    typed value of each cell (a number stays a number in the published .xlsx)."""

    def __init__(self, name: str, state: str = "visible") -> None:
        self.name, self.state = name, state
        self.rows: list[tuple[int, list[tuple[int, str]]]] = []
        self.values: dict[tuple[int, int], object] = {}


# ---- reading --------------------------------------------------------------------------------

def read(data: bytes, kind: str) -> Layout:
    """Read every sheet into a labelled form per row, each value character placed in its Cell."""
    found = _csv_sheets(data) if kind == "csv" else _workbook_sheets(data)
    out = _Builder()
    hidden = [f"隐藏的工作表「{s.name}」（发布时删除）" for s in found if s.state != "visible"]
    for sheet in found:
        _add_sheet(out, sheet)
    if kind == "xlsx":
        hidden += _xlsx_extras(data)
    return out.layout(kind, pages=len(found), hidden=hidden)


def _workbook_sheets(data: bytes) -> list[Sheet]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise Unsafe("表格文件已加密，无法读取 (the spreadsheet is encrypted)", fields={"file": ["encrypted"]}) from exc
    except (python_calamine.CalamineError, ValueError) as exc:
        raise Unsafe(f"无法读取表格文件 (cannot read the spreadsheet: {str(exc)[:120]})",
                     fields={"file": ["unreadable"]}) from exc
    found = []
    for meta in book.sheets_metadata:
        if str(meta.typ) != "SheetTypeEnum.WorkSheet" and "WorkSheet" not in str(meta.typ):
            continue
        sheet = Sheet(meta.name, _state(meta.visible))
        table = book.get_sheet_by_name(meta.name)
        first_row, first_col = table.start or (0, 0)
        for i, values in enumerate(table.iter_rows()):
            number, cells = first_row + i + 1, []
            for j, value in enumerate(values):
                text = _text(value)
                if text:
                    cells.append((first_col + j + 1, text))
                    sheet.values[(number, first_col + j + 1)] = value
            if cells:
                sheet.rows.append((number, cells))
        found.append(sheet)
    return found


def _state(visible) -> str:
    name = str(visible).rsplit(".", 1)[-1].lower()
    return {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}.get(name, "hidden")


def _text(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return str(value)
    return "" if value is None else str(value)


def decode_csv(data: bytes) -> str:
    """Return a CSV file's text: UTF-8 (with or without BOM), else GB18030 (what Excel saves in China)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        return csv.excel


def _csv_sheets(data: bytes) -> list[Sheet]:
    text = decode_csv(data)
    sheet = Sheet(CSV_SHEET)
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), _dialect(text)), start=1):
        cells = [(c, v) for c, v in enumerate(row, start=1) if v.strip()]
        if cells:
            sheet.rows.append((r, cells))
    return [sheet]


class _Builder(TextBuilder):
    def add(self, text: str, place: Cell | None = None) -> None:
        # A line break inside a cell would end the labelled line: it reads as a space, one for one.
        super().add(text if place is None else text.replace("\n", " ").replace("\r", " "), place)


def _header(sheet: Sheet) -> tuple[int | None, dict[int, str]]:
    """Return the header row's number and its labels: the first row of two or more text labels."""
    for number, cells in sheet.rows[:HEADER_SCAN]:
        texts = [t for _c, t in cells]
        if len(texts) >= 2 and all(len(t) <= 30 and not _numeric(t) for t in texts):
            return number, {c: _SPACE.sub("", t) for c, t in cells}
    return None, {}


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\-+%\s]+", text))


def _add_sheet(out: _Builder, sheet: Sheet) -> None:
    out.add("工作表" + LABEL)
    out.add(sheet.name, Cell(sheet.name, 0, 0))
    out.add("\n")
    header_row, labels = _header(sheet)
    for number, cells in sheet.rows:
        for i, (column, text) in enumerate(cells):
            if i:
                out.add(FIELD_SEP)
            label = labels.get(column) if header_row is not None and number > header_row else None
            if label:
                out.add(label + LABEL)
            out.add(text, Cell(sheet.name, number, column))
        out.add("\n")


def _xlsx_extras(data: bytes) -> list[str]:
    """Describe what an .xlsx carries out of sight; redaction publishes none of it."""
    return package.ooxml_extras(data)


# ---- redaction ------------------------------------------------------------------------------

def cell_edits(layout: Layout, cuts: list[Cut]) -> dict[Cell, list[tuple[int, int, str]]]:
    """Turn text cuts into edits of each cell's own text: (start, end, replacement) in the cell."""
    starts: dict[Cell, int] = {}
    for i, place in enumerate(layout.places):
        if isinstance(place, Cell) and place not in starts:
            starts[place] = i
    edits: dict[Cell, list[tuple[int, int, str]]] = {}
    for cut in cuts:
        if cut.start is None or cut.end is None:
            continue  # a drawn region means nothing in a grid: the publisher picks a cell instead
        touched: dict[Cell, list[int]] = {}
        for i in range(cut.start, cut.end):
            place = layout.places[i]
            if isinstance(place, Cell):
                span = touched.setdefault(place, [i, i])
                span[1] = i
        for n, (cell, (first, last)) in enumerate(touched.items()):
            edits.setdefault(cell, []).append((first - starts[cell], last + 1 - starts[cell],
                                               cut.replacement if n == 0 else ""))
    return edits


def apply_edits(text: str, changes: list[tuple[int, int, str]]) -> str:
    """Return `text` with non-overlapping edits applied (the later ones first, offsets stay valid)."""
    for start, end, replacement in sorted(changes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def redact(data: bytes, kind: str, layout: Layout, cuts: list[Cut]) -> bytes:
    """Return the published file: .xlsx for .xlsx and .xls, .csv (UTF-8 with BOM) for .csv."""
    edits = cell_edits(layout, cuts)
    if kind == "csv":
        result = _redact_csv(data, edits)
    elif kind == "xlsx":
        result = _redact_xlsx(data, edits)
    else:
        result = _xlsx_from_sheets(_workbook_sheets(data), edits)
    if kind == "csv":
        readable = decode_csv(result)
    else:
        readable = package.all_text(result)  # every part: cells, shared strings, names, properties
    ensure_gone(readable, removed_texts(layout, cuts))
    return result


def _new_value(original, changes) -> str:
    return apply_edits(_text(original), changes)


def _redact_xlsx(data: bytes, edits: dict[Cell, list]) -> bytes:
    # data_only: each formula cell holds its cached value, and only that value is written back.
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, rich_text=False)
    for sheet in list(book.worksheets) + list(book.chartsheets):
        if getattr(sheet, "sheet_state", "visible") != "visible" or sheet in book.chartsheets:
            book.remove(sheet)
    for ws in book.worksheets:
        for cell, changes in edits.items():
            if cell.sheet == ws.title and cell.row > 0:
                target = ws.cell(cell.row, cell.column)
                sheets.put(ws, cell.row, cell.column, _new_value(target.value, changes))
                target.data_type = "s"  # a replacement is text, never a formula
        _clean_sheet(ws)
    _rename_sheets(book, edits)
    _clean_book(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clean_sheet(ws) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.comment is not None:
                cell.comment = None
            if cell.hyperlink is not None:
                cell.hyperlink = None
            if cell.data_type == "f":  # no cached value was saved: the formula's text, inert
                cell.data_type = "s"
    ws._hyperlinks = []
    ws.legacy_drawing = None
    ws._images, ws._charts, ws._pivots = [], [], []
    ws.data_validations = DataValidationList()
    ws.conditional_formatting = ConditionalFormattingList()
    ws.HeaderFooter = HeaderFooter()
    ws.tables.clear()  # a table's column list repeats the header texts; the cells stay
    ws.defined_names.clear()
    ws.print_area = None


def _clean_book(book) -> None:
    book.defined_names.clear()
    book.properties = DocumentProperties(creator="")
    book.custom_doc_props = CustomPropertyList()
    book._external_links = []
    book.vba_archive = None


def _rename_sheets(book, edits: dict[Cell, list]) -> None:
    for cell, changes in edits.items():
        if cell.row == 0 and cell.sheet in book.sheetnames:
            title = _SHEET_TITLE_BAD.sub("", apply_edits(cell.sheet, changes)).strip()[:31] or "Sheet"
            while title in book.sheetnames and title != cell.sheet:
                title = (title[:28] + f"_{len(book.sheetnames)}")[:31]
            book[cell.sheet].title = title


def _xlsx_from_sheets(read_sheets: list[Sheet], edits: dict[Cell, list]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    book.properties.creator = ""
    for sheet in read_sheets:
        if sheet.state != "visible":
            continue
        title = sheet.name
        if Cell(sheet.name, 0, 0) in edits:
            title = _SHEET_TITLE_BAD.sub("", apply_edits(title, edits[Cell(sheet.name, 0, 0)]))[:31] or "Sheet"
        ws = book.create_sheet(title)
        last = 0
        for number, cells in sheet.rows:
            while last < number - 1:
                sheets.append_streaming(ws, [])
                last += 1
            values: list = [None] * (cells[-1][0])
            for column, text in cells:
                changes = edits.get(Cell(sheet.name, number, column))
                values[column - 1] = apply_edits(text, changes) if changes else _typed(sheet.values[(number, column)])
            sheets.append_streaming(ws, values)  # a text that begins with "=" stays text
            last = number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value):
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _redact_csv(data: bytes, edits: dict[Cell, list]) -> bytes:
    text = decode_csv(data)
    dialect = _dialect(text)
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect, lineterminator="\r\n")
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        writer.writerow([apply_edits(v, edits[Cell(CSV_SHEET, r, c)]) if Cell(CSV_SHEET, r, c) in edits else v
                         for c, v in enumerate(row, start=1)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


# ---- rendering ------------------------------------------------------------------------------

def render(data: bytes, kind: str, page: int) -> bytes:
    """Draw sheet `page` (0-based, hidden ones included, in the file's order) as a grid, as PNG."""
    found = _csv_sheets(data) if kind == "csv" else _workbook_sheets(data)
    if not 0 <= page < len(found):
        raise Unsafe(f"没有第 {page + 1} 个工作表 (no sheet {page + 1})", fields={"page": ["out of range"]})
    sheet = found[page]
    return draw.grid(sheet.name, [(n, cells) for n, cells in sheet.rows])
