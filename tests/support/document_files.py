"""Files as agencies publish them, made for the tests: a .docx notice, a 公示名单 as .csv and .xlsx,
and helpers to send them as multipart with a document's fields."""

import csv
import io
from datetime import timedelta

import docx
import openpyxl

from engine import clock

NOTICE = ["关于公布2026年度临时救助对象名单的通知",
          "经审核，以下家庭符合临时救助条件，现予公布。",
          "申请人张建国，身份证号110101199003074573，联系电话13912341234，住址泰安市泰山区岱宗大街66号。",
          "监督电话：0538-8221234。"]
# Household head, ID number, phone, address, amount: the columns a 公示名单 carries.
LIST_ROWS = [["序号", "户主姓名", "身份证号", "联系电话", "家庭住址", "救助金额（元）"],
             ["1", "王秀兰", "370902196512153426", "13605381234", "泰山区上高街道东岳大街12号", "1500"],
             ["2", "刘德华", "370902197803214510", "15953841234", "泰山区徐家楼街道灵山大街8号", "2300"]]
PERSONAL = ["张建国", "110101199003074573", "19900307", "13912341234", "岱宗大街66号",
            "王秀兰", "370902196512153426", "19651215", "13605381234", "东岳大街12号",
            "刘德华", "370902197803214510", "19780321", "15953841234", "灵山大街8号"]
FIELDS = {"title": "关于公布临时救助对象名单的通知", "category": "general", "attribute": "proactive"}


def notice_docx(paragraphs=NOTICE) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def list_csv(rows=LIST_ROWS) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def list_xlsx(rows=LIST_ROWS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示名单"
    for row in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 6 else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def multipart(fields=None, body=None, attachments=()) -> dict:
    """The form data of a multipart submission: fields, `file` (name, bytes) and `attachments`."""
    data = {**FIELDS, "formed_on": (clock.today() - timedelta(days=35)).isoformat(), **(fields or {})}
    if body is not None:
        data["file"] = (io.BytesIO(body[1]), body[0])
    if attachments:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in attachments]
    return data


def letter_png(person: dict | None = None) -> bytes:
    """A scanned letter (a PNG of printed lines, 200 dpi A5-ish): the applicant's name, ID number,
    phone and address, and a sentence that is not personal."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.support.sample_files import CJK_FONT, PEOPLE

    person = person or PEOPLE[0]
    lines = ["低保申请书", f"申请人：{person['name']}", f"身份证号：{person['id']}", f"联系电话：{person['phone']}",
             f"家庭住址：{person['address']}", "本人因病致贫，申请城乡最低生活保障，请予审核。"]
    image = Image.new("L", (1400, 900), 255)
    pen, font = ImageDraw.Draw(image), ImageFont.truetype(CJK_FONT, 40)
    for i, text in enumerate(lines):
        pen.text((80, 80 + i * 110), text, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_ofd() -> bytes:
    """An OFD whose page is a scanned picture (what OFD readers here cannot read): the upload gate
    passes it, the worker holds it back."""
    import re
    import zipfile

    from tests.support.sample_files import ofd_hiding_data

    page = "Doc_0/Pages/Page_0/Content.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ofd_hiding_data())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == page:
                opening = re.search(rb"<ofd:Page [^>]*>", data).group()
                data = opening + (b'<ofd:Content><ofd:Layer ID="5"><ofd:ImageObject ID="20" ResourceID="4" '
                                  b'Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/></ofd:Layer></ofd:Content></ofd:Page>')
            target.writestr(item, data)
    return out.getvalue()
