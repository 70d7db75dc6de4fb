"""Find the Chromium the browser tests drive, and install Debian's when the machine allows it.

`make test` runs `python -m tests.support.chromium --ensure` first, so a fresh machine either gets
Debian's `chromium` and `fonts-noto-cjk` (as root, with apt) or stops at once with one line saying
what to install. The browser fixture asks `find()` for the path. Never a downloaded browser build:
only Debian's package, or one that Playwright already has on this machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ("chromium", "fonts-noto-cjk")
HOW_TO_INSTALL = ("the browser tests need Chromium and CJK fonts: run "
                  "'sudo apt-get install chromium fonts-noto-cjk' (Debian) and then 'make test' again")


def _playwright_chromium() -> Path | None:
    # Playwright knows where its own browser would live without launching anything; it counts
    # only if that file is already on disk (we never download one).
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = Path(p.chromium.executable_path)
    except Exception:
        return None
    return path if path.is_file() else None


def find() -> Path | None:
    """Return the Chromium executable to drive: Debian's first, else one Playwright already has."""
    if DEBIAN_CHROMIUM.is_file() and os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return _playwright_chromium()


def _has_cjk_fonts() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def can_install() -> bool:
    """Tell whether this process may install Debian packages (root, with apt)."""
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: tuple[str, ...], purpose: str) -> bool:
    """Install Debian `packages` quietly (the caller checked `can_install`); tell whether it worked."""
    print(f"installing Debian's {' and '.join(packages)} for {purpose}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False).returncode != 0:
            return False
    return True


def ensure() -> int:
    """Make sure a Chromium and CJK fonts are there; return the exit status for `make test`."""
    if find() and _has_cjk_fonts():
        return 0
    if can_install() and apt_install(PACKAGES, "the browser tests") and find():
        return 0
    if find():  # a browser without CJK fonts still runs the tests; pages only look wrong
        print("warning: no CJK fonts found (fonts-noto-cjk); screenshots will show boxes", file=sys.stderr)
        return 0
    print(HOW_TO_INSTALL, file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--ensure"]:
        sys.exit(ensure())
    print(find() or "")
