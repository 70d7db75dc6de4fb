"""Spreadsheets: every sheet read by its headers, redacted cell by cell, nothing left in any part."""

import io

import openpyxl
import pytest

from engine import deid, files
from tests.support.sample_files import (
    HEADER,
    PEOPLE,
    PUBLIC_SENTENCE,
    TITLE,
    csv_bytes,
    leaks_in,
    readable_parts,
    redact_all,
    xls_bytes,
    xlsx_hiding_data,
)


def test_every_sheet_reads_as_a_labelled_form_with_each_value_in_its_cell():
    layout = files.read("xlsx", xlsx_hiding_data())
    first = PEOPLE[0]
    assert f"户主姓名：{first['name']}；身份证号：{first['id']}；联系电话：{first['phone']}" in layout.text
    start = layout.text.index(first["id"])
    assert layout.cells(start, start + len(first["id"])) == [files.Cell("公示名单", 4, 3)]
    assert layout.places[layout.text.index("身份证号：" + first["id"])] is None  # the label is the reader's
    # The hidden and very hidden sheets are read too, and named for the publisher.
    assert f"姓名：{PEOPLE[2]['name']}；身份证号：{PEOPLE[2]['id']}" in layout.text
    assert f"家庭住址：{PEOPLE[1]['address']}" in layout.text
    assert layout.pages == 3
    hidden = " ".join(layout.hidden)
    for what in ("原始数据", "备份", "批注", "定义的名称", PEOPLE[0]["name"]):
        assert what in hidden


def test_the_detector_finds_each_kind_under_its_header():
    layout = files.read("xlsx", xlsx_hiding_data())
    found = deid.deidentify(layout.text, "general")
    kinds = {(f.kind, f.text) for f in found.findings}
    for person in PEOPLE:
        assert ("person_name", person["name"]) in kinds
        assert ("id_card", person["id"]) in kinds
        assert ("mobile", person["phone"]) in kinds
    assert ("address", PEOPLE[0]["address"]) in kinds


def test_redacted_xlsx_keeps_the_notice_and_amounts_and_no_part_holds_a_person():
    _layout, _found, published = redact_all("xlsx", xlsx_hiding_data())
    parts = readable_parts(published)
    assert not [(name, leaks_in(text)) for name, text in parts.items() if leaks_in(text)]
    assert not [n for n in parts if "comment" in n or "custom" in n or "externalLink" in n]
    book = openpyxl.load_workbook(io.BytesIO(published))
    assert book.sheetnames == ["公示名单"]  # hidden and very hidden sheets are not published
    sheet = book["公示名单"]
    assert sheet["A1"].value == TITLE and sheet["A2"].value == PUBLIC_SENTENCE
    assert [c.value for c in sheet[3]][:6] == HEADER
    assert [sheet.cell(r, 6).value for r in (4, 5, 6)] == [650, 520, 480]  # amounts stay numbers
    assert sheet["C4"].value == PEOPLE[0]["id"][:6] + "********" + PEOPLE[0]["id"][-4:]  # same cell, replaced
    assert sheet["G4"].data_type != "f"  # the formula is published as its (redacted) value
    assert book.properties.creator in ("", None) and book.properties.lastModifiedBy in ("", None)
    assert not book.defined_names and not sheet["B5"].comment


def test_a_category_that_keeps_names_keeps_them_in_the_cells():
    _layout, _found, published = redact_all("xlsx", xlsx_hiding_data(), "social_assistance")
    sheet = openpyxl.load_workbook(io.BytesIO(published)).active
    assert sheet["B4"].value == PEOPLE[0]["name"]  # 低保 publicity names the household head
    assert PEOPLE[0]["phone"] not in str(sheet["D4"].value) and PEOPLE[0]["id"] not in str(sheet["C4"].value)


def test_a_picked_cell_is_replaced_whole():
    data = xlsx_hiding_data()
    layout = files.read("xlsx", data)
    start, end = layout.span(files.Cell("公示名单", 5, 6))
    published = files.redact("xlsx", data, layout, [files.Cut(start, end, "[已隐去]")])
    assert openpyxl.load_workbook(io.BytesIO(published)).active["F5"].value == "[已隐去]"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_each_encoding_is_read_and_published_as_utf8_without_the_people(encoding):
    data = csv_bytes(encoding)
    layout, _found, published = redact_all("csv", data)
    assert f"户主姓名：{PEOPLE[1]['name']}" in layout.text
    text = published.decode("utf-8-sig")
    assert not leaks_in(text)
    assert text.splitlines()[0] == ",".join(HEADER) and ",650" in text.splitlines()[1]


def test_xls_is_published_as_xlsx_without_its_hidden_sheet():
    layout, _found, published = redact_all("xls", xls_bytes())
    assert files.published_kind("xls") == "xlsx"
    assert f"姓名：{PEOPLE[2]['name']}；联系电话：{PEOPLE[2]['phone']}" in layout.text  # the hidden sheet, read
    book = openpyxl.load_workbook(io.BytesIO(published))
    assert book.sheetnames == ["公示名单"]
    assert not [n for n, t in readable_parts(published).items() if leaks_in(t)]
    assert book.active["F2"].value == 650


def test_what_must_be_gone_excludes_an_occurrence_the_publisher_released():
    data = xlsx_hiding_data()
    layout = files.read("xlsx", data)
    name, phone = PEOPLE[0]["name"], PEOPLE[0]["phone"]
    cuts = [files.Cut(layout.text.index(t), layout.text.index(t) + len(t), "*") for t in (name, phone)]
    # G4 repeats the name and is not cut: released, it may stay; the phone must be gone.
    assert files.removed_texts(layout, cuts) == {phone}
    with pytest.raises(files.Unsafe):
        files.ensure_gone("电话 " + phone, {phone})


def test_a_sheet_renders_as_a_png_grid():
    png = files.render("xlsx", xlsx_hiding_data(), 0)
    assert png.startswith(b"\x89PNG")
