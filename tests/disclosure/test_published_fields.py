"""Every published field goes through de-identification and the publisher's confirmation.

Title, document number, body and 政策解读 each get findings on the publisher's page; only the
confirmed redacted versions reach the public API, the public pages, the Atom feed, the static export
and the webhook — through the real worker and a real local webhook receiver.
"""

import json

from engine.db import transaction
from engine.models import Document
from tests.support.disclosure import APPROVE, do_task, run_worker
from tests.support.web import login

ID_NUMBER, PHONE, NAMES = "110101199003074573", "13912341234", ("王五", "张三")
SUBMISSION = {
    "title": f"关于王五（身份证号{ID_NUMBER}）违规用地的处理决定", "doc_number": f"泰政发〔2026〕{PHONE}号",
    "category": "policy", "attribute": "proactive", "formed_on": "2026-11-02",
    "channels": ["catalogue", "static_export", "webhook"], "body": "一、基本情况。二、处理意见。",
    "interpretation": f"政策解读：联系人张三，身份证号{ID_NUMBER}，电话{PHONE}。",
}


def leaks(text: str) -> list[str]:
    return [secret for secret in (ID_NUMBER, PHONE, *NAMES) if secret in text]


def test_title_number_and_interpretation_are_redacted_on_every_channel(app, api_as, settings, receiver):
    drafter, publisher = api_as("drafter1"), api_as("publisher1")
    doc_id = drafter.post("/api/documents", json=SUBMISSION).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    run_worker()  # the deidentify service task

    task = publisher.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    assert publisher.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    fields = {r["field"]: r for r in publisher.get(f"/api/documents/{doc_id}").get_json()["redactions"]}
    assert set(fields) == {"title", "doc_number", "body", "interpretation"}
    assert {f["text"] for f in fields["interpretation"]["findings"]} >= {"张三", ID_NUMBER, PHONE}
    assert [f["text"] for f in fields["doc_number"]["findings"]] == [PHONE]
    # The detector missed the name in the title: the publisher marks it on the title's own editor.
    title = fields["title"]
    start = SUBMISSION["title"].index("王五")
    marked = title["findings"] + [{"start": start, "end": start + 2, "kind": "person_name"}]
    edited = publisher.put(f"/api/documents/{doc_id}/redaction", json={"field": "title", "findings": marked})
    assert edited.status_code == 200 and leaks(edited.get_json()["redacted_text"]) == []
    url = f"/api/documents/{doc_id}/redaction"
    for bad in ({"field": ["title"], "findings": []}, {"field": "attachment", "findings": []},
                {"field": "title", "findings": [{"start": 0, "end": 2, "kind": "nickname"}]},
                {"field": "title", "findings": [{"start": 0, "end": 2, "replacement": {"x": 1}}]},
                {"field": "title", "findings": [{"start": 0, "end": 999}]}):
        assert publisher.put(url, json=bad).status_code == 422, bad

    # The confirmation page shows each field with its findings.
    web = app.test_client()
    login(web, "publisher1")
    page = web.get(f"/tasks/{task['id']}").get_data(as_text=True)
    for label in ("标题", "文号", "正文", "政策解读"):
        assert f"去标识化核对 · {label}" in page
    assert 'data-field="interpretation"' in page and 'data-field="title"' in page

    assert publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}}).status_code == 200
    for _ in range(3):
        run_worker()
        if receiver.received:
            break
    doc = publisher.get(f"/api/documents/{doc_id}").get_json()
    assert doc["status"] == "published" and doc["redaction_confirmed_by"] == "publisher1"
    assert doc["reviews"][-1]["stage"] == "confirm_redaction" and doc["reviews"][-1]["reviewer_name"] == "publisher1"

    public = app.test_client()
    api_doc = public.get(f"/api/public/documents/{doc_id}").get_json()
    assert api_doc["title"].startswith("关于") and api_doc["interpretation"].startswith("政策解读：联系人")
    assert leaks(json.dumps(api_doc, ensure_ascii=False)) == []
    assert leaks(json.dumps(public.get("/api/public/documents").get_json(), ensure_ascii=False)) == []
    for secret in (ID_NUMBER, PHONE, "王五"):  # the catalogue's search is no oracle for the originals
        assert public.get(f"/api/public/documents?q={secret}").get_json()["items"] == []
    for url in (f"/public/documents/{doc_id}", "/public", "/public/feed.atom"):
        text = public.get(url).get_data(as_text=True)
        assert "违规用地的处理决定" in text and leaks(text) == [], url
    folder = settings.data_dir / "export"
    for name in (f"{doc_id}.json", f"{doc_id}.html"):
        assert leaks((folder / name).read_text("utf-8")) == [], name
    (_, body), = receiver.received
    sent = json.loads(body)
    assert sent["interpretation"].startswith("政策解读") and leaks(body.decode("utf-8")) == []


def test_a_document_deidentified_before_its_other_fields_were_is_proposed_and_confirmed(app, api_as):
    """A document waiting for confirmation when this version was installed has only its body
    de-identified: the page proposes the other fields, and confirming stores what was shown."""
    publisher = api_as("publisher1")
    doc_id = api_as("drafter1").post("/api/documents", json={**SUBMISSION, "channels": ["catalogue"]}).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    run_worker()
    with transaction() as s:  # the state an older version left behind
        s.get(Document, doc_id).field_redactions = {}
    shown = {r["field"]: r for r in publisher.get(f"/api/documents/{doc_id}").get_json()["redactions"]}
    assert ID_NUMBER not in shown["title"]["redacted_text"] and PHONE not in shown["doc_number"]["redacted_text"]
    do_task(publisher, doc_id, {"decision": "confirm"})
    run_worker()
    public = app.test_client().get(f"/api/public/documents/{doc_id}").get_json()
    assert public["title"] == shown["title"]["redacted_text"] and leaks(public["interpretation"]) == []
