"""The documents and public pages through the Flask test client (session login, CSRF on)."""

import re

from rq import SimpleWorker

from engine import queue

BODY = "户主王五，身份证号110101199003074573，联系电话13912341234。咨询电话：0538-8221234。"


def login(client, username):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post("/login", data={"username": username, "password": "gongkai-demo", "csrf_token": token})
    assert resp.status_code == 302
    return token


def csrf_of(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_drafter_submits_through_the_form_and_sees_the_document(app):
    client = app.test_client()
    login(client, "drafter1")
    token = csrf_of(client, "/documents/new")
    resp = client.post("/documents/new", data={
        "csrf_token": token, "title": "关于春季植树的通知", "category": "general", "attribute": "proactive",
        "formed_on": "2026-11-02", "body": BODY, "channels": ["catalogue"]})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "关于春季植树的通知" in page and "初审中" in page and "2026-11-30" in page
    listing = client.get("/documents").get_data(as_text=True)
    assert "关于春季植树的通知" in listing


def test_a_product_recall_is_submitted_with_its_formation_time(app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 11, 27, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client = app.test_client()
        login(client, "drafter1")
        token = csrf_of(client, "/documents/new")
        assert 'name="formed_time"' in client.get("/documents/new").get_data(as_text=True)
        resp = client.post("/documents/new", data={
            "csrf_token": token, "title": "关于召回某型号电动自行车的公告", "category": "product_recall",
            "attribute": "proactive", "formed_on": "2026-11-27", "formed_time": "18:30", "body": BODY,
            "channels": ["catalogue"]})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "产品召回信息" in page and "2026-11-28" in page  # 24 hours, weekend or not


def test_form_without_csrf_is_refused(app):
    client = app.test_client()
    login(client, "drafter1")
    resp = client.post("/documents/new", data={"title": "x"})
    assert resp.status_code == 400


def test_form_errors_keep_the_input(app):
    client = app.test_client()
    login(client, "drafter1")
    token = csrf_of(client, "/documents/new")
    resp = client.post("/documents/new", data={"csrf_token": token, "title": "", "body": BODY,
                                               "formed_on": "11/02/2026"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "YYYY-MM-DD" in page and "13912341234" in page


def test_another_departments_document_page_is_not_found(app, api_as):
    doc_id = api_as("drafter1").post("/api/documents", json={"title": "内部文件", "category": "general",
                                                              "attribute": "proactive", "formed_on": "2026-11-02",
                                                              "body": BODY}).get_json()["id"]
    client = app.test_client()
    login(client, "drafter2")
    assert client.get(f"/documents/{doc_id}").status_code == 404  # not seen: as if it did not exist


def test_public_catalogue_page_and_feed_show_only_published_redacted_documents(app, api_as):
    drafter, reviewer, secrecy, publisher = (api_as(u) for u in ("drafter1", "reviewer1", "secrecy1", "publisher1"))
    doc_id = drafter.post("/api/documents", json={"title": "低保对象公示", "category": "social_assistance",
                                                  "attribute": "proactive", "formed_on": "2026-11-02",
                                                  "body": BODY}).get_json()["id"]
    for api, data in ((reviewer, {"decision": "approve", "opinion": "同意"}), (secrecy, {"decision": "approve", "opinion": "同意"})):
        task = api.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
        api.post(f"/api/tasks/{task['id']}/claim")
        api.post(f"/api/tasks/{task['id']}/complete", json={"data": data})
    client = app.test_client()
    assert "低保对象公示" not in client.get("/public").get_data(as_text=True)
    SimpleWorker([queue.queue()], connection=queue.redis()).work(burst=True)
    task = publisher.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    publisher.post(f"/api/tasks/{task['id']}/claim")
    # the task page shows the redaction editor with the findings
    web = app.test_client()
    login(web, "publisher1")
    page = web.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert 'id="redaction"' in page and "户主" in page
    publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}})
    SimpleWorker([queue.queue()], connection=queue.redis()).work(burst=True)

    catalogue = client.get("/public?q=低保").get_data(as_text=True)
    assert "<mark>低保</mark>对象公示" in catalogue and "<title>" in catalogue  # the term marked in the title
    page = client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
    assert "王五" in page  # social-assistance publicity keeps the household head's name
    assert "110101199003074573" not in page and "13912341234" not in page
    feed = client.get("/public/feed.atom")
    assert feed.mimetype == "application/atom+xml" and "低保对象公示" in feed.get_data(as_text=True)
