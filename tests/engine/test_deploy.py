"""Deploying diagrams: every refusal names the element and what to fix; versions are immutable.

Refusals come back as HTTP 422 with `errors: [{element_id, message}]` and deploy nothing.
"""

from sqlalchemy import select

from engine.db import transaction
from engine.models import DecisionFile, ProcessInstance
from engine.workflow import definitions
from tests.support.bpmn import (
    decision_table,
    diagram,
    rule_task,
    script_task,
    service_task,
    user_task,
)
from tests.support.flows import deploy, deploy_ok, instance, rows, start

ONE_STEP = diagram("one_step", [user_task("review")])


def _errors(resp) -> dict:
    """Return {element_id: message} of a refused deploy."""
    assert resp.status_code == 422, (resp.status_code, resp.get_json())
    body = resp.get_json()
    assert body["error"]["code"] == "invalid"
    assert all(set(e) == {"element_id", "message"} for e in body["errors"])
    return {e["element_id"]: e["message"] for e in body["errors"]}


def _keys(api) -> set[str]:
    return {d["key"] for d in api.get("/api/process-definitions").get_json()["items"]}


def test_a_file_that_does_not_parse_is_refused(backend, api_as):
    admin = api_as("admin")
    assert "XML" in _errors(deploy(admin, "this is not xml"))[""]
    assert _errors(deploy(admin, "<html><body>hello</body></html>"))
    not_executable = ONE_STEP.replace('isExecutable="true"', 'isExecutable="false"')
    assert "isExecutable" in _errors(deploy(admin, not_executable))["one_step"]  # names the process
    dangling = ONE_STEP.replace('targetRef="end"', 'targetRef="nowhere"')
    assert _errors(deploy(admin, dangling))
    entity = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              + ONE_STEP.split("?>", 1)[1].replace('name="one_step"', 'name="&x;"'))
    assert "root:" not in str(_errors(deploy(admin, entity)))
    assert _keys(admin) == set(_keys(admin)) - {"one_step"}


def test_user_tasks_need_a_lane_naming_a_known_role(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, diagram("lanes", [user_task("no_lane", lane=None),
                                                     user_task("bad_lane", lane="janitor"),
                                                     user_task("fine", lane="leader")])))
    assert set(errors) == {"no_lane", "bad_lane"}
    assert "泳道" in errors["no_lane"] and "lane" in errors["no_lane"]
    assert "janitor" in errors["bad_lane"] and "dept_reviewer" in errors["bad_lane"]


def test_user_tasks_need_a_known_form(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, diagram("forms", [user_task("no_form", form=None),
                                                     user_task("bad_form", form="no_such_form")])))
    assert set(errors) == {"no_form", "bad_form"}
    assert "formKey" in errors["no_form"]
    assert "no_such_form" in errors["bad_form"] and "review" in errors["bad_form"]


def test_service_tasks_need_a_known_operation(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, diagram("ops", [service_task("call", operation="launch_rockets")])))
    assert "launch_rockets" in errors["call"] and "notify" in errors["call"]


def test_scripts_outside_the_subset_are_refused(backend, api_as):
    admin = api_as("admin")
    errors = _errors(deploy(admin, diagram("scripts", [script_task("s1", "import os"),
                                                       script_task("s2", "x = ("),
                                                       user_task("due", props={"dueAt": "open('x')"})])))
    assert set(errors) == {"s1", "s2", "due"}
    assert "语法错误" in errors["s2"]
    assert "dueAt" in errors["due"]


def test_decision_tables_are_checked(backend, api_as):
    admin = api_as("admin")
    bad = decision_table("pick", "n", [("< 5", "__import__('os')"), ("", "'big'")])
    try:
        definitions.save_decision_file(None, "bad.dmn", bad)
    except Exception as exc:
        assert exc.details and exc.details[0]["element_id"] == "pick"
    else:
        raise AssertionError("a DMN with an escape was saved")
    # A table stored before the rules were tightened still stops a deploy that calls it.
    with transaction() as s:
        s.add(DecisionFile(name="old.dmn", xml=bad, decision_ids=["pick"], sha256="x"))
    errors = _errors(deploy(admin, diagram("ruled", [rule_task("decide", "pick"), user_task("look")])))
    assert "pick" in errors and "DMN" in errors["pick"]


