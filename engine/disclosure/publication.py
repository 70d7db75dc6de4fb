"""Publication channels and the public catalogue.

Publishing is idempotent per (document, channel): a retried job finds the channel done and skips
it. The public side reads only published documents and only their confirmed redacted fields (title,
number, text, interpretation) — never the originals, the review records or the findings. A document
taken down (`takedown`) answers 410 Gone with its 索引号, never its content.
"""

import hashlib
import hmac
import html
import json
import urllib.request

from sqlalchemy import extract, or_, select

from engine import agencies, audit, calendar, clock, storage_backends
from engine.config import current
from engine.db import reading, transaction
from engine.disclosure import CATEGORY_NAMES, catalogue, publicity, redaction
from engine.errors import Gone, Invalid, NotFound
from engine.models import Document, Publication


def publish(document_id: int) -> dict:
    """Publish the confirmed version to each chosen channel not yet done; return the channels."""
    with transaction() as s:
        catalogue.assign(s, document_id)
    with reading() as s:
        doc = s.get(Document, document_id)
        done = set(s.scalars(select(Publication.channel).where(Publication.document_id == document_id)))
        payload = public_payload(doc, redaction.published_fields(doc))
        channels = [c for c in (doc.channels or ["catalogue"]) if c not in done]
    results = {}
    for channel in channels:
        url, detail = CHANNELS[channel](payload)
        _record(document_id, channel, url, detail)
        results[channel] = url
    return {"published": sorted(set(results) | done)}


def public_payload(doc, fields: dict) -> dict:
    """What every channel sends: the confirmed redacted fields and metadata that is not personal."""
    return {"id": doc.id, "title": fields["title"], "doc_number": fields["doc_number"] or None,
            "category": doc.category, "category_name": CATEGORY_NAMES.get(doc.category, doc.category),
            "formed_on": doc.formed_on.isoformat() if doc.formed_on else None, "text": fields["body"],
            "interpretation": fields["interpretation"] or None, "url": public_url(doc.id),
            **catalogue.fields(doc)}


def public_url(document_id: int) -> str:
    return f"{current().public_base_url.rstrip('/')}/public/documents/{document_id}"


def _record(document_id, channel, url, detail):
    with transaction() as s:
        if s.scalar(select(Publication.id).where(Publication.document_id == document_id,
                                                 Publication.channel == channel)) is None:
            s.add(Publication(document_id=document_id, channel=channel, url=url, detail=detail))
            audit.record(s, "published", actor="worker", document_id=document_id, channel=channel, url=url)


def _catalogue(payload):
    with transaction() as s:
        doc = s.get(Document, payload["id"])
        doc.published_text = payload["text"]
        doc.published_title, doc.published_doc_number = payload["title"], payload["doc_number"]
        doc.published_interpretation = payload["interpretation"]
        doc.published_at = doc.published_at or clock.now()
    return payload["url"], {}


def _exports():
    """The static export's place: GONGKAI_EXPORT_URL, beside the files in a shared object store, or
    the data folder's `export/`; public content, so a local folder keeps the umask's modes."""
    settings = current()
    return storage_backends.for_url(settings.export_url, settings.data_dir / "export", private=False)


def export_address() -> str:
    return _exports().address("")


def _static_export(payload):
    exports = _exports()
    exports.write(f"{payload['id']}.json", json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"),
                  "application/json; charset=utf-8")
    page = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{html.escape(payload['title'])}"
            f"</title><h1>{html.escape(payload['title'])}</h1><p>{html.escape(payload['doc_number'] or '')}</p>"
            f"<pre>{html.escape(payload['text'])}</pre>{_interpretation_html(payload)}</html>")
    exports.write(f"{payload['id']}.html", page.encode("utf-8"), "text/html; charset=utf-8")
    return exports.address(f"{payload['id']}.html"), {"folder": exports.address("")}


def _interpretation_html(payload) -> str:
    if not payload["interpretation"]:
        return ""
    return f"<h2>政策解读</h2><pre>{html.escape(payload['interpretation'])}</pre>"


