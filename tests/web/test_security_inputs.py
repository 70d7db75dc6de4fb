"""Security of what arrives from outside: the Atom feed's escaping, the login redirect, inputs that
used to answer 500, and .docx bombs (issue 13, items 6, 7, 8 and 10)."""

from xml.etree import ElementTree as ET

import pytest

from tests.support.disclosure import publish
from tests.support.web import csrf_from

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_keeps_markup_in_titles_as_text(api_as, client):
    title = '关于<b>预算</b> & 决算</title><entry><title>伪造条目</title></entry>的通知'
    publish(api_as, title=title, body="正文。", doc_number="示政办〔2026〕1号 <x>")
    feed = client.get("/public/feed.atom")
    root = ET.fromstring(feed.get_data())  # invalid XML raises here
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}title") == title
    assert entries[0].findtext(f"{ATOM}summary") == "示政办〔2026〕1号 <x>"


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                                    "/%0d%0a/evil.example", "%2F%2Fevil.example", "/%5Cevil.example"])
def test_login_redirects_only_to_same_origin_paths(client, target):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post(f"/login?next={target}", data={"username": "drafter1", "password": "gongkai-demo",
                                                      "csrf_token": token})
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert "evil" not in location, location


def test_login_keeps_a_same_origin_next(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login?next=/documents%3Fstatus%3Dpublished",
                       data={"username": "drafter1", "password": "gongkai-demo", "csrf_token": token})
    assert resp.headers["Location"] == "/documents?status=published"
