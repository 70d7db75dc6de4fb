"""OFD (GB/T 33190, the layout format of 电子公文 systems): each character of every TextCode with its box;
redaction removes the characters from the TextCode (the rest keep their places), draws a black
PathObject over each region, and publishes an OFD with nothing else in it.

Read by hand with defusedxml: the OFD readers on PyPI (easyofd, ofdparser) unpack to folders on disk,
parse with xmltodict without entity protection, give text per TextObject rather than per character,
and write nothing back; one is maintained by one person with date versions. The part of OFD needed
here is small: OFD.xml → Document.xml → Pages/…/Content.xml, TextObject (Boundary, CTM, Size) and
TextCode (X, Y, DeltaX with its "g N d" repeats). Units are millimetres; boxes are in points.

Published as OFD, not PDF: the agencies' systems and readers (数科, 福昕 OFD) expect it, the text stays
text, and converting would need an OFD renderer for every graphic. Annotations, attachments, custom
tags, bookmarks, actions, DocInfo (author, creator …) and signatures are dropped (a redaction breaks
a signature anyway). A page that is a picture is held back: OCR of OFD images is not supported.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET
from PIL import Image, ImageDraw

from engine.files import Box, Cut, Layout, TextBuilder, Unsafe, draw, ensure_gone, package, removed_texts

NS = "http://www.ofdspec.org/2016"
Q = f"{{{NS}}}"  # the qualified-name prefix of the OFD namespace
ET.register_namespace("ofd", NS)
POINTS = 72 / 25.4  # millimetres to points
ASCENT, DESCENT = 0.88, 0.12  # of the font size, around the baseline
DROPPED = ("Annotations", "Attachments", "CustomTags", "Extensions", "Bookmarks", "Outlines", "Actions",
           "Permissions", "VPreferences")
RENDER_SCALE = 4  # pixels per millimetre on the confirmation page (~100 dpi)


class _Package:
    """The parts of an OFD and the paths that lead from OFD.xml to each page."""

    def __init__(self, data: bytes) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.archive.namelist())
        self.root = self.xml("OFD.xml")
        doc_root = self.root.find(f"{Q}DocBody/{Q}DocRoot")
        if doc_root is None or not doc_root.text:
            raise Unsafe("OFD 缺少 DocRoot (the OFD has no document)", fields={"file": ["unreadable"]})
        self.document_path = _norm(doc_root.text)
        self.base = self.document_path.rsplit("/", 1)[0] + "/" if "/" in self.document_path else ""
        self.document = self.xml(self.document_path)
        self.page_paths = [_norm(self.base + p.get("BaseLoc", "")) for p in self.document.iter(f"{Q}Page")]
        self.size = _page_size(self.document)

    def xml(self, name: str) -> ET.Element:
        if name not in self.names:
            raise Unsafe(f"OFD 缺少 {name} (missing part)", fields={"file": ["unreadable"]})
        return SafeET.fromstring(self.archive.read(name))


def _norm(path: str) -> str:
    return path.strip().lstrip("/")


def _page_size(document: ET.Element) -> tuple[float, float]:
    box = document.find(f"{Q}CommonData/{Q}PageArea/{Q}PhysicalBox")
    numbers = [float(v) for v in (box.text or "0 0 210 297").split()] if box is not None else [0, 0, 210, 297]
    return numbers[2], numbers[3]


def deltas(spec: str | None, count: int, size: float) -> list[float]:
    """Expand DeltaX ("5.6 g 3 5.6 2") into one advance per gap between `count` characters."""
    tokens, out = (spec or "").split(), []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return (out + [out[-1] if out else size] * count)[: max(count - 1, 0)]


def _chars(text_object: ET.Element):
    """Yield (TextCode element, index, character, (x0, y0, x1, y1) in page millimetres)."""
    bx, by, _w, _h = (float(v) for v in text_object.get("Boundary", "0 0 0 0").split())
    size = float(text_object.get("Size", "3.5"))
    ctm = [float(v) for v in text_object.get("CTM", "1 0 0 1 0 0").split()]
    scale = abs(ctm[0]) or 1.0
    for code in text_object.iter(f"{Q}TextCode"):
        text = code.text or ""
        x, y = float(code.get("X", "0")), float(code.get("Y", "0"))
        steps = deltas(code.get("DeltaX"), len(text), size)
        for i, char in enumerate(text):
            left = x + sum(steps[:i])
            width = steps[i] if i < len(steps) else size
            px, py = ctm[0] * left + ctm[2] * y + ctm[4], ctm[1] * left + ctm[3] * y + ctm[5]
            yield code, i, char, (bx + px, by + py - size * ASCENT * scale, bx + px + width * scale,
                                  by + py + size * DESCENT * scale)


def read(data: bytes, kind: str = "ofd") -> Layout:
    """Read every page's text, character by character, with boxes in points."""
    ofd = _Package(data)
    out = TextBuilder()
    width, height = ofd.size
    for number, path in enumerate(ofd.page_paths):
        page = ofd.xml(path)
        _refuse_scans(page, ofd.size, number)
        for text_object in page.iter(f"{Q}TextObject"):
            last = None
            for _code, _i, char, (x0, y0, x1, y1) in _chars(text_object):
                if last is not None and y0 > last + 0.5:
                    out.newline()
                out.add(char, Box(number, x0 * POINTS, y0 * POINTS, x1 * POINTS, y1 * POINTS))
                last = y0
            out.newline()
    return out.layout(kind, pages=len(ofd.page_paths), page_sizes=[(width * POINTS, height * POINTS)]
                      * len(ofd.page_paths), hidden=_out_of_sight(ofd))


