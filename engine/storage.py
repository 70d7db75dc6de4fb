"""Content-addressed file storage in the data folder: a file is named by its sha256.

Originals and redacted versions live here, never inside task data; the same bytes are stored once.
"""

import hashlib
import os
from pathlib import Path

from engine.config import current


def _root() -> Path:
    # Originals hold withheld and personal data: readable by the service's own account only.
    root = current().data_dir / "files"
    if not root.is_dir():
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def put(content: bytes) -> str:
    """Store `content` and return its sha256."""
    digest = hashlib.sha256(content).hexdigest()
    path = _root() / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(content)
        tmp.replace(path)
    return digest


def put_text(text: str) -> str:
    return put(text.encode("utf-8"))


def get(digest: str) -> bytes:
    if not digest or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise KeyError(digest)
    return (_root() / digest[:2] / digest).read_bytes()


def get_text(digest: str | None) -> str:
    return get(digest).decode("utf-8") if digest else ""
