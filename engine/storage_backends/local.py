"""A folder on this machine: the default store.

A private folder (stored files: originals hold withheld and personal data) is readable by the
service's own account only; a public one (the static export a portal's web server reads) keeps the
umask's modes. Files are written to a temporary name and renamed, so a reader never sees half a file and two
writers of the same key leave one whole file.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class LocalBackend:
    def __init__(self, root: Path, private: bool = True):
        self.root = Path(root)
        self.private = private

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key outside its folder: {key!r}")
        return path

    def write(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        path = self._path(key)
        self.check()
        path.parent.mkdir(mode=self._dir_mode, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self._file_mode), "wb") as out:
                if isinstance(data, bytes | bytearray):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out, CHUNK)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_tree(self, prefix: str) -> None:
        """Remove every key under `prefix/` (a folder)."""
        folder = self._path(prefix)
        if folder != self.root.resolve():
            shutil.rmtree(folder, ignore_errors=True)

    def url(self, key: str, seconds: int, filename: str | None) -> str | None:
        return None  # a local file has no address another machine could fetch: the app serves it

    def address(self, key: str) -> str:
        return self._path(key).as_uri()

    @property
    def _dir_mode(self) -> int:
        return 0o700 if self.private else 0o777  # 0o777 less the umask, as mkdir does

    @property
    def _file_mode(self) -> int:
        return 0o600 if self.private else 0o666

    def check(self) -> None:
        if not self.root.is_dir():
            self.root.mkdir(mode=self._dir_mode, parents=True, exist_ok=True)
