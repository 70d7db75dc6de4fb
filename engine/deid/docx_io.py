"""Read and redact .docx files with python-docx: body, tables (nested too), headers and footers.

The document's text is assembled once with a map from offsets to runs, so findings computed on
the plain text are applied back run by run: formatting of the remaining text is untouched and a
name split across runs is still replaced as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from engine import uploads

from .core import deidentify, edits
from .model import Redaction

CELL_SEP, ROW_SEP, PARA_SEP = "\t", "\n", "\n"


@dataclass
class TextMap:
    """The document's plain text and, for every run, where its text sits in it."""

    parts: list[str] = field(default_factory=list)
    runs: list[tuple[object, int, int]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str, run=None) -> None:
        if run is not None:
            self.runs.append((run, self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _runs(paragraph: Paragraph):
    for item in paragraph.iter_inner_content():
        yield from (item.runs if isinstance(item, Hyperlink) else [item])


def _add_paragraph(tm: TextMap, paragraph: Paragraph) -> None:
    for run in _runs(paragraph):
        tm.add(run.text, run)


def _add_blocks(tm: TextMap, container, joiner: str = PARA_SEP) -> None:
    for i, block in enumerate(container.iter_inner_content()):
        if i:
            tm.add(joiner)
        if isinstance(block, Table):
            _add_table(tm, block)
        else:
            _add_paragraph(tm, block)


def _add_table(tm: TextMap, table: Table) -> None:
    for r, row in enumerate(table.rows):
        if r:
            tm.add(ROW_SEP)
        seen = []
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; read it once.
            if any(cell._tc is s for s in seen):
                continue
            if seen:
                tm.add(CELL_SEP)
            seen.append(cell._tc)
            _add_blocks(tm, cell, joiner=" ")


def _headers_footers(document, attr_names):
    seen = []
    for section in document.sections:
        for name in attr_names:
            part = getattr(section, name)
            if part.is_linked_to_previous or any(part._element is s for s in seen):
                continue
            seen.append(part._element)
            yield part


HEADERS = ("header", "first_page_header", "even_page_header")
FOOTERS = ("footer", "first_page_footer", "even_page_footer")


def build_text_map(document) -> TextMap:
    """Assemble headers, body and footers into one text with a run map."""
    tm = TextMap()
    for part in _headers_footers(document, HEADERS):
        _add_blocks(tm, part)
        tm.add(PARA_SEP)
    _add_blocks(tm, document)
    for part in _headers_footers(document, FOOTERS):
        tm.add(PARA_SEP)
        _add_blocks(tm, part)
    return tm


def docx_text(source) -> str:
    """Return the plain text of a .docx (headers, body with tables, footers) for the catalogue.

    `source` is a path or a binary file object (an upload read into memory).
    """
    _gate(source)
    return build_text_map(docx.Document(str(source) if isinstance(source, str | Path) else source)).text


def _gate(source) -> None:
    """Pass the file through the upload gate (bombs, broken zips) before python-docx opens it."""
    if isinstance(source, str | Path):
        name, data = Path(source).name, Path(source).read_bytes()
    else:
        name, data = getattr(source, "name", None) or "document.docx", source.read()
        source.seek(0)
    uploads.check(name if str(name).lower().endswith(".docx") else "document.docx", data, {"docx"}, field="docx")


def apply_to_runs(tm: TextMap, changes: list[tuple[int, int, str]]) -> None:
    """Apply text edits (in plain-text offsets) to the runs; the first run touched gets the replacement."""
    per_run: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, replacement in changes:
        placed = False
        for i, (_run, r_start, r_end) in enumerate(tm.runs):
            if r_end <= start or r_start >= end or r_start == r_end:
                continue
            insert = "" if placed else replacement
            placed = True
            per_run.setdefault(i, []).append((max(start, r_start) - r_start, min(end, r_end) - r_start, insert))
    for i, ops in per_run.items():
        run = tm.runs[i][0]
        text = run.text
        for s, e, insert in sorted(ops, reverse=True):
            text = text[:s] + insert + text[e:]
        run.text = text


def deidentify_docx(src: str | Path, dst: str | Path, category: str = "general",
                    policy: dict | None = None) -> Redaction:
    """Write the redacted copy of `src` to `dst` and return the findings; `src` is never written."""
    if Path(src).resolve() == Path(dst).resolve():
        raise ValueError("the redacted copy must not overwrite the original")
    _gate(Path(src))
    document = docx.Document(str(src))
    tm = build_text_map(document)
    redaction = deidentify(tm.text, category, policy)
    apply_to_runs(tm, edits(redaction.findings))
    document.save(str(dst))
    return redaction
