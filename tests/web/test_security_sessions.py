"""Sessions, CSRF on the API and account control (issue 13, items 4 and 5): a saved cookie dies at
logout, on expiry and with a password change; a foreign page cannot use the cookie to write."""

import io
import re
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import func, select

from engine import sessions, users
from engine.db import reading
from engine.models import UserSession
from tests.support.web import csrf_from, login
from workers import periodic

META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _meta_token(client) -> str:
    return META.search(client.get("/settings").get_data(as_text=True)).group(1)


def test_cookie_api_writes_need_our_csrf_token_or_origin(app, review_task, api_as):
    web = login(app.test_client(), "reviewer1")
    claim, release = f"/api/tasks/{review_task}/claim", f"/api/tasks/{review_task}/release"
    assert web.get(f"/api/tasks/{review_task}").status_code == 200  # reading needs no token
    assert web.post(claim).status_code == 403
    assert web.post(claim, headers={"Origin": "http://localhost:8080"}).status_code == 403  # another port
    assert web.post(claim, headers={"X-CSRFToken": "forged"}).status_code == 403
    assert web.post(claim, headers={"X-CSRFToken": _meta_token(web)}).status_code == 200
    assert web.post(release, headers={"Origin": "http://localhost"}).status_code == 200
    # The import a foreign form made before: refused too, and nothing imported.
    csv = io.BytesIO("title\n外站导入\n".encode())
    resp = login(app.test_client(), "drafter1").post("/api/documents/import", data={"csv": (csv, "x.csv")},
                                                     headers={"Origin": "http://localhost:9000"})
    assert resp.status_code == 403
    assert all(d["title"] != "外站导入" for d in api_as("drafter1").get("/api/documents").get_json()["items"])
    # Bearer calls carry no cookie a foreign page could borrow: no token needed.
    assert api_as("reviewer1").post(claim).status_code == 200


def _saved_cookie(app, username, password="gongkai-demo"):
    web = login(app.test_client(), username, password)
    return web, web.get_cookie("session").value


def _with_cookie(app, value):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def test_a_cookie_saved_before_logout_is_dead_after_it(app):
    web, saved = _saved_cookie(app, "drafter1")
    assert web.get("/documents").status_code == 200
    assert web.post("/logout", data={"csrf_token": _meta_token(web)}).status_code == 302
    replay = _with_cookie(app, saved)
    assert replay.get("/documents").status_code == 302
    assert replay.get("/api/documents").status_code == 401


def test_a_cookie_from_a_host_whose_clock_is_a_little_ahead_is_good_here(app):
    start = datetime.now(timezone.utc)
    with time_machine.travel(start + timedelta(seconds=2), tick=False):  # the host that signed it
        _, cookie = _saved_cookie(app, "drafter1")
    with time_machine.travel(start, tick=False) as clock:  # this host, two seconds behind
        assert _with_cookie(app, cookie).get("/documents").status_code == 200
        clock.move_to(start - timedelta(minutes=5))  # a cookie from far in the future is not believed
        assert _with_cookie(app, cookie).get("/documents").status_code == 302


