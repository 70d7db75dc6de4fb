"""PDF: every character of the text layer with its box; redaction that takes the characters out of the
content stream and draws a black box where they were, then writes a new file with nothing else in it.

PyMuPDF (MuPDF) is the one library here with true redaction: `apply_redactions` rewrites the content
stream without the glyphs under a region, keeps the rest as text, and blanks image pixels under it;
a full, non-incremental save with garbage collection drops earlier revisions. pypdfium2 + pikepdf
would need content-stream surgery written by hand. Its licence is AGPL-3.0 (or Artifex's commercial
licence): a deployment that serves the product to others offers its source, as this one does.

Text is read as drawn, not as its ActualText says (`TEXT_IGNORE_ACTUALTEXT`), text off the page
too; white, tiny or covered text is read like any other and listed for the publisher. Pages
without a text layer are scans (`engine.files.scan`).
"""

from __future__ import annotations

import re

import pymupdf

from engine.files import Box, Cut, Layout, TextBuilder, Unsafe, ensure_gone, removed_texts, scan

READ_FLAGS = (pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_IGNORE_ACTUALTEXT)
TINY = 3.0  # points: below this, text is there to be found by machines, not read by people
RENDER_DPI = 110


def open_pdf(data: bytes) -> pymupdf.Document:
    """Open a PDF the upload gate passed; an encrypted or broken one cannot be made safe."""
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise Unsafe(f"无法读取 PDF 文件 (cannot read the PDF: {str(exc)[:120]})", fields={"file": ["unreadable"]}) from exc
    if document.needs_pass or document.is_encrypted:
        raise Unsafe("PDF 文件已加密，无法处理 (the PDF is encrypted)", fields={"file": ["encrypted"]})
    return document


def read(data: bytes, kind: str = "pdf") -> Layout:
    """Read every page's text layer; pages with no text are OCR'd (`engine.files.scan`)."""
    document = open_pdf(data)
    out, hidden, sizes = TextBuilder(), _out_of_sight(document), []
    for number, page in enumerate(document):
        sizes.append((page.rect.width, page.rect.height))
        out.newline()
        if scan.is_scanned(page):
            scan.add_page(out, page, number)
        else:
            hidden += _add_page(out, page, number)
    return out.layout(kind, pages=len(document), page_sizes=sizes, hidden=list(dict.fromkeys(hidden)))


def _add_page(out: TextBuilder, page, number: int) -> list[str]:
    odd: list[str] = []
    for block in page.get_text("rawdict", flags=READ_FLAGS, sort=True)["blocks"]:
        if block.get("type") != 0:
            continue
        width = block["bbox"][2] - block["bbox"][0]
        for line in block["lines"]:
            for span in line["spans"]:
                odd += _odd_span(span, number)
                for char in span["chars"]:
                    x0, y0, x1, y1 = char["bbox"]
                    out.add(char["c"], Box(number, x0, y0, x1, y1))
            out.end_line(line["bbox"][2] - line["bbox"][0], width)
        out.newline()
    return odd


def _odd_span(span: dict, number: int) -> list[str]:
    text = "".join(c["c"] for c in span["chars"]).strip()
    if not text:
        return []
    if span["color"] == 0xFFFFFF:
        return [f"第 {number + 1} 页有白色文字"]
    if span["size"] < TINY:
        return [f"第 {number + 1} 页有极小的文字"]
    return []


def _out_of_sight(document) -> list[str]:
    found = []
    if any(v for k, v in (document.metadata or {}).items() if k not in ("format", "encryption") and v):
        found.append("文档属性（作者、创建工具等）")
    if document.xref_xml_metadata():
        found.append("XMP 元数据")
    if document.embfile_count():
        found.append("附件（嵌入文件）")
    if any(page.first_annot for page in document):
        found.append("注释")
    if document.is_form_pdf:
        found.append("表单域")
    if document.get_toc():
        found.append("书签")
    if _revisions(document) > 1:
        found.append("增量保存的早先版本")
    return [f"{item}（发布时删除）" for item in found]


def _revisions(document) -> int:
    try:
        return document.version_count
    except (AttributeError, RuntimeError):
        return 1


