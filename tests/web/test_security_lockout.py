"""A cap per account across addresses: failed logins from many addresses first slow an account's
tries, then lock it; the user is told on the login page and by a notification, the audit log has
both, and an administrator unlocks it (page and API). The clock is moved, never slept."""

import re

import time_machine
from sqlalchemy import select

from engine import clock, lockout
from engine.db import reading
from engine.models import AuditEvent, Notification, User
from tests.support.web import csrf_from, login


def _login(client, username, password, n):
    return client.post("/api/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": f"198.51.100.{n % 250 + 1}"})  # a new address each time


def _fail_until_slowed(client, username, traveller):
    """Fail from new addresses, waiting out each delay, until the account is locked; check each step."""
    for n in range(1, lockout.LOCK_AFTER + 1):
        assert _login(client, username, "wrong", n).status_code == 401, n
        if n < lockout.SLOW_AFTER or n == lockout.LOCK_AFTER:
            continue
        early = _login(client, username, "gongkai-demo", 1000 + n)  # even the right password waits
        assert early.status_code == 429, (n, early.get_json())
        assert re.search(r"请于 \d\d:\d\d:\d\d（北京时间）后再试", early.get_json()["error"]["message"])
        traveller.shift(lockout.delay(n) - 2)
        assert _login(client, username, "gongkai-demo", 2000 + n).status_code == 429  # still too soon
        traveller.shift(3)


def test_failures_from_many_addresses_slow_then_lock_the_account_until_an_admin_unlocks_it(client, api_as):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _fail_until_slowed(client, "reviewer1", traveller)
        locked = _login(client, "reviewer1", "gongkai-demo", 3000)
        assert locked.status_code == 423 and "已被锁定" in locked.get_json()["error"]["message"]
        traveller.shift(2 * 24 * 3600)  # a lock does not wear off by itself
        assert _login(client, "reviewer1", "gongkai-demo", 3001).status_code == 423

        page = client.get("/login").get_data(as_text=True)
        refused = client.post("/login", data={"username": "reviewer1", "password": "gongkai-demo",
                                              "csrf_token": csrf_from(page)})
        assert "已被锁定，请联系管理员解锁" in refused.get_data(as_text=True)

        with reading() as s:
            user = s.scalar(select(User).where(User.username == "reviewer1"))
            actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id))]
            notes = [n.message for n in s.scalars(select(Notification).where(Notification.user_id == user.id))]
        assert user.locked_at is not None and actions.count("account_locked") == 1
        assert any("被锁定" in n and f"连续 {lockout.LOCK_AFTER} 次登录失败" in n for n in notes)

        admin = api_as("admin")
        listed = {u["username"]: u for u in admin.get("/api/users").get_json()["items"]}
        assert listed["reviewer1"]["locked"] is True and listed["drafter1"]["locked"] is False
        assert api_as("drafter1").post(f"/api/users/{user.id}/unlock").status_code == 403
        assert admin.post(f"/api/users/{user.id}/unlock").get_json()["locked"] is False
        assert _login(client, "reviewer1", "gongkai-demo", 3002).status_code == 200
        # The count starts again from nothing: one more failure does not slow the account.
        assert _login(client, "reviewer1", "wrong", 3003).status_code == 401
        assert _login(client, "reviewer1", "gongkai-demo", 3004).status_code == 200
    with reading() as s:
        unlocked = s.scalar(select(AuditEvent).where(AuditEvent.action == "account_unlocked"))
    assert unlocked.actor_name == "admin" and unlocked.detail["username"] == "reviewer1"


def test_the_admin_unlocks_from_the_users_page(app, client):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _fail_until_slowed(client, "publisher1", traveller)
    admin = login(app.test_client(), "admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "已锁定" in page
    with reading() as s:
        user_id = s.scalar(select(User.id).where(User.username == "publisher1"))
    resp = admin.post(f"/admin/users/{user_id}/unlock", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    assert "已锁定" not in admin.get("/admin/users").get_data(as_text=True)
    assert _login(client, "publisher1", "gongkai-demo", 7).status_code == 200


def test_an_unknown_name_behaves_like_a_real_one(client):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _fail_until_slowed(client, "nobody-here", traveller)
        assert _login(client, "nobody-here", "whatever", 9).status_code == 423
