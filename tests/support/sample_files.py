"""Files that try to hide personal data, made in code for the format and upload-gate tests.

Every file carries the same households (name, ID number, phone, home address) and the same public
sentence and amounts, so each test asserts the same thing: the people are gone, the notice stays.
"""

from __future__ import annotations

import io
import re
import zipfile

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
