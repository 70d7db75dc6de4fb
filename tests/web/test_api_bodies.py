"""Every JSON body is loaded by its schema before the engine sees it: a field given as an object, a
list, a number or a boolean where text or a choice is due is a 422 naming the field, never a 500.

The table of bodies is the API's own (web/api/bodies.py); the two 500s the security pass found (a
work plan's `report_cycle`, a task's `rule`, given as an object or a list) are tested by name too.
"""

import pytest

from tests.support.information_requests import Staff
from tests.support.workplan import PLAN_TEXT, add_staff, create_plan

WRONG = ({"x": 1}, [1], 7, True)

# (who, method, path, a valid body): each field of the body is replaced in turn by each WRONG value.
BODIES = [
    ("office1", "post", "/api/workplans", {"year": 2026, "title": "计划", "report_cycle": "P1M",
                                           "rows": [{"task": "任务", "lead_units": ["财政局"]}]}),
    ("office1", "post", "/api/workplans/import", {"text": PLAN_TEXT, "year": 2026, "congress_ends_on": None}),
    ("office1", "post", "/api/workplans/tasks/{task}/rule", {"rule": "poverty_fund_plan"}),
    ("office1", "patch", "/api/workplans/{plan}", {"congress_ends_on": "2026-03-10"}),
    ("office1", "post", "/api/workplans/tasks/{task}/review", {"department_id": 1, "decision": "accept", "opinion": "好"}),
    ("office1", "post", "/api/workplans/tasks/{task}/documents", {"document_id": 1}),
    ("office1", "post", "/api/workplans/notices/1/delivery", {"delivery_method": "post", "delivered_on": "2026-03-10"}),
    ("liaison_cz", "post", "/api/workplans/tasks/{task}/reports", {"text": "进展", "evidence_urls": "", "document_ids": ""}),
    ("admin", "put", "/api/requests/settings", {"agency_kind": "government", "correction_period_days": 15,
                                                "similarity_threshold": 0.5, "index_pattern": "{seq:07d}",
                                                "reconsideration_body": {"name": "市政府", "address": "人民路1号"}}),
    ("admin", "patch", "/api/departments/{dept}", {"agency_name": "示例县财政局", "agency_code": "CZJ",
                                                   "agency_kind": "department", "parent": None}),
    ("admin", "put", "/api/guide", {"classification": "分类", "phone": "0538-1234567"}),
    ("publisher1", "put", "/api/reports/annual/2025/text", {"overview": "概述", "figures": {"coercion": 3}}),
    ("publisher1", "post", "/api/reports/annual/2025/proceedings", {"kind": "reconsideration", "result": "upheld",
                                                                    "case_no": "1", "note": "x", "request_id": None}),
    ("publisher1", "patch", "/api/reports/annual/proceedings/1", {"result": "upheld"}),
    ("publisher1", "post", "/api/requests", {"applicant": {"name": "张三", "type": "natural_person"},
                                             "description": "预算", "form": "paper", "delivery": "post",
                                             "channel": "letter", "received_on": "2026-03-02", "agency": "root"}),
    ("publisher1", "post", "/api/requests/1/notices/1/delivery", {"delivery_method": "post", "delivered_on": "2026-03-02"}),
    ("publisher1", "post", "/api/requests/1/reasons", {"period_days": 10}),
    ("publisher1", "post", "/api/requests/1/notices/1/answer", {"answered_on": "2026-03-02", "reasons": "理由",
                                                                "reasonable": True}),
    ("publisher1", "post", "/api/requests/1/delay", {"reply_by": "2026-04-02"}),
    ("publisher1", "post", "/api/requests/1/correction", {"received_on": "2026-03-02", "description": "补正"}),
    (None, "post", "/api/public/requests", {"applicant": {"name": "张三", "type": "natural_person"},
                                            "description": "预算", "form": "paper", "delivery": "post", "agency": "root"}),
    (None, "post", "/api/public/requests/Y1/correction", {"code": "ABC", "description": "补正"}),
    ("drafter1", "post", "/api/documents", {"title": "通知", "category": "general", "attribute": "proactive",
                                            "attribute_ground": None, "channels": ["catalogue"], "formed_on": "2026-03-02",
                                            "topic": None, "publicity": False}),
    ("publisher1", "put", "/api/documents/1/redaction", {"field": "body", "findings": []}),
]


@pytest.fixture
def world(settings, api_as):
    add_staff()
    staff = Staff(api_as, settings.secret_key)
    plan_id = create_plan(staff("office1"))
    task_id = staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"][0]["id"]
    depts = {d["name"]: d["id"] for d in staff("admin").get("/api/departments").get_json()["items"]}
    ids = {"plan": plan_id, "task": task_id, "dept": depts["财政局"]}
    return lambda who: staff(who) if who else api_as(), ids


def _variants(body):
    for key, value in body.items():
        for wrong in WRONG:
            if type(wrong) is not type(value) or isinstance(value, bool) != isinstance(wrong, bool):
                yield key, {**body, key: wrong}
        if isinstance(value, dict):
            for inner in value:
                for wrong in WRONG[:2]:
                    yield f"{key}.{inner}", {**body, key: {**value, inner: wrong}}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("who, method, path, body", BODIES, ids=[f"{m} {p}" for _w, m, p, _b in BODIES])
def test_a_field_of_the_wrong_type_is_a_422_naming_it_never_a_500(world, who, method, path, body):
    client_for, ids = world
    api = client_for(who)
    url = path.format(**ids)
    for field, wrong_body in _variants(body):
        resp = getattr(api, method)(url, json=wrong_body)
        assert resp.status_code != 500, (field, wrong_body)
        if resp.status_code == 422:
            named = resp.get_json()["error"].get("fields", {})
            top = field.split(".")[0]
            assert any(n == top or n.startswith((top + ".", top + "[")) for n in named) or not named, (field, named)
    not_an_object = getattr(api, method)(url, json=[body])
    assert not_an_object.status_code in (400, 401, 403, 404, 409, 422, 429), not_an_object.status_code


@pytest.mark.parametrize("wrong", [{"P1M": True}, ["P1M"]])
def test_report_cycle_or_rule_as_an_object_or_a_list_is_a_422(world, wrong):
    client_for, ids = world
    office = client_for("office1")
    resp = office.post("/api/workplans", json={"year": 2026, "title": "计划", "report_cycle": wrong,
                                               "rows": [{"task": "任务", "lead_units": ["财政局"]}]})
    assert resp.status_code == 422 and "report_cycle" in resp.get_json()["error"]["fields"]
    resp = office.post(f"/api/workplans/tasks/{ids['task']}/rule", json={"rule": wrong})
    assert resp.status_code == 422 and "rule" in resp.get_json()["error"]["fields"]
    assert "应为以下之一" in str(resp.get_json()["error"]["fields"]["rule"])
