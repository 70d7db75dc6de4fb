"""Content-addressed file storage: a file is named by its sha256 and stored once.

Originals, redacted versions, letters and evidence live here, never inside task data. Where the
bytes go is the backend `GONGKAI_STORAGE_URL` names (`engine.storage_backends`): the data folder's
`files/` by default, or an S3-compatible store that every host of an installation shares. Callers
see only the functions below, whichever backend it is.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from typing import BinaryIO

from engine.config import current
from engine.storage_backends import Backend, StorageError, for_url

__all__ = ["StorageError", "put", "put_text", "put_stream", "get", "get_text", "open_stream", "exists",
           "delete", "url", "check"]

CONTENT_TYPE = "application/octet-stream"
CHUNK = 1024 * 1024
# A stream is hashed while it is copied: up to this size in memory, beyond it in a temporary file.
SPOOL_IN_MEMORY = 8 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


def backend() -> Backend:
    settings = current()
    return for_url(settings.storage_url, settings.data_dir / "files", private=True)


def _key(digest: str) -> str:
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise KeyError(digest)
    return f"{digest[:2]}/{digest}"


def put(content: bytes) -> str:
    """Store `content` and return its sha256."""
    digest = hashlib.sha256(content).hexdigest()
    store = backend()
    if not store.exists(_key(digest)):
        store.write(_key(digest), content, CONTENT_TYPE)
    return digest


def put_text(text: str) -> str:
    return put(text.encode("utf-8"))


def put_stream(stream: BinaryIO) -> tuple[str, int]:
    """Store what `stream` reads without holding it all in memory; return (sha256, size)."""
    hasher, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        while chunk := stream.read(CHUNK):
            hasher.update(chunk)
            spool.write(chunk)
            size += len(chunk)
        digest = hasher.hexdigest()
        store = backend()
        if not store.exists(_key(digest)):
            spool.seek(0)
            store.write(_key(digest), spool, CONTENT_TYPE)
    return digest, size


def get(digest: str) -> bytes:
    """The stored bytes; KeyError for a malformed digest, FileNotFoundError for one never stored."""
    return backend().read(_key(digest))


def get_text(digest: str | None) -> str:
    return get(digest).decode("utf-8") if digest else ""


def open_stream(digest: str) -> BinaryIO:
    """A file object reading the stored bytes in chunks (a large file is never read whole); close it."""
    return backend().open(_key(digest))


def exists(digest: str) -> bool:
    return backend().exists(_key(digest))


def delete(digest: str) -> None:
    """Remove a stored file. The caller makes sure no row names it any more: the same bytes
    uploaded twice are one file."""
    backend().delete(_key(digest))


def url(digest: str, seconds: int = 300, filename: str | None = None) -> str | None:
    """A time-limited link a browser can fetch the file from directly (an object store's signed
    link), or None where the application must serve it itself (the local folder)."""
    return backend().url(_key(digest), seconds, filename)


def check() -> None:
    """Raise StorageError when the store cannot be reached (start-up checks, /healthz)."""
    backend().check()
