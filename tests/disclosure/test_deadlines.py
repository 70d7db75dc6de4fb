"""Deadlines of the disclosure procedure: working days, reminders, escalation, re-review (clock moved)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from engine.db import reading
from engine.models import Notification, User
from engine.workflow import timers
from tests.support.disclosure import do_task
from tests.support.flows import run_worker

CN = ZoneInfo("Asia/Shanghai")
GOOD = {"title": "关于开展秋季森林防火工作的通知", "category": "general", "attribute": "proactive",
        "formed_on": "2026-11-02", "body": "各乡镇：请做好森林防火工作。咨询电话：0538-8221234。"}


def notified(username):
    with reading() as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        return [n.message for n in s.scalars(select(Notification).where(Notification.user_id == uid))]


def submit(api_as, **fields):
    resp = api_as("drafter1").post("/api/documents", json={**GOOD, **fields})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_publish_by_counts_working_days_over_national_day(api_as):
    # 20 working days from 2026-09-20: the 国庆/中秋 holiday (10-01..10-07) does not count,
    # and the make-up working day 2026-10-10 (Saturday) does.
    doc_id = submit(api_as, formed_on="2026-09-20")
    assert api_as("reviewer1").get(f"/api/documents/{doc_id}").get_json()["publish_by"] == "2026-10-23"


def test_licensing_decisions_have_seven_working_days(api_as):
    doc_id = submit(api_as, category="licensing", formed_on="2026-09-28")
    # 09-29, 09-30, then the holiday until 10-07, then 10-08, 10-09, 10-10 (make-up), 10-12, 10-13.
    assert api_as("reviewer1").get(f"/api/documents/{doc_id}").get_json()["publish_by"] == "2026-10-13"


def test_changed_service_conditions_have_one_working_day(api_as):
    doc_id = submit(api_as, category="service_change", formed_on="2026-09-30")
    # The next working day after the eve of the National Day holiday is 10-08.
    doc = api_as("reviewer1").get(f"/api/documents/{doc_id}").get_json()
    assert (doc["publish_by"], doc["category"]) == ("2026-10-08", "service_change")


def test_product_recalls_are_due_24_hours_after_they_were_formed(api_as):
    with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=CN), tick=False):  # a Friday
        doc_id = submit(api_as, category="product_recall", formed_on="2026-11-27", formed_time="09:30")
        reviewer = api_as("reviewer1")
        doc = reviewer.get(f"/api/documents/{doc_id}").get_json()
        task = reviewer.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
        # No formation time given and formed on an earlier day: the clock starts at that day's start.
        early = reviewer.get(f"/api/documents/{submit(api_as, category='product_recall', formed_on='2026-11-26')}")
    assert doc["publish_by"] == "2026-11-28"  # a Saturday: recalls do not wait for working days
    assert task["due_at"].startswith("2026-11-28T01:30:00")  # 09:30 in China, in UTC
    assert early.get_json()["publish_by"] == "2026-11-27"
    with time_machine.travel(datetime(2026, 11, 28, 6, 0, tzinfo=CN), tick=False):
        # The earlier document was overdue when submitted: its reminder and escalation went at once.
        assert timers.fire_due() == 0
        run_worker()
    assert notified("leader1") == ["已超过公开期限，请督办"]
    with time_machine.travel(datetime(2026, 11, 28, 6, 45, tzinfo=CN), tick=False):
        assert timers.fire_due() == 1  # 3 hours before the deadline
        run_worker()
    # The overdue document's reminder says so; the other one's counts its 3 hours.
    assert sorted(notified("reviewer1")) == ["已超过公开期限，请立即办理", "距公开期限仅剩3小时，请尽快办理"]
    with time_machine.travel(datetime(2026, 11, 28, 9, 31, tzinfo=CN), tick=False):
        assert timers.fire_due() == 1
        run_worker()
    assert notified("leader1") == ["已超过公开期限，请督办"] * 2


def test_revising_a_returned_recall_later_that_day_keeps_its_deadline(api_as):
    from tests.support.disclosure import do_task

    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=CN), tick=False) as clock:
        doc_id = submit(api_as, category="product_recall", formed_on="2026-11-27")  # no time: from now
        reviewer, drafter = api_as("reviewer1"), api_as("drafter1")
        clock.move_to(datetime(2026, 11, 27, 15, 0, tzinfo=CN))
        do_task(reviewer, doc_id, {"decision": "return", "opinion": "请补充召回范围"})
        clock.move_to(datetime(2026, 11, 27, 15, 30, tzinfo=CN))
        do_task(drafter, doc_id, {**GOOD, "category": "product_recall", "formed_on": "2026-11-27"})  # 修改并重新提交
        task = reviewer.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    assert task["due_at"].startswith("2026-11-28T01:00:00")  # 24 hours from 09:00, not from 15:00


def test_a_formation_time_must_be_a_time(api_as):
    resp = api_as("drafter1").post("/api/documents", json={**GOOD, "category": "product_recall",
                                                           "formed_time": "half past nine"})
    assert resp.status_code == 422
    assert set(resp.get_json()["error"]["fields"]) == {"formed_time"}


def test_reminder_three_working_days_before_and_escalation_after_the_deadline(api_as):
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=CN), tick=False):
        doc_id = submit(api_as)  # publish_by 2026-11-30 (Monday); submitted before its reminder is due
    task = api_as("reviewer1").get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    assert task["due_at"].startswith("2026-11-30T15:59:59")  # end of day in China, in UTC
    with time_machine.travel(datetime(2026, 11, 24, 8, 0, tzinfo=CN), tick=False):
        assert timers.fire_due() == 0
    with time_machine.travel(datetime(2026, 11, 25, 9, 30, tzinfo=CN), tick=False):
        assert timers.fire_due() == 1
        run_worker()
    assert notified("reviewer1") == ["距公开期限仅剩3个工作日，请尽快办理"]
    assert notified("leader1") == []
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=CN), tick=False):
        assert timers.fire_due() == 1
        run_worker()
    assert notified("leader1") == ["已超过公开期限，请督办"]
    # The task itself is still open: reminders never take work away from its holder.
    assert api_as("reviewer1").get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["total"] == 1


def test_withheld_document_is_re_reviewed_yearly_and_can_be_released(api_as):
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=CN)):  # signed off on this day
        drafter, reviewer, secrecy, leader = (api_as(u) for u in ("drafter1", "reviewer1", "secrecy1", "leader1"))
        doc_id = submit(api_as, attribute="withheld", attribute_ground="internal_affairs",
                        attribute_reason="机关内部人事安排")
        do_task(reviewer, doc_id, {"decision": "approve", "opinion": "同意"})
        do_task(secrecy, doc_id, {"decision": "approve", "opinion": "同意不予公开"})
        do_task(leader, doc_id, {"decision": "confirm", "opinion": "同意"})
    drafter, secrecy = api_as("drafter1"), api_as("secrecy1")  # the tokens of that day have expired
    assert drafter.get(f"/api/documents/{doc_id}").get_json()["status"] == "withheld"

    with time_machine.travel(datetime(2027, 6, 1, tzinfo=CN), tick=False):
        assert timers.fire_due() == 0  # internal affairs: reviewed yearly (re_review_interval.dmn)
    with time_machine.travel(datetime(2027, 12, 1, tzinfo=CN), tick=False):
        assert timers.fire_due() == 1
    doc = drafter.get(f"/api/documents/{doc_id}").get_json()
    assert doc["status"] == "re_review"
    do_task(secrecy, doc_id, {"decision": "release", "opinion": "已不再敏感，可以公开"})
    doc = drafter.get(f"/api/documents/{doc_id}").get_json()
    assert (doc["status"], doc["attribute"]) == ("deidentifying", "proactive")
    stages = [r["stage"] for r in doc["reviews"]]
    assert stages == ["dept_review", "secrecy_review", "leader_signoff", "re_review"]


def test_on_request_documents_stay_in_the_register_unpublished(api_as):
    reviewer, secrecy = api_as("reviewer1"), api_as("secrecy1")
    doc_id = submit(api_as, attribute="on_request", attribute_ground="third_party_rights",
                    attribute_reason="涉及企业商业秘密，须征求第三方意见")
    do_task(reviewer, doc_id, {"decision": "approve", "opinion": "同意"})
    do_task(secrecy, doc_id, {"decision": "approve", "opinion": "同意"})
    assert reviewer.get(f"/api/documents/{doc_id}").get_json()["status"] == "on_request"
    assert reviewer.client.get(f"/api/public/documents/{doc_id}").status_code == 404


def test_the_reminder_shows_in_the_reviewers_notifications(app, api_as):
    from tests.support.web import login

    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=CN), tick=False):
        submit(api_as)  # publish_by 2026-11-30: its reminder is due on 25 Nov
    with time_machine.travel(datetime(2026, 11, 25, 9, 30, tzinfo=CN), tick=False):
        timers.fire_due()
        run_worker()
    client = login(app.test_client(), "reviewer1")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert 'class="count unread-count">1<' in inbox
    page = client.get("/notifications").get_data(as_text=True)
    assert "距公开期限仅剩3个工作日" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/notifications/read", data={"csrf_token": token})
    assert "unread-count" not in client.get("/inbox").get_data(as_text=True)
    assert api_as("reviewer1").get("/api/notifications").get_json()["items"][0]["read"] is True
