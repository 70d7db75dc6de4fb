"""A cap on failed logins per account, whatever the addresses they come from.

The per-address limits (web.auth) stop one guesser; a guesser spread over many addresses is stopped
here: after SLOW_AFTER failures for one account within a day, each further try must wait (30 s,
then twice as long each time, at most 15 min), and after LOCK_AFTER the account is locked until an
administrator unlocks it. The lock is kept on the account (and audited; the user gets a
notification and reads why on the login page); the count is kept in Redis, for unknown names too,
so that a name behaves the same whether or not it exists.
"""

import hashlib
from datetime import datetime

from sqlalchemy import func, select

from engine import access, audit, clock, queue, users
from engine.calendar import SHANGHAI
from engine.db import transaction
from engine.errors import DomainError, NotFound
from engine.models import Notification, User

SLOW_AFTER = 10  # two addresses' worth of the per-address limit (5 in 5 minutes, web.auth)
LOCK_AFTER = 20
FIRST_DELAY = 30  # seconds after the SLOW_AFTER-th failure; doubles with each further one
MAX_DELAY = 900
FORGET_AFTER = 24 * 3600  # failures older than a day without another one are forgotten


class TooSoon(DomainError):
    code = "rate_limited"


class Locked(DomainError):
    code = "account_locked"


LOCKED_MESSAGE = ("该账号因登录失败次数过多已被锁定，请联系管理员解锁；如非本人操作，请同时告知管理员 "
                  "(this account is locked after too many failed logins: ask an administrator to unlock it)")


def _key(username: str) -> str:
    # Hashed: a name typed at the login form can be anything, of any length.
    return "gongkai:acct:" + hashlib.sha256(_normal(username).encode()).hexdigest()


def _normal(username: str) -> str:
    return (username or "").strip().lower()


def _account(session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == _normal(username)))


def check(username: str) -> None:
    """Raise Locked or TooSoon when `username` may not try now; run before the password is looked at."""
    count, last = _state(username)
    locked = count >= LOCK_AFTER
    if not locked:
        user = users.by_username(username)
        locked = user is not None and user.locked_at is not None
    if locked:
        raise Locked(LOCKED_MESSAGE)
    if count >= SLOW_AFTER:
        until = last + delay(count)
        if clock.timestamp() < until:
            at = datetime.fromtimestamp(until, SHANGHAI).strftime("%H:%M:%S")
            raise TooSoon(f"该账号登录失败次数过多，请于 {at}（北京时间）后再试；再失败 {LOCK_AFTER - count} 次将锁定账号 "
                          f"(too many failed logins for this account: try again after {at} Beijing time)",
                          details=[{"retry_at": until}])


def delay(count: int) -> float:
    """Seconds to wait after the `count`-th failure (0 before SLOW_AFTER)."""
    if count < SLOW_AFTER:
        return 0
    return min(FIRST_DELAY * 2 ** (count - SLOW_AFTER), MAX_DELAY)


def _state(username: str) -> tuple[int, float]:
    count, last = queue.redis().hmget(_key(username), "count", "last")
    return int(count or 0), float(last or 0)


def failed(username: str) -> None:
    """Count a failed login for `username`; the LOCK_AFTER-th locks the account."""
    pipe = queue.redis().pipeline()
    pipe.hincrby(_key(username), "count", 1)
    pipe.hset(_key(username), "last", clock.timestamp())
    pipe.expire(_key(username), FORGET_AFTER)
    count = pipe.execute()[0]
    if count == LOCK_AFTER:
        _lock(username, count)


def _lock(username: str, count: int) -> None:
    with transaction() as s:
        user = _account(s, username)
        if user is None or user.locked_at is not None:
            return
        user.locked_at = clock.now()
        audit.record(s, "account_locked", actor=user, username=user.username, failures=count)
        at = clock.now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        s.add(Notification(user_id=user.id, kind="security",
                           message=f"您的账号于 {at} 因连续 {count} 次登录失败被锁定，已由管理员解锁前无法登录。"
                                   f"如非本人操作，请告知管理员并修改密码。"))


def succeeded(username: str) -> None:
    """A login went through: its account's failures are forgotten."""
    queue.redis().delete(_key(username))


def unlock(actor: User, user_id: int) -> dict:
    """Unlock an account (admin): its failures are forgotten and it may log in again."""
    access.require_admin(actor)
    with transaction() as s:
        user = s.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2**31 else None
        if user is None:
            raise NotFound("没有这个用户 (no such user)")
        was_locked = user.locked_at is not None
        user.locked_at = None
        audit.record(s, "account_unlocked", actor=actor, username=user.username, was_locked=was_locked)
        username, result = user.username, users.user_dict(user)
    queue.redis().delete(_key(username))
    return result
