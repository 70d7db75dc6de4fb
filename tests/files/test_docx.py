"""Word attachments: the run map of engine.deid, with tracked changes settled and hidden parts dropped."""

import io

import docx
import pytest

from tests.support.sample_files import (
    PEOPLE,
    PUBLIC_SENTENCE,
    docx_hiding_data,
    leaks_in,
    readable_parts,
    redact_all,
)


@pytest.fixture(scope="module")
def letter():
    data = docx_hiding_data()
    layout, _found, published = redact_all("docx", data)
    return data, layout, published


def test_read_sees_header_table_and_the_inserted_text_and_names_what_is_hidden(letter):
    data, layout, _published = letter
    assert f"经办人电话：{PEOPLE[2]['phone']}" in layout.text
    assert f"联系人：{PEOPLE[0]['name']}" in layout.text  # a tracked insertion, accepted
    assert PEOPLE[2]["id"] in "".join(readable_parts(data).values())  # the deleted revision holds it
    hidden = " ".join(layout.hidden)
    for what in ("批注", "作者", "单位", "删除的文字"):
        assert what in hidden


def test_no_part_of_the_published_docx_holds_a_person(letter):
    _data, _layout, published = letter
    parts = readable_parts(published)
    assert not [(name, leaks_in(text)) for name, text in parts.items() if leaks_in(text)]
    assert not [name for name in parts if "comments" in name or "people" in name or "custom" in name]
    body = parts["word/document.xml"]
    assert "<w:del " not in body and "<w:ins " not in body and "commentReference" not in body


def test_the_letter_stays_readable_with_its_amounts(letter):
    _data, _layout, published = letter
    document = docx.Document(io.BytesIO(published))
    text = "\n".join(p.text for p in document.paragraphs)
    assert PUBLIC_SENTENCE in text and "以上名单经村民代表会议评议通过。" in text
    amounts = [row.cells[5].text for row in document.tables[0].rows[1:]]
    assert amounts == ["650", "520", "480"]
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""
