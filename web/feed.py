"""Build the public Atom feed with an XML library, so titles with `<`, `&` or markup stay text.

Characters XML 1.0 cannot carry (most control characters) are dropped: a title pasted from a word
processor must not make the whole feed unreadable.
"""

import re
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _child(parent, tag: str, text=None, **attrs):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom(title: str, self_url: str, updated: str, entries: list[dict]) -> bytes:
    """The feed document; each entry is {title, url, updated, category, category_name, summary, files?}."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _child(feed, "title", title)
    _child(feed, "id", self_url)
    _child(feed, "link", rel="self", href=self_url)
    _child(feed, "updated", updated)
    for item in entries:
        entry = _child(feed, "entry")
        _child(entry, "title", item["title"])
        _child(entry, "id", item["url"])
        _child(entry, "link", href=item["url"])
        _child(entry, "updated", item["updated"])
        _child(entry, "category", term=item["category"], label=item["category_name"])
        _child(entry, "summary", item["summary"])
        for file in item.get("files") or []:  # the published (redacted) files, as enclosures
            _child(entry, "link", rel="enclosure", href=file["url"], type=file["media_type"], length=file["size"],
                   title=file["name"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
