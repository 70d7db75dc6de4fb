"""Letters in the house style of GB/T 9704, set per agency on the admin's agency page."""

import io
import zipfile

import docx

from engine import letter_style
from tests.support.information_requests import register, reply
from tests.support.web import csrf_from, login

TEXT = ("示例县人民政府办公室\n政府信息公开申请答复书\n（YSQ202600001）\n\n张三：\n    本机关于2026年12月1日收到您的申请。\n"
        "    特此告知。\n\n示例县人民政府办公室\n2026年12月7日")


def test_a_letter_has_the_margins_fonts_and_grid_of_the_standard():
    file = letter_style.render(TEXT, {"number_prefix": "示县政公开", "date_numerals": "chinese"},
                               number="示县政公开〔2026〕1号", attachment="提供的政府信息")
    doc = docx.Document(io.BytesIO(file))
    section = doc.sections[0]
    assert [round(m.mm) for m in (section.page_width, section.page_height)] == [210, 297]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    body_width = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    assert round(body_width) == 156 and round(section.page_height.mm - 37 - 35) == 225
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["示例县人民政府办公室", "示县政公开〔2026〕1号"] and "政府信息公开申请答复书" in texts
    assert "附件：提供的政府信息" in texts and texts[-1] == "二〇二六年十二月七日"
    xml = zipfile.ZipFile(io.BytesIO(file)).read("word/document.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    assert 'w:type="linesAndChars"' in xml and 'w:linePitch="580"' in xml  # 22 lines in 225 mm
    fonts = zipfile.ZipFile(io.BytesIO(file)).read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:val="仿宋"' in fonts  # Word's fallback where it is missing
    assert "PAGE" in zipfile.ZipFile(io.BytesIO(file)).read("word/footer1.xml").decode()


def test_the_agency_sets_its_number_and_date_style_on_its_page(staff, app):
    client = login(app.test_client(), "admin")
    page = client.get("/admin/agency").get_data(as_text=True)
    assert "公文格式" in page and "发文机关代字" in page
    refused = client.post("/admin/agency/root/letter-style", data={"csrf_token": csrf_from(page),
                                                                   "number_prefix": "示县〔政〕", "date_numerals": "arabic"})
    assert refused.status_code == 422 and "发文机关代字" in refused.get_data(as_text=True)
    saved = client.post("/admin/agency/root/letter-style", data={"csrf_token": csrf_from(page),
                                                                 "number_prefix": "示县政公开", "date_numerals": "chinese"})
    assert saved.status_code == 302
    rid = register(staff("publisher1"))["id"]
    reply(staff, rid)
    file = staff("publisher1").get(f"/api/requests/{rid}/reply-letter.docx").data
    texts = [p.text for p in docx.Document(io.BytesIO(file)).paragraphs]
    number = int(staff("publisher1").get(f"/api/requests/{rid}").get_json()["request_no"][-5:])
    year = staff("publisher1").get(f"/api/requests/{rid}").get_json()["receipt_on"][:4]
    assert f"示县政公开〔{year}〕{number}号" in texts
    assert texts[-1].startswith("二〇") and texts[-1].endswith("日")
