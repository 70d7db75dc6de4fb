"""Chinese by default; English when the user picks it (and it sticks for the session)."""

from tests.support.web import login


def test_english_is_the_second_locale(app):
    client = login(app.test_client(), "reviewer1")
    chinese = client.get("/inbox").get_data(as_text=True)
    assert "我的待办" in chinese and '<html lang="zh-CN">' in chinese
    english = client.get("/inbox?lang=en").get_data(as_text=True)
    assert "My tasks" in english and "Log out" in english and '<html lang="en">' in english
    assert "My tasks" in client.get("/inbox").get_data(as_text=True)  # remembered
    public = app.test_client().get("/public?lang=en").get_data(as_text=True)
    assert "Catalogue of proactively disclosed information" in public


def test_task_and_document_pages_in_english(app, api_as):
    doc_id = api_as("drafter1").post("/api/documents", json={
        "title": "关于X的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "body": "正文"}).get_json()["id"]
    task = api_as("reviewer1").get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    client = login(app.test_client(), "reviewer1")
    page = client.get(f"/tasks/{task['id']}?lang=en").get_data(as_text=True)
    assert "Review records" in page and "Claim" in page and "Diagram" in page
    assert "Publish by" in client.get(f"/documents/{doc_id}").get_data(as_text=True)
