"""OCR of Chinese print: Debian's tesseract with its chi_sim model, each character with its box.

Tesseract 5 (`tesseract-ocr` + `tesseract-ocr-chi-sim`, installed by `make setup`/`make test`) reads
a 200-dpi A4 letter in about a second on one core; its model ships in the Debian package, nothing
is downloaded. pytesseract runs the `tesseract` program (one process per page, so a crash in it
cannot take a worker down, and a page that takes too long is stopped). Page segmentation mode 6
(one block of lines) read letters and forms more faithfully than the automatic layout here.
Tesseract boxes words; a Chinese word's box is shared evenly among its characters, which are
set in one width.
"""

from __future__ import annotations

import os
import shutil

from PIL import Image

from engine.files import Box, TextBuilder, Unsafe

LANG = "chi_sim"
CONFIG = "--psm 6 -c preserve_interword_spaces=1"
TIMEOUT = 60  # seconds for one page: a scan that takes longer is held back, never published unread
MIN_CONFIDENCE = 0  # keep every word: a faint name is still a name
# Debian's tesseract is built with OpenMP and would take every core for one page; parallelism comes
# from worker processes. The child inherits this; an operator's own setting wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def available() -> bool:
    """Tell whether tesseract and its Chinese model are installed."""
    return shutil.which("tesseract") is not None and any(
        os.path.exists(os.path.join(d, f"{LANG}.traineddata"))
        for d in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                  os.environ.get("TESSDATA_PREFIX", "/nonexistent")))


def lines(image: Image.Image) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Return the page's lines, each a list of (character, (x0, y0, x1, y1) in pixels)."""
    # Only scans need it, and it looks for Debian's tesseract binary when loaded.
    import pytesseract

    if not available():
        raise Unsafe("服务器未安装中文 OCR（tesseract-ocr-chi-sim），无法读取扫描件 "
                     "(OCR is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim)",
                     fields={"file": ["ocr unavailable"]})
    try:
        data = pytesseract.image_to_data(image.convert("L"), lang=LANG, config=CONFIG, timeout=TIMEOUT,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as exc:  # pytesseract's timeout
        raise Unsafe("扫描件识别超时，无法确认其内容 (OCR timed out)", fields={"file": ["ocr timeout"]}) from exc
    return _group(data)


def _group(data: dict) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    grouped: dict[tuple[int, int, int], list] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        left, top, width, height = (data[k][i] for k in ("left", "top", "width", "height"))
        step = width / len(word)
        chars = grouped.setdefault(key, [])
        if chars and word[0].isascii() and word[0].isalnum() and chars[-1][0].isascii() and chars[-1][0].isalnum():
            chars.append((" ", (left - 1, top, left, top + height)))
        chars += [(c, (left + k * step, top, left + (k + 1) * step, top + height)) for k, c in enumerate(word)]
    return list(grouped.values())


def add_lines(out: TextBuilder, page_lines: list, page: int, scale: float = 1.0) -> None:
    """Write OCR'd lines into a layout, each character placed in page units (pixels × `scale`)."""
    widest = max((line[-1][1][2] - line[0][1][0] for line in page_lines if line), default=0)
    for line in page_lines:
        for char, (x0, y0, x1, y1) in line:
            out.add(char, Box(page, x0 * scale, y0 * scale, x1 * scale, y1 * scale))
        out.end_line(line[-1][1][2] - line[0][1][0], widest)
    out.newline()
