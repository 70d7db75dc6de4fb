"""Every shipped form tells the truth about what the server checks.

For each form in forms/ the walk reaches a real task that uses it, and for each branch of the form
(each value of the choices other fields depend on) it submits exactly what the form declares to be
enough: the first submit must work. Leaving out any field the form declares required must be
refused with that field named. The server here is all of it: the form's marshmallow schema and the
domain hooks of engine/ behind `POST /api/tasks/<id>/complete`.
"""

import io
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

import forms
from engine.calendar import SHANGHAI
from engine.workflow import timers
from tests.support.disclosure import run_worker
from tests.support.flows import deploy_ok, start
from tests.support.formwalk import branches, declared_valid, prefilled_by_others, required_now
from tests.support.information_requests import APPLICANT, do, register
from tests.support.web import start_review
from tests.support.workplan import add_staff, create_plan

# One database is enough: the rules compared live above it (the walk takes about a minute).
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
STAFF = ("publisher1", "drafter1", "reviewer1", "secrecy1", "leader1", "head1", "admin")
DOCUMENT = {"title": "关于公开预算的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
            "body": "2026年预算共1200万元。"}
WITHHELD = {**DOCUMENT, "attribute": "withheld", "attribute_ground": "internal_affairs", "attribute_reason": "内部人事安排"}
APPROVE = {"decision": "approve", "opinion": "同意"}
# Refusals that depend on the record, not on anything the form could declare: the branch must be
# refused for this reason (so the entry cannot outlive the rule), and the form's description says it.
STATE_DEPENDENT = {
    ("request_handle", "fee_method", "per_request"): "an applicant's first ten requests of a month are free",
    ("reply_delivery", "delivery_method", "send_email"): "sending by e-mail needs the deployment's mail server",
    ("reply_draft", "outcome", "correction"): "a correction reply answers only an Art. 41 correction request",
    ("workplan_review", "decision", "complete"): "the office signs off only a report that asked for completion",
}

# How to reach each shipped form: (process, steps before it as (bpmn id, data), its bpmn id).
REQUEST_PATHS = {
    "request_review": [],
    "correction_received": [("review_request", {"decision": "correction", "correction_items": "请写明年份"})],
    "request_handle": [("review_request", {"decision": "accept"})],
}
REQUEST_PATHS |= {
    "consultation": REQUEST_PATHS["request_handle"] + [("handle", {"decision": "consult", "consulted_party": "third_party",
                                                                   "third_party": "某建设公司"})],
    "extension_approval": REQUEST_PATHS["request_handle"] + [("handle", {"decision": "extend", "extension_days": 10,
                                                                         "opinion": "需调取档案逐件审查"})],
    "fee_payment": REQUEST_PATHS["request_handle"] + [("handle", {"decision": "fee", "fee_method": "per_page",
                                                                  "pages": 40})],
    "reply_draft": REQUEST_PATHS["request_handle"] + [("handle", {"decision": "reply"})],
}
REQUEST_PATHS |= {
    "reply_signoff": REQUEST_PATHS["reply_draft"] + [("draft_reply", {"outcome": "already_public",
                                                                      "location": "门户网站财政预决算栏目"})],
    "reply_review": REQUEST_PATHS["reply_draft"] + [("draft_reply", {"outcome": "disclosed",
                                                                     "material": "预算共1200万元。"}), ("worker", None)],
}
REQUEST_PATHS["reply_delivery"] = REQUEST_PATHS["reply_signoff"] + [("leader_signoff", APPROVE)]
DOCUMENT_PATHS = {
    "review_document": (DOCUMENT, []),
    "document_revise": (DOCUMENT, [{"decision": "return", "opinion": "请补充依据"}]),
    "confirm_redaction": (DOCUMENT, [APPROVE, APPROVE, None]),
    "signoff": (WITHHELD, [APPROVE, APPROVE]),
    "publication_approval": ({**DOCUMENT, "category": "normative", "interpretation": "解读"}, [APPROVE, APPROVE]),
}


def test_every_shipped_form_is_walked():
    walked = set(REQUEST_PATHS) | set(DOCUMENT_PATHS) | {"review", "attribute_determination", "conversion_proposal",
                                                         "re_review", "confirm_step", "workplan_report",
                                                         "workplan_review"}
    assert walked == set(forms.form_keys())


