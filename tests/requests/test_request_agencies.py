"""A request is addressed to a 行政机关 (Art. 27): the portal and the API offer the agencies when there
is more than one, a department agency receives its own (its publisher's list and tasks, its name on the
letter, its annual report), other agencies' staff do not see it; staff register for their own agency
only, admins for any."""

import re
from datetime import date as D

import pytest
import time_machine

from engine import bootstrap, users
from engine.db import transaction
from tests.requests.test_report_agencies import agencies, new, patch  # noqa: F401 (the fixture)
from tests.support.information_requests import detail, do, morning, payload, register
from tests.support.web import csrf_from, login


@pytest.fixture
def three(agencies, staff):  # noqa: F811 (the imported fixture)
    """The installation, 示例县财政局 (预算股 its internal office) and 示例县教育局 with its own publisher."""
    with transaction() as s:
        users.ensure_department(s, "教育局")
        users.create_user("publisher_jy", bootstrap.DEMO_PASSWORD, ["publisher"], "教育局", display_name="教公开",
                          session=s, password_hash=bootstrap._demo_hash())
    depts = {d["name"]: d["id"] for d in staff("admin").get("/api/departments").get_json()["items"]}
    assert patch(staff("admin"), f"/api/departments/{depts['教育局']}", {"agency_name": "示例县教育局"}).status_code == 200
    return {"cz": agencies["财政局"], "ys": agencies["预算股"], "jy": depts["教育局"]}


def _request_id(api, request_no) -> int:
    return next(r["id"] for r in api.get("/api/requests").get_json()["items"] if r["request_no"] == request_no)


def test_a_request_filed_to_a_department_agency_is_its_own_from_inbox_to_report(client, staff, three):
    cz = three["cz"]
    listed = client.get("/api/public/agencies").get_json()["items"]
    assert [(a["key"], a["name"]) for a in listed] == [  # the installation's first, then by department name
        ("root", "示例县人民政府办公室"), (str(three["jy"]), "示例县教育局"), (str(cz), "示例县财政局")]
    for bad in ("99999", str(three["ys"]), "abc", True):  # none, an internal office, not an id
        resp = client.post("/api/public/requests", json=payload(agency=bad))
        assert resp.status_code == 422 and list(resp.get_json()["error"]["fields"]) == ["agency"], bad

    with time_machine.travel(morning(D(2025, 3, 3)), tick=False):
        filed = client.post("/api/public/requests", json=payload("2025年财政专项资金分配明细", agency=str(cz)))
        assert filed.status_code == 201 and filed.get_json()["agency"] == "示例县财政局"
        no, code = filed.get_json()["request_no"], filed.get_json()["access_code"]
        root = client.post("/api/public/requests", json=payload("2025年城区道路改造预算")).get_json()
        assert root["agency"] == "示例县人民政府办公室"  # no agency given: the installation's

        finance, office, education = staff("publisher_cz"), staff("publisher1"), staff("publisher_jy")
        rid = _request_id(finance, no)
        assert [r["request_no"] for r in finance.get("/api/requests").get_json()["items"]] == [no]
        review = finance.get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"]
        assert [t["bpmn_id"] for t in review] == ["review_request"]
        for other in (office, education):  # department separation: neither sees it, nor its task
            assert no not in [r["request_no"] for r in other.get("/api/requests").get_json()["items"]]
            assert other.get(f"/api/requests/{rid}").status_code == 404
            assert other.get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"] == []
        assert root["request_no"] not in [r["request_no"] for r in finance.get("/api/requests").get_json()["items"]]

        do(finance, rid, "review_request", {"decision": "accept", "department": "财政局"})
        do(staff("drafter2"), rid, "handle", {"decision": "reply"})
        do(staff("drafter2"), rid, "draft_reply", {"outcome": "already_public", "location": "示例县财政局门户网站"})
        do(staff("leader_cz"), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})
        do(finance, rid, "deliver_reply", {"delivery_method": "email", "delivered_on": "2025-03-03",
                                           "delivery_note": "已发送至申请人邮箱"})
        answer = detail(finance, rid)
        letter = answer["reply_letter"]["text"].splitlines()
        assert letter[0] == "示例县财政局" and "示例县人民政府办公室" not in letter[:3]
        assert answer["agency"] == "示例县财政局"  # the staff page names the 受理机关 too
        status = client.get(f"/api/public/requests/{no}?code={code}").get_json()
        assert (status["status"], status["agency"], status["replied_on"]) == ("replied", "示例县财政局", "2025-03-03")

    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        own = staff("publisher_cz").get("/api/reports/annual/2025").get_json()
        assert own["agency"] == "示例县财政局" and new(own) == 1
        assert new(staff("publisher1").get("/api/reports/annual/2025").get_json()) == 1  # only its own one
        assert new(staff("publisher_jy").get("/api/reports/annual/2025").get_json()) == 0


