"""Zip-of-XML packages (.xlsx, .docx, .ofd): what a package carries out of sight, and all its text.

`ooxml_extras` tells the publisher what an Office file holds besides its cells or paragraphs (all of
it is dropped on publication); `all_text` is what anyone who unzips the file can read, used to check
that a redacted file holds none of what was removed. The upload gate has already bounded the sizes.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import defusedxml.ElementTree as SafeET

_TAG = re.compile(r"<[^>]*>")
_TEXT_PARTS = (".xml", ".rels", ".vml", ".txt", ".csv", ".json", ".htm", ".html")

# Office parts that never belong in a published file, with what they are called in the list.
OOXML_EXTRAS = (
    (re.compile(r"comments?\d*\.xml$|threadedComments|/persons/"), "批注"),
    (re.compile(r"^docProps/custom\.xml$"), "自定义文档属性"),
    (re.compile(r"^customXml/"), "自定义 XML 数据"),
    (re.compile(r"externalLinks?/"), "外部链接"),
    (re.compile(r"/embeddings/|oleObject"), "嵌入对象"),
    (re.compile(r"vbaProject"), "宏"),
    (re.compile(r"pivotCache"), "数据透视表缓存（含源数据）"),
    (re.compile(r"/media/"), "图片"),
)
_CORE_FIELDS = {"creator": "作者", "lastModifiedBy": "最后修改者", "title": "标题", "subject": "主题",
                "description": "备注", "keywords": "关键词"}


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def ooxml_extras(data: bytes) -> list[str]:
    """Describe the comments, properties, links, objects and names an Office file carries."""
    with open_zip(data) as archive:
        names = archive.namelist()
        found = [label for pattern, label in OOXML_EXTRAS if any(pattern.search(n) for n in names)]
        found += _core_properties(archive, names)
        if _has_defined_names(archive, names):
            found.append("定义的名称")
    return [f"{item}（发布时删除）" for item in dict.fromkeys(found)]


def _core_properties(archive: zipfile.ZipFile, names: list[str]) -> list[str]:
    if "docProps/core.xml" not in names:
        return []
    root = SafeET.fromstring(archive.read("docProps/core.xml"))
    out = []
    for element in root:
        field = element.tag.rsplit("}", 1)[-1]
        if field in _CORE_FIELDS and (element.text or "").strip():
            out.append(f"文档属性“{_CORE_FIELDS[field]}”：{element.text.strip()[:40]}")
    app = archive.read("docProps/app.xml").decode("utf-8", "replace") if "docProps/app.xml" in names else ""
    company = re.search(r"<Company>([^<]+)</Company>", app)
    if company:
        out.append(f"文档属性“单位”：{company.group(1)[:40]}")
    return out


def _has_defined_names(archive: zipfile.ZipFile, names: list[str]) -> bool:
    return "xl/workbook.xml" in names and b"<definedName " in archive.read("xl/workbook.xml")


def all_text(data: bytes) -> str:
    """Return every text part of the package, as written and with tags removed (runs joined)."""
    chunks = []
    with open_zip(data) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(_TEXT_PARTS):
                continue
            raw = archive.read(info).decode("utf-8", "replace")
            chunks += [html.unescape(raw), html.unescape(_TAG.sub("", raw))]
    return "\n".join(chunks)
