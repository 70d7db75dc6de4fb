"""Who is calling: a Bearer token for the API, the session cookie for pages; login rate limits.

`current_user()` returns the engine's User or None; `login_required` / `api_auth_required` guard
views. Role and department checks live in the engine's service functions, not here.
"""

import time
from collections import defaultdict, deque
from functools import wraps

from flask import current_app, g, redirect, request, session, url_for

from engine import users
from engine.errors import DomainError, Unauthorized

LOGIN_WINDOW_SECONDS = 300
LOGIN_MAX_FAILURES = 5
_failures: dict = defaultdict(deque)


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
    uid = session.get("uid")
    if uid is None:
        return None
    user = users.get_cached(uid)
    if user is None or not user.active or session.get("gen") != user.token_generation:
        session.clear()
        return None
    return user


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


def check_rate_limit(username: str) -> None:
    """Refuse a login after too many recent failures from this address or for this name."""
    now = time.monotonic()
    for key in (f"ip:{request.remote_addr}", f"user:{username}"):
        attempts = _failures[key]
        while attempts and now - attempts[0] > LOGIN_WINDOW_SECONDS:
            attempts.popleft()
        if len(attempts) >= LOGIN_MAX_FAILURES:
            raise RateLimited("登录失败次数过多，请 5 分钟后再试 (too many attempts; wait 5 minutes)")


def note_failure(username: str) -> None:
    now = time.monotonic()
    for key in (f"ip:{request.remote_addr}", f"user:{username}"):
        _failures[key].append(now)


def login(username: str, password: str):
    """Check credentials (rate-limited) and return the user; raises Unauthorized/RateLimited."""
    check_rate_limit(username)
    try:
        return users.authenticate(username, password)
    except Unauthorized:
        note_failure(username)
        raise


class RateLimited(DomainError):
    code = "rate_limited"


def init_app(app) -> None:
    from web.errors import STATUS

    STATUS[RateLimited] = 429

    @app.context_processor
    def inject_user():
        return {"current_user": current_user()}
