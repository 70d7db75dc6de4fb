"""Headers, cookies, file modes and the password policy (issue 13, item 12)."""

import os
import stat

import pytest

from engine import storage, users
from engine.errors import Invalid
from tests.support.web import login


@pytest.mark.parametrize("path", ["/login", "/public", "/api/public/documents", "/public/feed.atom"])
def test_every_answer_carries_the_security_headers(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_handlers(app):
    web = login(app.test_client(), "admin")
    for path in ("/documents", "/admin/forms", "/admin/decisions", "/settings", "/admin/users"):
        html = web.get(path).get_data(as_text=True)
        assert " onsubmit=" not in html and " onchange=" not in html and " onclick=" not in html, path


def _session_cookie_header(resp) -> str:
    return next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_cookie_is_secure_over_https_only(app, settings):
    from web import create_app

    over_https = app.test_client()
    resp = over_https.get("/login", base_url="https://localhost")
    assert "Secure" in _session_cookie_header(resp)
    assert "Secure" not in _session_cookie_header(app.test_client().get("/login"))
    # Behind a trusted TLS-terminating proxy the app learns the scheme from X-Forwarded-Proto.
    proxied = create_app({"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
                          "GONGKAI_SECRET_KEY": settings.secret_key, "REDIS_URL": settings.redis_url or "",
                          "GONGKAI_TRUSTED_PROXIES": "127.0.0.1", "TESTING": True})
    resp = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in _session_cookie_header(resp)
    resp = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})  # no proxy trusted
    assert "Secure" not in _session_cookie_header(resp)


def test_database_and_files_are_private(settings, backend):
    storage.put(b"original with personal data")
    assert stat.S_IMODE((settings.data_dir / "files").stat().st_mode) == 0o700
    if backend == "sqlite":
        db_file = settings.database_url.removeprefix("sqlite:///")
        assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600


@pytest.mark.parametrize("password, why", [
    ("12345678", "常见"), ("password", "常见"), ("qwertyuiop", "常见"), ("newbie-2026x", "用户名"), ("short", "至少 8 位"),
    ("aaaaaaaa", "重复的字符"), ("gongkai123", "含有本系统、本单位或用户名中的词语（gongkai）"),
    ("示例县人民政府办公室1", "（示例县人民政府办公室）"), ("20262026", "强度评分 1/4")])
def test_weak_passwords_are_refused_saying_why_in_chinese(settings, password, why):
    with pytest.raises(Invalid) as refused:
        users.create_user("newbie", password, ["drafter"], "办公室")
    assert "password" in refused.value.fields
    assert why in refused.value.message, refused.value.message


def test_strong_passwords_pass_and_the_demo_users_still_log_in(settings, client):
    for password in ("柳树-春风-2026", "Lvshui-qingshan-7", "correct horse battery staple"):
        users.check_password(password, "newbie")
    assert client.post("/api/login", json={"username": "drafter1", "password": "gongkai-demo"}).status_code == 200


def test_admin_page_names_a_weak_password(app):
    from tests.support.web import csrf_from

    admin = login(app.test_client(), "admin")
    token = csrf_from(admin.get("/admin/users").get_data(as_text=True))
    resp = admin.post("/admin/users", data={"csrf_token": token, "username": "newbie", "password": "password1",
                                            "roles": "drafter", "department": "办公室"})
    assert resp.status_code == 422 and "常见" in resp.get_data(as_text=True)