def test_a_good_decision_table_runs(backend, api_as):
    admin = api_as("admin")
    definitions.save_decision_file(None, "size.dmn", decision_table(
        "size_of", "n", [("< 5", "'small'"), ("", "'big'")], output="size"))
    deploy_ok(admin, diagram("sized", [rule_task("decide", "size_of"), user_task("look")]))
    assert instance(admin, start(admin, "sized", {"n": 3}))["data"]["size"] == "small"
    assert instance(admin, start(admin, "sized", {"n": 30}))["data"]["size"] == "big"


def test_every_problem_is_reported_at_once_and_nothing_is_deployed(backend, api_as):
    admin = api_as("admin")
    before = _keys(admin)
    errors = _errors(deploy(admin, diagram("many", [user_task("a", lane=None, form=None),
                                                    service_task("b", operation="nope"),
                                                    script_task("c", "eval('1')")])))
    assert set(errors) == {"a", "b", "c"}
    assert _keys(admin) == before


def test_deploy_needs_an_admin_and_an_xml_body(backend, api_as):
    assert deploy(api_as("reviewer1"), ONE_STEP).status_code == 403
    admin = api_as("admin")
    as_json = admin.post("/api/process-definitions", json={"xml": ONE_STEP})
    assert as_json.status_code == 422
    assert deploy(admin, "").status_code == 422


def test_identical_file_is_a_no_op_and_a_changed_one_is_a_new_version(backend, api_as):
    admin = api_as("admin")
    first = deploy(admin, ONE_STEP)
    assert first.status_code == 201
    assert first.get_json() == {"key": "one_step", "version": 1, "created": True,
        "processes": [{"key": "one_step", "version": 1, "created": True}]}
    again = deploy(admin, ONE_STEP)
    assert again.status_code == 200
    assert again.get_json() == {"key": "one_step", "version": 1, "created": False,
        "processes": [{"key": "one_step", "version": 1, "created": False}]}

    old = start(admin, "one_step")
    changed = diagram("one_step", [user_task("review"), user_task("second_look", lane="leader")])
    second = deploy(admin, changed)
    assert second.status_code == 201
    assert second.get_json() == {"key": "one_step", "version": 2, "created": True,
        "processes": [{"key": "one_step", "version": 2, "created": True}]}
    new = start(admin, "one_step")

    assert instance(admin, old)["version"] == 1
    assert instance(admin, new)["version"] == 2
    listed = next(d for d in admin.get("/api/process-definitions").get_json()["items"] if d["key"] == "one_step")
    assert listed["latest_version"] == 2
    assert {v["version"]: v["running_instances"] for v in listed["versions"]} == {1: 1, 2: 1}
    assert admin.get("/api/process-definitions/one_step/versions/1/xml").get_data(as_text=True) == ONE_STEP
    assert admin.get("/api/process-definitions/one_step/versions/9/xml").status_code == 404
    # Redeploying the old file is not a no-op revert: it is already stored as version 1.
    assert deploy(admin, ONE_STEP).get_json() == {"key": "one_step", "version": 1, "created": False,
        "processes": [{"key": "one_step", "version": 1, "created": False}]}
    assert instance(admin, start(admin, "one_step"))["version"] == 2


def test_the_old_version_keeps_running_after_a_new_deploy(backend, api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, ONE_STEP)
    old = start(admin, "one_step")
    deploy_ok(admin, diagram("one_step", [user_task("review"), user_task("second_look", lane="leader")]))
    task = reviewer.get(f"/api/tasks?scope=available&instance_id={old}").get_json()["items"][0]
    done = reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "可"}})
    assert done.status_code == 200, done.get_json()
    assert instance(admin, old)["status"] == "completed"  # v1 has no second step
    (row,) = rows(ProcessInstance, ProcessInstance.id == old)
    assert row.version.version == 1


def test_a_stored_version_is_parsed_once_per_process(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, ONE_STEP)
    version = definitions.get_version("one_step")
    definitions._spec_cache.clear()
    first = definitions.spec_for(version.id)
    assert definitions.spec_for(version.id) is first
    with transaction() as s:
        stored = s.scalar(select(definitions.ProcessVersion).where(definitions.ProcessVersion.id == version.id))
        assert stored.sha256 == definitions.sha256_of(ONE_STEP, {})
