"""The annual report on government information disclosure (Art. 49), national format 国办公开办函〔2021〕30号.

Each agency has its own report (`agency_for`): the installation's, and one per department that is
its own 行政机关, each counting what its departments did — itself and the internal offices under it
(`agencies.speakers`). Section 2 counts the documents in the system, section 3 the requests
handled through the procedure, section 4 the proceedings staff entered; sections 1, 5 and 6 are
staff text. A figure
the system holds is never typed in; the few it does not hold (规章, repeals, 行政强制, fee amounts)
are entered and marked as such. Section 3 is checked: 新收 + 上年结转 = 总计 + 结转下年度 per column.
"""

import math
from datetime import date

from sqlalchemy import extract, func, or_, select

from engine import access, agencies, audit, calendar, clock, supervision
from engine.db import reading, transaction
from engine.disclosure import EVER_PUBLISHED, catalogue
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import (
    AnnualReportSnapshot,
    AnnualReportText,
    Document,
    InformationRequest,
    LegalProceeding,
    RequestNotice,
)
from engine.requests import (
    CORRECTION_RESULTS,
    NOT_PROCESSED_REASONS,
    OTHER_REASONS,
    REASON_NAMES,
    WITHHELD_REASONS,
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
ROOT = agencies.ROOT


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


def agency_for(session, actor, value=None, write=False) -> dict:
    """The agency whose report is asked for, if `actor` may read it (or write it): `value` is "root",
    the id of a department with its own agency name, or empty for the caller's own agency.
    Returns its identity with `key` (0 for the installation) and the departments that speak as it."""
    agency = agencies.identity(session, actor.department_id) if value in (None, "") else named(session, value)
    refusal = access.report_refusal(session, actor, agency["department_id"], agency["name"], write)
    if refusal:
        raise Forbidden(refusal)
    return {**agency, "key": agency["department_id"] or 0, "speakers": agencies.speakers(session, agency["department_id"])}


def named(session, value) -> dict:
    """The agency a URL names: "root" for the installation, else a department with its own agency name."""
    agency = agencies.named(session, value)
    if agency is None:
        raise NotFound("没有这个机关：agency 应为 root 或有独立机关名称的部门编号 "
                       "(no such agency: root, or the id of a department with its own agency name)")
    return {**agency, "key": agency["department_id"] or 0}


def readable_agencies(actor) -> list[dict]:
    """The agencies whose report `actor` may read (the page lets an admin switch between them)."""
    with reading() as s:
        return [{"id": a["department_id"], "name": a["name"]} for a in agencies.all_agencies(s)
                if access.may_read_report(s, actor, a["department_id"])]


def year_arg(value) -> int:
    """A report year from a query string."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    if not 2008 <= year <= 2100:
        raise Invalid("year 应为 2008 至 2100 的年份 (a year from 2008 to 2100)", fields={"year": ["invalid"]})
    return year


def _requests_of(agency):
    """SQL: the requests answered in the agency's name (the receiving department's, as `agencies.for_request`)."""
    dept = func.coalesce(InformationRequest.intake_department_id, InformationRequest.department_id)
    return or_(dept.in_(agency["speakers"]), dept.is_(None)) if agency["key"] == 0 else dept.in_(agency["speakers"])


def _documents_of(agency):
    """SQL: the documents of the departments that speak as the agency (no department: the installation's)."""
    dept = Document.department_id
    return or_(dept.in_(agency["speakers"]), dept.is_(None)) if agency["key"] == 0 else dept.in_(agency["speakers"])


def requests_table(session, year: int, agency: dict) -> dict:
    """Section three: counts per row and column, and whether the identity holds per column."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = {key: dict.fromkeys([k for k, _ in COLUMNS], 0) for key, _g, _l in ROWS}
    # Art. 41 correction requests are not 政府信息公开申请: counted apart (`corrections`).
    rows = session.scalars(select(InformationRequest).where(InformationRequest.receipt_on <= last, _requests_of(agency),
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


def proactive_section(session, year: int, figures: dict, agency: dict) -> dict:
    """Section two: documents published in `year` by category, plus the figures entered by staff."""
    def published(*where):
        query = select(func.count()).select_from(Document).where(
            _documents_of(agency), Document.status.in_(EVER_PUBLISHED), Document.published_at.is_not(None), *where)
        return int(session.scalar(query.where(extract("year", Document.published_at) == year)) or 0)

    return {"regulations": [
        {"label": "规章", "issued": int(figures.get("rules_issued") or 0), "repealed": int(figures.get("rules_repealed") or 0),
         "in_force": int(figures.get("rules_in_force") or 0), "source": "entered"},
        {"label": "行政规范性文件", **normative_counts(session, year, agency), "source": "system"}],
        "licensing": published(Document.category == "licensing"), "penalty": published(Document.category == "penalty"),
        "coercion": int(figures.get("coercion") or 0), "fees_amount": float(figures.get("fees_amount") or 0),
        "proactive_published": published()}


def normative_counts(session, year: int, agency: dict) -> dict:
    """规范性文件: issued (成文) in the year, repealed or expired in it, and in force on 31 December."""
    year_end = date(year, 12, 31)
    issued = repealed = in_force = 0
    for doc in session.scalars(select(Document).where(Document.category == "normative", Document.status.in_(EVER_PUBLISHED),
                                                      _documents_of(agency))):
        formed = doc.formed_on or calendar.as_date(doc.published_at)
        issued += formed.year == year
        repealed += doc.validity != "valid" and doc.validity_on is not None and doc.validity_on.year == year
        in_force += formed <= year_end and catalogue.validity_on(doc, year_end) == "valid"
    return {"issued": issued, "repealed": repealed, "in_force": in_force}


def proceedings_section(session, year: int, agency: dict) -> dict:
    counts = {k: {**dict.fromkeys((r for r, _ in PROCEEDING_RESULTS), 0), "total": 0} for k, _ in PROCEEDING_KINDS}
    cases = list(session.scalars(select(LegalProceeding).where(LegalProceeding.year == year,
                                                               LegalProceeding.agency_id == agency["key"])
                                 .order_by(LegalProceeding.id)))
    for p in cases:
        counts[p.kind][p.result] += 1
        counts[p.kind]["total"] += 1
    return {"kinds": [{"key": k, "name": n, "values": counts[k]} for k, n in PROCEEDING_KINDS],
            "cases": [{"id": p.id, "kind": p.kind, "result": p.result, "case_no": p.case_no} for p in cases],
            "results": [{"key": k, "name": n} for k, n in PROCEEDING_RESULTS] + [{"key": "total", "name": "总计"}]}


def by_month(session, year: int, agency: dict) -> list[dict]:
    """Requests received and closed per month, closed ones by outcome group (for the chart)."""
    months = [{"month": m, "received": 0, "groups": {}} for m in range(1, 13)]
    for req in session.scalars(select(InformationRequest).where(InformationRequest.kind != "correction",
                                                                _requests_of(agency))):
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


def corrections(session, year: int, agency: dict) -> dict:
    """Art. 41 requests: received in the year, and those answered in it by result."""
    counts = {"received": 0, **dict.fromkeys(CORRECTION_RESULTS, 0)}
    for req in session.scalars(select(InformationRequest).where(InformationRequest.kind == "correction",
                                                                _requests_of(agency))):
        counts["received"] += req.receipt_on.year == year
        if req.outcome == "correction" and req.closed_on and req.closed_on.year == year:
            counts[req.outcome_reason] += 1
    return counts


def fees_collected(session, year: int, agency: dict) -> dict:
    paid = [r.fee for r in session.scalars(select(InformationRequest).where(InformationRequest.fee.is_not(None),
                                                                          _requests_of(agency)))
            if (r.fee or {}).get("paid_on", "") and str(r.fee["paid_on"]).startswith(str(year))]
    return {"count": len(paid), "amount": sum(int(f.get("amount") or 0) for f in paid)}


def fee_notices(session, year: int, agency: dict) -> dict:
    """收费通知书 issued in the year (国办函〔2020〕109号): how many went out and for how much."""
    rows = session.scalars(select(RequestNotice).join(InformationRequest, InformationRequest.id == RequestNotice.request_id)
                           .where(RequestNotice.kind == "fee", _requests_of(agency)))
    issued = [n for n in rows if calendar.as_date(n.created_at).year == year]
    return {"count": len(issued), "amount": sum(int((n.data or {}).get("amount") or 0) for n in issued)}


def annual(actor, year: int, agency=None) -> dict:
    """The whole report of an agency (`agency_for`) for `year` as data (the page, the API and the
    downloads render this)."""
    with reading() as s:
        agency = agency_for(s, actor, agency)
        if not 2008 <= int(year) <= 2100:
            raise NotFound("年份无效 (no report for that year)")
        text = _text(s, agency, year)
        figures = dict(text.figures or {}) if text else {}
        month, day = PUBLISH_BY[agency["kind"]]
        return {"year": year, "agency": agency["name"], "agency_id": agency["department_id"],
                "agency_kind": agency["kind"], "publish_by": date(year + 1, month, day).isoformat(),
                "format": "国办公开办函〔2021〕30号",
                "overview": text.overview if text else "", "section2": proactive_section(s, year, figures, agency),
                "section3": requests_table(s, year, agency), "section4": proceedings_section(s, year, agency),
                "problems": text.problems if text else "",
                "other_matters": (text.other_matters if text else "") or "",
                "fees_collected": fees_collected(s, year, agency), "fee_notices": fee_notices(s, year, agency),
                "supervision": supervision.counts(s, year, agency["key"]), "by_month": by_month(s, year, agency),
                "entered_figures": figures, "corrections": corrections(s, year, agency),
                "versions": _versions(s, year, agency)}


def _text(session, agency: dict, year: int) -> AnnualReportText | None:
    return session.scalar(select(AnnualReportText).where(AnnualReportText.agency_id == agency["key"],
                                                         AnnualReportText.year == year))


def _versions(session, year: int, agency: dict) -> list[dict]:
    """The published versions of the year's report; a reopened one awaits a new version."""
    rows = session.scalars(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year,
                                                              AnnualReportSnapshot.agency_id == agency["key"])
                           .order_by(AnnualReportSnapshot.version))
    return [{"version": r.version, "published_at": r.published_at.isoformat(), "reopened_reason": r.reopened_reason}
            for r in rows]


