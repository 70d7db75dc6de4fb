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
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum reads the first 17 of 18 characters


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


def redact_all(kind: str, data: bytes, category: str = "general"):
    """Read a file, detect with the category's policy, redact every finding: (layout, found, published)."""
    from engine import deid, files

    layout = files.read(kind, data)
    found = deid.deidentify(layout.text, category)
    return layout, found, files.redact(kind, data, layout, files.cuts_for(found.findings))


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


# ---- bombs and broken files (the upload gate's tests) ---------------------------------------

def _rezip(base: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, source.read(item)))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def plain_docx() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(PUBLIC_SENTENCE)
    document.save(out)
    return out.getvalue()


def plain_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(base: bytes) -> bytes:
    """A valid package with one extra member that unpacks to 200 MB of zeros (~200 KB packed)."""
    return _rezip(base, {"customXml/item9.xml": b"\0" * (200 * 2**20)})


def docx_paragraph_bomb(count: int = 900_000) -> bytes:
    """The file of issue 25: a ~130 KB .docx holding 900,000 empty paragraphs."""
    base = plain_docx()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        body = archive.read("word/document.xml")
    head, _, _rest = body.partition(b"<w:body>")
    return _rezip(base, {"word/document.xml": head + b"<w:body>" + b"<w:p/>" * count + b"</w:body></w:document>"})


def xlsx_shared_strings_bomb(count: int = 3_000_000) -> bytes:
    """An .xlsx whose sharedStrings part holds millions of strings (a few hundred KB packed)."""
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + \
        b"<si><t>x</t></si>" * count + b"</sst>"
    return _rezip(plain_xlsx(), {"xl/sharedStrings.xml": strings})


def png_pixel_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header declares 10 gigapixels; its few bytes of data would inflate without end."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * (1 << 20), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def small_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG")
    return out.getvalue()


def plain_pdf(password: str | None = None) -> bytes:
    import pymupdf

    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "notice")
    if password:
        return document.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw=password, user_pw=password)
    return document.tobytes()


