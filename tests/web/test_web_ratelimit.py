"""Rate limits shared through Redis: failed logins, and the public request endpoints."""

import re
from datetime import datetime

from engine.calendar import SHANGHAI
from web import ratelimit


def test_five_failed_logins_lock_the_name_for_a_while(client, api_as):
    for _ in range(5):
        assert client.post("/api/login", json={"username": "reviewer1", "password": "wrong"}).status_code == 401
    # Even the right password is refused now, without being checked.
    locked = client.post("/api/login", json={"username": "reviewer1", "password": "gongkai-demo"})
    assert locked.status_code == 429 and locked.get_json()["error"]["code"] == "rate_limited"
    assert client.post("/api/login", json={"username": "drafter1", "password": "gongkai-demo"}).status_code == 429
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/login", data={"username": "drafter1", "password": "gongkai-demo", "csrf_token": token})
    ends = datetime.fromtimestamp(ratelimit.ends_at("login_failure"), SHANGHAI).strftime("%H:%M")
    assert f"请于 {ends}（北京时间）后再试" in refused.get_data(as_text=True)  # when it ends, and what to do
    assert "联系管理员" in refused.get_data(as_text=True)


def test_public_lookups_are_limited_per_address(client, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "public_lookup", (3, 600))
    answers = [client.get("/api/public/requests/YSQ-2026-000001?code=guess").status_code for _ in range(5)]
    assert answers == [404, 404, 404, 429, 429]