def save_text(actor, year: int, data: dict, agency=None) -> dict:
    """Save the staff-written parts: overview (1), problems (5), other matters (6), entered figures."""
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
        agency = agency_for(s, actor, agency, write=True)
        row = _text(s, agency, year) or AnnualReportText(agency_id=agency["key"], year=year)
        for key in ("overview", "problems", "other_matters"):
            if key in data:
                setattr(row, key, str(data.get(key) or "")[:20000])
        if "figures" in data:
            row.figures = {**(row.figures or {}), **figures}
        row.updated_by, row.updated_at = actor.username, clock.now()
        s.add(row)
        audit.record(s, "annual_report_edited", actor=actor, year=year, agency=agency["name"])
    return {"year": year, "agency_id": agency["department_id"], "saved": True}


def add_proceeding(actor, year: int, data: dict, agency=None) -> dict:
    """Enter a reconsideration or lawsuit about disclosure (section four of the agency's report)."""
    kinds, results = dict(PROCEEDING_KINDS), dict(PROCEEDING_RESULTS)
    errors = {}
    if not isinstance(data.get("kind"), str) or data["kind"] not in kinds:
        errors["kind"] = [f"应为 (one of): {', '.join(kinds)}"]
    if not isinstance(data.get("result"), str) or data["result"] not in results:
        errors["result"] = [f"应为 (one of): {', '.join(results)}"]
    with transaction() as s:
        agency = agency_for(s, actor, agency, write=True)
        request_id = _linked_request(s, actor, data.get("request_id"), agency, errors)
        if errors:
            raise Invalid("复议诉讼信息有误 (invalid proceeding)", fields=errors)
        row = LegalProceeding(year=year, agency_id=agency["key"], kind=data["kind"], result=data["result"], request_id=request_id,
                              case_no=str(data.get("case_no") or "")[:100] or None,
                              note=str(data.get("note") or "") or None, entered_by=actor.username)
        s.add(row)
        s.flush()
        audit.record(s, "proceeding_entered", actor=actor, request_id=row.request_id, kind=row.kind, result=row.result)
        return {"id": row.id, "year": year, "agency_id": agency["department_id"], "kind": row.kind,
                "result": row.result}


