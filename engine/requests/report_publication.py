"""Publishing the annual report: a frozen snapshot per version, shown on a public page.

Once a year's report is published its figures no longer move with the data: the public reads the
snapshot. A later change to that year (a backdated request is refused at intake) needs a new version,
published the same way. The staff-only identity check is dropped from what is published.
"""

from sqlalchemy import func, select

from engine import audit, calendar
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import AnnualReportSnapshot
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
            "late": row.published_at.date().isoformat() > row.content.get("publish_by", "9999")}


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
    return session.scalar(select(AnnualReportSnapshot.id).where(AnnualReportSnapshot.year == year).limit(1)) is not None


def published_years() -> list[int]:
    with reading() as s:
        return sorted(set(s.scalars(select(AnnualReportSnapshot.year))), reverse=True)
