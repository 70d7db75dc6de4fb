"""Files that try to hide personal data, made in code for the format and upload-gate tests.

Every file carries the same households (name, ID number, phone, home address) and the same public
sentence and amounts, so each test asserts the same thing: the people are gone, the notice stays.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from stdnum.cn import ric

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def id_number(body17: str) -> str:
    """Return a valid resident ID number (GB 11643 check digit) from its first 17 digits."""
    return body17 + ric.calc_check_digit(body17)


PEOPLE = [
    {"name": "冷延军", "id": id_number("11010119850307123"), "phone": "13812345678",
     "address": "河北省保定市莲池区东风路12号3单元402室", "amount": "650"},
    {"name": "欧阳娜娜", "id": id_number("13060219900511234"), "phone": "13987654321",
     "address": "清苑区东闾乡南王庄村3组28号", "amount": "520"},
    {"name": "栾长贵", "id": id_number("32010219620101567"), "phone": "15012348765",
     "address": "莲池区五四西路88号2单元101室", "amount": "480"},
]
PUBLIC_SENTENCE = "经审核，以下家庭符合城乡最低生活保障条件，现予公示。"
TITLE = "2026年第三季度城乡最低生活保障公示名单"
HEADER = ["序号", "户主姓名", "身份证号", "联系电话", "家庭住址", "保障金额（元）"]


def secrets(person: dict) -> list[str]:
    """What must not be readable about a person: name, ID number (and its birth date), phone, address."""
    birth = person["id"][6:14]
    return [person["name"], person["id"], birth, person["phone"], person["address"]]


def rows() -> list[list[str]]:
    return [[str(i), p["name"], p["id"], p["phone"], p["address"], p["amount"]] for i, p in enumerate(PEOPLE, 1)]


def readable_parts(data: bytes) -> dict[str, str]:
    """Unzip a package and return each part's text, as written and with XML tags removed."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            raw = archive.read(name).decode("utf-8", "replace")
            out[name] = raw + "\n" + re.sub(r"<[^>]*>", "", raw)
    return out


def leaks_in(text: str, people=PEOPLE) -> list[str]:
    """Return every secret of `people` that `text` still holds."""
    return [s for p in people for s in secrets(p) if s in text]


# ---- spreadsheets ---------------------------------------------------------------------------

def xlsx_hiding_data() -> bytes:
    """A 公示名单 whose visible sheet is right, with the full list hidden in every Office corner.

    A hidden and a very hidden sheet, a comment, the author in the properties, a defined name, a
    formula whose cached value is a person's name, and a custom document property.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示名单"
    sheet.append([TITLE])
    sheet.append([PUBLIC_SENTENCE])
    sheet.append(HEADER)
    for row in rows():
        sheet.append([int(row[0]), *row[1:5], int(row[5])])
    sheet["G4"] = "=B4"  # its cached value (the name) is written below
    sheet["B5"].comment = Comment(f"户主{PEOPLE[2]['name']}电话{PEOPLE[2]['phone']}", PEOPLE[2]["name"])
    hidden = book.create_sheet("原始数据")
    hidden.sheet_state = "hidden"
    hidden.append(["姓名", "身份证号", "联系电话"])
    hidden.append([PEOPLE[2]["name"], PEOPLE[2]["id"], PEOPLE[2]["phone"]])
    very = book.create_sheet("备份")
    very.sheet_state = "veryHidden"
    very.append(["姓名", "家庭住址"])
    very.append([PEOPLE[1]["name"], PEOPLE[1]["address"]])
    book.properties.creator = PEOPLE[0]["name"]
    book.properties.lastModifiedBy = PEOPLE[1]["name"]
    book.defined_names["名单"] = DefinedName("名单", attr_text="原始数据!$A$2:$C$2")
    out = io.BytesIO()
    book.save(out)
    return _with_cached_value(out.getvalue(), "G4", PEOPLE[0]["name"])


def _with_cached_value(data: bytes, ref: str, value: str) -> bytes:
    # openpyxl writes formulas without results; Excel saves both. Add the result Excel would store.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?'.encode(),
                              rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>'.encode(), part)
                assert value.encode() in part
            target.writestr(item, part)
    return out.getvalue()


def csv_bytes(encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows()]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xls_bytes() -> bytes:
    """The list as a legacy .xls (xlwt writes BIFF8 as Excel 97-2003 did), with a hidden sheet."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("公示名单")
    for c, title in enumerate(HEADER):
        sheet.write(0, c, title)
    for r, row in enumerate(rows(), start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, int(value) if c in (0, 5) else value)
    hidden = book.add_sheet("原始")
    hidden.write(0, 0, "姓名")
    hidden.write(0, 1, "联系电话")
    hidden.write(1, 0, PEOPLE[2]["name"])
    hidden.write(1, 1, PEOPLE[2]["phone"])
    hidden.visibility = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------------

