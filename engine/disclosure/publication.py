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
import mimetypes
import urllib.parse
import urllib.request

from sqlalchemy import or_, select

from engine import agencies, audit, calendar, clock, storage, storage_backends
from engine import files as formats
from engine.config import current
from engine.db import reading, transaction
from engine.disclosure import CATEGORY_NAMES, catalogue, files, publicity, redaction
from engine.errors import Gone, Invalid, NotFound
from engine.models import Document, DocumentFile, Notification, Publication
from engine.search import highlight
from engine.search import index as search_index
from engine.search import query as search_query


def publish(document_id: int) -> dict:
    """Publish the confirmed version to each chosen channel not yet done; return the channels."""
    with transaction() as s:
        catalogue.assign(s, document_id)
    with reading() as s:
        doc = s.get(Document, document_id)
        done = set(s.scalars(select(Publication.channel).where(Publication.document_id == document_id)))
        payload = public_payload(doc, redaction.published_fields(doc), public_files(s, [doc.id]).get(doc.id, []))
        channels = [c for c in (doc.channels or ["catalogue"]) if c not in done]
    results = {}
    for channel in channels:
        url, detail = CHANNELS[channel](payload)
        _record(document_id, channel, url, detail)
        results[channel] = url
    _tell_drafter(document_id)
    return {"published": sorted(set(results) | done)}


def _tell_drafter(document_id) -> None:
    """The drafter learns that their document is out, with its address (once, however often retried)."""
    key = f"published:{document_id}"
    with transaction() as s:
        doc = s.get(Document, document_id)
        if doc.drafter_id is None or s.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            return
        s.add(Notification(user_id=doc.drafter_id, instance_id=doc.instance_id, kind="info", dedupe_key=key,
                           message=f"您起草的《{doc.title}》已公开发布：{public_url(doc.id)}"))


def public_payload(doc, fields: dict, files: list[dict] = ()) -> dict:
    """What every channel sends: the confirmed redacted fields, the redacted files' links and
    metadata that is not personal."""
    return {"id": doc.id, "title": fields["title"], "doc_number": fields["doc_number"] or None,
            "category": doc.category, "category_name": CATEGORY_NAMES.get(doc.category, doc.category),
            "formed_on": doc.formed_on.isoformat() if doc.formed_on else None, "text": fields["body"],
            "interpretation": fields["interpretation"] or None, "summary": fields.get("summary") or None,
            "url": public_url(doc.id), "files": list(files), **catalogue.fields(doc)}


def public_url(document_id: int) -> str:
    return f"{current().public_base_url.rstrip('/')}/public/documents/{document_id}"


def public_files(session, document_ids: list[int]) -> dict[int, list[dict]]:
    """The published files of each document: confirmed, redacted, not withheld; never an original."""
    rows = session.scalars(select(DocumentFile).where(
        DocumentFile.document_id.in_(document_ids), DocumentFile.confirmed_by.is_not(None),
        DocumentFile.withheld.is_(False), DocumentFile.redacted_sha256.is_not(None))
        .order_by(DocumentFile.role != "body", DocumentFile.position, DocumentFile.id)) if document_ids else []
    out: dict[int, list[dict]] = {}
    for row in rows:
        name, kind = files.published_name(row), formats.published_kind(row.kind)
        out.setdefault(row.document_id, []).append({
            "id": row.id, "name": name, "role": row.role, "media_type": formats.MEDIA_TYPES[kind],
            "format": files.FORMAT_NAMES.get(kind, kind), "size": row.redacted_size, "sha256": row.redacted_sha256,
            "url": f"{public_url(row.document_id)}/files/{row.id}/{urllib.parse.quote(name)}"})
    return out


