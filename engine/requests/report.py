"""The annual report on government information disclosure (Art. 49), national format 国办公开办函〔2021〕30号.

Section 2 counts the documents in the system, section 3 the requests handled through the
procedure, section 4 the proceedings staff entered; sections 1, 5 and 6 are staff text. A figure
the system holds is never typed in; the few it does not hold (规章, repeals, 行政强制, fee amounts)
are entered and marked as such. Section 3 is checked: 新收 + 上年结转 = 总计 + 结转下年度 per column.
"""

import math
from datetime import date

from sqlalchemy import extract, func, select

from engine import agencies, audit, calendar
from engine.db import reading, transaction
from engine.disclosure import EVER_PUBLISHED, catalogue
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import (
    AnnualReportSnapshot,
    AnnualReportText,
    Document,
    InformationRequest,
    LegalProceeding,
)
from engine.models.types import utcnow
from engine.requests import (
    CORRECTION_RESULTS,
    NOT_PROCESSED_REASONS,
    OTHER_REASONS,
    REASON_NAMES,
    WITHHELD_REASONS,
    records,
)

COLUMNS = (("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
           ("public_welfare", "社会公益组织"), ("legal_services", "法律服务机构"), ("other", "其他"), ("total", "总计"))
CANNOT = (("not_held", "本机关不掌握相关政府信息"), ("needs_new_work", "没有现成信息需要另行制作"),
          ("unclear_after_correction", "补正后申请内容仍不明确"))
NUMERALS = "一二三四五六七八"

# (row key, group label, row label). The groups are those of the 2021 table's section three.
ROWS = [("new", "", "一、本年新收政府信息公开申请数量"), ("carried_in", "", "二、上年结转政府信息公开申请数量"),
        # 已主动公开 (Art. 36 (1)) has no row of its own in the 2021 format: it is counted as 予以公开.
        ("disclosed", "三、本年度办理结果", "（一）予以公开"),
        ("partially_disclosed", "三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
ROWS += [(f"withheld.{r}", "（三）不予公开", f"{i}.{REASON_NAMES[r]}") for i, r in enumerate(WITHHELD_REASONS, 1)]
ROWS += [(f"cannot.{k}", "（四）无法提供", f"{i}.{name}") for i, (k, name) in enumerate(CANNOT, 1)]
ROWS += [(f"not_processed.{r}", "（五）不予处理", f"{i}.{REASON_NAMES[r]}") for i, r in enumerate(NOT_PROCESSED_REASONS, 1)]
ROWS += [(f"other.{r}", "（六）其他处理", f"{i}.{REASON_NAMES[r]}") for i, r in enumerate(OTHER_REASONS, 1)]
ROWS += [("total", "三、本年度办理结果", "（七）总计"), ("carried_out", "", "四、结转下年度继续办理")]

PROCEEDING_KINDS = (("reconsideration", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
                    ("litigation_after", "行政诉讼（复议后起诉）"))
PROCEEDING_RESULTS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
MAX_FIGURE = 10**12
ENTERED_FIGURES = ("rules_issued", "rules_repealed", "rules_in_force", "coercion", "fees_amount")
# Art. 49–50: a department publishes its report by 31 January, a government its own by 31 March.
PUBLISH_BY = {"department": (1, 31), "government": (3, 31)}
READERS = {"publisher", "leader"}


def row_key(outcome: str, reason: str | None) -> str:
    """The section-three row a closed request counts in."""
    if outcome in ("already_public", "disclosed"):
        return "disclosed"
    if outcome == "partially_disclosed":
        return "partially_disclosed"
    if outcome in dict(CANNOT):
        return f"cannot.{outcome}"
    return f"{outcome}.{reason or 'other'}"


def column(req) -> str:
    return "natural_person" if req.applicant_type == "natural_person" else (req.applicant_subtype or "other")


def _require_reader(actor):
    if not (actor.is_admin or actor.role_keys & READERS):
        raise Forbidden("只有公开专员、领导和管理员可以查看年度报告 (publishers, leaders and admins)")


def requests_table(session, year: int) -> dict:
    """Section three: counts per row and column, and whether the identity holds per column."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = {key: dict.fromkeys([k for k, _ in COLUMNS], 0) for key, _g, _l in ROWS}
    # Art. 41 correction requests are not 政府信息公开申请: counted apart (`corrections`).
    rows = session.scalars(select(InformationRequest).where(InformationRequest.receipt_on <= last,
                                                            InformationRequest.kind != "correction"))
    for req in rows:
        closed = req.closed_on if req.outcome and req.closed_on else None
        keys = []
        if req.receipt_on >= first:
            keys.append("new")
        elif closed is None or closed >= first:
            keys.append("carried_in")
        if closed is not None and first <= closed <= last:
            keys += [row_key(req.outcome, req.outcome_reason), "total"]
        elif closed is None or closed > last:
            keys.append("carried_out")
        for key in keys:
            counts[key][column(req)] += 1
            counts[key]["total"] += 1
    identity = {c: counts["new"][c] + counts["carried_in"][c] == counts["total"][c] + counts["carried_out"][c]
                for c, _ in COLUMNS}
    return {"columns": [{"key": k, "name": n} for k, n in COLUMNS],
            "rows": [{"key": k, "group": g, "label": lab, "values": counts[k]} for k, g, lab in ROWS],
            "identity": {"holds": all(identity.values()), "by_column": identity,
                         "formula": "新收 + 上年结转 = 总计 + 结转下年度"}}


def proactive_section(session, year: int, figures: dict) -> dict:
    """Section two: documents published in `year` by category, plus the figures entered by staff."""
    def published(category):
        query = select(func.count()).select_from(Document).where(
            Document.category == category, Document.status.in_(EVER_PUBLISHED), Document.published_at.is_not(None))
        return int(session.scalar(query.where(extract("year", Document.published_at) == year)) or 0)

    return {"regulations": [
        {"label": "规章", "issued": int(figures.get("rules_issued") or 0), "repealed": int(figures.get("rules_repealed") or 0),
         "in_force": int(figures.get("rules_in_force") or 0), "source": "entered"},
        {"label": "行政规范性文件", **normative_counts(session, year), "source": "system"}],
        "licensing": published("licensing"), "penalty": published("penalty"),
        "coercion": int(figures.get("coercion") or 0), "fees_amount": float(figures.get("fees_amount") or 0),
        "proactive_published": int(session.scalar(select(func.count()).select_from(Document).where(
            Document.status.in_(EVER_PUBLISHED), extract("year", Document.published_at) == year)) or 0)}


def normative_counts(session, year: int) -> dict:
    """规范性文件: issued (成文) in the year, repealed or expired in it, and in force on 31 December."""
    year_end = date(year, 12, 31)
    issued = repealed = in_force = 0
    for doc in session.scalars(select(Document).where(Document.category == "normative", Document.status.in_(EVER_PUBLISHED))):
        formed = doc.formed_on or calendar.as_date(doc.published_at)
        issued += formed.year == year
        repealed += doc.validity != "valid" and doc.validity_on is not None and doc.validity_on.year == year
        in_force += formed <= year_end and catalogue.validity_on(doc, year_end) == "valid"
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def proceedings_section(session, year: int) -> dict:
    counts = {k: {**dict.fromkeys((r for r, _ in PROCEEDING_RESULTS), 0), "total": 0} for k, _ in PROCEEDING_KINDS}
    cases = list(session.scalars(select(LegalProceeding).where(LegalProceeding.year == year).order_by(LegalProceeding.id)))
    for p in cases:
        counts[p.kind][p.result] += 1
        counts[p.kind]["total"] += 1
    return {"kinds": [{"key": k, "name": n, "values": counts[k]} for k, n in PROCEEDING_KINDS],
            "cases": [{"id": p.id, "kind": p.kind, "result": p.result, "case_no": p.case_no} for p in cases],
            "results": [{"key": k, "name": n} for k, n in PROCEEDING_RESULTS] + [{"key": "total", "name": "总计"}]}


def by_month(session, year: int) -> list[dict]:
    """Requests received and closed per month, closed ones by outcome group (for the chart)."""
    months = [{"month": m, "received": 0, "groups": {}} for m in range(1, 13)]
    for req in session.scalars(select(InformationRequest).where(InformationRequest.kind != "correction")):
        if req.receipt_on.year == year:
            months[req.receipt_on.month - 1]["received"] += 1
        if req.outcome and req.closed_on and req.closed_on.year == year:
            group = _group(row_key(req.outcome, req.outcome_reason))
            slot = months[req.closed_on.month - 1]["groups"]
            slot[group] = slot.get(group, 0) + 1
    return months


def _group(key: str) -> str:
    return {"disclosed": "予以公开", "partially_disclosed": "部分公开"}.get(key) or \
        {"withheld": "不予公开", "cannot": "无法提供", "not_processed": "不予处理", "other": "其他处理"}[key.split(".")[0]]


def corrections(session, year: int) -> dict:
    """Art. 41 requests: received in the year, and those answered in it by result."""
    counts = {"received": 0, **dict.fromkeys(CORRECTION_RESULTS, 0)}
    for req in session.scalars(select(InformationRequest).where(InformationRequest.kind == "correction")):
        counts["received"] += req.receipt_on.year == year
        if req.outcome == "correction" and req.closed_on and req.closed_on.year == year:
            counts[req.outcome_reason] += 1
    return counts


def fees_collected(session, year: int) -> dict:
    paid = [r.fee for r in session.scalars(select(InformationRequest).where(InformationRequest.fee.is_not(None)))
            if (r.fee or {}).get("paid_on", "") and str(r.fee["paid_on"]).startswith(str(year))]
    return {"count": len(paid), "amount": sum(int(f.get("amount") or 0) for f in paid)}


def annual(actor, year: int) -> dict:
    """The whole report for `year` as data (the page, the API and the downloads render this)."""
    _require_reader(actor)
    if not 2008 <= int(year) <= 2100:
        raise NotFound("年份无效 (no report for that year)")
    with reading() as s:
        text = s.scalar(select(AnnualReportText).where(AnnualReportText.year == year))
        figures = dict(text.figures or {}) if text else {}
        fees = fees_collected(s, year)
        agency = agencies.root(s)
        month, day = PUBLISH_BY[agency["kind"]]
        return {"year": year, "agency": agency["name"], "publish_by": date(year + 1, month, day).isoformat(),
                "format": "国办公开办函〔2021〕30号",
                "overview": text.overview if text else "", "section2": proactive_section(s, year, figures),
                "section3": requests_table(s, year), "section4": proceedings_section(s, year),
                "problems": text.problems if text else "",
                "other_matters": (text.other_matters if text else "") or "",
                "fees_collected": fees, "by_month": by_month(s, year), "entered_figures": figures,
                "corrections": corrections(s, year),
                "versions": _versions(s, year)}


def _versions(session, year: int) -> list[dict]:
    """The published versions of the year's report; a reopened one awaits a new version."""
    rows = session.scalars(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year)
                           .order_by(AnnualReportSnapshot.version))
    return [{"version": r.version, "published_at": r.published_at.isoformat(), "reopened_reason": r.reopened_reason}
            for r in rows]


def save_text(actor, year: int, data: dict) -> dict:
    """Save the staff-written parts: overview (1), problems (5), other matters (6), entered figures."""
    require_writer(actor)
    figures = data.get("figures") or {}
    if not isinstance(figures, dict) or set(figures) - set(ENTERED_FIGURES):
        raise Invalid(f"只能录入以下数字 (figures among): {', '.join(ENTERED_FIGURES)}", fields={"figures": ["invalid"]})
    for key, value in figures.items():
        # JSON lets Infinity and NaN through; stored, they broke the report until corrected.
        if (isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
                or not 0 <= value <= MAX_FIGURE):
            raise Invalid(f"{key} 应为 0 至 {MAX_FIGURE} 的数 (a number from 0 to {MAX_FIGURE})",
                          fields={key: ["invalid"]})
    with transaction() as s:
        row = s.scalar(select(AnnualReportText).where(AnnualReportText.year == year)) or AnnualReportText(year=year)
        for key in ("overview", "problems", "other_matters"):
            if key in data:
                setattr(row, key, str(data.get(key) or "")[:20000])
        if "figures" in data:
            row.figures = {**(row.figures or {}), **figures}
        row.updated_by, row.updated_at = actor.username, utcnow()
        s.add(row)
        audit.record(s, "annual_report_edited", actor=actor, year=year)
    return {"year": year, "saved": True}


def add_proceeding(actor, year: int, data: dict) -> dict:
    """Enter a reconsideration or lawsuit about disclosure (section four)."""
    require_writer(actor)
    kinds, results = dict(PROCEEDING_KINDS), dict(PROCEEDING_RESULTS)
    errors = {}
    if not isinstance(data.get("kind"), str) or data["kind"] not in kinds:
        errors["kind"] = [f"应为 (one of): {', '.join(kinds)}"]
    if not isinstance(data.get("result"), str) or data["result"] not in results:
        errors["result"] = [f"应为 (one of): {', '.join(results)}"]
    with transaction() as s:
        request_id = _linked_request(s, actor, data.get("request_id"), errors)
        if errors:
            raise Invalid("复议诉讼信息有误 (invalid proceeding)", fields=errors)
        row = LegalProceeding(year=year, kind=data["kind"], result=data["result"], request_id=request_id,
                              case_no=str(data.get("case_no") or "")[:100] or None,
                              note=str(data.get("note") or "") or None, entered_by=actor.username)
        s.add(row)
        s.flush()
        audit.record(s, "proceeding_entered", actor=actor, request_id=row.request_id, kind=row.kind, result=row.result)
        return {"id": row.id, "year": year, "kind": row.kind, "result": row.result}


def _linked_request(session, actor, value, errors) -> int | None:
    """The request a proceeding is about (optional), looked up by the rule of the request's own page;
    an unknown one, or one the caller may not see, is a field error."""
    if value in (None, "") or isinstance(value, bool):
        if isinstance(value, bool):
            errors["request_id"] = ["应为申请的编号 (must be a request id)"]
        return None
    try:
        return records.get_for(session, actor, value).id
    except (NotFound, Forbidden) as exc:
        errors["request_id"] = [exc.message]
        return None


def require_writer(actor):
    if not (actor.is_admin or actor.has_role("publisher")):
        raise Forbidden("只有公开专员和管理员可以编辑年度报告 (publishers and admins)")


def update_proceeding(actor, proceeding_id: int, data: dict) -> dict:
    """A case moves on: 尚未审结 becomes its result (the year's section four changes with it)."""
    require_writer(actor)
    results = dict(PROCEEDING_RESULTS)
    if data.get("result") not in results:
        raise Invalid("复议诉讼结果有误", fields={"result": [f"应为 (one of): {', '.join(results)}"]})
    with transaction() as s:
        row = s.get(LegalProceeding, proceeding_id)
        if row is None:
            raise NotFound("没有这条复议诉讼记录 (no such proceeding)")
        before, row.result = row.result, data["result"]
        audit.record(s, "proceeding_updated", actor=actor, request_id=row.request_id, kind=row.kind,
                     before=before, result=row.result)
        return {"id": row.id, "year": row.year, "kind": row.kind, "result": row.result}
