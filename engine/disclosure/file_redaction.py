"""De-identify a document's files and let the publisher confirm each one, as the text fields are.

The worker reads every file (`engine.files.read`: text with one place per character), runs the one
detector (`engine.deid`, the category's policy) on that text and keeps the findings per file; a
file it cannot read is held back with the reason. The publisher releases or adds findings (a span
of the text, a cell, a region drawn on a page) and confirms each file, which makes its redacted
version in its own format (`engine.files.redact`, a new sha256; the original is never altered).
Nothing is published until every file is confirmed, or kept out of publication by the publisher.
"""

from __future__ import annotations

import dataclasses
import json
import logging

from engine import access, audit, clock, sealed, storage
from engine import files as formats
from engine.db import reading, transaction
from engine.deid import apply_findings, deidentify, findings_to_dict
from engine.disclosure import files, redaction
from engine.errors import Conflict, Invalid
from engine.files import Box, Cell, Cut, Layout
from engine.models import DocumentFile

log = logging.getLogger(__name__)
HELD = "此文件无法读取，不能确保去除其中的个人信息，已暂停发布"  # + the reader's reason


# Reading (the deidentify job) ---------------------------------------------------------------

def read_files(document_id: int, policy: str | None) -> dict:
    """Read and run the detector on each of the document's files not read yet (a rerun reads none
    twice and adds no row); return {file name: findings, or "held"}."""
    with reading() as s:
        pending = [(f.id, f.name) for f in files.of(s, document_id) if f.state == "uploaded"]
    found = {}
    for file_id, name in pending:
        found[name] = _read_one(file_id, policy or "general")
    return found


def _read_one(file_id: int, policy: str):
    with reading() as s:
        row = s.get(DocumentFile, file_id)
        kind, sha = row.kind, row.original_sha256
    try:
        layout = formats.read(kind, sealed.get(sha))
        result = deidentify(layout.text, category=policy)
    except Exception as exc:  # any reader failure: the file is held back, never published as is
        log.warning("file %s could not be read: %s", file_id, exc)
        return _hold(file_id, exc)
    stored = _layout_json(layout)
    with transaction() as s:
        row = s.get(DocumentFile, file_id, with_for_update=True)
        if row is None or row.original_sha256 != sha:
            return "replaced"
        row.layout_sha256 = sealed.put_text(s, stored) if stored else None  # it holds the personal data too
        row.findings, row.regions = findings_to_dict(result.findings), []
        row.pages, row.hidden = layout.pages, list(layout.hidden)
        row.state, row.message = "read", None
        audit.record(s, "file_deidentified", actor="worker", document_id=row.document_id, file=row.name,
                     findings=len(result.findings), hidden=row.hidden)
    return len(result.findings)


def _hold(file_id: int, exc: Exception) -> str:
    reason = exc.message if isinstance(exc, Invalid) else "文件格式无法解析 (the file cannot be parsed)"
    with transaction() as s:
        row = s.get(DocumentFile, file_id, with_for_update=True)
        if row is None:  # replaced meanwhile: the new file is read by its own run
            return "replaced"
        row.state, row.message = "held", f"{HELD}：{reason}"
        audit.record(s, "file_held", actor="worker", document_id=row.document_id, file=row.name, reason=reason)
    return "held"


# The stored reading: the text and each character's place, so confirming never reads (or OCRs) again.

def _layout_json(layout: Layout) -> str | None:
    places = [["b", p.page, p.x0, p.y0, p.x1, p.y1] if isinstance(p, Box) else
              ["c", p.sheet, p.row, p.column] if isinstance(p, Cell) else None for p in layout.places]
    rest = {f.name: getattr(layout, f.name) for f in dataclasses.fields(layout) if f.name != "places"}
    try:
        return json.dumps({"layout": rest, "places": places}, ensure_ascii=False)
    except TypeError:  # a format's own extra field that JSON cannot hold: read again when needed
        return None


def layout_of(row: DocumentFile) -> Layout:
    """The file's reading: the stored one, else read again."""
    stored = json.loads(sealed.get_text(row.layout_sha256)) if row.layout_sha256 else None
    if stored is None:
        return formats.read(row.kind, sealed.get(row.original_sha256))
    places = [Box(*p[1:]) if p and p[0] == "b" else Cell(*p[1:]) if p else None for p in stored["places"]]
    fields = stored["layout"]
    fields["page_sizes"] = [tuple(size) for size in fields.get("page_sizes") or []]
    return Layout(places=places, **fields)


# The publisher's check ----------------------------------------------------------------------

def confirmation_for(actor, document_id) -> list[dict]:
    """The files of a document its reader checks (`for_confirmation`)."""
    with reading() as s:
        return for_confirmation(s, access.document_for(s, actor, document_id))


