"""Rate limits shared through Redis: failed logins, and the public request endpoints."""

import re
from datetime import datetime

from engine.calendar import SHANGHAI
from web import ratelimit


def _login(client, username, password="gongkai-demo", ip="203.0.113.7", **headers):
    return client.post("/api/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip}, headers=headers)


def test_five_failed_logins_lock_the_name_from_that_address_only(client):
    for _ in range(5):
        assert _login(client, "reviewer1", "wrong").status_code == 401
    # Even the right password is refused now, without being checked.
    locked = _login(client, "reviewer1")
    assert locked.status_code == 429 and locked.get_json()["error"]["code"] == "rate_limited"
    page = client.get("/login", environ_base={"REMOTE_ADDR": "203.0.113.7"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/login", data={"username": "reviewer1", "password": "gongkai-demo", "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "203.0.113.7"})
    ends = datetime.fromtimestamp(ratelimit.ends_at("login_failure", "reviewer1|203.0.113.7"), SHANGHAI).strftime("%H:%M")
    assert f"请于 {ends}（北京时间）后再试" in refused.get_data(as_text=True)  # when it ends, and what to do
    assert "联系管理员" in refused.get_data(as_text=True)
    # Someone else at the same address, and the same user elsewhere, still log in.
    assert _login(client, "drafter1").status_code == 200
    assert _login(client, "reviewer1", ip="198.51.100.9").status_code == 200


def test_forwarded_for_is_believed_only_from_trusted_proxies(settings):
    from web import create_app

    app = create_app({"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
                      "GONGKAI_SECRET_KEY": settings.secret_key, "REDIS_URL": settings.redis_url or "",
                      "GONGKAI_TRUSTED_PROXIES": "10.0.0.0/8", "TESTING": True})
    client = app.test_client()
    for _ in range(5):  # one citizen behind the proxy fails five times
        assert _login(client, "reviewer1", "wrong", ip="10.0.0.2", **{"X-Forwarded-For": "198.51.100.1"}).status_code == 401
    assert _login(client, "reviewer1", ip="10.0.0.2", **{"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    # Another citizen behind the same proxy is not in that bucket.
    assert _login(client, "reviewer1", ip="10.0.0.2", **{"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    # A client that is not a proxy cannot pick its bucket by writing the header.
    for _ in range(5):
        _login(client, "drafter1", "wrong", ip="203.0.113.50", **{"X-Forwarded-For": "198.51.100.3"})
    assert _login(client, "drafter1", ip="203.0.113.50", **{"X-Forwarded-For": "198.51.100.4"}).status_code == 429


def test_public_lookups_are_limited_per_address(client, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "public_lookup", (3, 600))
    answers = [client.get("/api/public/requests/YSQ-2026-000001?code=guess").status_code for _ in range(5)]
    assert answers == [404, 404, 404, 429, 429]