def public_file(document_id: int, file_id: int) -> tuple[str, str, bytes]:
    """(name, media type, bytes) of a published document's redacted file; 410 once taken down."""
    with reading() as s:
        doc = s.get(Document, document_id)
        _check_public(doc)
        found = next((f for f in public_files(s, [doc.id]).get(doc.id, []) if f["id"] == file_id), None)
        if found is None:
            raise NotFound("未找到已公开的附件 (no such published file)")
        return found["name"], found["media_type"], storage.get(found["sha256"])


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
        doc.published_interpretation, doc.published_summary = payload["interpretation"], payload["summary"]
        doc.published_at = doc.published_at or clock.now()
        search_index.follow_document(s, doc)  # published already (a republication): the index reads the new text
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
    exported = _export_files(exports, payload)
    exports.write(f"{payload['id']}.json", json.dumps({**payload, "files": exported}, ensure_ascii=False,
                                                      indent=1).encode("utf-8"), "application/json; charset=utf-8")
    page = (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{html.escape(payload['title'])}"
            f"</title><h1>{html.escape(payload['title'])}</h1><p>{html.escape(payload['doc_number'] or '')}</p>"
            f"<pre>{html.escape(payload['text'])}</pre>{_interpretation_html(payload)}{_files_html(exported)}</html>")
    exports.write(f"{payload['id']}.html", page.encode("utf-8"), "text/html; charset=utf-8")
    return exports.address(f"{payload['id']}.html"), {"folder": exports.address("")}


def _export_files(exports, payload) -> list[dict]:
    """Copy the redacted files beside the page (`<id>/<file id>-<name>`), for the portal's crawler."""
    out = []
    for item in payload.get("files") or []:
        path = f"{payload['id']}/{item['id']}-{item['name']}"
        with storage.open_stream(item["sha256"]) as stream:  # a large file is never held whole
            exports.write(path, stream, mimetypes.guess_type(item["name"])[0] or "application/octet-stream")
        out.append({**item, "path": path})
    return out


def _files_html(exported: list[dict]) -> str:
    if not exported:
        return ""
    items = "".join(f"<li><a href=\"{html.escape(urllib.parse.quote(f['path']))}\">{html.escape(f['name'])}</a>"
                    f"（{html.escape(f['format'])}，{f['size']} 字节）</li>" for f in exported)
    return f"<h2>附件</h2><ul>{items}</ul>"


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


def rewrite_static_export(document_id: int) -> None:
    """Write the document's current published version over its files in the static export folder."""
    with reading() as s:
        doc = s.get(Document, document_id)
        if doc is None or doc.status != "published":
            return
        payload = current_payload(doc)
    _static_export(payload)


def current_payload(doc) -> dict:
    """What the channels carry of a published document now (after any re-publication)."""
    return public_payload(doc, {"title": doc.published_title, "doc_number": doc.published_doc_number,
                                "body": doc.published_text, "interpretation": doc.published_interpretation})


def remove_static_export(document_id: int) -> None:
    """Delete the document's files from the static export (the portal's crawler loses them)."""
    exports = _exports()
    for suffix in ("json", "html"):
        exports.delete(f"{int(document_id)}.{suffix}")
    exports.delete_tree(str(int(document_id)))  # its files


CHANNELS = {"catalogue": _catalogue, "static_export": _static_export, "webhook": _webhook}


AGENCY_ERROR = "没有这个发布机构：应为 root 或有独立机关名称的部门编号 (root, or the id of an agency)"


VALIDITY_ERROR = "有效性应为 valid（有效）、expired（失效）或 repealed（废止） (valid, expired or repealed)"


