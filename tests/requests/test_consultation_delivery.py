"""Art. 32/34: the consulted party's 15 working days run from the day it receives the 征求意见书
(自收到之日起). Until the delivery is recorded the deadline is provisional (5 working days for the
letter to arrive, then the 15); the recorded delivery moves the deadline, the task's due date and
the timer that lets the agency decide on silence — never before the party's time is up."""

from datetime import timedelta

import time_machine

from engine import calendar, clock
from engine.requests import deadlines
from engine.workflow import timers
from tests.support.flows import run_worker
from tests.support.information_requests import detail, do, morning, register, task_for


def _fire(staff, rid) -> str:
    timers.fire_due()
    run_worker()
    return detail(staff("publisher1"), rid)["status"]


def test_the_third_partys_time_counts_from_the_recorded_delivery(staff):
    start = deadlines.add(clock.today(), 1)  # a working day, whatever day the suite runs on
    with time_machine.travel(morning(start), tick=False) as traveller:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        do(publisher, rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party",
                                              "third_party": "示例建设公司"})
        [letter] = publisher.get(f"/api/requests/{rid}/notices").get_json()["items"]
        assert "自收到本意见书之日起15个工作日内" in letter["text"] and "请于" not in letter["text"]
        [consulted] = detail(publisher, rid)["consultations"]
        provisional = deadlines.add(deadlines.add(start, 5), 15)
        assert (consulted["due_on"], consulted["due_provisional"]) == (provisional.isoformat(), True)

        # The letter reached the company on the third working day: its 15 working days start there.
        received = deadlines.add(start, 3)
        traveller.move_to(morning(deadlines.add(received, 1)))
        publisher = staff("publisher1")
        resp = publisher.post(f"/api/requests/{rid}/notices/{letter['id']}/delivery",
                              json={"delivery_method": "post", "delivered_on": received.isoformat()})
        assert resp.status_code == 200, resp.get_json()
        due = calendar.add_working_days(received, 15)
        [consulted] = detail(publisher, rid)["consultations"]
        assert (consulted["due_on"], consulted["due_provisional"]) == (due.isoformat(), False)
        task = task_for(staff("drafter1"), rid, "consult_third_party")
        assert task["due_at"].startswith(f"{due.isoformat()}T15:59:59")  # the end of that day in Beijing

        # On its last day the party still has time: the agency may not decide on silence yet.
        traveller.move_to(morning(due, 20))
        assert _fire(staff, rid) == "consulting"
        # The day after, silence lets the agency decide: the timer ends the consultation.
        traveller.move_to(morning(due + timedelta(days=1)))
        assert _fire(staff, rid) == "handling"
        d = detail(staff("publisher1"), rid)
        assert d["consultations"][0]["answer"] == "silent"
        # The days of consultation are not counted in the reply's 20 (Art. 32).
        assert d["paused_days"] >= 15


def test_an_answer_ends_the_consultation_before_the_time_is_up(staff):
    publisher = staff("publisher1")
    rid = register(publisher)["id"]
    do(publisher, rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "co_producer",
                                          "third_party": "示例县财政局"})
    do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "agree", "opinion": "同意公开"})
    d = detail(publisher, rid)
    assert d["status"] == "handling" and d["consultations"][0]["answer"] == "agree"