def _refuse_scans(page: ET.Element, size: tuple[float, float], number: int) -> None:
    area = size[0] * size[1]
    images = sum(_area(obj.get("Boundary")) for obj in page.iter(f"{Q}ImageObject"))
    texts = sum(len(code.text or "") for code in page.iter(f"{Q}TextCode"))
    if area and images / area >= 0.5 and texts < 10:
        raise Unsafe(f"OFD 第 {number + 1} 页是扫描图片，无法识别其内容，请转为 PDF 后上传 "
                     f"(page {number + 1} of the OFD is a scan: upload it as PDF)", fields={"file": ["scanned ofd"]})


def _area(boundary: str | None) -> float:
    numbers = [float(v) for v in (boundary or "0 0 0 0").split()]
    return numbers[2] * numbers[3]


def _out_of_sight(ofd: _Package) -> list[str]:
    found = []
    info = ofd.root.find(f"{Q}DocBody/{Q}DocInfo")
    for field, label in (("Author", "作者"), ("Creator", "创建工具"), ("Title", "标题"), ("CustomDatas", "自定义数据")):
        element = info.find(f"{Q}{field}") if info is not None else None
        if element is not None and (element.text or len(element)):
            found.append(f"文档信息“{label}”" + (f"：{element.text.strip()[:40]}" if (element.text or "").strip() else ""))
    for tag, label in (("Annotations", "注释"), ("Attachments", "附件"), ("CustomTags", "自定义标引")):
        if ofd.document.find(f"{Q}{tag}") is not None:
            found.append(label)
    if ofd.root.find(f"{Q}DocBody/{Q}Signatures") is not None:
        found.append("电子签章（遮盖后失效）")
    return [f"{item}（发布时删除）" for item in found]


def redact(data: bytes, kind: str, layout: Layout, cuts: list[Cut]) -> bytes:
    """Return an OFD without the cut characters, a black box over each, and nothing out of sight."""
    ofd = _Package(data)
    removed = _removed_places(layout, cuts)
    regions: dict[int, list[Box]] = {}
    for cut in cuts:
        for box in [cut.region] if cut.region else layout.boxes(cut.start or 0, cut.end or 0):
            regions.setdefault(box.page, []).append(box)
    next_id = [int(ofd.document.findtext(f"{Q}CommonData/{Q}MaxUnitID") or "1000") + 1]
    pages = {}
    for number, path in enumerate(ofd.page_paths):
        page = ofd.xml(path)
        for text_object in page.iter(f"{Q}TextObject"):
            _cut_text(text_object, number, removed)
        _add_boxes(page, regions.get(number, []), next_id)
        pages[path] = page
    result = _write(ofd, pages, next_id[0])
    ensure_gone(package.all_text(result), removed_texts(layout, cuts))
    return result


def _removed_places(layout: Layout, cuts: list[Cut]) -> set[tuple[int, float, float]]:
    """The characters to take out, by page and position (rounded): how a TextCode's char is matched."""
    out = set()
    for cut in cuts:
        if cut.start is None:
            continue
        for place in layout.places[cut.start:cut.end]:
            if isinstance(place, Box):
                out.add((place.page, round(place.x0 / POINTS, 1), round(place.y0 / POINTS, 1)))
    return out


