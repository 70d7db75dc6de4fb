"""The reply letter as a Word document: for the staff who may see the request, once it exists."""

import io

from docx import Document

from tests.support.information_requests import register, reply
from tests.support.web import login


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_signed_letter_downloads_as_a_word_document(staff, app):
    publisher = staff("publisher1")
    rid = register(publisher)["id"]
    assert publisher.get(f"/api/requests/{rid}/reply-letter.docx").status_code == 404  # nothing drafted yet
    reply(staff, rid)
    resp = publisher.get(f"/api/requests/{rid}/reply-letter.docx")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]  # the request number and 答复书
    text = paragraphs(resp.data)
    assert text[0] == "示例县人民政府办公室" and "政府信息公开申请答复书" in text[1:5]  # 版头, then the title
    assert "张三：" in text  # the applicant addressed
    assert any("2026年城区道路改造工程的预算" in p for p in text)
    assert not any("答复类型" in p for p in text)  # internal bookkeeping stays out of the applicant's letter
    assert staff("drafter2").get(f"/api/requests/{rid}/reply-letter.docx").status_code == 404  # 财政局
    page = login(app.test_client(), "publisher1").get(f"/requests/{rid}").get_data(as_text=True)
    assert f'/api/requests/{rid}/reply-letter.docx' in page