def xml_entity_bomb() -> bytes:
    """The billion laughs: nested entities that expand to gigabytes."""
    entities = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "lol"}">' for i in range(10))
    return (f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><definitions>&l9;</definitions>').encode()


def json_depth_bomb(depth: int = 100_000) -> bytes:
    return b'{"xml": ' + b"[" * depth + b"]" * depth + b"}"


# ---- scans ----------------------------------------------------------------------------------

LETTER = ["关于城乡最低生活保障申请的复函",
          f"{PEOPLE[0]['name']}同志：",
          "你提交的申请已收悉。经审核，你家庭符合",
          "城乡最低生活保障条件，现予批准。",
          f"身份证号：{PEOPLE[0]['id']}",
          f"联系电话：{PEOPLE[0]['phone']}",
          f"家庭住址：{PEOPLE[0]['address']}",
          "保障金额：每月650元。特此函复。",
          "保定市莲池区民政局"]


AUTHOR = "Leng Yanjun"


def scanned_letter(kind: str = "jpeg") -> bytes:
    """A letter as a scanner makes it (200 dpi, grey), with the author and GPS position in EXIF."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, 34, index=2)
    image = Image.new("L", (1240, 1000), 250)
    pen = ImageDraw.Draw(image)
    for number, text in enumerate(LETTER):
        pen.text((90, 80 + number * 92), text, fill=20, font=font)
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist (EXIF text is ASCII)
    exif[0x010F] = "Scanner Co"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (38.0, 52.0, 12.0), 3: "E", 4: (115.0, 28.0, 48.0)})
    out = io.BytesIO()
    if kind == "png":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("Author", PEOPLE[0]["name"])
        image.save(out, "PNG", pnginfo=info, exif=exif)
    else:
        image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """The letter as a scanned PDF page, with an invisible OCR layer (as scanners write) that
    also holds a phone number the picture does not show."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=480)
    page.insert_image(page.rect, stream=scanned_letter("png"))
    font = pymupdf.Font("cjk")
    page.insert_font(fontname="cjk", fontbuffer=font.buffer)
    page.insert_text((43, 60), f"{PEOPLE[0]['name']}同志 电话{PEOPLE[1]['phone']}", fontname="cjk",
                     fontsize=12, render_mode=3)
    return document.tobytes()


# ---- OFD ------------------------------------------------------------------------------------

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _text_object(ident: int, y: float, text: str, size: float = 4.2, colour: str = "0 0 0") -> str:
    advance = f"g {len(text) - 1} {size}" if len(text) > 1 else ""
    return (f'<ofd:TextObject ID="{ident}" Boundary="20 {y} 175 {size * 1.6}" Font="3" Size="{size}">'
            f'<ofd:FillColor Value="{colour}"/><ofd:TextCode X="0" Y="{size}" DeltaX="{advance}">{text}'
            f"</ofd:TextCode></ofd:TextObject>")


def ofd_hiding_data() -> bytes:
    """A 公文 as an OFD: the list on its page, the author in DocInfo, a name in an annotation, the ID
    number in an attachment, custom tags and a signature."""
    lines = [TITLE, PUBLIC_SENTENCE] + [t for i, p in enumerate(PEOPLE, 1) for t in _pdf_lines(p, i)]
    lines.append("合计保障金额1650元。")
    objects = "".join(_text_object(10 + i, 20 + i * 8, text) for i, text in enumerate(lines))
    objects += _text_object(90, 150, f"{PEOPLE[1]['name']}{PEOPLE[1]['phone']}", colour="255 255 255")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Content><ofd:Layer ID="5">'
               f"{objects}</ofd:Layer></ofd:Content></ofd:Page>")
    parts = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD">'
                   f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>a1b2</ofd:DocID><ofd:Title>{TITLE}</ofd:Title>"
                   f"<ofd:Author>{PEOPLE[0]['name']}</ofd:Author><ofd:Creator>SuwellOFD</ofd:Creator>"
                   f"</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                   f"<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData>'
                              f"<ofd:MaxUnitID>200</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                              f"</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                              f'</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              f"</ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>"
                              f"<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>"
                              f"<ofd:CustomTags>Tags/CustomTag.xml</ofd:CustomTags></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res"><ofd:Fonts>'
                               f'<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
        "Doc_0/Pages/Page_0/Content.xml": content,
        "Doc_0/Annots/Annotations.xml": f"<ofd:Annotations {_OFD_NS}><ofd:Page PageID=\"1\"><ofd:FileLoc>"
                                        f"Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>",
        "Doc_0/Annots/Page_0/Annotation.xml": f"<ofd:PageAnnot {_OFD_NS}><ofd:Annot Type=\"Stamp\" Creator="
                                              f"\"{PEOPLE[2]['name']}\"><ofd:Remark>{PEOPLE[2]['phone']}"
                                              f"</ofd:Remark></ofd:Annot></ofd:PageAnnot>",
        "Doc_0/Attachs/Attachments.xml": f"<ofd:Attachments {_OFD_NS}><ofd:Attachment Name=\"原始名单\">"
                                         f"<ofd:FileLoc>list.txt</ofd:FileLoc></ofd:Attachment></ofd:Attachments>",
        "Doc_0/Attachs/list.txt": f"{PEOPLE[0]['name']},{PEOPLE[0]['id']}",
        "Doc_0/Tags/CustomTag.xml": f"<ofd:CustomTags {_OFD_NS}><ofd:CustomTag><ofd:FileLoc>{PEOPLE[1]['address']}"
                                    f"</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>",
        "Doc_0/Signs/Signatures.xml": f"<ofd:Signatures {_OFD_NS}><ofd:Signature ID=\"1\" BaseLoc=\"Sign_0/"
                                      f"Signature.xml\"/></ofd:Signatures>",
        "Doc_0/Signs/Sign_0/Signature.xml": f"<ofd:Signature {_OFD_NS}><ofd:SignedInfo><ofd:Provider "
                                            f"ProviderName=\"{PEOPLE[0]['name']}\"/></ofd:SignedInfo></ofd:Signature>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


# ---- Word -----------------------------------------------------------------------------------

def docx_hiding_data() -> bytes:
    """A reply letter as .docx: the list in a table, a phone in the header, a comment naming a person,
    the author in the properties, the company in app.xml, and tracked changes: a deleted sentence
    still holding an ID number and an inserted name."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"经办人电话：{PEOPLE[2]['phone']}"
    document.add_paragraph(TITLE)
    document.add_paragraph(PUBLIC_SENTENCE)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, title in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = title
    for row in rows():
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    noted = document.add_paragraph("以上名单经村民代表会议评议通过。")
    document.add_comment(noted.runs, text=f"已电话核实{PEOPLE[1]['name']}{PEOPLE[1]['phone']}", author="张科员")
    revised = document.add_paragraph("公示期间如有异议，请反映。")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    revised._p.append(parse_xml(f'<w:del {w} w:id="91" w:author="a" w:date="2026-01-01T00:00:00Z"><w:r>'
                                f"<w:delText>原联系人身份证号{PEOPLE[2]['id']}</w:delText></w:r></w:del>"))
    revised._p.append(parse_xml(f'<w:ins {w} w:id="92" w:author="a" w:date="2026-01-01T00:00:00Z"><w:r>'
                                f"<w:t>联系人：{PEOPLE[0]['name']}</w:t></w:r></w:ins>"))
    document.core_properties.author = PEOPLE[0]["name"]
    document.core_properties.last_modified_by = PEOPLE[1]["name"]
    out = io.BytesIO()
    document.save(out)
    return _rezip(out.getvalue(), {"docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/extended-properties"><Company>{PEOPLE[2]["name"]}工作室</Company></Properties>').encode()})
