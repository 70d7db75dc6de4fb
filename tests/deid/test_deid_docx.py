"""Round trip through .docx: runs, formatting, tables, headers and footers."""

import docx

from engine.deid import deidentify_docx, docx_text


def _all_runs(document):
    for p in document.paragraphs:
        yield from p.runs


def test_docx_redaction_across_runs_keeps_formatting(reply_docx, tmp_path):
    before = reply_docx.read_bytes()
    out = tmp_path / "out.docx"
    redaction = deidentify_docx(reply_docx, out)
    assert reply_docx.read_bytes() == before
    text = docx_text(out)
    assert text == redaction.text
    for secret in ("张建华", "370105198305261533", "13905381276", "岱宗大街128号"):
        assert secret not in text
    assert "0538-8269012" in text and "泰山政办发〔2022〕9号" in text
    document = docx.Document(str(out))
    assert "张建华" not in document.sections[0].header.paragraphs[0].text
    assert document.sections[0].footer.paragraphs[0].text == "咨询电话：0538-8269012"
    bold = [r.bold for r in _all_runs(document) if r.text]
    assert True in bold and False in bold


def test_docx_tables_are_redacted(land_docx, tmp_path):
    out = tmp_path / "land_out.docx"
    deidentify_docx(land_docx, out)
    table = docx.Document(str(out)).tables[0]
    assert table.cell(1, 1).text == "甲"
    assert table.cell(1, 2).text == "370902********1612"
    assert table.cell(1, 6).text.startswith("6230")
    assert "王家庄村" in docx_text(out)
    assert table.cell(1, 1).paragraphs[0].runs[0].italic


def test_docx_text_extracts_tables_headers_and_footers(reply_docx, land_docx):
    assert docx_text(reply_docx).startswith("答复对象：张建华")
    assert "咨询电话：0538-8269012" in docx_text(reply_docx).split("\n")[-1]
    assert "王树德\t370902194905081612" in docx_text(land_docx)


def test_docx_finds_a_name_without_a_cue(tmp_path):
    source, out = tmp_path / "reply.docx", tmp_path / "reply_out.docx"
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("经查，宫德", "胜于2026年3月在东羊楼村", "北侧擅自建房。"):
        paragraph.add_run(piece)
    document.save(source)
    redaction = deidentify_docx(source, out)
    assert [f.reason for f in redaction.findings] == ["statistical recognizer"]
    text = docx_text(out)
    assert "宫德胜" not in text and "东羊楼村" in text
