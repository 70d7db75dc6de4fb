"""Refuse .docx bombs before python-docx parses them: a .docx is a zip of XML parts.

Checked from the zip's directory and by streaming the XML (never parsing it): the total unpacked
size, each part's compression ratio, and how many paragraphs and elements the XML holds.
"""

import io
import re
import zipfile
from pathlib import Path

from engine.errors import Invalid

MAX_UNPACKED = 64 * 1024 * 1024  # a long report with images unpacks to a few MB
MAX_RATIO = 200  # Word's XML compresses 5-20×; a bomb compresses 1000×
MAX_PARAGRAPHS = 50_000  # a 500-page document has about 20,000
MAX_ELEMENTS = 2_000_000
_PARAGRAPH = re.compile(rb"<(?:\w+:)?p[\s/>]")
_ELEMENT = re.compile(rb"<[^/?!]")
_CHUNK = 1 << 20


def _refuse(zh: str, en: str) -> Invalid:
    return Invalid(f"无法接受此 .docx 文件：{zh} (this .docx is refused: {en})", fields={"docx": [en]})


def check(source) -> None:
    """Raise Invalid when `source` (a path, bytes or a binary file) is not a zip or exceeds a limit."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(str(source) if isinstance(source, str | Path) else source) as archive:
            _check_sizes(archive.infolist())
            _check_xml(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise _refuse("不是有效的 .docx（zip）文件", "not a .docx/zip file") from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _check_sizes(members) -> None:
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise _refuse(f"解压后超过 {MAX_UNPACKED // 2**20} MB", f"unpacks to more than {MAX_UNPACKED // 2**20} MB")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refuse(f"{member.filename} 压缩比异常", f"{member.filename}: compression ratio above {MAX_RATIO}")


def _check_xml(archive) -> None:
    # zipfile stops at each member's declared size, so streaming is bounded by the check above.
    # A tag split between two chunks is missed: at most one per megabyte, nothing for a limit.
    paragraphs = elements = 0
    for member in archive.infolist():
        if not member.filename.endswith(".xml"):
            continue
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                paragraphs += len(_PARAGRAPH.findall(chunk))
                elements += len(_ELEMENT.findall(chunk))
                if paragraphs > MAX_PARAGRAPHS:
                    raise _refuse(f"段落超过 {MAX_PARAGRAPHS} 个", f"more than {MAX_PARAGRAPHS} paragraphs")
                if elements > MAX_ELEMENTS:
                    raise _refuse(f"XML 元素超过 {MAX_ELEMENTS} 个", f"more than {MAX_ELEMENTS} XML elements")
