"""Staff pages for information requests: the list, one request, and its facts on the task page."""

from tests.support.information_requests import payload
from tests.support.web import login


def test_publisher_sees_the_request_list_and_page_and_a_drafter_does_not(app, api_as):
    resp = api_as().client.post("/api/public/requests", json=payload())
    assert resp.status_code == 201, resp.get_json()
    request_no = resp.get_json()["request_no"]
    publisher = login(app.test_client(), "publisher1")
    listing = publisher.get("/requests").get_data(as_text=True)
    assert request_no in listing and "城区道路改造" in listing
    request_id = api_as("publisher1").get("/api/requests").get_json()["items"][0]["id"]
    page = publisher.get(f"/requests/{request_id}").get_data(as_text=True)
    assert request_no in page and "张三" in page and "<title>" in page
    task = api_as("publisher1").get(f"/api/tasks?scope=available&request_id={request_id}").get_json()["items"][0]
    task_page = publisher.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert request_no in task_page and "城区道路改造" in task_page

    drafter = login(app.test_client(), "drafter2")
    assert drafter.get(f"/requests/{request_id}").status_code == 404
    assert request_no not in drafter.get("/requests").get_data(as_text=True)


def test_handler_searches_the_register_of_unpublished_documents(app, api_as):
    drafter, reviewer, secrecy = api_as("drafter1"), api_as("reviewer1"), api_as("secrecy1")
    doc_id = drafter.post("/api/documents", json={
        "title": "城区道路改造工程预算明细", "category": "general", "attribute": "on_request",
        "attribute_ground": "process_information", "attribute_reason": "预算尚在审核", "formed_on": "2026-11-02",
        "body": "预算明细"}).get_json()["id"]
    for api in (reviewer, secrecy):
        task = api.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
        api.post(f"/api/tasks/{task['id']}/claim")
        api.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "同意"}})
    handler = login(app.test_client(), "drafter1")
    page = handler.get("/requests/register?q=道路改造").get_data(as_text=True)
    assert "城区道路改造工程预算明细" in page and "依申请公开" in page
    assert "城区道路改造工程预算明细" not in handler.get("/requests/register?q=学校").get_data(as_text=True)
