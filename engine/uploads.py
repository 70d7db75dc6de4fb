"""The one gate every uploaded file passes before anything parses it: size, type by content, archive,
element, row, page and pixel limits, each checked from headers or by streaming with bounded work.

`check(name, data, allowed)` returns the file's kind (`pdf`, `ofd`, `xlsx`, `xls`, `csv`, `png`,
`jpeg`, `tiff`, `docx`, `doc`, `wps`, `txt`, `xml`, `json`) or raises `Invalid` (422) naming the file
and what to fix. The kind comes from the content; the extension must agree. A bomb is refused from
what it declares (a zip's directory, an image's header, a PDF's page tree) or after a bounded
stream, within `SECONDS`; nothing here builds a document tree. Format modules parse only what passed.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

import pymupdf
from PIL import Image

from engine.errors import Invalid

MAX_BYTES = 30 * 1024 * 1024  # a 300-page scanned PDF; the web app refuses bodies over 32 MB
SECONDS = 1.0  # any check taking longer than this is a file built to be slow: refused
EXTENSIONS = {".pdf": "pdf", ".ofd": "ofd", ".xlsx": "xlsx", ".xls": "xls", ".csv": "csv", ".png": "png",
              ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff", ".docx": "docx", ".doc": "doc",
              ".wps": "wps", ".txt": "txt", ".xml": "xml", ".bpmn": "xml", ".dmn": "xml", ".json": "json"}


@dataclass(frozen=True)
class Limits:
    """What one file may hold. The defaults fit the largest real files agencies publish, ×5."""

    unpacked: int = 100 * 1024 * 1024  # a zip package's members, in total
    ratio: int = 200  # Office XML compresses 5-20×; a bomb 1000×
    members: int = 5_000
    elements: int = 3_000_000  # XML elements in all parts
    paragraphs: int = 50_000  # a 500-page report has ~20,000
    cells: int = 1_000_000  # spreadsheet cells (c elements, or CSV fields)
    rows: int = 200_000
    strings: int = 1_000_000  # shared strings of an .xlsx
    pages: int = 1_000
    pixels: int = 80_000_000  # an A3 page scanned at 600 dpi is 70 Mpx
    frames: int = 300
    json_depth: int = 64


LIMITS = Limits()
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ELEMENT = re.compile(rb"<[A-Za-z_]")
_COUNTED = {"paragraphs": re.compile(rb"<(?:w:)?p[\s/>]"), "cells": re.compile(rb"<(?:\w+:)?c[\s/>]"),
            "rows": re.compile(rb"<(?:\w+:)?row[\s/>]"), "strings": re.compile(rb"<(?:\w+:)?si[\s/>]")}
_CHUNK = 1 << 20


class _Refusal(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def check(name: str, data: bytes, allowed: Iterable[str], field: str = "file", limits: Limits = LIMITS) -> str:
    """Return the kind of `data` (uploaded as `name`) or raise Invalid naming the file and the fix."""
    name = PurePath(name or "").name or "未命名文件"
    allowed = set(allowed)
    try:
        kind = _kind(name, data, allowed)
        _Checker(limits, time.monotonic() + SECONDS).run(kind, data)
    except _Refusal as refusal:
        raise Invalid(f"文件「{name}」无法接受：{refusal.zh} (file {name!r} refused: {refusal.en})",
                      fields={field: [f"{name}: {refusal.en}"]}) from None
    return kind


def _kind(name: str, data: bytes, allowed: set[str]) -> str:
    if not data:
        raise _Refusal("文件是空的，请重新选择文件", "the file is empty")
    if len(data) > MAX_BYTES:
        raise _Refusal(f"超过 {MAX_BYTES // 2**20} MB，请压缩或拆分后上传", f"larger than {MAX_BYTES // 2**20} MB")
    extension = PurePath(name).suffix.lower()
    claimed = EXTENSIONS.get(extension)
    if claimed not in allowed:
        wanted = "、".join(sorted({e for e, k in EXTENSIONS.items() if k in allowed}))
        raise _Refusal(f"此处只接受 {wanted} 文件", f"only {wanted} files are accepted here")
    actual = sniff(data, claimed)
    if actual == "zip" and claimed in _PACKAGES:
        raise _Refusal("文件已损坏或不完整（zip 结构无效），请重新导出", "a broken or truncated zip package")
    if actual != claimed:
        what = f"{extension}（{_PACKAGES[claimed]}）" if claimed in _PACKAGES else extension
        raise _Refusal(f"内容不是 {what} 文件（看起来是 {actual or '未知格式'}），请检查扩展名",
                       f"the content is not {what} (it looks like {actual or 'an unknown format'})")
    return actual


_PACKAGES = {"docx": "zip package", "xlsx": "zip package", "ofd": "zip package"}


def sniff(data: bytes, hint: str | None = None) -> str | None:
    """Name the format from the content alone (`hint`, the extension's kind, only tells text kinds apart)."""
    head = data[:16]
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return hint if hint in ("xls", "doc", "wps") else "ole"
    return _text_kind(data, hint)


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:LIMITS.members + 1])
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"  # a broken zip: refused as such by the checker, whatever it claims to be
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _text_kind(data: bytes, hint: str | None) -> str | None:
    if b"\x00" in data[:4096]:  # binary: no text kind
        return None
    if hint in ("csv", "txt", "xml", "json"):
        return hint  # text that does not parse is for the reader to explain (a diagram's validator)
    return None


