"""Deadlines computed from a rule: 财政专项扶贫资金分配使用方案 within 60 working days after the
people's congress session. The preview recognises the task and shows its deadline; recording the
session's end, editing the DMN row or (un)marking a task moves the deadline and its timers, which
then remind and escalate at the new time through a real worker."""

from datetime import date
from pathlib import Path

import time_machine

from engine import admin, users
from engine.workflow.definitions import SHIPPED
from engine.workplan import rules
from tests.support.information_requests import morning
from tests.support.web import login
from tests.support.workplan import create_plan, notes_of, sweep

PLAN = """2026年示例县政务公开工作要点
一、推进脱贫攻坚信息公开
（一）公开扶贫资金信息。财政专项扶贫资金分配使用方案在本级人代会结束60个工作日内予以公开。（县财政局负责）
（二）推进社会救助信息公开。做好城乡低保对象公示工作。（县民政局负责，2026年6月底前完成）
"""
RULE_TEXT = "财政专项扶贫资金分配使用方案：人代会结束后60个工作日内"


def _tasks(api, plan_id):
    return api.get(f"/api/workplans/{plan_id}").get_json()["tasks"]


def test_the_preview_recognises_the_rule_and_shows_the_deadline_it_computes(staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 1, 5)), tick=False):
        rows = office.post("/api/workplans/import", json={"text": PLAN}).get_json()["rows"]
        assert [(r["rule"], r["rule_text"], r["due_on"]) for r in rows] == [
            ("poverty_fund_plan", RULE_TEXT, None),  # no day until the session's end is known
            (None, None, "2026-06-30")]
        again = office.post("/api/workplans/import", json={"rows": rows, "year": 2026, "congress_ends_on": "2026-01-16"})
        assert [r["due_on"] for r in again.get_json()["rows"]] == ["2026-04-17", "2026-06-30"]
        # The office unmarks the row: its deadline is the plan's words again (none: the year's end).
        unmarked = office.post("/api/workplans/import", json={"rows": [{**rows[0], "rule": None}],
                                                              "congress_ends_on": "2026-01-16"}).get_json()["rows"]
        assert (unmarked[0]["rule"], unmarked[0]["due_on"]) == (None, None)
        bad = office.post("/api/workplans/import", json={"rows": [{**rows[0], "rule": "someday"}]})
        assert bad.status_code == 422 and "rows[0].rule" in bad.get_json()["error"]["fields"]
        assert staff("liaison_cz").post("/api/workplans/import", json={"rows": rows}).status_code == 403
    # The Taishan seed's own sentence is recognised; its other 扶贫资金 rows are not.
    seed = (Path(__file__).parent / "seeds" / "taishan_2018.txt").read_text(encoding="utf-8")
    marked = [r for r in office.post("/api/workplans/import", json={"text": seed}).get_json()["rows"] if r["rule"]]
    assert len(marked) == 1 and "财政专项扶贫资金分配使用方案在本级人代会结束60个工作日内" in marked[0]["task"]


