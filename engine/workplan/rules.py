"""Deadlines the plans carry, read from the editable DMN table `workplan_deadlines.dmn`.

公示 items stay public for at least their minimum period (the seed: 不得少于10天): withdrawing one
earlier is refused with the day it may end. 财政专项扶贫资金分配使用方案 is due within 60 working days
after the people's congress session ends. The office changes the numbers in the DMN editor.
"""

from datetime import date, timedelta

from engine import calendar
from engine.errors import Invalid
from engine.workflow import decisions

FILE = "workplan_deadlines.dmn"


def lookup(kind: str, session=None) -> dict:
    """The first row matching `kind` (an empty input entry matches anything): days, unit, rule."""
    row = decisions.first_row(FILE, kind, session)
    if row is None:
        raise Invalid(f"时限规则表中没有“{kind}” (no deadline rule for {kind})", fields={"kind": ["unknown"]})
    return {**row, "days": int(row["days"])}


def add_period(start: date, rule: dict) -> date:
    """`start` plus the row's days, calendar or working as the row says."""
    if rule.get("unit") == "working":
        return calendar.add_working_days(start, rule["days"])
    return start + timedelta(days=rule["days"])


def publicity_may_end_on(published_on: date, kind: str = "publicity") -> date:
    """The first day a 公示 published on `published_on` may be taken down."""
    return add_period(published_on, lookup(kind))


def check_withdrawal(published_on: date, on: date, kind: str = "publicity") -> None:
    """Refuse to end a 公示 before its minimum period, naming the day it may end."""
    may_end = publicity_may_end_on(published_on, kind)
    if on < may_end:
        days = lookup(kind)["days"]
        raise Invalid(f"公示期不得少于{days}天，{may_end.isoformat()}起方可撤下 (it may be taken down from "
                      f"{may_end.isoformat()} on)", fields={"withdraw_on": [f"最早 {may_end.isoformat()}"]})


def poverty_fund_plan_due(congress_ends_on: date, session=None) -> date:
    """The last day to publish 财政专项扶贫资金分配使用方案 after the people's congress session."""
    return due_after("poverty_fund_plan", congress_ends_on, session)


def due_after(kind: str, start: date, session=None) -> date:
    """The last day of a `within` rule counted from `start` (working days where the row says so)."""
    return add_period(start, lookup(kind, session))