def _pdf_lines(person: dict, number: int) -> list[str]:
    return [f"{number}. 户主姓名：{person['name']}；身份证号：{person['id']}",
            f"联系电话：{person['phone']}；保障金额：{person['amount']}元",
            f"家庭住址：{person['address']}"]


def pdf_hiding_data() -> bytes:
    """A notice whose list is fine on paper and hides the people everywhere a PDF can.

    Text under a black box, white on white, 1.5-pt text, the author in the metadata and XMP, an
    annotation, a form field, an attached file, a JavaScript action, and an earlier revision
    (an incremental update) that still holds a line the current page no longer shows.
    """
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    font = pymupdf.Font("cjk")
    page.insert_font(fontname="cjk", fontbuffer=font.buffer)
    y = 80

    def line(text: str, size: float = 10.5, color=(0, 0, 0)) -> float:
        nonlocal y
        page.insert_text((60, y), text, fontname="cjk", fontsize=size, color=color)
        y += size * 1.9
        return y

    line(TITLE, 14)
    line(PUBLIC_SENTENCE)
    for number, person in enumerate(PEOPLE, 1):
        for text in _pdf_lines(person, number):
            line(text)
    line("公示期间如有异议，请向莲池区民政局反映。合计保障金额1650元。")
    covered = y
    line(f"备注：{PEOPLE[0]['name']}本人电话{PEOPLE[0]['phone']}")
    page.draw_rect(pymupdf.Rect(55, covered - 13, 400, covered + 4), color=(0, 0, 0), fill=(0, 0, 0))
    line(f"{PEOPLE[1]['name']} {PEOPLE[1]['phone']}", color=(1, 1, 1))
    page.insert_text((60, 820), f"身份证号{PEOPLE[2]['id']}", fontname="cjk", fontsize=1.5)
    old = y
    line(f"原联系人：{PEOPLE[2]['name']}，电话{PEOPLE[2]['phone']}")
    document.set_metadata({"author": PEOPLE[0]["name"], "subject": PEOPLE[1]["phone"], "creator": "WPS"})
    document.set_xml_metadata(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{PEOPLE[0]["name"]}</dc:creator>'
                              f"</x:xmpmeta>")
    page.add_text_annot((500, 80), f"核对：{PEOPLE[1]['name']} {PEOPLE[1]['phone']}")
    field = pymupdf.Widget()
    field.field_type, field.field_name = pymupdf.PDF_WIDGET_TYPE_TEXT, "phone"
    field.field_value, field.rect = PEOPLE[2]["phone"], pymupdf.Rect(400, 760, 550, 780)
    field.script = f"app.alert('{PEOPLE[2]['phone']}')"
    page.add_widget(field)
    document.embfile_add("原始名单.txt", f"{PEOPLE[0]['name']},{PEOPLE[0]['id']}".encode())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notice.pdf"
        document.save(path)
        # An incremental update that hides the old contact line: the earlier revision still has it.
        document = pymupdf.open(path)
        page = document[0]
        page.add_redact_annot(pymupdf.Rect(55, old - 11, 540, old + 3), fill=(1, 1, 1))
        page.apply_redactions()
        document.saveIncr()
        document.close()
        return path.read_bytes()


def pdf_text_everywhere(data: bytes) -> str:
    """All a reader gets out of a PDF with pypdf and pdfminer.six (pages, metadata), lines joined."""
    from pdfminer.high_level import extract_text
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts = [p.extract_text() or "" for p in reader.pages] + [extract_text(io.BytesIO(data))]
    texts += [str(v) for v in (reader.metadata or {}).values()]
    text = "\n".join(texts)
    return text + "\n" + re.sub(r"\s", "", text)