def check_of(actor, document_id, file_id) -> dict:
    """One file as `for_confirmation` shows it."""
    with reading() as s:
        doc = access.document_for(s, actor, document_id)
        return next(f for f in for_confirmation(s, doc, [files.get(s, doc, file_id)]))


def for_confirmation(session, doc, rows=None) -> list[dict]:
    """Each file as the confirmation page shows it: its text with the findings, where each finding
    sits (boxes on pages, cells of a sheet), the drawn regions and the sheets' cells."""
    out = []
    for row in rows if rows is not None else files.of(session, doc.id):
        item = {**files.summary(row), "text": "", "findings": row.findings or [], "regions": row.regions or [],
                "page_sizes": [], "places": [], "sheets": []}
        if row.state == "read":
            layout = layout_of(row)
            item.update(text=layout.text, page_sizes=[list(size) for size in layout.page_sizes],
                        places=[_where(layout, f) for f in row.findings or []], sheets=sheet_grid(layout))
        out.append(item)
    return out


def _where(layout: Layout, finding: dict) -> dict:
    start, end = finding["start"], finding["end"]
    return {"boxes": [[b.page, b.x0, b.y0, b.x1, b.y1] for b in layout.boxes(start, end)],
            "cells": [[c.sheet, c.row, c.column] for c in layout.cells(start, end)]}


MAX_GRID_CELLS = 3000  # beyond this the text view alone shows the sheet (every cell is in it)


def sheet_grid(layout: Layout) -> list[dict]:
    """A sheet's cells as rows, each cell with its span of the text (to mark it as a finding)."""
    spans: dict[Cell, list[int]] = {}
    for i, place in enumerate(layout.places):
        if isinstance(place, Cell):
            span = spans.setdefault(place, [i, i + 1])
            span[1] = i + 1
    sheets: dict[str, dict] = {}
    for n, (cell, (start, end)) in enumerate(spans.items()):
        if n >= MAX_GRID_CELLS:
            break
        if cell.row < 1:  # the reader's row 0: the sheet's own name
            continue
        grid = sheets.setdefault(cell.sheet, {"name": cell.sheet, "rows": {}, "columns": 0})
        grid["rows"].setdefault(cell.row, {})[cell.column] = {"start": start, "end": end,
                                                              "text": layout.text[start:end]}
        grid["columns"] = max(grid["columns"], cell.column)
    return [{"name": g["name"], "columns": g["columns"], "truncated": len(spans) > MAX_GRID_CELLS,
             "rows": [{"row": r, "cells": [cells.get(c) for c in range(1, g["columns"] + 1)]}
                      for r, cells in sorted(g["rows"].items())]} for g in sheets.values()]


def update(actor, document_id, file_id, findings=None, regions=None) -> dict:
    """Replace a file's findings (release one, add a span or a cell) and/or its drawn regions; the
    file's confirmation is undone, as the text it confirmed changed."""
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        redaction.check_confirming(s, actor, doc)
        row = files.get(s, doc, file_id)
        if row.state != "read":
            raise Conflict(f"{row.name}：{row.message or '文件尚未读取 (not read yet)'}")
        layout = layout_of(row)
        if findings is not None:
            items = redaction.checked_findings(findings, layout.text)
            row.findings = findings_to_dict(apply_findings(layout.text, items, category=doc.category).findings)
        if regions is not None:
            row.regions = _checked_regions(regions, layout)
        _unconfirm(row)
        audit.record(s, "file_redaction_edited", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                     file=row.name, findings=len(row.findings), regions=len(row.regions))
        result = apply_findings(layout.text, row.findings, category=doc.category)
        return {"id": row.id, "redacted_text": result.text, "findings": row.findings, "regions": row.regions,
                "places": [_where(layout, f) for f in row.findings]}


def _unconfirm(row: DocumentFile) -> None:
    row.confirmed_by = row.confirmed_at = row.redacted_sha256 = row.redacted_size = None
    row.withheld = False


def _checked_regions(regions, layout: Layout) -> list[dict]:
    """Regions drawn on pages, in the page's units (points, or pixels for an image)."""
    if not isinstance(regions, list) or not all(isinstance(r, dict) for r in regions):
        raise Invalid("regions 必须是对象列表 (regions must be a list of objects)", fields={"regions": ["invalid"]})
    out = []
    for region in regions:
        try:
            page = int(region["page"])
            x0, y0, x1, y1 = (float(region[k]) for k in ("x0", "y0", "x1", "y1"))
        except (KeyError, TypeError, ValueError) as exc:
            raise Invalid("每个区域需要 page、x0、y0、x1、y1 (each region needs page, x0, y0, x1, y1)",
                          fields={"regions": ["invalid"]}) from exc
        if not 0 <= page < max(layout.pages, 1) or page >= len(layout.page_sizes):
            raise Invalid(f"没有第 {page + 1} 页 (no such page)", fields={"regions": ["page"]})
        width, height = layout.page_sizes[page]
        if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
            raise Invalid("区域超出页面 (the region is outside the page)", fields={"regions": ["outside"]})
        out.append({"page": page, "x0": x0, "y0": y0, "x1": x1, "y1": y1})
    return out