def search(q=None, category=None, year=None, agency=None, validity=None, publicity_only=False, limit=20,
           offset=0, with_files=False) -> dict:
    """The public catalogue through its index (engine/search): published documents only, those whose
    title or number holds the terms first, then newest first; `total` counts every match and each
    item has a `snippet` of its text (escaped HTML, the terms in <mark>); above `search_query.TOTAL_CAP`
    matches `total` is that cap and `total_exact` false ("more than"). `agency` ("root" or a
    department agency's id) keeps those its 发布机构 is; `publicity_only` keeps 公示 only; `with_files` adds each
    item's public files (the feed's enclosures)."""
    with reading() as s:
        filters, tags = _filters(s, category, year, agency, validity, publicity_only)
        found = search_query.catalogue(s, q, filters, limit, offset, tags=tags)
        docs = {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(found["ids"])))}
        rows = [docs[i] for i in found["ids"] if i in docs]
        rule = publicity.rule_for(rows)
        items = [_found(d, rule, found["phrases"]) for d in rows]
        if with_files:  # the feed's enclosures: one query for the page
            files = public_files(s, [d.id for d in rows])
            for item in items:
                item["files"] = [_without_sha(f) for f in files.get(item["id"], [])]
        return {"items": items, "total": found["total"], "total_exact": found["total_exact"],
                "limit": max(1, min(int(limit), search_query.MAX_LIMIT)), "offset": max(0, int(offset))}


def _filters(session, category, year, agency, validity, publicity_only) -> tuple[list, dict]:
    """SQL conditions on the catalogue's rows, and the fields to equal (`search_query.catalogue`'s
    `tags`: the index may hold them as tokens beside the text)."""
    filters, tags = [], {}
    if agency not in (None, ""):
        filters.append(_published_by(session, agency))
    if category:
        tags["category"] = category
    if year:
        tags["year"] = int(year)
    if validity:
        if validity not in catalogue.VALIDITY_NAMES:
            raise Invalid("有效性有误 (no such validity)", fields={"validity": [VALIDITY_ERROR]})
        tags["validity"] = validity
    if publicity_only:
        tags["publicity"] = True
    return filters, tags


def _found(doc, rule, phrases) -> dict:
    """A catalogue item with its title and a snippet of its text marked where the terms stand."""
    return {**_public_summary(doc, rule), "title_html": highlight.mark(doc.published_title or "", phrases),
            "snippet": highlight.snippet(doc.published_text or "", phrases)}


def _published_by(session, value):
    """SQL: documents whose 发布机构 is the agency `value` names. The name was fixed when the document
    was published (`catalogue.assign`); one published before that has none, and goes by its department."""
    agency = agencies.named(session, value)
    if agency is None:
        raise Invalid("发布机构有误 (no such publisher agency)", fields={"agency": [AGENCY_ERROR]})
    row = search_index.DOCUMENTS.c
    speakers = row.department_id.in_(agencies.speakers(session, agency["department_id"]))
    by_department = or_(speakers, row.department_id.is_(None)) if agency["department_id"] is None else speakers
    return or_(row.publisher == agency["name"], row.publisher.is_(None) & by_department)


def _public_summary(doc, publicity_rules=None) -> dict:
    return {"id": doc.id, "title": doc.published_title or "", "doc_number": doc.published_doc_number,
            "summary": doc.published_summary,
            "category": doc.category, "category_name": CATEGORY_NAMES.get(doc.category, doc.category),
            "formed_on": doc.formed_on.isoformat() if doc.formed_on else None,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
            **catalogue.fields(doc, publicity_rules)}


def _check_public(doc) -> None:
    """A published document passes; one taken down is 410 with its 索引号; anything else 404."""
    if doc is not None and doc.status == "taken_down":
        day = calendar.as_date(doc.taken_down_at).isoformat()
        raise Gone(f"该信息已于{day}撤下（索引号 {doc.index_no or '—'}） (taken down on {day})",
                   details=[{"index_no": doc.index_no, "taken_down_on": day}])
    if doc is None or doc.status != "published" or doc.published_text is None:
        raise NotFound("未找到已公开的文件 (no such published document)")


def public_document(document_id: int) -> dict:
    with reading() as s:
        doc = s.get(Document, document_id)
        _check_public(doc)
        return {**_public_summary(doc), "text": doc.published_text, "interpretation": doc.published_interpretation,
                "changed_by": catalogue.changes_of(s, doc),
                "files": [_without_sha(f) for f in public_files(s, [doc.id]).get(doc.id, [])]}


def _without_sha(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "sha256"}
