"""Diagrams written elsewhere (Camunda Modeler, Signavio, bpmn.io) in the style of the BPMN MIWG
reference files: each either runs or is refused at deploy with the element id and what to fix.

Covers plain and manual tasks, call activities across files, collaborations with messages, data
stores, parser errors, the size limit and the element ids the application's code relies on.
"""

from pathlib import Path

from engine.models import HumanTask, ProcessInstance
from tests.support.flows import deploy, deploy_ok, instance, open_tasks, rows, run_worker, start

DIAGRAMS = Path(__file__).parent / "diagrams"
SHIPPED = Path(__file__).parents[2] / "workflows" / "bpmn"


def _xml(name: str) -> str:
    return (DIAGRAMS / name).read_text(encoding="utf-8")


def _errors(resp) -> dict:
    assert resp.status_code == 422, (resp.status_code, resp.get_json())
    return {e["element_id"]: e["message"] for e in resp.get_json()["errors"]}


def _complete(api, task_id, data=None):
    resp = api.post(f"/api/tasks/{task_id}/complete", json={"data": data or {}})
    assert resp.status_code == 200, resp.get_json()


def test_plain_and_manual_tasks_are_confirmation_steps_for_the_lane_role(backend, api_as):
    admin, publisher = api_as("admin"), api_as("publisher1")
    deploy_ok(admin, _xml("manual_steps.bpmn"))
    iid = start(admin, "manual_steps")
    (task,) = open_tasks(publisher, iid)
    assert (task["bpmn_id"], task["role"], task["form_key"]) == ("post_notice", "publisher", "confirm_step")
    form = publisher.get(f"/api/tasks/{task['id']}").get_json()["form"]
    assert form["id"] == "confirm_step"
    _complete(publisher, task["id"], {"opinion": "已张贴"})
    (task,) = open_tasks(publisher, iid)
    assert task["bpmn_id"] == "file_paper"
    _complete(publisher, task["id"])
    assert instance(admin, iid)["status"] == "completed"


def test_plain_and_manual_tasks_outside_a_role_lane_are_refused(backend, api_as):
    admin = api_as("admin")
    no_lanes = _xml("manual_steps.bpmn")
    no_lanes = no_lanes[:no_lanes.index("<bpmn:laneSet")] + no_lanes[no_lanes.index("</bpmn:laneSet>") + 15:]
    errors = _errors(deploy(admin, no_lanes.replace('id="manual_steps"', 'id="manual_no_lane"')))
    assert set(errors) == {"post_notice", "file_paper"}
    assert "泳道" in errors["post_notice"] and "confirmation step" in errors["post_notice"]


def test_a_call_activity_calls_the_latest_deployed_version_of_another_file(backend, api_as):
    admin, leader, reviewer = api_as("admin"), api_as("leader1"), api_as("reviewer1")
    errors = _errors(deploy(admin, _xml("call_caller.bpmn")))
    assert "countersign" in errors["call_sign"] and "deploy it first" in errors["call_sign"]

    deploy_ok(admin, _xml("call_callee.bpmn"))
    deploy_ok(admin, _xml("call_callee.bpmn").replace("领导会签", "领导会签（新版）"))  # version 2
    deploy_ok(admin, _xml("call_caller.bpmn"))
    iid = start(admin, "needs_countersign")
    (task,) = open_tasks(leader, iid)
    assert (task["bpmn_id"], task["name"]) == ("sign", "领导会签（新版）")
    _complete(leader, task["id"], {"decision": "approve", "opinion": "同意"})
    (task,) = open_tasks(reviewer, iid)
    assert task["bpmn_id"] == "check"


def test_every_process_of_a_collaboration_is_deployed_and_a_send_task_starts_the_other(backend, api_as):
    admin, publisher = api_as("admin"), api_as("publisher1")
    body = deploy_ok(admin, _xml("collaboration.bpmn"))
    assert {p["key"] for p in body["processes"]} == {"office", "archive"}
    iid = start(admin, "office")
    assert instance(admin, iid)["status"] == "completed"
    run_worker()  # the send task's delivery job
    (archive,) = rows(ProcessInstance, ProcessInstance.definition_key == "archive")
    assert [t.bpmn_id for t in rows(HumanTask, HumanTask.instance_id == archive.id)] == ["register"]
    assert open_tasks(publisher, archive.id)


DATA_STORE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:dataStore id="ledger" name="台账"/>
  <bpmn:process id="uses_store" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="write"/>
    <bpmn:scriptTask id="write" name="记账">
      <bpmn:dataOutputAssociation id="out"><bpmn:targetRef>ledger_ref</bpmn:targetRef></bpmn:dataOutputAssociation>
      <bpmn:script>x = 1</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:dataStoreReference id="ledger_ref" name="台账" dataStoreRef="ledger"/>
    <bpmn:sequenceFlow id="f2" sourceRef="write" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_refusals_name_their_element(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, DATA_STORE))
    assert set(errors) == {"ledger", "ledger_ref"}
    assert "数据存储" in errors["ledger_ref"] and "data store" in errors["ledger_ref"]

    dangling = DATA_STORE.replace('<bpmn:dataStoreReference id="ledger_ref" name="台账" dataStoreRef="ledger"/>', "")
    dangling = dangling.replace('<bpmn:dataStore id="ledger" name="台账"/>', "")
    errors = _errors(deploy(admin, dangling))
    assert list(errors) == ["write"]
    assert "0x" not in errors["write"]  # no "<Element … at 0x7f…>" in what an admin reads


def _sized(n: int) -> str:
    tasks = "".join(f'<bpmn:scriptTask id="s{i}"><bpmn:script>x = {i}</bpmn:script></bpmn:scriptTask>'
                    f'<bpmn:sequenceFlow id="f{i}" sourceRef="s{i}" targetRef="s{i + 1}"/>' for i in range(n))
    return ('<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'id="d" targetNamespace="t"><bpmn:process id="huge" isExecutable="true"><bpmn:startEvent id="start"/>'
            f'<bpmn:sequenceFlow id="fs" sourceRef="start" targetRef="s0"/>{tasks}<bpmn:endEvent id="s{n}"/>'
            '</bpmn:process></bpmn:definitions>')


def test_a_diagram_beyond_the_element_limit_is_refused_at_once(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, _sized(3000)))  # 6,000 elements
    assert "5000" in errors[""] and "split" in errors[""]
    errors = _errors(deploy(admin, _sized(800)))  # within the limit, but a chain Spiff's parser cannot follow
    (message,) = errors.values()
    assert "split it into called processes" in message and "Recursion" not in message


def test_a_new_version_must_keep_the_element_ids_the_code_relies_on(backend, api_as):
    admin = api_as("admin")
    shipped = (SHIPPED / "disclosure_review.bpmn").read_text(encoding="utf-8")
    renamed = shipped.replace('"secrecy_review"', '"secrecy_check"').replace(">secrecy_review<", ">secrecy_check<")
    errors = _errors(deploy(admin, renamed))
    assert set(errors) == {"secrecy_review"}
    assert "secrecy_review" in errors["secrecy_review"] and "keep this id" in errors["secrecy_review"]

    other_form = shipped.replace('value="review_document"', 'value="review"', 1)
    errors = _errors(deploy(admin, other_form))
    assert "review_document" in errors["dept_review"]
