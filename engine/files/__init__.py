"""Files as agencies publish them: read each format into text with places, and redact in the format.

One module per format (`pdf`, `ofd`, `sheet`, `image`, `docx`), each with the same three functions:
`read(data) -> Layout`, `redact(data, layout, cuts) -> bytes` and `render(data, page) -> PNG bytes`.
The de-identification detector stays one (`engine.deid`): it reads `Layout.text`, and its findings
map back to the file through `Layout.places`, one place per character (`cuts_for` turns findings
into cuts). Nothing here parses a file that `engine.uploads` has not passed. Every `redact` checks
its own result: a removed text still readable anywhere in the file raises `Unsafe` (held back).

Which library does what, and why (each module's docstring says what was measured):
- PDF (`pdf`, `scan`): PyMuPDF, the one library with true redaction (glyphs out of the content
  stream, image pixels blanked) and a full rewrite without old revisions; AGPL-3.0. Pages without a
  text layer are OCR'd; their invisible OCR layer is dropped.
- Images and scans (`image`, `ocr`): Pillow (decode, paint, re-encode without metadata) and Debian's
  tesseract + chi_sim through pytesseract (one process per page, a timeout, nothing downloaded).
- Spreadsheets (`sheet`): python-calamine reads .xlsx/.xls (Rust, several times openpyxl's speed,
  hidden and very hidden sheets told apart); openpyxl writes the redacted .xlsx; .xls is published
  as .xlsx; .csv with the csv module (UTF-8, UTF-8-BOM, GB18030), published as UTF-8 with BOM.
- OFD (`ofd`): read and written by hand with defusedxml: the PyPI readers give no character
  positions, write nothing back, and parse without entity protection. Published as OFD.
- Word (`docx`): python-docx through `engine.deid.docx_io`'s run map, after accepting tracked changes.
- Zip packages (`package`): what an Office file carries out of sight, and all the text of its parts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from engine.deid.core import edits
from engine.deid.names import occurrences
from engine.errors import Invalid


class Unsafe(Invalid):
    """A file this product cannot make safe: the caller holds it back and never publishes it as is."""

# What a redacted file is published as, where that differs from what came in (see each module).
PUBLISHED_KIND = {"xls": "xlsx"}
# The formats, by the kind the upload gate names from the content (never from the extension alone).
FORMATS = {"pdf": "pdf", "ofd": "ofd", "xlsx": "sheet", "xls": "sheet", "csv": "sheet",
           "png": "image", "jpeg": "image", "tiff": "image", "docx": "docx"}
MEDIA_TYPES = {"pdf": "application/pdf", "ofd": "application/ofd",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "xls": "application/vnd.ms-excel", "csv": "text/csv", "png": "image/png",
               "jpeg": "image/jpeg", "tiff": "image/tiff",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class Box:
    """A region of a page, in points from the page's top-left corner (pixels for images)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, share: float) -> Box:
        """Return the box grown by `share` of its height to the left and right (half that up and down).

        OCR boxes a word and the characters share it evenly: the margin covers a glyph that is wider
        than its share, so no stroke of a removed character is left at the edge.
        """
        dx = (self.y1 - self.y0) * share
        return Box(self.page, self.x0 - dx, self.y0 - dx / 2, self.x1 + dx, self.y1 + dx / 2)


@dataclass(frozen=True)
class Cell:
    """A spreadsheet cell: the sheet's name, 1-based row and column (as Excel numbers them)."""

    sheet: str
    row: int
    column: int


@dataclass
class Layout:
    """What a file says, as the detector reads it, and where each character of it sits.

    `places[i]` is where `text[i]` is in the file (a Box, a Cell), or None for characters the
    reader added (line breaks, a column header repeated before a cell so the cue rules read
    "身份证号：…"). `pages` counts pages (or sheets); `hidden` lists what the file carries out of
    sight that redaction removes whatever it holds (metadata, comments, hidden sheets, …).
    """

    kind: str
    text: str
    places: list[Box | Cell | None]
    pages: int = 1
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def boxes(self, start: int, end: int) -> list[Box]:
        """Return the boxes covering text[start:end], merged per line."""
        merged: list[Box] = []
        for place in self.places[start:end]:
            if not isinstance(place, Box):
                continue
            last = merged[-1] if merged else None
            if last and last.page == place.page and abs(last.y0 - place.y0) < 0.5 * (place.y1 - place.y0):
                merged[-1] = Box(last.page, min(last.x0, place.x0), min(last.y0, place.y0),
                                 max(last.x1, place.x1), max(last.y1, place.y1))
            else:
                merged.append(place)
        return merged

    def cells(self, start: int, end: int) -> list[Cell]:
        """Return the cells text[start:end] touches, in order, once each."""
        return list(dict.fromkeys(p for p in self.places[start:end] if isinstance(p, Cell)))

    def span(self, place: Box | Cell) -> tuple[int, int] | None:
        """Return (start, end) of the text a place holds (a cell the publisher picks), or None."""
        where = [i for i, p in enumerate(self.places) if p == place]
        return (where[0], where[-1] + 1) if where else None


