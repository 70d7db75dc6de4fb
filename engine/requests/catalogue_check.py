"""Before a "该政府信息不存在" or "不予公开" reply, the agency's own catalogue is searched for the
request's wording: a 不存在 reply for a document the agency published itself (or withholding what it
published) is wrong, and the matches are shown to the drafter and the reviewer. Replying so anyway
needs a reason, recorded on the request and in its history.

The catalogue's search engine is being replaced: `search_catalogue` is the one call to it, so the
switch is one line. The wording is cut into the terms a person would type: titles in 《》 or quotes,
document numbers (文号), and the request's own phrase without its boilerplate ("申请公开…的信息").
"""

import re

from engine import agencies, audit, clock
from engine.disclosure import publication
from engine.errors import Invalid

CHECKED = {"not_held", "withheld"}  # the replies that deny the information exists or is to be given
MAX_TERMS, MAX_MATCHES = 6, 5
QUOTED = re.compile(r"《([^》]{2,80})》|“([^”]{2,80})”|\"([^\"]{2,80})\"|「([^」]{2,80})」")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5A-Za-z]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,5}\s*号")
BOILERPLATE = re.compile(r"^(本人|我|申请人)?(申请|请求|要求|希望)?(公开|获取|提供|查阅)?|(的)?(相关)?(政府)?(信息|文件|资料|情况)?[。.]?$")
SPLIT = re.compile(r"[，,；;、。\s]|的|及|和|与")


def search_catalogue(query: str, agency_key: str) -> list[dict]:
    """The published documents of `agency_key` matching `query` (the one call to the search engine)."""
    return publication.search(q=query, agency=agency_key, limit=MAX_MATCHES)["items"]


def terms(description: str) -> list[str]:
    """What to search for: quoted titles, 文号, the phrase itself and its longer parts."""
    text = " ".join(str(description or "").split())
    found = [next(g for g in m.groups() if g) for m in QUOTED.finditer(text)]
    found += [re.sub(r"\s+", "", m.group(0)) for m in DOC_NUMBER.finditer(text)]
    phrase = BOILERPLATE.sub("", text).strip()
    if 4 <= len(phrase) <= 60:
        found.append(phrase)
    found += [part for part in SPLIT.split(phrase) if len(part) >= 4]
    return list(dict.fromkeys(found))[:MAX_TERMS]


def matches(session, req) -> list[dict]:
    """The agency's published documents that match the request's wording, each with the term that found it."""
    key = agencies.key_of(agencies.for_request(session, req))
    out: dict[int, dict] = {}
    for term in terms(req.description):
        for item in search_catalogue(term, key):
            out.setdefault(item["id"], {"id": item["id"], "title": item["title"], "index_no": item.get("index_no"),
                                        "doc_number": item.get("doc_number"), "url": f"/public/documents/{item['id']}",
                                        "term": term})
        if len(out) >= MAX_MATCHES:
            break
    return list(out.values())[:MAX_MATCHES]


def as_text(found: list[dict]) -> str:
    """The matches as the drafter's and the reviewer's forms show them."""
    if not found:
        return "经检索本机关公开目录，未发现与申请内容相符的信息。"
    lines = [f"{i}. {m['title']}（索引号：{m['index_no'] or '—'}{'；文号：' + m['doc_number'] if m['doc_number'] else ''}）"
             for i, m in enumerate(found, 1)]
    return "本机关公开目录中有可能与申请内容相符的信息，答复“不存在”或“不予公开”前请核对：\n" + "\n".join(lines)


def check(session, req, outcome: str, facts: dict, override_reason, actor) -> None:
    """Search before a 不存在 / 不予公开 reply (not before an Art. 36(5) referral to another agency) and
    keep what was found; with matches, the reply needs the drafter's reason, recorded."""
    if outcome not in CHECKED or facts.get("holder_agency"):
        req.catalogue_check = {}
        return
    found = matches(session, req)
    reason = str(override_reason or "").strip()[:1000]
    if found and not reason:
        raise Invalid("本机关公开目录中有与申请内容相符的信息，请核对；确认仍作此答复的，请说明理由",
                      fields={"catalogue_override_reason": [as_text(found)]})
    req.catalogue_check = {"outcome": outcome, "terms": terms(req.description), "matches": found,
                           "override_reason": reason if found else None, "by": getattr(actor, "username", None),
                           "at": clock.now().isoformat()}
    if found:
        audit.record(session, "catalogue_check_overridden", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     outcome=outcome, matches=[m["id"] for m in found], reason=reason)


def for_reviewer(req) -> str:
    """What the reviewer sees: what was searched, what was found, and the drafter's reason."""
    done = req.catalogue_check or {}
    if not done:
        return ""
    text = as_text(done.get("matches") or [])
    if done.get("override_reason"):
        text += f"\n承办人仍作此答复的理由：{done['override_reason']}"
    return text