def test_staff_register_for_their_own_agency_and_an_admin_for_any(staff, three):
    cz, admin, finance = three["cz"], staff("admin"), staff("publisher_cz")
    by_admin = register(admin, description="来信：财政专项资金", channel="letter", agency=cz)
    assert by_admin["agency"] == "示例县财政局"
    assert by_admin["id"] in [r["id"] for r in finance.get("/api/requests").get_json()["items"]]
    assert staff("publisher1").get(f"/api/requests/{by_admin['id']}").status_code == 404
    assert register(admin, description="传真：道路预算", channel="fax")["agency"] == "示例县人民政府办公室"

    refused = finance.post("/api/requests", json={**payload(), "channel": "in_person", "received_on": "2025-03-03",
                                                  "agency": "root"})
    assert refused.status_code == 403 and "示例县人民政府办公室" in refused.get_json()["error"]["message"]
    assert staff("publisher1").post("/api/requests", json={**payload(), "channel": "in_person",
                                                           "received_on": "2025-03-03", "agency": cz}).status_code == 403
    assert register(finance, agency=str(cz))["agency"] == "示例县财政局"
    assert register(staff("publisher_ys"), agency=cz)["agency"] == "示例县财政局"  # its internal office
    internal = admin.post("/api/requests", json={**payload(), "channel": "letter", "received_on": "2025-03-03",
                                                 "agency": three["ys"]})
    assert internal.status_code == 422 and list(internal.get_json()["error"]["fields"]) == ["agency"]


def test_the_portal_offers_the_agencies_only_when_there_are_several(app, staff):
    client = app.test_client()
    single = client.get("/public/requests/new").get_data(as_text=True)
    assert 'name="agency"' not in single and "受理机关" not in single


def test_the_portal_form_addresses_the_chosen_agency(app, staff, three):
    client, cz = app.test_client(), three["cz"]
    form = client.get("/public/requests/new").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', form.split('name="agency"')[1].split("</select>")[0])
    assert options == [("root", "示例县人民政府办公室"), (str(three["jy"]), "示例县教育局"), (str(cz), "示例县财政局")]
    assert re.search(r'<option value="root"\s+selected', form)  # the installation's by default
    fields = {"csrf_token": csrf_from(form), "applicant_type": "natural_person", "applicant_name": "张三",
              "applicant_id_number": "110101199003074573", "applicant_contact": "13912341234",
              "description": "2025年财政专项资金分配明细", "form": "electronic", "delivery": "email"}
    bad = client.post("/public/requests/new", data={**fields, "agency": str(three["ys"])})
    assert bad.status_code == 422 and "内设机构不单独受理" in bad.get_data(as_text=True)
    filed = client.post("/public/requests/new", data={**fields, "agency": str(cz)})
    page = filed.get_data(as_text=True)
    assert filed.status_code == 201 and '<dd id="agency">示例县财政局</dd>' in page
    no = re.search(r'id="request-no">([^<]+)<', page).group(1)
    status_url = re.search(r'id="status-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert '<dd id="agency">示例县财政局</dd>' in client.get(status_url).get_data(as_text=True)
    assert no in login(app.test_client(), "publisher_cz").get("/requests").get_data(as_text=True)
    assert no not in login(app.test_client(), "publisher1").get("/requests").get_data(as_text=True)