class _Checker:
    """Each kind's limits, checked with bounded work before the deadline."""

    def __init__(self, limits: Limits, deadline: float) -> None:
        self.limits, self.deadline = limits, deadline

    def run(self, kind: str, data: bytes) -> None:
        getattr(self, f"_{kind}", lambda _data: None)(data)

    def _in_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Refusal("文件结构过于复杂，无法在限定时间内检查", "too complex to check in time")

    # ---- zip packages ----
    def _docx(self, data: bytes) -> None:
        self._package(data, "word/document.xml", ("paragraphs",))

    def _xlsx(self, data: bytes) -> None:
        self._package(data, "xl/workbook.xml", ("cells", "rows", "strings"))

    def _ofd(self, data: bytes) -> None:
        counts = self._package(data, "OFD.xml", ())
        if counts["pages"] > self.limits.pages:
            raise _Refusal(f"超过 {self.limits.pages} 页", f"more than {self.limits.pages} pages")

    def _zip(self, data: bytes) -> None:
        raise _Refusal("压缩包已损坏或不完整，请重新导出", "a broken or truncated zip package")

    def _package(self, data: bytes, required: str, counted: tuple[str, ...]) -> dict[str, int]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
                self._sizes(members)
                if required not in {m.filename for m in members}:
                    raise _Refusal(f"缺少 {required}，不是有效的文件", f"{required} is missing")
                return self._stream_xml(archive, members, counted)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise _Refusal("文件已损坏或不完整，请重新导出", f"broken or truncated ({str(exc)[:60]})") from exc

    def _sizes(self, members) -> None:
        limits = self.limits
        if len(members) > limits.members:
            raise _Refusal(f"包含超过 {limits.members} 个部件", f"more than {limits.members} parts")
        if sum(m.file_size for m in members) > limits.unpacked:
            mb = limits.unpacked // 2**20
            raise _Refusal(f"解压后超过 {mb} MB（疑似压缩炸弹）", f"unpacks to more than {mb} MB (a zip bomb?)")
        for member in members:
            if member.file_size > 1024 * 1024 and member.file_size > limits.ratio * max(member.compress_size, 1):
                raise _Refusal(f"{member.filename} 压缩比异常（疑似压缩炸弹）",
                               f"{member.filename}: compression ratio above {limits.ratio} (a zip bomb?)")

    def _stream_xml(self, archive, members, counted: tuple[str, ...]) -> dict[str, int]:
        # zipfile stops at each member's declared size, so streaming is bounded by the sizes above.
        # A tag split between two chunks is missed: at most one per megabyte, nothing for a limit.
        counts = dict.fromkeys(("elements", "pages", *counted), 0)
        for member in members:
            if not member.filename.lower().endswith((".xml", ".rels")):
                continue
            is_page = bool(re.search(r"(?i)pages?/page_?\d+/content\.xml$", member.filename))
            counts["pages"] += is_page
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                        raise _Refusal(f"{member.filename} 含有 DTD/实体声明", f"{member.filename}: DTD or entities")
                    counts["elements"] += len(_ELEMENT.findall(chunk))
                    for key in counted:
                        counts[key] += len(_COUNTED[key].findall(chunk))
                    self._over(counts)
                    self._in_time()
        return counts

    def _over(self, counts: dict[str, int]) -> None:
        names = {"elements": "XML 元素", "paragraphs": "段落", "cells": "单元格", "rows": "行", "strings": "共享字符串"}
        for key, label in names.items():
            limit = getattr(self.limits, key)
            if counts.get(key, 0) > limit:
                raise _Refusal(f"{label}超过 {limit:,} 个", f"more than {limit:,} {key}")

    # ---- PDF ----
    def _pdf(self, data: bytes) -> None:
        if b"%%EOF" not in data[-2048:]:
            raise _Refusal("PDF 文件不完整（缺少结尾），请重新导出", "a truncated PDF (no %%EOF at its end)")
        try:
            document = pymupdf.open(stream=data, filetype="pdf")
        except (RuntimeError, ValueError) as exc:
            raise _Refusal("PDF 文件已损坏，请重新导出", "a broken PDF") from exc
        with document:
            if document.needs_pass or document.is_encrypted:
                raise _Refusal("PDF 文件已加密，请去除密码后再上传", "an encrypted PDF: remove the password first")
            if document.page_count > self.limits.pages:
                raise _Refusal(f"超过 {self.limits.pages} 页", f"more than {self.limits.pages} pages")
            if document.page_count == 0:
                raise _Refusal("PDF 文件没有页面", "a PDF without pages")

    # ---- images ----
    def _image(self, data: bytes) -> None:
        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
                if width * height > self.limits.pixels:
                    raise _Refusal(f"图片 {width}×{height} 像素，超过 {self.limits.pixels // 10**6} 百万像素",
                                   f"{width}×{height} pixels, over {self.limits.pixels // 10**6} megapixels")
                frames = getattr(image, "n_frames", 1)
                if frames > self.limits.frames:
                    raise _Refusal(f"超过 {self.limits.frames} 页", f"more than {self.limits.frames} frames")
                if image.format == "PNG":
                    image.verify()  # chunk CRCs and the end chunk, without decoding pixels
        except _Refusal:
            raise
        except Image.DecompressionBombError as exc:  # Pillow's own ceiling, far above ours
            limit = self.limits.pixels // 10**6
            raise _Refusal(f"图片像素超过 {limit} 百万像素", f"over {limit} megapixels") from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise _Refusal("图片已损坏或不完整，请重新导出", f"a broken or truncated image ({str(exc)[:60]})") from exc
        if data[:3] == b"\xff\xd8\xff" and b"\xff\xd9" not in data[-64:]:
            raise _Refusal("JPEG 图片不完整，请重新导出", "a truncated JPEG (no end marker)")

    _png = _jpeg = _tiff = _image

    # ---- legacy Office (stored as evidence, or read by python-calamine) ----
    def _xls(self, data: bytes) -> None:
        if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
            raise _Refusal("不是 Excel 97-2003 工作簿", "not an Excel 97-2003 workbook")

    # ---- text ----
    def _csv(self, data: bytes) -> None:
        text = _decode(data)
        rows = text.count("\n") + 1
        if rows > self.limits.rows:
            raise _Refusal(f"超过 {self.limits.rows:,} 行", f"more than {self.limits.rows:,} rows")
        if rows + text.count(",") + text.count("\t") > self.limits.cells:
            raise _Refusal(f"单元格超过 {self.limits.cells:,} 个", f"more than {self.limits.cells:,} cells")

    def _txt(self, data: bytes) -> None:
        _decode(data)

    def _xml(self, data: bytes) -> None:
        head = data[:65536]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
            raise _Refusal("XML 含有 DTD/实体声明（不允许）", "DTD or entity declarations are not allowed")
        if len(_ELEMENT.findall(data)) > self.limits.elements:
            raise _Refusal(f"XML 元素超过 {self.limits.elements:,} 个", f"more than {self.limits.elements:,} elements")

    def _json(self, data: bytes) -> None:
        depth = deepest = 0
        for byte in re.finditer(rb'[\[\]{}]|"(?:[^"\\]|\\.)*"', data):
            token = byte.group()
            if token in (b"[", b"{"):
                depth += 1
                deepest = max(deepest, depth)
            elif token in (b"]", b"}"):
                depth -= 1
        if deepest > self.limits.json_depth:
            raise _Refusal(f"JSON 嵌套超过 {self.limits.json_depth} 层", f"nested deeper than {self.limits.json_depth}")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Refusal("文字编码无法识别，请另存为 UTF-8", "unknown text encoding: save as UTF-8")
