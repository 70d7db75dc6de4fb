"""Publishing the annual report: each agency's frozen snapshot per version, shown on a public page.

Once an agency's report of a year is published its figures no longer move with the data: the public
reads the snapshot. A request backdated into that year, answered in that agency's name, is refused
at intake unless an admin gives a reason, which reopens that report: a new version is then due,
published the same way. The staff-only identity check is dropped from what is published, and the
staff-written text passes through de-identification (`engine.deid`, as documents do) first.
"""

from sqlalchemy import func, select

from engine import agencies, audit, clock
from engine.db import reading, transaction
from engine.deid import deidentify
from engine.errors import Invalid, NotFound
from engine.models import AnnualReportSnapshot
from engine.requests import report

INTERNAL = ("entered_figures", "versions")
# The staff-written parts. The annual report names no one on purpose (it is neither disciplinary
# publicity nor a mandatory disclosure), so the general policy applies to all three.
FREE_TEXT = ("overview", "problems", "other_matters")


def publish(actor, year: int, agency=None) -> dict:
    """Freeze the agency's report for `year` as its next version (its publisher, or an admin)."""
    with reading() as s:
        scope = report.agency_for(s, actor, agency, write=True)
    if year >= clock.today().year:
        raise Invalid(f"{year}年尚未结束，不能发布其年度报告 (the year has not ended)", fields={"year": ["not ended"]})
    content = report.annual(actor, year, scope["department_id"] or report.ROOT)
    if not content["section3"]["identity"]["holds"]:
        raise Invalid("第三部分勾稽关系不成立，请核对后再发布 (section 3 does not add up)",
                      fields={"section3": ["新收 + 上年结转 ≠ 总计 + 结转下年度"]})
    public = {k: v for k, v in content.items() if k not in INTERNAL}
    public["section3"] = {k: v for k, v in content["section3"].items() if k != "identity"}
    redacted = deidentify_text(public)
    with transaction() as s:
        version = int(s.scalar(select(func.max(AnnualReportSnapshot.version)).where(
            AnnualReportSnapshot.year == year, AnnualReportSnapshot.agency_id == scope["key"])) or 0) + 1
        row = AnnualReportSnapshot(agency_id=scope["key"], year=year, version=version, content=public,
                                   published_by=actor.username)
        s.add(row)
        s.flush()
        # Counts only: the findings themselves are the personal data kept out of the snapshot.
        audit.record(s, "annual_report_published", actor=actor, year=year, version=version, agency=scope["name"],
                     deidentified={k: len(v) for k, v in redacted.items()})
        return {**_view(row), "deidentified": redacted}


def deidentify_text(content: dict) -> dict:
    """Replace the free text of `content` by its de-identified version; return what was redacted per
    field as [{kind, replacement}] (shown to the publisher, who publishes a new version if it is wrong).

    Automatic rather than confirmed finding by finding: the writer of this text is the publisher, who
    has no reason to keep a person's name or number in a statistical report, and the published
    result is shown to them at once."""
    out = {}
    for field in FREE_TEXT:
        result = deidentify(content.get(field) or "", category="general")
        content[field] = result.text
        out[field] = [{"kind": f.kind, "replacement": f.replacement} for f in result.findings if f.redacted]
    return out


def _view(row) -> dict:
    return {"year": row.year, "version": row.version, "agency": row.content.get("agency"),
            "agency_id": row.agency_id or None, "published_at": row.published_at.isoformat(),
            "late": row.published_at.date().isoformat() > row.content.get("publish_by", "9999"),
            "reopened_reason": row.reopened_reason,
            "reopened_at": row.reopened_at.isoformat() if row.reopened_at else None}


def published(year: int, agency=None) -> dict:
    """The latest published version of an agency's report of `year` (default: the installation's), for anyone."""
    with reading() as s:
        row = latest(s, year, report.named(s, agency or report.ROOT)["key"])
        if row is None:
            raise NotFound(f"{year}年度报告尚未发布 (not published)")
        return {**row.content, "published": _view(row)}


def published_of_year(year: int) -> list[dict]:
    """Every agency's latest published report of `year`: the installation's first, then by name."""
    with reading() as s:
        order = {a["department_id"] or 0: i for i, a in enumerate(agencies.all_agencies(s))}
        keys = set(s.scalars(select(AnnualReportSnapshot.agency_id).where(AnnualReportSnapshot.year == year)))
        rows = [latest(s, year, key) for key in keys]
        return [_view(r) for r in sorted(rows, key=lambda r: (order.get(r.agency_id, len(order)), r.agency_id))]


def latest(session, year: int, agency_key: int = 0) -> AnnualReportSnapshot | None:
    return session.scalar(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year,
                                                             AnnualReportSnapshot.agency_id == agency_key)
                          .order_by(AnnualReportSnapshot.version.desc()).limit(1))


def reopen(session, year: int, actor, reason: str | None, agency_id: int | None = None) -> None:
    """Let something be recorded into a year whose report (of the agency `agency_id`, None for the
    installation) is published: an admin's reason is required, and the published version is marked
    as needing a new one (the public keeps seeing it until then)."""
    snapshot = latest(session, year, agency_id or 0)
    if snapshot is None:
        return
    if not (getattr(actor, "is_admin", False) and str(reason or "").strip()):
        raise Invalid(f"{snapshot.content.get('agency', '')}{year}年度报告已发布，登记该年度的申请须由管理员说明理由并重新打开该报告 "
                      "(that year's report is published: an admin must give a reason)",
                      fields={"received_on": ["该年度报告已发布 (the annual report of that year is published)"],
                              "backdate_reason": ["管理员填写理由后方可登记 (an admin's reason is required)"]})
    snapshot.reopened_reason, snapshot.reopened_at = str(reason).strip()[:2000], clock.now()
    audit.record(session, "annual_report_reopened", actor=actor, year=year, version=snapshot.version,
                 agency=snapshot.content.get("agency"), reason=snapshot.reopened_reason)


def published_years() -> list[int]:
    with reading() as s:
        return sorted(set(s.scalars(select(AnnualReportSnapshot.year))), reverse=True)
