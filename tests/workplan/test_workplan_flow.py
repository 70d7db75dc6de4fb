"""One plan task from import to sign-off through a real worker: a report with evidence, a returned
report, the reminder before the deadline, the missed deadline (clock moved) with the leader told
and a 督办单 issued, the report cycle, and completion only with the office's sign-off."""

import io
from datetime import date

import docx
import time_machine
from sqlalchemy import select

from engine.db import reading
from engine.models import WorkPlanNotice
from tests.support.flows import run_worker
from tests.support.information_requests import morning
from tests.support.web import login
from tests.support.workplan import create_plan, notes_of, published_document, sweep


def _task(api, plan_id, lead) -> dict:
    tasks = api.get(f"/api/workplans/{plan_id}").get_json()["tasks"]
    return next(t for t in tasks if t["lead_units"] == [lead])


def test_a_task_is_reported_returned_supervised_and_signed_off(staff, app):
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        plan_id = create_plan(staff("office1"))
        task = _task(staff("office1"), plan_id, "财政局")
        assert (task["assist_units"], task["due_on"], task["status"]) == (["民政局"], "2026-11-20", "in_progress")
        doc_id = published_document()

        report = {"text": "已公开2026年预算，正在细化到项级科目", "evidence_urls": "https://example.gov.cn/czyjs/2026",
                  "document_ids": str(doc_id)}
        assert staff("liaison_cz").post(f"/api/workplans/tasks/{task['id']}/reports", json=report).status_code == 200
        # The report waits for the office: a second one is refused until it is reviewed.
        again = staff("liaison_cz").post(f"/api/workplans/tasks/{task['id']}/reports", json=report)
        assert again.status_code == 409
        # Returning needs an opinion saying what is missing; completion needs the department to ask for it.
        review = f"/api/workplans/tasks/{task['id']}/review"
        assert staff("office1").post(review, json={"decision": "return"}).status_code == 422
        assert staff("office1").post(review, json={"decision": "complete"}).status_code == 422
        returned = staff("office1").post(review, json={"decision": "return", "opinion": "请补充项级科目公开的链接"})
        assert returned.status_code == 200, returned.get_json()

        detail = staff("liaison_cz").get(f"/api/workplans/tasks/{task['id']}").get_json()
        assert [(r["decision"], r["opinion"]) for r in detail["reports"]] == [("returned", "请补充项级科目公开的链接")]
        assert {e["kind"] for e in detail["reports"][0]["evidence"]} == {"url", "document"}
        assert [d["id"] for d in detail["documents"]] == [doc_id]  # the catalogue item now fulfils the task
        assert detail["open_steps"] == {"财政局": ["report"]}

        clock.move_to(morning(date(2026, 11, 13), 10))  # five working days before the deadline (20 Nov)
        sweep()
        assert any("仅剩5个工作日" in m for m in notes_of("liaison_cz")), notes_of("liaison_cz")
        assert notes_of("leader_cz") == []

        clock.move_to(morning(date(2026, 11, 23)))  # the deadline (20 Nov) has passed
        sweep()
        assert any("超过完成时限" in m for m in notes_of("leader_cz"))
        with reading() as s:
            notice = s.scalar(select(WorkPlanNotice))
        assert notice.number == "督办〔2026〕1号" and "财政局" in notice.text and "2026年11月20日" in notice.text
        # The 督办单 is a letter to print, sign and seal: a Word file for the department and the office.
        letter = staff("liaison_cz").get(f"/api/workplans/notices/{notice.id}.docx")
        assert letter.status_code == 200 and letter.mimetype.endswith("wordprocessingml.document")
        lines = [p.text for p in docx.Document(io.BytesIO(letter.data)).paragraphs]
        # GB/T 9704: the 发文字号 under the agency, the red line, then the title
        assert lines[1] == "（督办〔2026〕1号）" and "政务公开工作督办单" in lines[2:5] and "财政局：" in lines
        assert staff("liaison_jy").get(f"/api/workplans/notices/{notice.id}.docx").status_code == 404  # as its task: no part in it
        page = login(app.test_client(), "liaison_cz").get(f"/workplans/tasks/{task['id']}").get_data(as_text=True)
        assert f"/api/workplans/notices/{notice.id}.docx" in page  # the task page offers the letter
        board = staff("office1").get(f"/api/workplans/{plan_id}/dashboard").get_json()
        cz = next(d for d in board["departments"] if d["department"] == "财政局")
        assert (cz["tasks"], cz["late"], cz["done"]) == (1, 1, 0)

        done = {**report, "text": "已全部公开至项级科目", "request_completion": True}
        assert staff("liaison_cz").post(f"/api/workplans/tasks/{task['id']}/reports", json=done).status_code == 200
        assert staff("office1").post(review, json={"decision": "complete", "opinion": "同意销号"}).status_code == 200
        run_worker()

        detail = staff("office1").get(f"/api/workplans/tasks/{task['id']}").get_json()
        assert (detail["status"], detail["completed_on"]) == ("done", "2026-11-23")
        assert detail["leads"][0]["flags"] == ["done", "late"]
        assert [n["number"] for n in detail["notices"]] == ["督办〔2026〕1号"]
        assert detail["open_steps"] == {}

        # The report cycle: on the first of the month every open task's liaison is asked for a report.
        clock.move_to(morning(date(2026, 12, 1), hour=10))
        sweep()
        assert any("工作进展报告" in m for m in notes_of("liaison_mz"))
        assert not any("工作进展报告" in m for m in notes_of("liaison_cz"))  # its task is done


def test_the_state_round_trips_between_steps(staff):
    """Every step reloads the instance (sub-process, cycle timer and all); saving what was restored
    must change nothing."""
    from engine.workflow import state

    def round_trip(instance_id):
        with reading() as s:
            row, workflow = state.load(s, instance_id, lock=False)
            assert state.dump(state.restore(row)) == state.dump(workflow) == row.state_json

    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        plan_id = create_plan(staff("office1"))
        task = _task(staff("office1"), plan_id, "财政局")
        instance_id = task["leads"][0]["instance_id"]
        round_trip(instance_id)
        staff("liaison_cz").post(f"/api/workplans/tasks/{task['id']}/reports", json={"text": "进展"})
        round_trip(instance_id)
        clock.move_to(morning(date(2026, 12, 1), hour=10))  # past the deadline and the first report cycle
        sweep()
        round_trip(instance_id)
        staff("office1").post(f"/api/workplans/tasks/{task['id']}/review", json={"decision": "accept"})
        round_trip(instance_id)