@SQLITE
@pytest.mark.parametrize("key", sorted(REQUEST_PATHS))
def test_request_forms_declare_what_the_server_checks(key, staff):
    def reach():
        rid = register(staff("publisher1"))["id"]
        for bpmn_id, data in REQUEST_PATHS[key]:
            run_worker() if bpmn_id == "worker" else do(_actor(staff, f"request_id={rid}", bpmn_id), rid, bpmn_id, data)
        return _open_task(staff, f"request_id={rid}", key)

    _walk(key, reach)


@SQLITE
@pytest.mark.parametrize("key", sorted(DOCUMENT_PATHS))
def test_document_forms_declare_what_the_server_checks(key, staff):
    def reach():
        submission, steps = DOCUMENT_PATHS[key]
        doc_id = staff("drafter1").post("/api/documents", json=submission).get_json()["id"]
        for data in steps:
            _complete_next(staff, f"document_id={doc_id}", data) if data else run_worker()
        return _open_task(staff, f"document_id={doc_id}", key)

    _walk(key, reach)


@SQLITE
def test_other_forms_declare_what_the_server_checks(staff):
    _walk("review", lambda: _task_of(staff, f"instance_id={_instance(start_review())}", "review"))
    _walk("attribute_determination", lambda: _determination(staff))
    _walk("conversion_proposal", lambda: _conversion(staff))


@SQLITE
def test_re_review_form_declares_what_the_server_checks(staff):
    def reach():
        with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)):
            doc_id = staff("drafter1").post("/api/documents", json=WITHHELD).get_json()["id"]
            for data in (APPROVE, APPROVE, {"decision": "confirm", "opinion": "同意"}):
                _complete_next(staff, f"document_id={doc_id}", data)
        with time_machine.travel(datetime(2027, 12, 1, tzinfo=SHANGHAI), tick=False):
            timers.fire_due()
        return _open_task(staff, f"document_id={doc_id}", "re_review")

    _walk("re_review", reach)


@SQLITE
def test_confirmation_step_form_declares_what_the_server_checks(staff, api_as):
    """The default form of a plain or manual task drawn in another modeler."""
    admin = api_as("admin")
    deploy_ok(admin, (Path(__file__).parents[1] / "engine" / "diagrams" / "manual_steps.bpmn").read_text("utf-8"))

    def reach():
        iid = start(admin, "manual_steps")
        return _open_task(staff, f"instance_id={iid}", "confirm_step")

    _walk("confirm_step", reach)


@SQLITE
def test_work_plan_forms_declare_what_the_server_checks(staff):
    add_staff()
    liaison, office = staff("liaison_cz"), staff("office1")

    def newest(api, form_key):
        items = [t for t in _tasks(api, "process_key=workplan_task") if t["form_key"] == form_key]
        return api, max(t["id"] for t in items)

    def report():
        create_plan(office)
        return newest(liaison, "workplan_report")

    def review():
        api, task = report()
        api.post(f"/api/tasks/{task}/claim")
        done = api.post(f"/api/tasks/{task}/complete", json={"data": {"text": "已公开2026年预算"}})
        assert done.status_code == 200, done.get_json()
        return newest(office, "workplan_review")

    _walk("workplan_report", report)
    _walk("workplan_review", review)


def _walk(key, reach):
    """Submit every branch of form `key` as declared; leave out each declared-required field. Each
    task opens with no answer but those its form declares it shows (`prefill`): never the words or
    the choice of the person before."""
    schema = forms.load(key)
    for choice in branches(schema):
        api, task = reach()
        shown = api.get(f"/api/tasks/{task}").get_json()["form_data"]
        assert prefilled_by_others(schema, shown) == {}, key
        data = declared_valid(schema, choice, shown)
        api.post(f"/api/tasks/{task}/claim")
        for field in required_now(schema, data):
            missing = {k: v for k, v in data.items() if k != field}
            resp = api.post(f"/api/tasks/{task}/complete", json={"data": missing})
            assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], (key, choice, field, resp.get_json())
        resp = api.post(f"/api/tasks/{task}/complete", json={"data": data})
        known = [(k, f) for k, f, v in STATE_DEPENDENT if k == key and data.get(f) == v]
        if known:
            assert resp.status_code == 422 and known[0][1] in resp.get_json()["error"]["fields"], resp.get_json()
        else:
            assert resp.status_code == 200, (key, data, resp.get_json())


