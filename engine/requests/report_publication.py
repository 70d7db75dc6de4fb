"""Publishing the annual report: a frozen snapshot per version, shown on a public page.

Once a year's report is published its figures no longer move with the data: the public reads the
snapshot. A request backdated into that year is refused at intake unless an admin gives a reason,
which reopens the report: a new version is then due, published the same way. The staff-only identity check is dropped from what is published.
"""

from sqlalchemy import func, select

from engine import audit, calendar
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import AnnualReportSnapshot
from engine.models.types import utcnow
from engine.requests import report

INTERNAL = ("entered_figures", "versions")


def publish(actor, year: int) -> dict:
    """Freeze the report for `year` as its next version (publisher or admin)."""
    report.require_writer(actor)
    if year >= calendar.today_in_china().year:
        raise Invalid(f"{year}年尚未结束，不能发布其年度报告 (the year has not ended)", fields={"year": ["not ended"]})
    content = report.annual(actor, year)
    if not content["section3"]["identity"]["holds"]:
        raise Invalid("第三部分勾稽关系不成立，请核对后再发布 (section 3 does not add up)",
                      fields={"section3": ["新收 + 上年结转 ≠ 总计 + 结转下年度"]})
    public = {k: v for k, v in content.items() if k not in INTERNAL}
    public["section3"] = {k: v for k, v in content["section3"].items() if k != "identity"}
    with transaction() as s:
        version = int(s.scalar(select(func.max(AnnualReportSnapshot.version))
                               .where(AnnualReportSnapshot.year == year)) or 0) + 1
        row = AnnualReportSnapshot(year=year, version=version, content=public, published_by=actor.username)
        s.add(row)
        s.flush()
        audit.record(s, "annual_report_published", actor=actor, year=year, version=version)
        return _view(row)


def _view(row) -> dict:
    return {"year": row.year, "version": row.version, "published_at": row.published_at.isoformat(),
            "late": row.published_at.date().isoformat() > row.content.get("publish_by", "9999"),
            "reopened_reason": row.reopened_reason,
            "reopened_at": row.reopened_at.isoformat() if row.reopened_at else None}


def published(year: int) -> dict:
    """The latest published version of `year`'s report, for anyone."""
    with reading() as s:
        row = s.scalar(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year)
                       .order_by(AnnualReportSnapshot.version.desc()).limit(1))
        if row is None:
            raise NotFound(f"{year}年度报告尚未发布 (not published)")
        return {**row.content, "published": _view(row)}


def versions(session, year: int) -> list[dict]:
    rows = session.scalars(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year)
                           .order_by(AnnualReportSnapshot.version))
    return [_view(r) for r in rows]


def is_published(session, year: int) -> bool:
    return latest(session, year) is not None


def latest(session, year: int) -> AnnualReportSnapshot | None:
    return session.scalar(select(AnnualReportSnapshot).where(AnnualReportSnapshot.year == year)
                          .order_by(AnnualReportSnapshot.version.desc()).limit(1))


def reopen(session, year: int, actor, reason: str | None) -> None:
    """Let something be recorded into a published year: an admin's reason is required, and the
    published version is marked as needing a new one (the public keeps seeing it until then)."""
    snapshot = latest(session, year)
    if snapshot is None:
        return
    if not (getattr(actor, "is_admin", False) and str(reason or "").strip()):
        raise Invalid(f"{year}年度报告已发布，登记该年度的申请须由管理员说明理由并重新打开该报告 "
                      "(that year's report is published: an admin must give a reason)",
                      fields={"received_on": ["该年度报告已发布 (the annual report of that year is published)"],
                              "backdate_reason": ["管理员填写理由后方可登记 (an admin's reason is required)"]})
    snapshot.reopened_reason, snapshot.reopened_at = str(reason).strip()[:2000], utcnow()
    audit.record(session, "annual_report_reopened", actor=actor, year=year, version=snapshot.version,
                 reason=snapshot.reopened_reason)


def published_years() -> list[int]:
    with reading() as s:
        return sorted(set(s.scalars(select(AnnualReportSnapshot.year))), reverse=True)