def test_the_congress_date_and_the_dmn_row_move_the_deadline_and_its_timers(app, staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 1, 5)), tick=False) as clock:
        plan_id = create_plan(office, PLAN)
        fund, relief = _tasks(office, plan_id)
        assert (fund["rule"], fund["due_on"], relief["due_on"]) == ("poverty_fund_plan", None, "2026-06-30")

        # Only the office records the session's end; a department may not, whatever it sees.
        for name in ("liaison_cz", "liaison_jy"):
            assert staff(name).patch(f"/api/workplans/{plan_id}", json={"congress_ends_on": "2026-01-16"}).status_code == 403
        bad = office.patch(f"/api/workplans/{plan_id}", json={"congress_ends_on": "1月16日"})
        assert bad.status_code == 422 and "congress_ends_on" in bad.get_json()["error"]["fields"]
        done = office.patch(f"/api/workplans/{plan_id}", json={"congress_ends_on": "2026-01-16"})
        assert done.get_json() == {"id": plan_id, "congress_ends_on": "2026-01-16", "moved": 1, "overdue": []}
        fund = _tasks(office, plan_id)[0]
        assert (fund["due_on"], fund["rule_text"]) == ("2026-04-17", RULE_TEXT)
        page = login(app.test_client(), "liaison_cz").get(f"/workplans/tasks/{fund['id']}").get_data(as_text=True)
        assert "2026-04-17" in page and RULE_TEXT in page

        # The office shortens the period in the decision table: open rule tasks follow at once.
        xml = (SHIPPED / rules.FILE).read_text(encoding="utf-8").replace(
            '<outputEntry id="workplan_deadlines_r1_days"><text>60</text>',
            '<outputEntry id="workplan_deadlines_r1_days"><text>30</text>')
        admin.save_decision_file(users.by_username("admin"), rules.FILE, xml)  # what the DMN editor's save calls
        fund = _tasks(office, plan_id)[0]
        assert (fund["due_on"], fund["rule_text"]) == ("2026-03-05", "财政专项扶贫资金分配使用方案：人代会结束后30个工作日内")

        # The timers moved with it: the reminder comes 5 working days before 5 March, the
        # escalation and the 督办单 the day after, not at the year's end.
        clock.move_to(morning(date(2026, 2, 26), hour=10))
        sweep()
        assert not any("仅剩5个工作日" in m for m in notes_of("liaison_cz"))
        clock.move_to(morning(date(2026, 2, 27), hour=10))
        sweep()
        assert any("仅剩5个工作日" in m for m in notes_of("liaison_cz"))
        assert notes_of("leader_cz") == []
        clock.move_to(morning(date(2026, 3, 6), hour=10))
        sweep()
        assert any("超过完成时限" in m for m in notes_of("leader_cz"))
        notices = office.get(f"/api/workplans/tasks/{fund['id']}").get_json()["notices"]
        assert len(notices) == 1 and "2026年03月05日" in notices[0]["text"]


def test_the_office_marks_and_unmarks_a_task_with_the_rule(staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 1, 5)), tick=False):
        plan_id = create_plan(office, PLAN)
        office.patch(f"/api/workplans/{plan_id}", json={"congress_ends_on": "2026-01-16"})
        relief = _tasks(office, plan_id)[1]
        url = f"/api/workplans/tasks/{relief['id']}/rule"
        assert staff("liaison_mz").post(url, json={"rule": "poverty_fund_plan"}).status_code == 403  # its own task
        assert staff("liaison_jy").post(url, json={"rule": "poverty_fund_plan"}).status_code == 403
        assert office.post(url, json={"rule": "anything"}).status_code == 422
        marked = office.post(url, json={"rule": "poverty_fund_plan"}).get_json()
        assert (marked["due_on"], marked["rule_text"], marked["moved"]) == ("2026-04-17", RULE_TEXT, 1)
        unmarked = office.post(url, json={"rule": None}).get_json()
        assert (unmarked["due_on"], unmarked["rule"], unmarked["moved"]) == ("2026-06-30", None, 1)
        assert staff("liaison_mz").get(f"/api/workplans/tasks/{relief['id']}").get_json()["due_on"] == "2026-06-30"
        assert office.post("/api/workplans/tasks/999999/rule", json={"rule": None}).status_code == 404


def test_a_congress_date_that_leaves_the_deadline_behind_names_the_overdue_task(staff):
    with time_machine.travel(morning(date(2026, 1, 5)), tick=False) as clock:
        plan_id = create_plan(staff("office1"), PLAN)
        clock.move_to(morning(date(2026, 5, 4)))  # the date is recorded late: 60 working days have run out
        office = staff("office1")
        late = office.patch(f"/api/workplans/{plan_id}", json={"congress_ends_on": "2026-01-16"}).get_json()
        fund = _tasks(office, plan_id)[0]
        assert late["overdue"] == [{"id": fund["id"], "task": fund["task"][:80], "due_on": "2026-04-17"}]