def _linked_request(session, actor, value, agency, errors) -> int | None:
    """The request a proceeding is about (optional), looked up by the rule of the request's own page;
    an unknown one, one the caller may not see, or another agency's, is a field error."""
    if value in (None, "") or isinstance(value, bool):
        if isinstance(value, bool):
            errors["request_id"] = ["应为申请的编号 (must be a request id)"]
        return None
    try:
        req = access.request_for(session, actor, value)
    except NotFound as exc:
        errors["request_id"] = [exc.message]
        return None
    if agencies.for_request(session, req)["department_id"] != agency["department_id"]:
        errors["request_id"] = [f"该申请不是以{agency['name']}名义答复的 (a request of another agency)"]
        return None
    return req.id


def update_proceeding(actor, proceeding_id: int, data: dict) -> dict:
    """A case moves on: 尚未审结 becomes its result (the year's section four changes with it)."""
    results = dict(PROCEEDING_RESULTS)
    with transaction() as s:
        row = s.get(LegalProceeding, access.as_id(proceeding_id)) if access.as_id(proceeding_id) else None
        if row is None:
            raise NotFound("没有这条复议诉讼记录 (no such proceeding)")
        agency_for(s, actor, row.agency_id or ROOT, write=True)
        if data.get("result") not in results:
            raise Invalid("复议诉讼结果有误", fields={"result": [f"应为 (one of): {', '.join(results)}"]})
        before, row.result = row.result, data["result"]
        audit.record(s, "proceeding_updated", actor=actor, request_id=row.request_id, kind=row.kind,
                     before=before, result=row.result)
        return {"id": row.id, "year": row.year, "agency_id": row.agency_id or None, "kind": row.kind,
                "result": row.result}