def _cut_text(text_object: ET.Element, number: int, removed: set) -> None:
    # Each TextCode keeps its kept characters in runs, each run a TextCode of its own with its X:
    # the remaining text stays where it was, and nothing of the removed characters is left.
    size = float(text_object.get("Size", "3.5"))
    doomed = {(code, i) for code, i, _c, (x0, y0, _x1, _y1) in _chars(text_object)
              if (number, round(x0, 1), round(y0, 1)) in removed}
    if not doomed:
        return
    for transform in text_object.findall(f"{Q}CGTransform"):
        text_object.remove(transform)  # glyph indices for the old code positions
    for code in list(text_object.findall(f"{Q}TextCode")):
        text = code.text or ""
        if not any((code, i) in doomed for i in range(len(text))):
            continue
        steps = deltas(code.get("DeltaX"), len(text), size)
        offsets = [float(code.get("X", "0")) + sum(steps[:i]) for i in range(len(text))]
        position = list(text_object).index(code)
        text_object.remove(code)
        for run in _runs([i for i in range(len(text)) if (code, i) not in doomed]):
            piece = ET.Element(f"{Q}TextCode", {"X": f"{offsets[run[0]]:.3f}", "Y": code.get("Y", "0")})
            if len(run) > 1:
                piece.set("DeltaX", " ".join(f"{steps[i]:.3f}" for i in run[:-1]))
            piece.text = "".join(text[i] for i in run)
            text_object.insert(position, piece)
            position += 1


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _add_boxes(page: ET.Element, boxes: list[Box], next_id: list[int]) -> None:
    if not boxes:
        return
    layers = list(page.iter(f"{Q}Layer"))
    if not layers:
        content = page.find(f"{Q}Content")
        content = ET.SubElement(page, f"{Q}Content") if content is None else content
        layers = [ET.SubElement(content, f"{Q}Layer", {"ID": str(next_id[0])})]
        next_id[0] += 1
    for box in boxes:
        x, y = box.x0 / POINTS, box.y0 / POINTS
        w, h = (box.x1 - box.x0) / POINTS, (box.y1 - box.y0) / POINTS
        path = ET.SubElement(layers[-1], f"{Q}PathObject", {"ID": str(next_id[0]), "Boundary": f"{x:.3f} {y:.3f} "
                             f"{w:.3f} {h:.3f}", "Fill": "true", "Stroke": "false"})
        ET.SubElement(path, f"{Q}FillColor", {"Value": "0 0 0"})
        ET.SubElement(path, f"{Q}AbbreviatedData").text = f"M 0 0 L {w:.3f} 0 L {w:.3f} {h:.3f} L 0 {h:.3f} C"
        next_id[0] += 1


def _write(ofd: _Package, pages: dict[str, ET.Element], max_id: int) -> bytes:
    """Write OFD.xml, Document.xml, the pages and the resources they use; nothing else."""
    body = ofd.root.find(f"{Q}DocBody")
    for child in list(body):
        if child.tag in (f"{Q}Signatures",):
            body.remove(child)
    info = body.find(f"{Q}DocInfo")
    if info is not None:
        for child in list(info):
            if child.tag != f"{Q}DocID":
                info.remove(child)
    for tag in DROPPED:
        for element in ofd.document.findall(f"{Q}{tag}"):
            ofd.document.remove(element)
    max_unit = ofd.document.find(f"{Q}CommonData/{Q}MaxUnitID")
    if max_unit is not None:
        max_unit.text = str(max_id)
    parts = {"OFD.xml": ofd.root, ofd.document_path: ofd.document, **pages}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, element in parts.items():
            target.writestr(name, b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(element, encoding="utf-8"))
        for name in sorted(_resources(ofd)):
            target.writestr(name, ofd.archive.read(name))
    return out.getvalue()


def _resources(ofd: _Package) -> set[str]:
    """The resource files (fonts, images, templates) the document declares: kept, all else dropped."""
    keep = set()
    common = ofd.document.find(f"{Q}CommonData")
    for tag in ("PublicRes", "DocumentRes"):
        for element in (common.findall(f"{Q}{tag}") if common is not None else []):
            res_path = _norm(ofd.base + (element.text or ""))
            if res_path not in ofd.names:
                continue
            keep.add(res_path)
            res = SafeET.fromstring(ofd.archive.read(res_path))
            folder = _norm(ofd.base + res.get("BaseLoc", "")) if res.get("BaseLoc") else ofd.base.rstrip("/")
            for media in res.iter():
                if media.tag in (f"{Q}FontFile", f"{Q}MediaFile") and media.text:
                    name = _norm(f"{folder}/{media.text}" if folder else media.text)
                    keep |= {name} & ofd.names
    for template in ofd.document.iter(f"{Q}TemplatePage"):
        keep |= {_norm(ofd.base + template.get("BaseLoc", ""))} & ofd.names
    return keep - {"OFD.xml", ofd.document_path}


def render(data: bytes, kind: str, page: int) -> bytes:
    """Draw page `page`'s text with a CJK font and its filled paths as black boxes (enough to confirm)."""
    ofd = _Package(data)
    if not 0 <= page < len(ofd.page_paths):
        raise Unsafe(f"没有第 {page + 1} 页 (no page {page + 1})", fields={"page": ["out of range"]})
    width, height = ofd.size
    image = Image.new("RGB", (int(width * RENDER_SCALE), int(height * RENDER_SCALE)), "white")
    pen = ImageDraw.Draw(image)
    content = ofd.xml(ofd.page_paths[page])
    for text_object in content.iter(f"{Q}TextObject"):
        face = draw.font(max(int(float(text_object.get("Size", "3.5")) * RENDER_SCALE), 6))
        for _code, _i, char, (x0, y0, _x1, _y1) in _chars(text_object):
            pen.text((x0 * RENDER_SCALE, y0 * RENDER_SCALE), char, fill="black", font=face)
    for path in content.iter(f"{Q}PathObject"):
        if path.get("Fill") == "true":
            x, y, w, h = (float(v) for v in path.get("Boundary", "0 0 0 0").split())
            pen.rectangle([x * RENDER_SCALE, y * RENDER_SCALE, (x + w) * RENDER_SCALE, (y + h) * RENDER_SCALE],
                          fill="black")
    return draw.png(image)

