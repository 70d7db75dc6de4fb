"""Text PDFs: characters with boxes; redaction removes them from the content stream and everything hidden."""

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import NullObject

from engine import files
from engine.files import ocr, scan
from tests.support.sample_files import (
    PEOPLE,
    PUBLIC_SENTENCE,
    leaks_in,
    pdf_hiding_data,
    pdf_text_everywhere,
    redact_all,
)


@pytest.fixture(scope="module")
def notice():
    data = pdf_hiding_data()
    layout, _found, published = redact_all("pdf", data)
    return data, layout, published


def test_the_file_really_hides_the_people_in_every_trick(notice):
    data, _layout, _published = notice
    assert len(leaks_in(pdf_text_everywhere(data))) == 3 * 5
    earlier = data[:data.index(b"%%EOF") + 5]  # the revision before the incremental update
    assert "原联系人" in pdf_text_everywhere(earlier) and "原联系人" not in pdf_text_everywhere(data)


def test_read_gives_each_character_its_box_and_reads_hidden_text(notice):
    _data, layout, _published = notice
    name = PEOPLE[0]["name"]
    start = layout.text.index(name)
    boxes = layout.boxes(start, start + len(name))
    assert len(boxes) == 1 and boxes[0].page == 0 and 60 < boxes[0].x0 < boxes[0].x1 < 300
    assert f"备注：{name}本人电话" in layout.text  # under a black box
    assert f"{PEOPLE[1]['name']} {PEOPLE[1]['phone']}" in layout.text  # white on white
    assert f"身份证号{PEOPLE[2]['id']}" in layout.text  # 1.5-pt text
    hidden = " ".join(layout.hidden)
    for what in ("白色文字", "极小的文字", "文档属性", "XMP", "附件", "注释", "表单域", "早先版本"):
        assert what in hidden


def test_no_reader_gets_a_person_out_and_the_notice_stays_text(notice):
    _data, _layout, published = notice
    text = pdf_text_everywhere(published)  # pypdf and pdfminer.six, lines joined too
    assert leaks_in(text) == []
    assert PUBLIC_SENTENCE in text
    for amount in ("650元", "520元", "480元", "合计保障金额1650元"):
        assert amount in text


def test_nothing_out_of_sight_survives(notice):
    _data, _layout, published = notice
    assert published.count(b"%%EOF") == 1 and b"/Prev" not in published  # one revision
    reader = PdfReader(io.BytesIO(published))
    root = reader.trailer["/Root"]
    for key in ("/AcroForm", "/Names", "/OpenAction", "/Metadata", "/StructTreeRoot", "/Outlines"):
        assert _absent(root, key), key  # a null entry is no entry (ISO 32000 7.3.9)
    page = reader.pages[0]
    assert _absent(page, "/Annots")
    assert not reader.attachments
    assert not {k: v for k, v in (reader.metadata or {}).items() if k != "/Producer"}
    assert b"JavaScript" not in published and b"EmbeddedFile" not in published


def _absent(dictionary, key: str) -> bool:
    value = dictionary.get(key)
    return value is None or isinstance(value, NullObject) or value == []


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-chi-sim is installed by make test")
def test_ocr_of_the_published_page_reads_no_person(notice):
    data, _layout, published = notice

    def seen(pdf: bytes) -> str:
        document = files.pdf.open_pdf(pdf)
        lines = ocr.lines(scan.page_image(document[0], 200))
        return re.sub(r"\s", "", "".join(c for line in lines for c, _box in line))

    before, after = seen(data), seen(published)
    assert PEOPLE[0]["phone"] in before and PEOPLE[0]["phone"] not in after
    assert not [s for s in leaks_in(after)]
    assert "经审核" in after


def test_a_region_the_publisher_draws_is_removed_too(notice):
    data, layout, _published = notice
    start = layout.text.index(PUBLIC_SENTENCE)
    box = layout.boxes(start, start + 3)[0]  # 经审核
    published = files.redact("pdf", data, layout, [files.Cut(region=box)])
    text = pdf_text_everywhere(published)
    assert "经审核" not in text and "以下家庭符合" in text


def test_pages_render_as_png(notice):
    assert files.render("pdf", notice[2], 0).startswith(b"\x89PNG")
