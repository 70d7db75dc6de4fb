"""Who is calling: a Bearer token for the API, a server-side session for pages; login rate limits.

`current_user()` returns the engine's User or None; `login_required` / `require_user` guard views.
A session cookie is one a foreign page can make the browser send, so an API call that changes
something on the strength of the cookie alone must also prove it came from our own pages (CSRF).
Role and department checks live in the engine's service functions, not here.
"""

from datetime import datetime
from functools import wraps

from flask import current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import ValidationError, validate_csrf

from engine import lockout, sessions, users
from engine.calendar import SHANGHAI
from engine.errors import DomainError, Forbidden, Unauthorized
from web import ratelimit
from web.ratelimit import RateLimited

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADERS = ("X-CSRFToken", "X-CSRF-Token")


def current_user():
    if "user" not in g:
        g.user = _user_from_request()
    return g.user


def _user_from_request():
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        try:
            return users.user_for_token(header[7:].strip(), current_app.config["SECRET_KEY"])
        except DomainError:
            return None
    user_id = sessions.resume(session.get("sid"))
    user = users.get_cached(user_id) if user_id is not None else None
    if user is None or not user.active:
        if "sid" in session:
            session.clear()  # an ended or expired session: drop the cookie too
        return None
    if request.path.startswith("/api/") and request.method not in SAFE_METHODS:
        _require_same_origin()
    return user


def _require_same_origin() -> None:
    """Accept a cookie-authenticated API write only with our CSRF token or a same-origin Origin."""
    for name in CSRF_HEADERS:
        if request.headers.get(name):
            try:
                validate_csrf(request.headers[name])
                return
            except ValidationError:
                break
    if request.headers.get("Origin") == request.host_url.rstrip("/"):
        return
    raise Forbidden("缺少或无效的 CSRF 令牌：请从本站页面操作，或使用 API 令牌 "
                    "(CSRF token missing or invalid: use the site's pages or a Bearer token)")


def require_user():
    """Return the caller or raise Unauthorized (API)."""
    user = current_user()
    if user is None:
        raise Unauthorized("请先登录 (login required)")
    return user


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def start_session(user) -> None:
    """Give the browser a new server-side session (a fresh cookie: no fixation across logins)."""
    session.clear()
    session["sid"] = sessions.start(user.id)
    g.pop("user", None)


def end_session() -> None:
    sessions.end(session.get("sid"))
    session.clear()
    g.pop("user", None)


def login(username: str, password: str):
    """Check credentials and return the user.

    After 5 failures in 5 minutes for one name from one address, that pair is refused without
    checking the password; an address is refused for every name only after many more failures.
    Across addresses, an account's own cap (engine.lockout) first slows its tries, then locks it
    until an administrator unlocks it.
    """
    ip = ratelimit.client_ip()
    keys = (("login_failure", f"{username}|{ip}"), ("login_failure_ip", ip))
    locked = [name for name, key in keys if ratelimit.exceeded(name, key)]
    if locked:
        raise RateLimited(_lockout_message(max(ratelimit.ends_at(name, key) for name, key in keys
                                                   if name in locked)))
    lockout.check(username)
    try:
        user = users.authenticate(username, password)
    except Unauthorized:
        for name, key in keys:
            ratelimit.count(name, key)
        lockout.failed(username)
        raise
    lockout.succeeded(username)
    return user


def _lockout_message(until: float) -> str:
    """Say when the lockout ends (Beijing time) and what to do meanwhile."""
    at = datetime.fromtimestamp(until, SHANGHAI).strftime("%H:%M")
    return (f"登录失败次数过多，已暂时锁定，请于 {at}（北京时间）后再试；忘记密码请联系管理员重置 "
            f"(too many attempts; try again after {at} Beijing time, or ask an administrator to reset the password)")


def init_app(app) -> None:
    from web.errors import STATUS

    STATUS[RateLimited] = 429  # also raised by the public endpoints' limits (web.ratelimit)
    STATUS[lockout.TooSoon] = 429
    STATUS[lockout.Locked] = 423

    @app.context_processor
    def inject_user():
        return {"current_user": current_user()}
