"""Scanned PDF pages: a page that is a picture (with at most an invisible OCR layer) is read by OCR
and redacted in its image pixels; its text layer, if any, is dropped whole.

An invisible layer that a scanner's OCR wrote may not say what the pixels say, so it is neither
trusted for detection nor published: what the public gets is the picture, painted over.
"""

from __future__ import annotations

import pymupdf
from PIL import Image

from engine.files import Box, TextBuilder, ocr

OCR_DPI = 200  # Chinese print at 10.5 pt is ~30 px high: what tesseract reads best, and fast
IMAGE_SHARE = 0.5  # images covering half the page or more make it a scan
MARGIN = 0.35  # of a line's height, around each OCR box (see Box.grown)
VISIBLE_CHARS = 10  # fewer visible characters than this (a page number, a stamp's text) still a scan


def is_scanned(page) -> bool:
    """Tell whether `page` is a picture of text rather than text."""
    visible = sum(len(span["chars"]) for span in page.get_texttrace()
                  if span["type"] != 3 and span["opacity"] > 0)
    if visible >= VISIBLE_CHARS:
        return False
    area = abs(page.rect)
    covered = sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info())
    return area > 0 and covered / area >= IMAGE_SHARE


def page_image(page, dpi: int = OCR_DPI) -> Image.Image:
    """Render `page` in grey at `dpi` for OCR."""
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, annots=False)
    return Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)


def add_page(out: TextBuilder, page, number: int) -> None:
    """OCR `page` and write its characters with boxes in points."""
    ocr.add_lines(out, ocr.lines(page_image(page)), number, scale=72 / OCR_DPI)


def redact_page(page, boxes: list[Box]) -> None:
    """Paint the boxes over in the page's pixels, then drop every character of its text layer."""
    for box in boxes:
        page.add_redact_annot(pymupdf.Rect(box.x0, box.y0, box.x1, box.y1), fill=(0, 0, 0))
    if boxes:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    page.add_redact_annot(page.rect)  # no fill: only the (invisible) text under the whole page goes
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                          text=pymupdf.PDF_REDACT_TEXT_REMOVE)
