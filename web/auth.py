"""Who is calling: a Bearer token for the API, the session cookie for pages; login rate limits.

`current_user()` returns the engine's User or None; `login_required` / `api_auth_required` guard
views. Role and department checks live in the engine's service functions, not here.
"""

from functools import wraps

from flask import current_app, g, redirect, request, session, url_for

from engine import users
from engine.errors import DomainError, Unauthorized
from web import ratelimit
from web.ratelimit import RateLimited


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


def login(username: str, password: str):
    """Check credentials and return the user; after 5 failures in 5 minutes from one address or
    for one name, refuse (RateLimited) without even checking the password."""
    keys = (f"ip:{request.remote_addr}", f"user:{username}")
    if any(ratelimit.exceeded("login_failure", key) for key in keys):
        raise RateLimited(_lockout_message(ratelimit.ends_at("login_failure")))
    try:
        return users.authenticate(username, password)
    except Unauthorized:
        for key in keys:
            ratelimit.count("login_failure", key)
        raise


def _lockout_message(until: float) -> str:
    """Say when the lockout ends (Beijing time) and what to do meanwhile."""
    from datetime import datetime

    from engine.calendar import SHANGHAI

    at = datetime.fromtimestamp(until, SHANGHAI).strftime("%H:%M")
    return (f"登录失败次数过多，已暂时锁定，请于 {at}（北京时间）后再试；忘记密码请联系管理员重置 "
            f"(too many attempts; try again after {at} Beijing time, or ask an administrator to reset the password)")


def init_app(app) -> None:
    from web.errors import STATUS

    STATUS[RateLimited] = 429  # also raised by the public endpoints' limits (web.ratelimit)

    @app.context_processor
    def inject_user():
        return {"current_user": current_user()}
