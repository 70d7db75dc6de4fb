"""Who may see a document, a request and their process instances (engine/access.py), through the API
as users of another department or of the same department without the right role.

Demo users: drafter2/reviewer2 work in 财政局, everyone else in 办公室 (where requests are received).
"""


from engine import users
from engine.workflow import definitions
from tests.support.bpmn import diagram, service_task
from tests.support.disclosure import APPROVE, do_task, run_worker
from tests.support.information_requests import do, register, task_for

SECRET_BODY = "绝密：某型号装备采购合同全文，供应商及金额附后。"
WITHHELD = {"title": "关于装备采购的请示", "doc_number": "办发〔2026〕7号", "category": "general",
            "attribute": "withheld", "attribute_ground": "state_secret", "attribute_reason": "涉及国家秘密",
            "formed_on": "2026-11-02", "body": SECRET_BODY}


def withheld_document(api_as, **fields) -> dict:
    """办公室's drafter1 submits a state-secret document; it ends withheld after sign-off."""
    doc_id = api_as("drafter1").post("/api/documents", json={**WITHHELD, **fields}).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, {"decision": "withhold", "opinion": "涉及国家秘密，不予公开",
                                          "attribute_ground": "state_secret"})
    do_task(api_as("leader1"), doc_id, {"decision": "confirm", "opinion": "同意不予公开"})
    doc = api_as("admin").get(f"/api/documents/{doc_id}").get_json()
    assert doc["status"] == "withheld"
    return doc


def request_handled_by_finance(staff) -> int:
    """A request received by 办公室 and handed to 财政局, whose drafter2 is drafting the reply."""
    rid = register(staff("publisher1"))["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept", "department": "财政局"})
    do(staff("drafter2"), rid, "handle", {"decision": "reply"})
    return rid


def test_a_reply_draft_cannot_cite_another_departments_withheld_document(api_as, staff):
    doc = withheld_document(api_as)
    rid = request_handled_by_finance(staff)
    drafter2 = staff("drafter2")
    assert drafter2.get(f"/api/documents/{doc['id']}").status_code == 404  # its own endpoint: not seen
    refused = do(drafter2, rid, "draft_reply", {"outcome": "disclosed", "source_document_id": doc["id"]}, status=422)
    assert "source_document_id" in refused["error"]["fields"]
    for bad in ("abc", "99999999999999999999", 987654):
        refused = do(drafter2, rid, "draft_reply", {"outcome": "disclosed", "source_document_id": bad}, status=422)
        assert "source_document_id" in refused["error"]["fields"]
    request = staff("publisher1").get(f"/api/requests/{rid}").get_json()
    assert request["material"] is None and request["status"] == "drafting"


def test_the_register_lists_only_documents_the_caller_may_see(api_as, staff):
    doc = withheld_document(api_as)
    for other in ("drafter2", "reviewer2"):  # 财政局
        found = staff(other).get("/api/requests/register?q=装备采购").get_json()["items"]
        assert found == [], other
    assert [d["id"] for d in staff("publisher1").get("/api/requests/register?q=装备采购").get_json()["items"]] == [doc["id"]]


def test_an_instance_is_seen_by_who_may_see_its_document(api_as):
    doc = withheld_document(api_as)
    users.create_user("drafter3", "quiet-harbour-41", ["drafter"], "办公室")
    colleague = api_as().login("drafter3", "quiet-harbour-41")  # same department, not the drafter
    assert colleague.get(f"/api/documents/{doc['id']}").status_code == 404
    # The instance's history holds the withholding ground and the reviewers' opinions.
    assert colleague.get(f"/api/process-instances/{doc['instance_id']}").status_code == 404
    assert api_as("reviewer2").get(f"/api/process-instances/{doc['instance_id']}").status_code == 404
    for allowed in ("drafter1", "secrecy1", "admin"):
        assert api_as(allowed).get(f"/api/process-instances/{doc['instance_id']}").status_code == 200, allowed


def test_an_instance_is_seen_by_who_may_see_its_request(staff):
    rid = request_handled_by_finance(staff)
    do(staff("drafter2"), rid, "draft_reply", {"outcome": "already_public", "location": "本机关门户网站"})
    instance_id = staff("publisher1").get(f"/api/requests/{rid}").get_json()["instance_id"]
    # Waiting for 办公室's leader: the instance is 办公室's again, but 办公室's drafter has no part in it.
    drafter1 = staff("drafter1")
    assert drafter1.get(f"/api/requests/{rid}").status_code == 404
    assert drafter1.get(f"/api/process-instances/{instance_id}").status_code == 404
    for allowed in ("drafter2", "leader1", "publisher1"):
        assert staff(allowed).get(f"/api/process-instances/{instance_id}").status_code == 200, allowed