def redact(data: bytes, kind: str, layout: Layout, cuts: list[Cut]) -> bytes:
    """Return a new PDF without the cut characters (black boxes where they were) and nothing hidden."""
    document = open_pdf(data)
    regions = _regions(layout, cuts)
    for number, page in enumerate(document):
        found = regions.get(number, [])
        if scan.is_scanned(page):
            scan.redact_page(page, [box if drawn else box.grown(scan.MARGIN) for box, drawn in found])
            continue
        for box, drawn in found:
            box = box if drawn else _inset(box)
            page.add_redact_annot(pymupdf.Rect(box.x0, box.y0, box.x1, box.y1), fill=(0, 0, 0))
        if found:
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_NONE, text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    result = clean(document)
    ensure_gone(readable_text(result), removed_texts(layout, cuts))
    return result


def _regions(layout: Layout, cuts: list[Cut]) -> dict[int, list[tuple[Box, bool]]]:
    """Group by page what to black out: each cut's characters merged per line, or its drawn region (True)."""
    per_page: dict[int, list[tuple[Box, bool]]] = {}
    for cut in cuts:
        boxes = [cut.region] if cut.region else layout.boxes(cut.start or 0, cut.end or 0)
        for box in boxes:
            per_page.setdefault(box.page, []).append((box, cut.region is not None))
    return per_page


def _inset(box: Box) -> Box:
    # A character's box reaches into the lines above and below (ascent, descent); the middle of
    # it is enough for MuPDF to take the glyph out and leaves the neighbours' glyphs alone.
    pad = (box.y1 - box.y0) * 0.15
    return Box(box.page, box.x0 + 0.2, box.y0 + pad, box.x1 - 0.2, box.y1 - pad)


def clean(document) -> bytes:
    """Remove everything a reader does not see on the page and write a fresh file (no old revisions)."""
    for page in document:
        for widget in list(page.widgets() or []):
            page.delete_widget(widget)
        for annot in list(page.annots() or []):
            page.delete_annot(annot)
    # Content streams were rewritten by apply_redactions already; scrub the rest of the document.
    document.scrub(clean_pages=False, hidden_text=False, redact_images=0, redactions=False)
    document.set_metadata({})
    document.del_xml_metadata()
    document.set_toc([])
    catalog = document.pdf_catalog()
    for key in CATALOG_KEYS:
        _drop_key(document, catalog, key)
    for page in document:
        for key in PAGE_KEYS:
            _drop_key(document, page.xref, key)
    _subset_fonts(document)
    # A full save writes only what the current revision reaches: earlier revisions are gone.
    return document.tobytes(garbage=3, deflate=True, no_new_id=False)


# What the catalog and pages may carry besides what is drawn: tagged-PDF structure (its ActualText
# and Alt can hold the original words), actions, forms, attachments, page pieces and thumbnails.
CATALOG_KEYS = ("StructTreeRoot", "MarkInfo", "Names", "OpenAction", "AA", "AcroForm", "PieceInfo", "Metadata",
                "AF", "Threads", "SpiderInfo", "Legal", "Perms", "Collection", "OCProperties", "Outlines",
                "PageMode", "Dests", "URI")
PAGE_KEYS = ("PieceInfo", "Metadata", "AF", "StructParents", "Thumb", "AA", "B", "Annots")


def _drop_key(document, xref: int, key: str) -> None:
    if document.xref_get_key(xref, key)[0] != "null":
        document.xref_set_key(xref, key, "null")


def _subset_fonts(document) -> None:
    # Fonts embedded as subsets keep the glyphs of removed characters; subsetting again to what is
    # still drawn leaves no trace of which characters were there.
    try:
        document.subset_fonts()
    except Exception:  # noqa: BLE001 - an unsubsettable font is kept whole: nothing is lost
        pass


def readable_text(data: bytes) -> str:
    """Return every text a PDF reader can get out: the glyphs, and what ActualText replaces them with."""
    document = pymupdf.open(stream=data, filetype="pdf")
    texts = []
    for page in document:
        texts.append(page.get_text("text", flags=READ_FLAGS))
        texts.append(page.get_text("text", flags=pymupdf.TEXT_PRESERVE_WHITESPACE))
    texts += [str(v) for v in (document.metadata or {}).values() if v]
    text = "\n".join(texts)
    return text + "\n" + re.sub(r"\s", "", text)  # a name broken over two lines reads whole


def render(data: bytes, kind: str, page: int) -> bytes:
    """Return page `page` (0-based) as PNG at about screen size."""
    document = open_pdf(data)
    if not 0 <= page < document.page_count:
        raise Unsafe(f"没有第 {page + 1} 页 (no page {page + 1})", fields={"page": ["out of range"]})
    return document[page].get_pixmap(dpi=RENDER_DPI).tobytes("png")
