"""Supervision around the edges: the 督办单's delivery recorded by the office (as a request's notices
are), a plan imported with deadlines already passed (nothing escalates unless the office chose so in
the preview), and the dashboard's "no report this period" and "at risk" at period boundaries."""

from datetime import date, timedelta

import time_machine

from tests.support.information_requests import morning
from tests.support.web import login
from tests.support.workplan import PLAN_TEXT, create_plan, notes_of, sweep


def _task(api, plan_id, lead) -> dict:
    return next(t for t in api.get(f"/api/workplans/{plan_id}").get_json()["tasks"] if t["lead_units"] == [lead])


def _flags(staff, plan_id) -> dict:
    tasks = staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]  # a token of the travelled day
    return {t["lead_units"][0]: t["leads"][0]["flags"] for t in tasks}


def test_the_office_records_the_delivery_of_a_supervision_notice(app, staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        plan_id = create_plan(office)
        task = _task(office, plan_id, "财政局")
        clock.move_to(morning(date(2026, 11, 23)))  # the deadline (20 Nov) has passed
        sweep()
        notice = office.get(f"/api/workplans/tasks/{task['id']}").get_json()["notices"][0]
        assert (notice["delivered_on"], notice["delivery_method"]) == (None, None)
        board = office.get(f"/api/workplans/{plan_id}/dashboard").get_json()
        assert board["undelivered_notices"] == 1
        assert next(d for d in board["departments"] if d["department"] == "财政局")["undelivered_notices"] == 1

        url = f"/api/workplans/notices/{notice['id']}/delivery"
        body = {"delivery_method": "post", "delivered_on": "2026-11-23"}
        assert staff("liaison_cz").post(url, json=body).status_code == 403  # sees it, does not record it
        assert staff("liaison_jy").post(url, json=body).status_code == 404  # no part in the task
        assert office.post("/api/workplans/notices/999999/delivery", json=body).status_code == 404
        for wrong, field in (({"delivery_method": "pigeon"}, "delivery_method"),
                             ({"delivered_on": "2026-11-24"}, "delivered_on"),  # the future
                             ({"delivered_on": "2026-11-22"}, "delivered_on"),  # before it was issued
                             ({"delivered_on": "23 Nov"}, "delivered_on")):
            resp = office.post(url, json={**body, **wrong})
            assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], (wrong, resp.get_json())
        page = login(app.test_client(), "office1").get(f"/workplans/tasks/{task['id']}").get_data(as_text=True)
        assert "登记送达" in page

        done = office.post(url, json=body)
        assert done.status_code == 200 and (done.get_json()["delivered_on"], done.get_json()["delivered_by"]) == (
            "2026-11-23", "office1")
        detail = staff("liaison_cz").get(f"/api/workplans/tasks/{task['id']}").get_json()
        assert (detail["notices"][0]["delivery_method_name"], detail["notices"][0]["delivered_on"]) == ("邮寄", "2026-11-23")
        assert [e["event"] for e in detail["history"]] == ["issued", "notice", "notice_delivered"]
        assert detail["history"][-1]["text"] == "督办单督办〔2026〕1号已送达（邮寄，2026-11-23）"
        page = login(app.test_client(), "liaison_cz").get(f"/workplans/tasks/{task['id']}").get_data(as_text=True)
        assert "已送达" in page and "登记送达" not in page  # the department sees it, records nothing
        assert office.get(f"/api/workplans/{plan_id}/dashboard").get_json()["undelivered_notices"] == 0


def _preview(office, **extra):
    resp = office.post("/api/workplans/import", json={"text": PLAN_TEXT, **extra})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["rows"]


def _create(office, rows, title="2026年示例县政务公开工作要点"):
    return office.post("/api/workplans", json={"year": 2026, "title": title, "rows": rows})