WRAPPED = 0.85  # a line this full of its block's width runs on into the next one
SENTENCE_END = tuple("。！？；：:;!?")


class TextBuilder:
    """Assemble a Layout's text and places together, one place per character."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.places: list[Box | Cell | None] = []

    def add(self, text: str, place: Box | Cell | None = None) -> None:
        self.parts.append(text)
        self.places += [place] * len(text)

    def ends_with(self, text: str | tuple[str, ...]) -> bool:
        return bool(self.parts) and self.parts[-1].endswith(text)

    def newline(self) -> None:
        """End the current line unless it is already ended (or nothing was written)."""
        if self.parts and not self.ends_with("\n"):
            self.add("\n")

    def end_line(self, line_width: float, full_width: float) -> None:
        """End a line, unless it fills its block and runs on: a name wrapped over two lines stays one."""
        if not (full_width > 0 and line_width >= WRAPPED * full_width and not self.ends_with(SENTENCE_END)):
            self.newline()

    def layout(self, kind: str, **fields) -> Layout:
        return Layout(kind, "".join(self.parts), self.places, **fields)


@dataclass(frozen=True)
class Cut:
    """One thing to remove: a span of `Layout.text` shown as `replacement`, or a drawn region."""

    start: int | None = None
    end: int | None = None
    replacement: str = ""
    region: Box | None = None


def cuts_for(findings) -> list[Cut]:
    """Turn the detector's findings (engine.deid `Finding`s, redacted ones) into cuts, without overlaps."""
    return [Cut(start, end, replacement) for start, end, replacement in edits(findings)]


def published_kind(kind: str) -> str:
    """Return the kind a redacted file of `kind` is published as (.xls is published as .xlsx)."""
    return PUBLISHED_KIND.get(kind, kind)


def removed_texts(layout: Layout, cuts: list[Cut]) -> set[str]:
    """Return what the cuts take out and the rest of the file does not also show: what must be gone.

    A released occurrence of the same name stays readable on purpose, so it is not counted.
    """
    spans = sorted((c.start, c.end) for c in cuts if c.start is not None and c.end and c.end > c.start)
    kept, cursor = [], 0
    for start, end in spans:
        kept.append(layout.text[cursor:start])
        cursor = max(cursor, end)
    kept.append(layout.text[cursor:])
    rest = "\x00".join(kept)
    texts = {t for t in (layout.text[s:e].strip() for s, e in spans) if len(t) >= 2}
    return texts - _present(rest, texts)


def _present(text: str, words: set[str]) -> set[str]:
    # One pass over the text for all words: a list of 10,000 households has 40,000 of them.
    return {text[start:end] for start, end in occurrences(text, words)}


def ensure_gone(readable: str, secrets: set[str], name: str = "") -> None:
    """Raise Unsafe when any removed text can still be read in `readable` (everything a tool can get out)."""
    left = len(_present(readable, secrets))
    if left:
        raise Unsafe(f"文件{name}遮盖后仍能读出 {left} 处已遮盖的内容，不能发布 "
                     f"(the redacted file still holds {left} removed texts; it is held back)",
                     fields={"file": ["cannot be made safe"]})


def _module(kind: str):
    if kind not in FORMATS:
        raise Invalid(f"不支持的文件格式：{kind}（unsupported file kind {kind!r}）", fields={"file": ["unsupported"]})
    return importlib.import_module(f"engine.files.{FORMATS[kind]}")


def read(kind: str, data: bytes) -> Layout:
    """Read `data` of `kind` (as the upload gate named it) into a Layout."""
    return _module(kind).read(data, kind)


def redact(kind: str, data: bytes, layout: Layout, cuts: list[Cut]) -> bytes:
    """Return a new file of the same format with every cut removed and every hidden part cleaned."""
    return _module(kind).redact(data, kind, layout, cuts)


def render(kind: str, data: bytes, page: int) -> bytes:
    """Return page `page` (0-based; a sheet's index for spreadsheets) as PNG, for the confirmation page."""
    return _module(kind).render(data, kind, page)
