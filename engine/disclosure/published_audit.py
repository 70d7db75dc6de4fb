"""Re-check what is already public with today's detector and policies (`gongkai audit-published`).

When the detector improves or a category's policy changes (deid_policy.dmn), a text published
before may hold what is now found. `run` lists each suspect (document, field, kind, context) for the
publishers of the document's department; `republish` re-redacts the published text with today's
detector and publishes it as a new version (the old one stays reachable only by its stored hash),
or the publisher takes the document down (`takedown.take_down`). Both are in the audit log.

The re-check itself runs in a worker (`published_audit_runs`); this module says what is checked
and how the result is acted on.

Texts come from `SOURCES`: one function per kind of published item yielding (field, text). The
fields of a document are one. A file format module plugs its published files in with

    @published_audit.text_source
    def published_files(doc):  # -> Iterable[(field, text)]
        for f in <doc's published files>:
            yield f"file:{f.name}", <the text of its redacted version>

where `field` names the item on the page (a field key of FIELD_NAMES, or any label such as
"file:附件1.pdf", shown as is) and the text is exactly what the public can read. Each source must
be cheap to call once per document and must not write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from xml.etree import ElementTree

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from engine import access, audit, clock, storage
from engine import files as formats
from engine.db import after_commit, reading, transaction
from engine.deid import deidentify
from engine.disclosure import publication
from engine.errors import Conflict, Forbidden, Invalid
from engine.models import (
    DecisionFile,
    Document,
    DocumentFile,
    Publication,
    PublishedSuspect,
    PublishedVersion,
)
from engine.workflow import service_tasks
from engine.workflow.definitions import SHIPPED

POLICY_TABLE = "deid_policy.dmn"
NS = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
CONTEXT = 20  # characters shown on each side of a suspect
FIELD_NAMES = {"title": "标题", "doc_number": "文号", "body": "正文", "interpretation": "政策解读"}


def field_name(field: str) -> str:
    """How a suspect's field is shown: 正文, or a file source's own label (file:附件1.pdf → 附件1.pdf)."""
    return FIELD_NAMES.get(field) or field.removeprefix("file:")
NOTICE_OPERATION = "notify_republished"  # engine/disclosure/operations.py

SOURCES: list[Callable[[Document], Iterable[tuple[str, str]]]] = []


def text_source(source: Callable[[Document], Iterable[tuple[str, str]]]):
    """Register a function yielding (field, published text) for a published document."""
    SOURCES.append(source)
    return source


@text_source
def published_fields(doc: Document) -> Iterator[tuple[str, str]]:
    """The document's own published fields: title, 文号, body and 政策解读."""
    for field, value in (("title", doc.published_title), ("doc_number", doc.published_doc_number),
                         ("body", doc.published_text), ("interpretation", doc.published_interpretation)):
        if value:
            yield field, value


@text_source
def published_files(doc: Document) -> Iterator[tuple[str, str]]:
    """Each published file as the public downloads it: the text of its redacted version (a scan's by
    OCR), so what a better detector now finds in a file is listed like a field."""
    rows = object_session(doc).scalars(select(DocumentFile).where(
        DocumentFile.document_id == doc.id, DocumentFile.confirmed_by.is_not(None),
        DocumentFile.withheld.is_(False), DocumentFile.redacted_sha256.is_not(None)))
    for row in rows:
        data = storage.get(row.redacted_sha256)
        yield f"file:{row.name}", formats.read(formats.published_kind(row.kind), data).text


def policy_for(session, category: str) -> str:
    """The deid policy today's deid_policy.dmn gives `category` (first matching row)."""
    xml = session.scalar(select(DecisionFile.xml).where(DecisionFile.name == POLICY_TABLE))
    for entry, policy in _rows(xml or (SHIPPED / POLICY_TABLE).read_text(encoding="utf-8")):
        if entry in ("", "-") or category in [e.strip().strip('"') for e in entry.split(",")]:
            return policy
    return "general"


@lru_cache(maxsize=8)
def _rows(xml: str) -> tuple:
    table = ElementTree.fromstring(xml).find(".//dmn:decisionTable", NS)
    return tuple(((r.find("dmn:inputEntry/dmn:text", NS).text or "").strip(),
                  (r.find("dmn:outputEntry/dmn:text", NS).text or "").strip().strip('"'))
                 for r in table.findall("dmn:rule", NS))


def scan(doc: Document, policy: str) -> list[dict]:
    """What today's detector would redact in each published text of `doc` under `policy`."""
    out = []
    for source in SOURCES:
        for field, text in source(doc):
            for f in deidentify(text, category=policy).findings:
                if f.redacted:
                    out.append({"field": field, "kind": f.kind, "start": f.start, "end": f.end,
                                "context": _context(text, f.start, f.end)})
    return out


def _context(text: str, start: int, end: int) -> str:
    return f"{text[max(0, start - CONTEXT):start]}【{text[start:end]}】{text[end:end + CONTEXT]}"


def check_may_audit(actor) -> None:
    access.require(access.may_audit_published(actor),
                   "只有公开专员或管理员可以复查已公开信息 (publishers and admins only)")