def test_a_passed_deadline_is_created_only_as_the_office_chose(staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 11, 25)), tick=False):
        rows = _preview(office)
        assert [r["deadline_passed"] for r in rows] == [True, False, False]  # 20 Nov has passed

        refused = _create(office, rows)
        assert refused.status_code == 422 and "rows[0].overdue_choice" in refused.get_json()["error"]["fields"]
        assert "完成时限（2026-11-20）已过" in refused.get_json()["error"]["message"]
        for choice, field in (({"overdue_choice": "reschedule"}, "new_due_on"),
                              ({"overdue_choice": "reschedule", "new_due_on": "2026-11-24"}, "new_due_on"),
                              ({"overdue_choice": "completed"}, "completion_note"),
                              ({"overdue_choice": "completed", "completion_note": "已公开",
                                "completed_on": "2026-12-01"}, "completed_on")):
            resp = _create(office, [{**rows[0], **choice}, *rows[1:]])
            assert resp.status_code == 422 and f"rows[0].{field}" in resp.get_json()["error"]["fields"], choice
        assert office.get("/api/workplans").get_json()["items"] == []  # nothing was created

        moved = _create(office, [{**rows[0], "overdue_choice": "reschedule", "new_due_on": "2026-12-15"}, *rows[1:]])
        plan_id = moved.get_json()["id"]
        sweep()
        assert not any("超过完成时限" in m for m in notes_of("leader_cz"))  # nothing escalated on creation
        task = _task(office, plan_id, "财政局")
        assert (task["due_on"], task["deadline"]) == ("2026-12-15", "2026年12月15日前")
        assert "原完成时限：2026年11月20日前" in task["note"]
        assert "late" not in task["leads"][0]["flags"]

        done = _create(office, [{**rows[0], "overdue_choice": "completed", "completion_note": "预算已于11月18日公开",
                                 "completed_on": "2026-11-18"}, *rows[1:]], title="已完成")
        task = _task(office, done.get_json()["id"], "财政局")
        assert (task["status"], task["completed_on"], task["leads"][0]["flags"]) == ("done", "2026-11-18", ["done", "on_time"])
        assert task["leads"][0]["instance_id"] is None
        sweep()
        assert not any("超过完成时限" in m for m in notes_of("leader_cz"))

        # Escalating at once is a choice too, and then it happens.
        kept = _create(office, [{**rows[0], "overdue_choice": "escalate"}, *rows[1:]], title="督办")
        assert kept.status_code == 201
        sweep()
        assert any("超过完成时限" in m for m in notes_of("leader_cz"))


def test_no_report_and_at_risk_at_the_period_boundaries(staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        plan_id = create_plan(office)
        # Issued mid-month: the first report is owed from 1 December, not for November.
        clock.move_to(morning(date(2026, 11, 15)))
        assert _flags(staff, plan_id) == {"财政局": ["at_risk"], "民政局": [], "教育局": []}
        clock.move_to(morning(date(2026, 11, 20), hour=23))  # the deadline's own day: not late yet
        assert _flags(staff, plan_id)["财政局"] == ["at_risk"]
        clock.move_to(morning(date(2026, 11, 21), hour=0))
        assert _flags(staff, plan_id)["财政局"] == ["late"]

        # A report at 23:30 Beijing on 30 November is November's, however UTC dates it.
        clock.move_to(morning(date(2026, 11, 30), hour=23) + timedelta(minutes=30))
        relief = _task(office, plan_id, "民政局")
        assert staff("liaison_mz").post(f"/api/workplans/tasks/{relief['id']}/reports",
                                        json={"text": "11月低保公示已更新"}).status_code == 200
        clock.move_to(morning(date(2026, 12, 1), hour=0) + timedelta(minutes=30))
        flags = _flags(staff, plan_id)
        assert flags == {"财政局": ["late", "no_report"], "民政局": ["no_report"], "教育局": ["no_report"]}
        staff("office1").post(f"/api/workplans/tasks/{relief['id']}/review", json={"decision": "accept"})
        assert staff("liaison_mz").post(f"/api/workplans/tasks/{relief['id']}/reports",
                                        json={"text": "12月低保公示已更新"}).status_code == 200
        assert _flags(staff, plan_id)["民政局"] == []

        # 年底前 and 长期坚持 are both taken stock of on 31 December (their escalation's day): at risk
        # 15 days before, as the deadline's reminders are.
        clock.move_to(morning(date(2026, 12, 16)))
        flags = _flags(staff, plan_id)
        assert "at_risk" in flags["教育局"] and "at_risk" in flags["民政局"]
        clock.move_to(morning(date(2026, 12, 15)))
        assert "at_risk" not in _flags(staff, plan_id)["教育局"]


def test_a_quarterly_plan_owes_its_first_report_in_the_next_quarter(staff):
    office = staff("office1")
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        preview = office.post("/api/workplans/import", json={"text": PLAN_TEXT}).get_json()["rows"]
        body = {"year": 2026, "title": "季度", "report_cycle": "P3M", "rows": preview}
        plan_id = office.post("/api/workplans", json=body).get_json()["id"]
        clock.move_to(morning(date(2026, 12, 31), hour=23))
        assert not any("no_report" in f for f in _flags(staff, plan_id).values())
        board = staff("office1").get(f"/api/workplans/{plan_id}/dashboard").get_json()
        assert board["period_start"] == "2026-10-01"
        clock.move_to(morning(date(2027, 1, 1), hour=0) + timedelta(minutes=5))
        board = staff("office1").get(f"/api/workplans/{plan_id}/dashboard").get_json()
        assert board["period_start"] == "2027-01-01"
        assert sum(d["no_report"] for d in board["departments"]) == 3