def confirm(actor, document_id, file_id, withhold: bool = False) -> dict:
    """Confirm one file: make its redacted version (or keep it out of publication, `withhold`)."""
    with reading() as s:
        doc = access.document_for(s, actor, document_id)
        redaction.check_confirming(s, actor, doc)
        row = files.get(s, doc, file_id)
        seen = (row.findings, row.regions)
        if not withhold and row.state != "read":
            raise Invalid(f"{row.name}：{row.message or '文件尚未读取'}；此文件只能选择不发布 (this file can only be withheld)",
                          fields={"withhold": ["required"]})
        category = doc.category
    made = None if withhold else _redacted(row, category)  # outside any transaction: it may take a while
    with transaction() as s:
        row = s.get(DocumentFile, row.id, with_for_update=True)
        if (row.findings, row.regions) != seen:
            raise Conflict("标注刚被修改，请核对后再确认 (the findings changed meanwhile: check and confirm again)")
        row.redacted_sha256 = storage.put(made) if made is not None else None
        row.redacted_size = len(made) if made is not None else None
        row.withheld, row.confirmed_by, row.confirmed_at = withhold, actor.username, clock.now()
        audit.record(s, "file_withheld" if withhold else "file_confirmed", actor=actor, document_id=row.document_id,
                     file=row.name, redacted_sha256=row.redacted_sha256)
        return files.summary(row)


def _redacted(row: DocumentFile, category: str) -> bytes:
    layout = layout_of(row)
    result = apply_findings(layout.text, row.findings or [], category=category)
    cuts = formats.cuts_for(result.findings)
    cuts += [Cut(region=Box(r["page"], r["x0"], r["y0"], r["x1"], r["y1"])) for r in row.regions or []]
    try:
        return formats.redact(row.kind, sealed.get(row.original_sha256), layout, cuts)
    except Exception as exc:  # the format cannot be made safe: held back; the publisher may withhold it
        log.warning("file %s could not be redacted: %s", row.id, exc)
        reason = exc.message if isinstance(exc, Invalid) else "无法生成去标识化文件 (the redacted file cannot be made)"
        if isinstance(exc, formats.Unsafe):
            _hold(row.id, exc)
        raise Invalid(f"{row.name}：{reason}；可选择不发布此文件 (it can be withheld)",
                      fields={"file": [reason]}) from exc


def require_confirmed(session, doc) -> list[dict]:
    """Every file confirmed or withheld, else Invalid naming the others; returns what the confirmer
    signs of them (name, role, redacted sha256 or withheld)."""
    rows = files.of(session, doc.id)
    pending = [r.name for r in rows if r.confirmed_by is None]
    if pending:
        raise Invalid(f"以下文件尚未确认 (files not confirmed yet): {'、'.join(pending)}", fields={"files": pending})
    return [{"name": r.name, "role": r.role, "redacted_sha256": r.redacted_sha256, "withheld": r.withheld}
            for r in rows]


# Staff reading ------------------------------------------------------------------------------

def staff_copy(actor, document_id, file_id, version: str = "original") -> tuple[str, str, bytes]:
    """(name, media type, bytes) of a file's original or redacted version, for whoever may see the
    document (`access.document_for`)."""
    with reading() as s:
        row = files.get(s, access.document_for(s, actor, document_id), file_id)
        if version == "original":
            return row.name, row.media_type, sealed.get(row.original_sha256, s)
        if row.redacted_sha256 is None:
            raise Conflict("该文件尚无去标识化版本 (no redacted version yet)")
        return files.published_name(row), files.published_media_type(row), storage.get(row.redacted_sha256)


def page_image(actor, document_id, file_id, page: int) -> bytes:
    """Page `page` (0-based) of a file's original as PNG, for the confirmation page."""
    with reading() as s:
        row = files.get(s, access.document_for(s, actor, document_id), file_id)
        kind, sha, pages = row.kind, row.original_sha256, row.pages or 1
    if not 0 <= page < pages:
        raise Invalid(f"没有第 {page + 1} 页 (no such page)", fields={"page": ["outside"]})
    return formats.render(kind, sealed.get(sha), page)