@SQLITE
def test_a_second_review_starts_empty_and_cannot_ask_for_a_second_correction(staff):
    """Art. 30: corrections are asked for once, all at once. After the corrected request arrives the
    review opens without the first reviewer's choice and items, says why, and refuses a second 补正."""
    publisher = staff("publisher1")
    rid = register(publisher)["id"]
    do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "请写明年份",
                                          "opinion": "申请内容不明确"})
    do(publisher, rid, "await_correction", {"received_on": _today(), "description": "申请公开2026年道路改造预算"})
    api, task = _open_task(staff, f"request_id={rid}", "request_review")
    shown = api.get(f"/api/tasks/{task}").get_json()["form_data"]
    assert prefilled_by_others(forms.load("request_review"), shown) == {}
    assert shown["correction_requested"] == "yes"  # the form's note: 本申请已告知过一次补正
    refused = do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "请写明路段"},
                 status=422)
    assert "一次性告知" in refused["error"]["message"]


def _today():
    from engine import clock

    return clock.today().isoformat()


def _tasks(api, where):
    return api.get(f"/api/tasks?scope=available&{where}").get_json()["items"]


def _actor(staff, where, bpmn_id):
    """The demo user who may take the open task `bpmn_id`."""
    return next(staff(u) for u in STAFF if any(t["bpmn_id"] == bpmn_id for t in _tasks(staff(u), where)))


def _open_task(staff, where, form_key):
    """(api, task id) of the open task using `form_key`, as a user who may take it."""
    for user in STAFF:
        found = [t for t in _tasks(staff(user), where) if t["form_key"] == form_key]
        if found:
            return staff(user), found[0]["id"]
    raise AssertionError(f"no open task with form {form_key} for {where}")


def _task_of(staff, where, bpmn_id):
    api = _actor(staff, where, bpmn_id)
    return api, next(t["id"] for t in _tasks(api, where) if t["bpmn_id"] == bpmn_id)


def _complete_next(staff, where, data):
    for user in STAFF:
        items = _tasks(staff(user), where)
        if items:
            api = staff(user)
            api.post(f"/api/tasks/{items[0]['id']}/claim")
            resp = api.post(f"/api/tasks/{items[0]['id']}/complete", json={"data": data})
            assert resp.status_code == 200, resp.get_json()
            return
    raise AssertionError(f"no open task for {where}")


def _instance(task_id):
    from engine.db import reading
    from engine.models import HumanTask

    with reading() as s:
        return s.get(HumanTask, task_id).instance_id


def _determination(staff):
    csv = "title,doc_number,category,formed_on,body\n关于2015年防汛工作的通知,,general,2015-05-01,请做好防汛工作。\n"
    resp = staff("drafter1").post("/api/documents/import", data={"csv": (io.BytesIO(csv.encode()), "old.csv")},
                                  content_type="multipart/form-data")
    assert resp.status_code in (200, 201), resp.get_json()
    items = [t for t in _tasks(staff("drafter1"), "process_key=attribute_determination")]
    return staff("drafter1"), items[-1]["id"]


# Three wordings of one question per proposal; two questions unlike each other (one per branch).
_QUESTIONS = iter((("申请公开2026年城区道路改造工程的预算", "请提供城区道路改造工程2026年预算信息",
                    "城区道路改造工程（2026年）预算"),
                   ("老旧小区加装电梯补贴发放名单", "请公开老旧小区加装电梯补贴的发放名单", "老旧小区加装电梯补贴名单")))


def _conversion(staff):
    """Three applicants ask for the same information: the conversion to proactive is proposed."""
    for n, text in enumerate(next(_QUESTIONS)):
        register(staff("publisher1"), description=text,
                 applicant={**APPLICANT, "name": f"申请人{n}", "id_number": f"11010119900307{4573 + n * 9:04d}"})
    return _task_of(staff, "process_key=request_conversion", "propose_conversion")