def test_returns_statistics_cover_only_what_the_caller_may_see(api_as):
    returned = {**WITHHELD, "attribute": None, "attribute_ground": None, "attribute_reason": None}
    doc_id = api_as("drafter1").post("/api/documents", json=returned).get_json()["id"]
    assert api_as("drafter1").get(f"/api/documents/{doc_id}").get_json()["returns"] == 1
    assert api_as("reviewer2").get("/api/reports/returns").get_json()["items"] == []
    expected = [{"department": "办公室", "returns": 1, "documents": 1}]
    assert api_as("admin").get("/api/reports/returns").get_json()["items"] == expected
    assert api_as("reviewer1").get("/api/reports/returns").get_json()["items"] == expected


def test_lists_show_exactly_what_the_pages_show(api_as, staff):
    """The SQL twin of each rule agrees with the Python one, user by user."""
    withheld_document(api_as)
    api_as("drafter2").post("/api/documents", json={**WITHHELD, "title": "财政局的文件"})
    request_handled_by_finance(staff)
    register(staff("publisher1"))
    for name in ("drafter1", "drafter2", "reviewer1", "reviewer2", "secrecy1", "leader1", "publisher1"):
        api = staff(name)
        listed = {d["id"] for d in api.get("/api/documents").get_json()["items"]}
        every = {d["id"] for d in staff("admin").get("/api/documents").get_json()["items"]}
        assert listed == {i for i in every if api.get(f"/api/documents/{i}").status_code == 200}, name
        listed = {r["id"] for r in api.get("/api/requests").get_json()["items"]}
        every = {r["id"] for r in staff("admin").get("/api/requests").get_json()["items"]}
        assert listed == {i for i in every if api.get(f"/api/requests/{i}").status_code == 200}, name


def test_a_service_task_works_only_on_its_own_instances_document(api_as, settings):
    """An id in the start data cannot point the deidentify and publish steps at another document."""
    doc = withheld_document(api_as, channels=["static_export"])
    steps = [service_task("redact", "deidentify", {"document_id": "document_id", "policy": "'general'"}),
             service_task("send", "publish", {"document_id": "document_id"})]
    definitions.deploy(users.by_username("admin"), diagram("publish_any", steps), starter_roles=["drafter"])
    started = api_as("drafter2").post("/api/process-instances",
                                      json={"definition_key": "publish_any", "data": {"document_id": doc["id"]}})
    assert started.status_code == 201, started.get_json()
    run_worker()
    after = api_as("admin").get(f"/api/documents/{doc['id']}").get_json()
    assert after["publications"] == [] and after["status"] == "withheld"
    assert after["redactions"][0]["redacted_text"] is None  # not even de-identified for someone else
    assert not (settings.data_dir / "export" / f"{doc['id']}.json").exists()
    instance = api_as("admin").get(f"/api/process-instances/{started.get_json()['id']}").get_json()
    assert instance["status"] != "completed"  # the step failed (retried, then an incident)


def test_one_refusal_policy_for_every_resource(api_as, staff):
    """What a user may not see answers as a row that does not exist (404); what they see but may not
    do is refused (403) — documents, requests, tasks and instances alike (work plans: test_workplan_access)."""
    doc = withheld_document(api_as)
    rid = request_handled_by_finance(staff)
    task = task_for(staff("drafter2"), rid, "draft_reply")
    instance_id = staff("publisher1").get(f"/api/requests/{rid}").get_json()["instance_id"]
    missing = 987654321

    def status(user, method, url, **body):
        return getattr(staff(user), method)(url, **({"json": body} if method == "post" else {})).status_code

    # Not visible: the same answer as for an id that names nothing.
    for url in ("/api/documents/{}", "/api/requests/{}", "/api/tasks/{}", "/api/process-instances/{}"):
        assert status("drafter1", "get", url.format(missing)) == 404
    assert status("drafter2", "get", f"/api/documents/{doc['id']}") == 404       # 财政局
    assert status("drafter1", "get", f"/api/requests/{rid}") == 404              # 办公室's drafter, no part in it
    assert status("reviewer2", "get", f"/api/tasks/{task['id']}") == 404         # 财政局, not a drafter
    assert status("reviewer2", "post", f"/api/tasks/{task['id']}/claim") == 404  # nor act on it
    assert status("drafter1", "get", f"/api/process-instances/{instance_id}") == 404
    # Visible, but not theirs to do.
    assert status("drafter1", "post", f"/api/documents/{doc['id']}/take-down", reason="过期") == 403
    assert status("drafter2", "post", f"/api/requests/{rid}/reasons", period_days=15) == 403  # not a publisher
    assert status("admin", "post", f"/api/tasks/{task['id']}/claim") == 403      # sees every task, drafts none
    assert status("publisher1", "post", f"/api/process-instances/{instance_id}/cancel", reason="x") == 403
