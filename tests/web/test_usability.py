"""The small things a person meets: words apart in the catalogue search, the drafter told of the
publication, the 发布记录 link on the served address, the 404 page in Chinese, no 暂定 once the
request is answered."""

import re

from engine import config
from engine.bootstrap import DEMO_PASSWORD
from tests.support.disclosure import publish
from tests.support.web import csrf_from, login


def test_two_words_apart_find_the_documents_holding_both(api_as):
    both, _ = publish(api_as, title="关于岱宗大街积水点整治的通知", body="岱宗大街下穿桥雨天积水，现予整治。")
    publish(api_as, title="关于岱宗大街绿化的通知", body="岱宗大街补植行道树。")
    public = api_as().client
    found = public.get("/api/public/documents", query_string={"q": "岱宗大街 积水"}).get_json()["items"]
    assert [d["id"] for d in found] == [both]
    page = public.get("/public", query_string={"q": "岱宗大街  积水"}).get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", "", page)  # the terms are marked in the title
    assert "岱宗大街积水点整治" in shown and "岱宗大街绿化" not in shown


def test_the_drafter_is_told_when_the_document_is_published(api_as, app):
    doc_id, _ = publish(api_as, title="关于公开预算的通知", body="2026年预算共1200万元。")
    client = login(app.test_client(), "drafter1")
    page = client.get("/notifications").get_data(as_text=True)
    assert "您起草的《关于公开预算的通知》已公开发布" in page and f"/public/documents/{doc_id}" in page


def test_the_publication_link_follows_the_served_address(api_as, app):
    doc_id, _ = publish(api_as, title="关于公开预算的通知", body="2026年预算共1200万元。")
    served = "http://gongkai.example:8080"  # where this installation is served, not the default port
    client = app.test_client()
    token = csrf_from(client.get("/login", base_url=served).get_data(as_text=True))
    client.post("/login", base_url=served, data={"username": "publisher1", "password": DEMO_PASSWORD, "csrf_token": token})
    page = client.get(f"/documents/{doc_id}", base_url=served).get_data(as_text=True)
    assert f'href="http://gongkai.example:8080/public/documents/{doc_id}"' in page


def test_a_configured_public_address_is_kept(api_as, settings):
    assert not settings.public_url_set
    assert config.load({"GONGKAI_PUBLIC_URL": "https://gk.example.gov.cn"}).public_url_set


def test_missing_pages_answer_in_chinese(client):
    resp = client.get("/no/such/page")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "找不到您要访问的页面" in text and "<title>页面不存在" in text
    assert "Not Found" not in text and "requested URL" not in text
