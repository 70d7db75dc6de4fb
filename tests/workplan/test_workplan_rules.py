"""The deadlines the plans carry, as DMN rows the office edits: the 公示 minimum period and the
财政专项扶贫资金分配使用方案 60 working days; and the year-end summary for the annual report."""

from datetime import date

import pytest

from engine import users
from engine.errors import Invalid
from engine.workflow import definitions
from engine.workflow.definitions import SHIPPED
from engine.workplan import rules
from tests.support.workplan import create_plan


def test_a_publicity_may_not_end_before_its_minimum_period(settings):
    rules.check_withdrawal(date(2026, 11, 2), date(2026, 11, 12))  # ten days up: it may end
    with pytest.raises(Invalid) as refused:
        rules.check_withdrawal(date(2026, 11, 2), date(2026, 11, 9))
    assert "2026-11-12" in refused.value.message and refused.value.fields["withdraw_on"] == ["最早 2026-11-12"]


def test_the_poverty_fund_plan_is_due_sixty_working_days_after_the_congress(settings):
    # The session ends on Friday 16 January 2026. Counted: 20 days to 13 Feb, the make-up Saturdays
    # 14 and 28 Feb, not the Spring Festival (15–23 Feb) nor Qingming (4–6 Apr): the 60th is 17 April.
    due = rules.poverty_fund_plan_due(date(2026, 1, 16))
    assert due == date(2026, 4, 17)


def test_the_office_changes_the_period_in_the_decision_table(settings):
    xml = (SHIPPED / rules.FILE).read_text(encoding="utf-8")
    changed = xml.replace('<outputEntry id="workplan_deadlines_r0_days"><text>10</text>',
                          '<outputEntry id="workplan_deadlines_r0_days"><text>15</text>')
    definitions.save_decision_file(users.by_username("admin"), rules.FILE, changed)
    assert rules.publicity_may_end_on(date(2026, 11, 2)) == date(2026, 11, 17)


def test_the_year_summary_is_a_draft_for_the_annual_reports_overview(staff):
    office = staff("office1")
    plan_id = create_plan(office)
    summary = office.get(f"/api/workplans/{plan_id}/summary").get_json()
    assert summary["text"].startswith("2026年，按照《2026年示例县政务公开工作要点》，全年共分解政务公开重点任务3项")
    assert "在“加强重点领域信息公开”方面，2项任务已完成0项。" in summary["text"]


def test_reports_fall_due_at_the_start_of_each_month_or_quarter():
    from engine.workplan.plans import first_report_at
    from engine.workplan.progress import period_start

    assert first_report_at("P1M", date(2026, 11, 2)) == "2026-12-01T09:00:00+08:00"
    assert first_report_at("P1M", date(2026, 12, 31)) == "2027-01-01T09:00:00+08:00"
    assert first_report_at("P3M", date(2026, 11, 2)) == "2027-01-01T09:00:00+08:00"
    assert first_report_at("P3M", date(2026, 2, 10)) == "2026-04-01T09:00:00+08:00"
    assert (period_start("P1M", date(2026, 11, 20)), period_start("P3M", date(2026, 11, 20))) == (
        date(2026, 11, 1), date(2026, 10, 1))
