"""Where stored bytes live: a folder on this machine or an S3-compatible object store.

`engine.storage` (files named by their sha256) and the static export channel pick a backend from a
URL (`GONGKAI_STORAGE_URL`, `GONGKAI_EXPORT_URL`); both backends offer the same small interface, so
no caller knows which one it has.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit, urlunsplit


class StorageError(RuntimeError):
    """The store refused or could not be reached after its retries; the message says which and why."""


class Backend(Protocol):
    def write(self, key: str, data: bytes | BinaryIO, content_type: str) -> None: ...
    def read(self, key: str) -> bytes: ...
    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def delete_tree(self, prefix: str) -> None: ...
    def url(self, key: str, seconds: int, filename: str | None) -> str | None: ...
    def address(self, key: str) -> str: ...
    def check(self) -> None: ...


_backends: dict = {}
_lock = threading.Lock()


def for_url(url: str | None, default_folder: Path, private: bool = True) -> Backend:
    """The backend that `url` names (`s3://…`, `file://…` or a path); the folder when it is empty.

    One per URL and process: an S3 client keeps a pool of connections to reuse. A private local
    folder is readable by the service's account only (an object store's objects are private
    unless its operator's bucket policy says otherwise: no object is ever given a public ACL).
    """
    key = (url or "", str(default_folder), private)
    backend = _backends.get(key)
    if backend is None:
        with _lock:
            backend = _backends.get(key) or _make(url, default_folder, private)
            _backends[key] = backend
    return backend


def _make(url: str | None, default_folder: Path, private: bool) -> Backend:
    if url and url.startswith("s3://"):
        from engine.storage_backends.s3 import S3Backend  # boto3 is imported only where it is used

        return S3Backend.from_url(url)
    # Each backend is loaded when a URL names it (the s3 module brings boto3 along).
    from engine.storage_backends.local import LocalBackend

    if not url:
        return LocalBackend(default_folder, private)
    return LocalBackend(Path(url[len("file://"):] if url.startswith("file://") else url), private)


def validate_url(name: str, url: str | None) -> str | None:
    """Check a storage URL's shape when settings are loaded (a typo fails at start, not at first upload)."""
    if not url:
        return None
    if url.startswith("s3://"):
        from engine.storage_backends.s3 import parse_url  # boto3 only where an s3:// URL is given

        parse_url(url, name)
        return url
    if url.startswith("file://") or url.startswith("/"):
        return url
    raise ValueError(f"{name} must be s3://bucket/prefix?endpoint=… or an absolute folder path, got {url!r}")


def beside(url: str | None, name: str) -> str | None:
    """The URL of the folder `name` next to the keys of an object store's URL (its prefix + name),
    None for anything else: the static export follows the files into a shared store by default."""
    if not url or not url.startswith("s3://"):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{name}"))


def _forget_after_fork() -> None:
    # A forked child must not share the parent's open connections to the store, nor inherit a
    # lock another thread of the parent held at the fork.
    global _lock
    _lock = threading.Lock()
    _backends.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
