"""Cells of every .xlsx and .csv the product writes are inert: text that a spreadsheet would run
as a formula (OWASP "CSV injection": a cell beginning with =, +, -, @, tab or CR) is written as text.

Every export writes its rows through `append`/`put` (openpyxl) or `csv_text`; numbers stay numbers,
and a negative number written as a number (or as text that is only a number) is left alone.
"""

import csv
import io
import re

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_active(value) -> bool:
    """True for text a spreadsheet would read as a formula (or the start of one)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def put(sheet, row: int, column: int, value):
    """Write one cell; text that looks like a formula stays text."""
    return _inert(sheet.cell(row=row, column=column, value=value))


def append(sheet, values) -> int:
    """Append a row like `sheet.append`, every cell inert; return the row's number."""
    sheet.append(list(values))
    row = sheet.max_row
    for cell in sheet[row]:
        _inert(cell)
    return row


def append_streaming(sheet, values) -> None:
    """Append a row to a write-only sheet (openpyxl's streaming mode), every cell inert: that mode
    turns any text beginning with "=" into a formula as it writes."""
    sheet.append([_inert(WriteOnlyCell(sheet, value=v)) if is_active(v) else v for v in values])


def _inert(cell):
    if is_active(cell.value):
        cell.data_type = "s"  # openpyxl made "=..." a formula ('f') when it was assigned
        cell.quotePrefix = True  # Excel's own mark for "this is text", kept when the cell is edited
    return cell


def csv_field(value):
    """A field as OWASP recommends: an active text gets a leading apostrophe; quoting is the writer's."""
    return "'" + value if is_active(value) else value


def csv_text(rows) -> str:
    """CSV of `rows` with every text field quoted (numbers unquoted, so they stay numbers)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue()
