"""Benchmark engine.files: read + detect + redact per format, beside engine.deid on the same text.

Run: .venv/bin/python bench/files.py [--pages N] [--rows N]. The process is pinned to one core
(tesseract and onnxruntime run one thread each), so the figures are per core; a worker per core
multiplies them. Goals (issue 21): ≥ 20 text-PDF pages/s, ≥ 1 scanned page/s, ≥ 50,000 cells/s.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import deid, files  # noqa: E402
from tests.support import sample_files as sf  # noqa: E402

SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def _person(i: int) -> dict:
    name = SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
    return {"name": name, "id": sf.id_number(f"1306021985{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"),
            "phone": f"138{i:08d}", "address": f"清苑区东闾乡南王庄村{i % 9 + 1}组{i % 90 + 1}号", "amount": str(300 + i % 600)}


def text_pdf(pages: int) -> bytes:
    import pymupdf

    document, font = pymupdf.open(), pymupdf.Font("cjk")
    for page_number in range(pages):
        page = document.new_page()
        page.insert_font(fontname="cjk", fontbuffer=font.buffer)
        y = 60
        page.insert_text((50, y), sf.PUBLIC_SENTENCE, fontname="cjk", fontsize=10)
        for k in range(11):
            person = _person(page_number * 11 + k)
            for line in sf._pdf_lines(person, page_number * 11 + k + 1):
                y += 21
                page.insert_text((50, y), line, fontname="cjk", fontsize=10)
    return document.tobytes()


def scanned_pdf(pages: int) -> bytes:
    import pymupdf

    document, letter = pymupdf.open(), sf.scanned_letter("png")
    for _ in range(pages):
        page = document.new_page(width=595, height=842)
        page.insert_image(pymupdf.Rect(0, 0, 595, 480), stream=letter)
    return document.tobytes()


def sheet(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("名单")
    ws.append(sf.HEADER)
    for i in range(rows):
        p = _person(i)
        ws.append([i + 1, p["name"], p["id"], p["phone"], p["address"], int(p["amount"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def measure(kind: str, data: bytes) -> tuple[float, float, float, files.Layout]:
    """Return CPU seconds for read, detect and redact (and the layout).

    CPU time, not wall time: seven other test runs share this machine, and a core that waits for
    them would count against the code. Wall time is printed once at the end for comparison.
    """
    started = cpu()
    layout = files.read(kind, data)
    read_at = cpu()
    found = deid.deidentify(layout.text, "general")
    detect_at = cpu()
    files.redact(kind, data, layout, files.cuts_for(found.findings))
    return read_at - started, detect_at - read_at, cpu() - detect_at, layout


def report(label: str, units: int, unit: str, seconds: tuple[float, float, float], goal: float) -> None:
    read, detect, redact = seconds
    total = read + detect + redact
    print(f"{label:<20} {units / total:>9,.1f} {unit}/CPU-s (read {read:.2f} s, detect {detect:.2f} s, "
          f"redact {redact:.2f} s; goal {goal:,.0f}; text alone {units / max(detect, 1e-3):,.1f} {unit}/s; "
          f"the file without detection {units / (read + redact):,.1f} {unit}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    wall = time.perf_counter()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    deid.warm_up()
    measure("pdf", text_pdf(2))  # load fonts and libraries before timing
    print(f"one core; {args.pages} text pages, {args.scans} scanned pages, {args.rows:,} rows × 6 cells")
    *seconds, _layout = measure("pdf", text_pdf(args.pages))
    report("text PDF", args.pages, "pages", tuple(seconds), 20)
    *seconds, _layout = measure("pdf", scanned_pdf(args.scans))
    report("scanned PDF (OCR)", args.scans, "pages", tuple(seconds), 1)
    *seconds, _layout = measure("xlsx", sheet(args.rows))
    report("spreadsheet (.xlsx)", args.rows * 6, "cells", tuple(seconds), 50_000)
    report("spreadsheet rows", args.rows, "rows", tuple(seconds), 50_000 / 6)
    print(f"wall time {time.perf_counter() - wall:.1f} s, CPU time {cpu():.1f} s (machine load shows in the gap)")


if __name__ == "__main__":
    main()
