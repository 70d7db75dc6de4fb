"""Make sure Debian's tesseract and its Chinese model are there for the OCR tests (and the product).

`make test` runs `python -m tests.support.tesseract --ensure` first: as root with apt it installs
`tesseract-ocr` and `tesseract-ocr-chi-sim`; otherwise it stops at once with one line saying what to
install. `make run` runs it with `--warn`: without OCR the product holds scans back and says why.
Never a downloaded model: only Debian's packages.
"""

from __future__ import annotations

import sys

from engine.files import ocr
from tests.support.chromium import apt_install, can_install

PACKAGES = ("tesseract-ocr", "tesseract-ocr-chi-sim")
HOW_TO_INSTALL = ("the OCR of scans needs Debian's tesseract: run "
                  "'sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim' and then 'make test' again")


def ensure(fatal: bool = True) -> int:
    """Install tesseract when missing and allowed; return the exit status for make."""
    if ocr.available() or (can_install() and apt_install(PACKAGES, "OCR") and ocr.available()):
        return 0
    print(("" if fatal else "warning: ") + HOW_TO_INSTALL, file=sys.stderr)
    return 1 if fatal else 0


if __name__ == "__main__":
    if sys.argv[1:] in (["--ensure"], ["--warn"]):
        sys.exit(ensure(fatal=sys.argv[1] == "--ensure"))
    print("usage: python -m tests.support.tesseract --ensure|--warn", file=sys.stderr)
    sys.exit(2)
