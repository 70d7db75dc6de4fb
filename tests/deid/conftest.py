"""Fixtures for the deid tests: .docx files built from corpus documents."""

import docx
import pytest
from docx.shared import Pt, RGBColor

from engine.deid.corpus import load


def _split_runs(paragraph, text: str) -> None:
    # Break text into runs of 3 characters with alternating bold, as Word does after editing.
    for i in range(0, len(text), 3):
        run = paragraph.add_run(text[i:i + 3])
        run.bold = (i // 3) % 2 == 0
        run.font.size = Pt(12 + (i // 3) % 2)


def _add_pipe_table(document, lines: list[str]) -> None:
    rows = [[c.strip() for c in line.split("|")] for line in lines]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).paragraphs[0].add_run(value).italic = True


@pytest.fixture
def reply_docx(tmp_path):
    """An 依申请公开答复书 as .docx: split runs, a header naming the applicant, a footer."""
    doc = load("ysq_reply_01")
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].add_run("答复对象：张建华（13905381276）")
    section.footer.paragraphs[0].add_run("咨询电话：0538-8269012")
    for line in doc.text.split("\n"):
        _split_runs(document.add_paragraph(), line)
    path = tmp_path / "reply.docx"
    document.save(path)
    return path


@pytest.fixture
def land_docx(tmp_path):
    """A 征地补偿公告 as .docx with its household table as a real Word table."""
    doc = load("land_notice_01")
    document = docx.Document()
    table_lines = [ln for ln in doc.text.split("\n") if ln.count("|") >= 3]
    done = False
    for line in doc.text.split("\n"):
        if line in table_lines:
            if not done:
                _add_pipe_table(document, table_lines)
                done = True
            continue
        run = document.add_paragraph().add_run(line)
        run.font.color.rgb = RGBColor(0x33, 0x33, 0x99)
    path = tmp_path / "land.docx"
    document.save(path)
    return path
