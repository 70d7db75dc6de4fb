"""Word attachments (.docx): read and redacted through `engine.deid.docx_io` (one text map for both),
after tracked changes are accepted and comments removed; properties and hidden parts are cleaned.

A deleted revision (w:del) still holds its old text and python-docx reads neither it nor inserted
text (w:ins): both are settled first, as Word's "accept all changes" would, so what is read is what
is published. Text the run map does not reach (text boxes, footnotes, endnotes) is read too, without
places: a finding there that a run cannot remove leaves it in the file, and the check after redaction
holds the file back.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from PIL import Image, ImageDraw

from engine.deid.docx_io import apply_to_runs, build_text_map
from engine.files import Cut, Layout, Unsafe, draw, ensure_gone, package, removed_texts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REMOVED = ("del", "moveFrom", "commentRangeStart", "commentRangeEnd", "commentReference", "rPrChange", "pPrChange",
           "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "permStart", "permEnd")
UNWRAPPED = ("ins", "moveTo")
DROPPED_RELS = (RT.COMMENTS, RT.CUSTOM_XML, RT.CUSTOM_PROPERTIES,
                "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
                "http://schemas.microsoft.com/office/2011/relationships/people",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate")
_OUT_OF_RUNS = re.compile(r"<w:(?:txbxContent|footnote|endnote)\b.*?</w:(?:txbxContent|footnote|endnote)>", re.S)
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def _open(data: bytes):
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise Unsafe(f"无法读取 .docx 文件 (cannot read the .docx: {str(exc)[:120]})",
                     fields={"file": ["unreadable"]}) from exc
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            _settle_revisions(element)
    return document


def _settle_revisions(root) -> None:
    """Accept every tracked change and drop comment anchors, in place."""
    for name in REMOVED:
        for element in list(root.iter(f"{{{W}}}{name}")):
            element.getparent().remove(element)
    for name in UNWRAPPED:
        for element in list(root.iter(f"{{{W}}}{name}")):
            parent, index = element.getparent(), element.getparent().index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(index + offset, child)
            parent.remove(element)


def read(data: bytes, kind: str = "docx") -> Layout:
    """Read headers, body (tables too) and footers as the run map has them, then text outside runs."""
    document = _open(data)
    text = build_text_map(document).text
    extra = _text_out_of_runs(document)
    full = text + ("\n" + extra if extra else "")
    return Layout(kind, full, [None] * len(full), hidden=package.ooxml_extras(data) + _revision_notes(data))


def _text_out_of_runs(document) -> str:
    chunks = []
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None or not str(part.partname).endswith(".xml"):
            continue
        xml = element.xml if hasattr(element, "xml") else ""
        for block in _OUT_OF_RUNS.findall(xml):
            chunks.append("".join(_TEXT.findall(block)))
    return "\n".join(c for c in chunks if c.strip())


def _revision_notes(data: bytes) -> list[str]:
    with package.open_zip(data) as archive:
        body = archive.read("word/document.xml") if "word/document.xml" in archive.namelist() else b""
    notes = []
    if b"<w:del " in body or b"<w:del>" in body:
        notes.append("修订记录中删除的文字（发布时删除）")
    if b"<w:ins " in body:
        notes.append("修订记录（已接受，发布时不保留痕迹）")
    return notes


def redact(data: bytes, kind: str, layout: Layout, cuts: list[Cut]) -> bytes:
    """Replace each cut run by run, then drop comments, custom parts and every property."""
    document = _open(data)
    text_map = build_text_map(document)
    changes = [(c.start, c.end, c.replacement) for c in cuts
               if c.start is not None and c.end is not None and c.end <= len(text_map.text)]
    apply_to_runs(text_map, sorted(changes))
    _drop_parts(document)
    _clear_properties(document)
    out = io.BytesIO()
    document.save(out)
    result = _without_app_details(out.getvalue())
    ensure_gone(package.all_text(result), removed_texts(layout, cuts))
    return result


def _drop_parts(document) -> None:
    for part in [document.part.package, *document.part.package.iter_parts()]:
        rels = part.rels
        for r_id, rel in list(rels.items()):
            if rel.reltype in DROPPED_RELS:
                del rels[r_id]


def _clear_properties(document) -> None:
    core = document.core_properties
    for field in ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category",
                  "content_status", "identifier", "language", "version"):
        setattr(core, field, "")
    core.revision = 1


def _without_app_details(data: bytes) -> bytes:
    """Blank docProps/app.xml's company, manager and template (python-docx keeps that part as is)."""
    out = io.BytesIO()
    with package.open_zip(data) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "docProps/app.xml":
                part = re.sub(rb"<(Company|Manager|Template|HyperlinkBase)>[^<]*</\1>", rb"<\1></\1>", part)
            target.writestr(item, part)
    return out.getvalue()


def render(data: bytes, kind: str, page: int) -> bytes:
    """Draw the document's text as one page (the confirmation page shows .docx as text)."""
    lines = read(data).text.splitlines()[page * 60:(page + 1) * 60]
    image = Image.new("RGB", (900, 30 + 22 * max(len(lines), 1)), "white")
    pen = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        pen.text((20, 15 + number * 22), line[:60], fill="black", font=draw.font(15))
    return draw.png(image)
