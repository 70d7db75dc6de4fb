"""公示 (publicity notices): which documents are one, and their period.

A 公示 stays public at least its minimum period, read from the editable DMN table
`workplan_deadlines.dmn`: the row "publicity:<category>" where a category has its own period (a 重大
行政决策's 公开征求意见 at least 30 days, 国务院令第713号 第十四条), else the row "publicity" (the seed:
公告公示时间原则上不得少于10天). The drafter marks a document as
a 公示 (a 社会救助公示 always is one) and may plan its last day (公示期至): it then comes down by
itself after that day (`takedown.sweep_ended`), never before the minimum period is over.
"""

import logging
from datetime import date, timedelta

from engine import calendar, clock
from engine.errors import Invalid
from engine.workplan import rules

log = logging.getLogger(__name__)

KIND = "publicity"  # the DMN row the period is read from
ALWAYS = {"social_assistance"}  # categories that are a 公示 by their nature
TRUE, FALSE = {"1", "true", "on", "yes", "是"}, {"", "0", "false", "off", "no", "否"}


def clean(data: dict, category: str, errors: dict) -> dict:
    """Read the 公示 flag and planned last day of a submission (a planned day makes it a 公示)."""
    flag = _flag(data.get("publicity"), errors)
    until = calendar.parse_day(data.get("publicity_until"), "publicity_until", errors)
    if until is not None:
        earliest = last_day(clock.today(), category)  # published today at the earliest
        if until < earliest:
            errors["publicity_until"] = [f"公示期不得少于{minimum_days(category)}天，公示期至最早为"
                                         f"{earliest.isoformat()} (the period ends on {earliest.isoformat()} at the earliest)"]
    return {"publicity": bool(flag or until or category in ALWAYS),
            "publicity_until": until.isoformat() if until else None}


def _flag(value, errors) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text not in TRUE | FALSE:
        errors["publicity"] = ["应为是或否 (true or false)"]
    return text in TRUE


def kind_for(category: str | None, session=None) -> str:
    """The DMN row a category's 公示 period is read from: its own, else the general one."""
    own = f"{KIND}:{category}"
    try:
        rules.lookup(own, session)
    except Invalid:
        return KIND
    return own


def minimum_days(category: str | None = None) -> int:
    return rules.lookup(kind_for(category))["days"]


def may_end_on(published_on: date, category: str | None = None) -> date:
    """The first day a 公示 published on `published_on` may come down (the DMN table's period)."""
    return rules.publicity_may_end_on(published_on, kind_for(category))


def last_day(published_on: date, category: str | None = None) -> date:
    """The last day of the minimum period: the 公示 is up through this day."""
    return may_end_on(published_on, category) - timedelta(days=1)


def rule(category: str | None = None) -> dict | None:
    """The DMN row of a category's 公示 period; None when the office deleted it (the catalogue still
    shows, taking down then says what to fix)."""
    try:
        return rules.lookup(kind_for(category))
    except Invalid:
        log.warning("workplan_deadlines.dmn has no row %r: 公示 shown without a minimum period", KIND)
        return None


def rule_for(docs) -> dict:
    """The rows once for a list, by category: read only for the categories of its 公示s."""
    return {category: rule(category) for category in {d.category for d in docs if d.publicity}}


def period(doc, rows: dict | None = None) -> dict | None:
    """The 公示期 as the public and staff see it: from the publication day to the planned last day
    (never shorter than the minimum), the minimum in days and the first day it may come down.
    `rows` are `rule_for`'s, when a list read them once."""
    if not doc.publicity:
        return None
    row = (rows or {}).get(doc.category) or rule(doc.category) or {"days": 0, "unit": "calendar", "missing": True}
    published_on = calendar.as_date(doc.published_at) if doc.published_at else None
    until = doc.publicity_until
    if published_on is None or row.get("missing"):
        return {"from": clock.iso(published_on), "to": clock.iso(until), "min_days": row["days"], "unit": row["unit"],
                "may_end_on": None}
    ends = rules.add_period(published_on, row)
    to = max(until, ends - timedelta(days=1)) if until else None
    return {"from": clock.iso(published_on), "to": clock.iso(to), "min_days": row["days"], "unit": row["unit"],
            "may_end_on": clock.iso(ends)}


def comes_down_on(doc) -> date | None:
    """The day a 公示 with a planned last day comes down by itself (None: it stays until taken down)."""
    if not doc.publicity or doc.publicity_until is None or doc.published_at is None:
        return None
    return max(doc.publicity_until + timedelta(days=1), may_end_on(calendar.as_date(doc.published_at), doc.category))