def _webhook(payload):
    """Announce the publication to the webhook; raising lets the queue retry with backoff."""
    return post_signed({"event": "published", **payload})


def post_signed(body: dict):
    """POST `body` as JSON signed with HMAC-SHA256 (X-Gongkai-Signature) to the configured webhook."""
    url, secret = current().webhook_url, current().webhook_secret
    if not url:
        raise RuntimeError("未配置推送地址 GONGKAI_WEBHOOK_URL (no webhook URL configured)")
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    signature = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-Gongkai-Signature": f"sha256={signature}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (admin-configured URL)
        return url, {"status": response.status}


def remove_static_export(document_id: int) -> None:
    """Delete the document's files from the static export (the portal's crawler loses them)."""
    exports = _exports()
    for suffix in ("json", "html"):
        exports.delete(f"{int(document_id)}.{suffix}")


CHANNELS = {"catalogue": _catalogue, "static_export": _static_export, "webhook": _webhook}


AGENCY_ERROR = "没有这个发布机构：应为 root 或有独立机关名称的部门编号 (root, or the id of an agency)"


def search(q=None, category=None, year=None, agency=None, limit=20, offset=0) -> dict:
    """The public catalogue: published documents only, newest first; `agency` ("root" or a department
    agency's id) keeps those its 发布机构 is."""
    with reading() as s:
        query = select(Document).where(Document.status == "published", Document.published_text.is_not(None))
        if agency not in (None, ""):
            query = query.where(_published_by(s, agency))
        if q:
            pattern = f"%{q.strip()[:100]}%"
            query = query.where(or_(Document.published_title.ilike(pattern),
                                    Document.published_doc_number.ilike(pattern), Document.published_text.ilike(pattern)))
        if category:
            query = query.where(Document.category == category)
        if year:
            query = query.where(extract("year", Document.published_at) == int(year))
        rows = list(s.scalars(query.order_by(Document.published_at.desc()).limit(min(int(limit), 100))
                              .offset(int(offset))))
        rule = publicity.rule_for(rows)
        return {"items": [_public_summary(d, rule) for d in rows]}


def _published_by(session, value):
    """SQL: documents whose 发布机构 is the agency `value` names. The name was fixed when the document
    was published (`catalogue.assign`); one published before that has none, and goes by its department."""
    agency = agencies.named(session, value)
    if agency is None:
        raise Invalid("发布机构有误 (no such publisher agency)", fields={"agency": [AGENCY_ERROR]})
    speakers = Document.department_id.in_(agencies.speakers(session, agency["department_id"]))
    by_department = or_(speakers, Document.department_id.is_(None)) if agency["department_id"] is None else speakers
    return or_(Document.publisher == agency["name"], Document.publisher.is_(None) & by_department)


def _public_summary(doc, publicity_rule=None) -> dict:
    return {"id": doc.id, "title": doc.published_title or "", "doc_number": doc.published_doc_number,
            "category": doc.category, "category_name": CATEGORY_NAMES.get(doc.category, doc.category),
            "formed_on": doc.formed_on.isoformat() if doc.formed_on else None,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
            **catalogue.fields(doc, publicity_rule)}


def public_document(document_id: int) -> dict:
    with reading() as s:
        doc = s.get(Document, document_id)
        if doc is not None and doc.status == "taken_down":
            day = calendar.as_date(doc.taken_down_at).isoformat()
            raise Gone(f"该信息已于{day}撤下（索引号 {doc.index_no or '—'}） (taken down on {day})",
                       details=[{"index_no": doc.index_no, "taken_down_on": day}])
        if doc is None or doc.status != "published" or doc.published_text is None:
            raise NotFound("未找到已公开的文件 (no such published document)")
        return {**_public_summary(doc), "text": doc.published_text, "interpretation": doc.published_interpretation,
                "changed_by": catalogue.changes_of(s, doc)}