def test_sessions_expire_when_idle_and_after_a_day_of_use(app):
    start = datetime.now(timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        _, idle = _saved_cookie(app, "drafter1")
        clock.move_to(start + timedelta(hours=2, minutes=1))
        assert _with_cookie(app, idle).get("/api/documents").status_code == 401
    with time_machine.travel(start, tick=False) as clock:
        _, busy = _saved_cookie(app, "drafter1")
        for hour in range(1, 12):  # used every hour: never idle
            clock.move_to(start + timedelta(hours=hour))
            assert _with_cookie(app, busy).get("/api/documents").status_code == 200
        clock.move_to(start + timedelta(hours=12, minutes=1))
        assert _with_cookie(app, busy).get("/api/documents").status_code == 401


def test_changing_my_password_ends_every_session_and_token(app, api_as):
    old_api = api_as("drafter1")
    _, cookie = _saved_cookie(app, "drafter1")
    weak = old_api.post("/api/me/password", json={"current_password": "gongkai-demo", "new_password": "12345678"})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["fields"]
    wrong = old_api.post("/api/me/password", json={"current_password": "nope", "new_password": "柳树-春风-2026"})
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["error"]["fields"]
    done = old_api.post("/api/me/password", json={"current_password": "gongkai-demo", "new_password": "柳树-春风-2026"})
    assert done.status_code == 200
    assert old_api.get("/api/documents").status_code == 401
    assert _with_cookie(app, cookie).get("/api/documents").status_code == 401
    fresh = {"Authorization": f"Bearer {done.get_json()['token']}"}
    assert app.test_client().get("/api/documents", headers=fresh).status_code == 200
    assert login(app.test_client(), "drafter1", "柳树-春风-2026").get("/documents").status_code == 200


def test_change_password_page_keeps_this_browser_logged_in(app):
    web, other = login(app.test_client(), "drafter1"), login(app.test_client(), "drafter1")
    resp = web.post("/settings/password", data={"csrf_token": _meta_token(web), "current_password": "gongkai-demo",
                                                "new_password": "password"})
    assert resp.status_code == 422 and "常见" in resp.get_data(as_text=True)
    resp = web.post("/settings/password", data={"csrf_token": _meta_token(web), "current_password": "gongkai-demo",
                                                "new_password": "柳树-春风-2026"})
    assert resp.status_code == 302
    assert web.get("/documents").status_code == 200
    assert other.get("/documents").status_code == 302


def test_admin_resets_disables_and_enables_through_the_api(app, api_as):
    admin, drafter = api_as("admin"), api_as("drafter1")
    _, cookie = _saved_cookie(app, "drafter1")
    uid = users.by_username("drafter1").id
    assert drafter.post(f"/api/users/{uid}/disable").status_code == 403
    assert admin.post("/api/users/999999/disable").status_code == 404
    assert admin.post(f"/api/users/{uid}/password", json={"password": "qwerty123"}).status_code == 422
    assert admin.post(f"/api/users/{uid}/password", json={"password": "松柏-长青-8848"}).status_code == 200
    assert drafter.get("/api/documents").status_code == 401
    assert _with_cookie(app, cookie).get("/api/documents").status_code == 401
    again = api_as().login("drafter1", "松柏-长青-8848")
    _, cookie = _saved_cookie(app, "drafter1", "松柏-长青-8848")
    assert admin.post(f"/api/users/{uid}/disable").get_json()["active"] is False
    assert admin.post(f"/api/users/{uid}/enable").get_json()["active"] is True
    # Re-enabling does not bring back what disabling ended.
    assert again.get("/api/documents").status_code == 401
    assert _with_cookie(app, cookie).get("/api/documents").status_code == 401
    assert api_as().login("drafter1", "松柏-长青-8848").get("/api/documents").status_code == 200


def test_admin_pages_reset_and_disable(app):
    admin = login(app.test_client(), "admin")
    victim = login(app.test_client(), "reviewer1")
    uid = users.by_username("reviewer1").id
    page = admin.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{uid}/password" in page and f"/admin/users/{uid}/active" in page
    token = csrf_from(page)
    assert admin.post(f"/admin/users/{uid}/active", data={"csrf_token": token, "active": "0"}).status_code == 302
    assert victim.get("/documents").status_code == 302
    assert "停用" in admin.get("/admin/users").get_data(as_text=True)
    assert admin.post(f"/admin/users/{uid}/active", data={"csrf_token": token, "active": "1"}).status_code == 302
    assert admin.post(f"/admin/users/{uid}/password", data={"csrf_token": token, "password": "梧桐-秋月-9527"}
                      ).status_code == 302
    assert login(app.test_client(), "reviewer1", "梧桐-秋月-9527").get("/documents").status_code == 200


def _session_rows() -> int:
    with reading() as s:
        return s.scalar(select(func.count()).select_from(UserSession))


def _periodic(name):
    return next(fn for entry, _every, fn in periodic.periodic() if entry == name)


def test_the_periodic_sweep_deletes_ended_and_expired_sessions_and_keeps_live_ones(app):
    start = datetime.now(timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        _, idle = _saved_cookie(app, "drafter1")
        web, _ = _saved_cookie(app, "reviewer1")
        web.post("/logout", data={"csrf_token": _meta_token(web)})
        _, busy = _saved_cookie(app, "secrecy1")
        clock.move_to(start + timedelta(hours=1, minutes=30))
        assert _with_cookie(app, busy).get("/api/documents").status_code == 200
        _, fresh = _saved_cookie(app, "leader1")
        clock.move_to(start + timedelta(hours=2, minutes=1))
        _periodic("purge_sessions")()
        assert _session_rows() == 2  # the idle and the logged-out session went
        for live in (busy, fresh):
            assert _with_cookie(app, live).get("/api/documents").status_code == 200
        assert _with_cookie(app, idle).get("/api/documents").status_code == 401
        for hour in range(3, 12):  # both used every hour: never idle
            clock.move_to(start + timedelta(hours=hour, minutes=1))
            for live in (busy, fresh):
                assert _with_cookie(app, live).get("/api/documents").status_code == 200
        clock.move_to(start + timedelta(hours=12, minutes=1))
        _periodic("purge_sessions")()
        assert _session_rows() == 1  # the session opened 12 hours ago went, the younger one stays
        assert _with_cookie(app, fresh).get("/api/documents").status_code == 200
        assert _with_cookie(app, busy).get("/api/documents").status_code == 401


def test_a_purge_deletes_in_bounded_batches(app):
    start = datetime.now(timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            sessions.start(users.by_username("drafter1").id)
        clock.move_to(start + timedelta(hours=3))
        assert sessions.purge(batch=2, rounds=2) == 4  # two rounds of two rows
        assert _session_rows() == 1
        assert sessions.purge(batch=2, rounds=2) == 1
        assert _session_rows() == 0