def replace_open(session, doc_id: int, found: list[dict], run_id: int | None = None) -> None:
    """Replace a document's open suspects with what a re-check just found (in the caller's transaction)."""
    for row in session.scalars(select(PublishedSuspect).where(PublishedSuspect.document_id == doc_id,
                                                              PublishedSuspect.resolved_at.is_(None))):
        session.delete(row)
    session.add_all(PublishedSuspect(document_id=doc_id, run_id=run_id, **f) for f in found)


def suspects(actor) -> list[dict]:
    """The open suspects of the documents `actor` answers for ("system": all), grouped by document."""
    query = (select(PublishedSuspect, Document).join(Document, Document.id == PublishedSuspect.document_id)
             .where(PublishedSuspect.resolved_at.is_(None), Document.status == "published")
             .order_by(Document.id, PublishedSuspect.id))
    if actor != "system":
        check_may_audit(actor)
        query = query.where(access.take_down_clause(actor)).params(access.params(actor))
    with reading() as s:
        rows = s.execute(query).all()
    grouped: dict[int, dict] = {}
    for suspect, doc in rows:
        item = grouped.setdefault(doc.id, {"document_id": doc.id, "title": doc.published_title or doc.title,
                                           "index_no": doc.index_no, "suspects": []})
        item["suspects"].append({"field": suspect.field, "field_name": field_name(suspect.field),
                                 "kind": suspect.kind, "context": suspect.context,
                                 "found_at": suspect.found_at.isoformat()})
    return list(grouped.values())


def republish(actor, document_id, reason) -> dict:
    """Re-redact the published texts of a document with today's detector and publish the result as
    its next version (its department's publisher or an admin, with a reason)."""
    reason = str(reason or "").strip()[:2000]
    if not reason:
        raise Invalid("请填写重新发布的理由 (give the reason)", fields={"reason": ["请填写理由 (required)"]})
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        if not access.may_take_down(actor, doc):
            raise Forbidden("只有本部门的公开专员或管理员可以重新发布 (only the department's publisher re-publishes)")
        s.refresh(doc, with_for_update=True)  # two re-publications at once: one after the other
        if doc.status != "published":
            raise Conflict("只能重新发布已公开的文件 (only a published document can be re-published)")
        previous = _bundle(doc)
        policy = policy_for(s, doc.category)
        changed = _redact_published(doc, policy)
        version = _record_version(s, doc, actor, previous, reason)
        for row in s.scalars(select(PublishedSuspect).where(PublishedSuspect.document_id == doc.id,
                                                            PublishedSuspect.resolved_at.is_(None))):
            row.resolved_at, row.resolved_by, row.resolution = clock.now(), actor.username, "republished"
        audit.record(s, "republished", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                     version=version, policy=policy, fields=changed, reason=reason)
        _tell_channels(s, doc, version)
        return {"document_id": doc.id, "version": version, "fields": changed}


def _bundle(doc: Document) -> dict:
    return {"title": doc.published_title, "doc_number": doc.published_doc_number, "body": doc.published_text,
            "interpretation": doc.published_interpretation}


def _redact_published(doc: Document, policy: str) -> dict:
    """Redact each published field again; return the number of findings per changed field."""
    changed = {}
    for field, column in (("title", "published_title"), ("doc_number", "published_doc_number"),
                          ("body", "published_text"), ("interpretation", "published_interpretation")):
        text = getattr(doc, column)
        if not text:
            continue
        result = deidentify(text, category=policy)
        if result.text != text:
            setattr(doc, column, result.text)
            changed[field] = sum(f.redacted for f in result.findings)
    doc.updated_at = clock.now()
    return changed


def _record_version(session, doc: Document, actor, previous: dict, reason: str) -> int:
    number = (session.scalar(select(func.max(PublishedVersion.version))
                             .where(PublishedVersion.document_id == doc.id)) or 1) + 1
    session.add(PublishedVersion(document_id=doc.id, version=number, reason=reason, published_by=actor.username,
                                 previous_sha256=storage.put_text(json.dumps(previous, ensure_ascii=False, sort_keys=True)),
                                 sha256=storage.put_text(json.dumps(_bundle(doc), ensure_ascii=False, sort_keys=True))))
    return number


def _tell_channels(session, doc: Document, version: int) -> None:
    """The static export is rewritten after commit; the webhook is told by an outbox job."""
    channels = set(session.scalars(select(Publication.channel).where(Publication.document_id == doc.id,
                                                                   Publication.status == "published")))
    if "static_export" in channels:
        doc_id = doc.id
        after_commit(session, lambda: publication.rewrite_static_export(doc_id))
    if "webhook" in channels:
        service_tasks.add_job(session, doc.instance_id, NOTICE_OPERATION, {"document_id": doc.id},
                              f"republish-{doc.id}-v{version}")


def notify_channel(document_id: int) -> dict:
    """Send the webhook the re-published version (raising counts a failed try)."""
    with reading() as s:
        doc = s.get(Document, document_id)
        if doc is None or doc.status != "published":
            return {"sent": False}
        payload = publication.current_payload(doc)
    publication.post_signed({"event": "republished", **payload})
    return {"sent": True}
