"""OFD: characters with boxes from TextCode; redaction takes them out of the TextCode and drops the rest."""

import io
import zipfile

import defusedxml.ElementTree as SafeET
import pytest

from engine import files, uploads
from tests.support.sample_files import (
    PEOPLE,
    PUBLIC_SENTENCE,
    leaks_in,
    ofd_hiding_data,
    readable_parts,
    redact_all,
)

NS = "{http://www.ofdspec.org/2016}"


@pytest.fixture(scope="module")
def notice():
    data = ofd_hiding_data()
    layout, _found, published = redact_all("ofd", data)
    return data, layout, published


def test_the_gate_passes_it_and_read_places_each_character(notice):
    data, layout, _published = notice
    assert uploads.check("通知.ofd", data, {"ofd"}) == "ofd"
    name = PEOPLE[0]["name"]
    start = layout.text.index(name)
    box = layout.boxes(start, start + len(name))[0]
    # Boundary x 20 mm + 8 characters ("1. 户主姓名：") of 4.2 mm; the baseline at y 20 + 2×8 + 4.2 mm (in points).
    assert box.x0 == pytest.approx((20 + 8 * 4.2) * 72 / 25.4, abs=0.1)
    assert box.y1 > (36 + 4.2) * 72 / 25.4 > box.y0
    assert f"{PEOPLE[1]['name']}{PEOPLE[1]['phone']}" in layout.text  # white text
    hidden = " ".join(layout.hidden)
    for what in ("作者", "注释", "附件", "自定义标引", "电子签章"):
        assert what in hidden


def test_no_part_of_the_published_ofd_holds_a_person(notice):
    data, _layout, published = notice
    assert leaks_in("".join(readable_parts(data).values()))
    parts = readable_parts(published)
    assert not [(n, leaks_in(t)) for n, t in parts.items() if leaks_in(t)]
    assert sorted(parts) == ["Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml", "Doc_0/PublicRes.xml",
                             "OFD.xml"]  # no annotations, attachments, tags, signatures


def test_the_rest_of_the_text_keeps_its_place_and_black_boxes_cover_the_gaps(notice):
    data, _layout, published = notice
    text = files.read("ofd", published).text
    assert PUBLIC_SENTENCE in text and "保障金额：650元" in text and "合计保障金额1650元" in text
    before, after = files.read("ofd", data), files.read("ofd", published)
    label = "；保障金额"
    old, new = before.boxes(*_span(before.text, label))[0], after.boxes(*_span(after.text, label))[0]
    assert (new.x0, new.y0, new.x1, new.y1) == pytest.approx((old.x0, old.y0, old.x1, old.y1), abs=0.01)
    with zipfile.ZipFile(io.BytesIO(published)) as archive:
        page = SafeET.fromstring(archive.read("Doc_0/Pages/Page_0/Content.xml"))
        info = SafeET.fromstring(archive.read("OFD.xml")).find(f"{NS}DocBody/{NS}DocInfo")
    assert len(page.findall(f".//{NS}PathObject")) == 3 * 4 + 2  # a box per finding
    assert [child.tag for child in info] == [f"{NS}DocID"]
    assert files.render("ofd", published, 0).startswith(b"\x89PNG")


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)
