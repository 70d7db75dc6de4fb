"""Scans: images and image-only PDF pages are OCR'd, painted over in the pixels, and carry nothing else."""

import io
import re

import pytest
from PIL import Image

from engine import files
from engine.files import ocr
from tests.support.sample_files import (
    AUTHOR,
    PEOPLE,
    leaks_in,
    pdf_text_everywhere,
    redact_all,
    scanned_letter,
    scanned_pdf,
)

pytestmark = pytest.mark.skipif(not ocr.available(), reason="make test installs tesseract-ocr-chi-sim")
PERSON = PEOPLE[0]


def _ocr(kind: str, data: bytes) -> str:
    return re.sub(r"\s", "", files.read(kind, data).text)


@pytest.fixture(scope="module")
def letter():
    data = scanned_letter("jpeg")
    return (data, *redact_all("jpeg", data))


def test_ocr_reads_the_letter_and_the_detector_finds_each_kind(letter):
    _data, layout, found, _published = letter
    kinds = {(f.kind, f.text) for f in found.findings}
    assert {("person_name", PERSON["name"]), ("id_card", PERSON["id"]), ("mobile", PERSON["phone"]),
            ("address", PERSON["address"])} <= kinds
    start = layout.text.index(PERSON["phone"])
    box = layout.boxes(start, start + len(PERSON["phone"]))[0]
    assert box.page == 0 and 200 < box.x0 < box.x1 < 700  # pixels, after the label
    assert any("GPS" in item for item in layout.hidden)


def test_the_published_pixels_hold_no_person_and_the_letter_still_reads(letter):
    data, _layout, _found, published = letter
    assert PERSON["phone"] in _ocr("jpeg", data)
    seen = _ocr("jpeg", published)
    assert leaks_in(seen) == []
    assert "现予批准" in seen and "每月650元" in seen


def test_the_published_image_carries_no_metadata(letter):
    data, _layout, _found, published = letter
    assert AUTHOR.encode() in data  # the original's EXIF names its author, and where it was scanned
    image = Image.open(io.BytesIO(published))
    assert image.format == "JPEG" and not image.getexif() and not image.info.get("icc_profile")
    assert AUTHOR.encode() not in published and b"Exif" not in published[:200]


def test_a_png_loses_its_text_chunks_and_a_region_drawn_by_the_publisher_is_painted():
    data = scanned_letter("png")
    layout = files.read("png", data)
    assert any("Author" in item for item in layout.hidden)
    start = layout.text.index("现予批准")
    region = layout.boxes(start, start + 4)[0].grown(0.3)
    published = files.redact("png", data, layout, [files.Cut(region=region)])
    assert PERSON["name"].encode() not in published
    assert "现予批准" not in _ocr("png", published) and "城乡最低生活保障条件" in _ocr("png", published)


def test_a_scanned_pdf_page_is_read_by_ocr_and_redacted_in_its_pixels_and_text_layer():
    data = scanned_pdf()
    assert PEOPLE[1]["phone"] in pdf_text_everywhere(data)  # the invisible OCR layer
    layout, _found, published = redact_all("pdf", data)
    assert f"联系电话:{PERSON['phone']}" in layout.text.replace("：", ":")  # read from the pixels
    assert leaks_in(pdf_text_everywhere(published)) == []  # the text layer is gone whole
    document = files.pdf.open_pdf(published)
    pixels = ocr.lines(files.scan.page_image(document[0]))
    seen = "".join(c for line in pixels for c, _box in line)
    assert leaks_in(seen) == [] and "现予批准" in seen
