"""Drawing with Pillow for the confirmation page: a sheet as a grid, text at its places, PNG out.

The CJK font is Debian's fonts-noto-cjk (installed by `make test`/`make setup` with the browser);
without it Pillow's default font draws boxes for Chinese, and the page still works.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SC_INDEX = 2  # Simplified Chinese face inside Noto's collection
MAX_ROWS, MAX_COLUMNS, COLUMN_WIDTH, ROW_HEIGHT = 60, 12, 140, 26


@lru_cache(maxsize=16)
def font(size: int = 14) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return the CJK font at `size` pixels, or Pillow's default when none is installed."""
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size, index=SC_INDEX)
        except OSError:
            continue
    return ImageFont.load_default(size)


def png(image: Image.Image) -> bytes:
    """Encode `image` as PNG with no metadata."""
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def grid(title: str, rows: list[tuple[int, list[tuple[int, str]]]]) -> bytes:
    """Draw the first rows and columns of a sheet with Excel's row numbers and column letters."""
    shown = rows[:MAX_ROWS]
    width = 48 + COLUMN_WIDTH * MAX_COLUMNS
    image = Image.new("RGB", (width, ROW_HEIGHT * (len(shown) + 2)), "white")
    pen, face = ImageDraw.Draw(image), font(14)
    pen.text((6, 4), title, fill="black", font=face)
    for column in range(MAX_COLUMNS):
        pen.text((52 + column * COLUMN_WIDTH, ROW_HEIGHT + 4), column_letter(column + 1), fill="#555", font=face)
    for line, (number, cells) in enumerate(shown, start=2):
        y = line * ROW_HEIGHT
        pen.line([(0, y), (width, y)], fill="#ccc")
        pen.text((6, y + 4), str(number), fill="#555", font=face)
        for column, text in cells:
            if column <= MAX_COLUMNS:
                pen.text((52 + (column - 1) * COLUMN_WIDTH, y + 4), text[:10], fill="black", font=face)
    return png(image)


def column_letter(number: int) -> str:
    """Return Excel's letters for a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
