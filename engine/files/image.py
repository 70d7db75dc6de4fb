"""Images (.png, .jpg, .tif): OCR'd into text with each character's box in pixels; redaction paints
the regions black in the pixels and encodes a new file that carries no metadata at all.

The picture is turned upright by its EXIF orientation before anything else, so the boxes the
publisher sees are where the pixels are. Only the pixels are written back: EXIF (GPS, camera,
author), XMP, ICC profiles, comments and text chunks are not copied. A multi-page TIFF is one page
per frame.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps, ImageSequence

from engine.files import Cut, Layout, TextBuilder, Unsafe, draw, ocr

SAVE_FORMAT = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}
MARGIN = 0.35  # of a line's height, around each OCR box (see Box.grown)
_METADATA_KEYS = ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "dpi_comment")


def frames(data: bytes) -> list[Image.Image]:
    """Return each page of the image, upright, in RGB or grey."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = [ImageOps.exif_transpose(frame.copy()) for frame in ImageSequence.Iterator(image)]
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Unsafe(f"无法读取图片 (cannot read the image: {str(exc)[:120]})", fields={"file": ["unreadable"]}) from exc
    return [p if p.mode in ("RGB", "L") else p.convert("RGB") for p in pages]


def read(data: bytes, kind: str) -> Layout:
    """OCR every page of the image; boxes are in pixels of the upright picture."""
    out, sizes = TextBuilder(), []
    pages = frames(data)
    for number, page in enumerate(pages):
        sizes.append((page.width, page.height))
        ocr.add_lines(out, ocr.lines(page), number)
    return out.layout(kind, pages=len(pages), page_sizes=sizes, hidden=metadata_found(data))


def metadata_found(data: bytes) -> list[str]:
    """Describe the metadata the file carries (none of it is published)."""
    with Image.open(io.BytesIO(data)) as image:
        found = []
        exif = image.getexif()
        if exif:
            found.append("EXIF 信息" + ("（含 GPS 位置）" if exif.get_ifd(0x8825) else ""))
        found += [f"元数据 {key}" for key in _METADATA_KEYS if key in image.info and key != "exif"]
        found += [f"文字信息 {key}" for key, value in image.info.items()
                  if isinstance(value, str) and key not in _METADATA_KEYS]
    return [f"{item}（发布时删除）" for item in found]


def redact(data: bytes, kind: str, layout: Layout, cuts: list[Cut]) -> bytes:
    """Paint every cut's boxes black in the pixels and write the pages again without metadata."""
    pages = frames(data)
    for cut in cuts:
        boxes = [cut.region] if cut.region else layout.boxes(cut.start or 0, cut.end or 0)
        for box in boxes:
            if 0 <= box.page < len(pages):
                box = box if cut.region else box.grown(MARGIN)
                ImageDraw.Draw(pages[box.page]).rectangle([box.x0, box.y0, box.x1, box.y1], fill="black")
    result = encode(pages, kind)
    if metadata_found(result):
        raise Unsafe("图片遮盖后仍带有元数据 (the redacted image still carries metadata)", fields={"file": ["metadata"]})
    return result


def encode(pages: list[Image.Image], kind: str) -> bytes:
    """Encode fresh images (pixels only: no EXIF, XMP, ICC, comments) in the file's own format."""
    out = io.BytesIO()
    clean = [Image.frombytes(p.mode, p.size, p.tobytes()) for p in pages]
    if kind == "jpeg":
        clean[0].save(out, "JPEG", quality=90)
    elif kind == "tiff":
        clean[0].save(out, "TIFF", compression="tiff_deflate", save_all=True, append_images=clean[1:])
    else:
        clean[0].save(out, "PNG")
    return out.getvalue()


def render(data: bytes, kind: str, page: int) -> bytes:
    """Return page `page` of the image as PNG."""
    pages = frames(data)
    if not 0 <= page < len(pages):
        raise Unsafe(f"没有第 {page + 1} 页 (no page {page + 1})", fields={"page": ["out of range"]})
    return draw.png(pages[page])

