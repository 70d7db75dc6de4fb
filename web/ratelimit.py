"""Rate limits counted in Redis, so every web process shares them: failed logins, and the public
endpoints anyone can call (filing a request, looking one up with its access code, searching the
catalogue's text).

Counted per fixed window, judged over a sliding one: this window's count plus the previous window's,
weighted by the part of it still inside the last `per` seconds (a fixed window alone let a burst that
straddles a boundary through twice, and ended a lockout seconds after it began).
"""

from functools import wraps

from flask import request

from engine import clock, queue
from engine.errors import DomainError

# name: (how many, per seconds)
LIMITS = {
    "login_failure": (5, 300),  # per user name and address
    "login_failure_ip": (50, 300),  # per address, whatever the name: guessing across accounts
    "public_filing": (30, 3600),
    "public_lookup": (60, 600),
    "public_search": (120, 60),  # a catalogue search by text, per address (page and API)
}


class RateLimited(DomainError):
    code = "rate_limited"


def client_ip() -> str:
    """The caller's address; behind a trusted proxy, the one it reports (see web.proxies)."""
    return request.remote_addr or "-"


def _key(name: str, who: str, window: int) -> str:
    return f"gongkai:rl:{name}:{who}:{window}"


def count(name: str, who: str) -> int:
    """Add one to `who`'s counter for `name` and return the count in the current window."""
    limit, per = LIMITS[name]
    key = _key(name, who, int(clock.timestamp() // per))
    pipe = queue.redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, 2 * per)  # the next window still reads it
    return pipe.execute()[0]


def _counts(name: str, who: str, now: float) -> tuple[int, int]:
    per = LIMITS[name][1]
    window = int(now // per)
    current, previous = queue.redis().mget(_key(name, who, window), _key(name, who, window - 1))
    return int(current or 0), int(previous or 0)


def _estimate(name: str, who: str, now: float) -> float:
    per = LIMITS[name][1]
    current, previous = _counts(name, who, now)
    return current + previous * (1 - (now % per) / per)


def exceeded(name: str, who: str) -> bool:
    return _estimate(name, who, clock.timestamp()) >= LIMITS[name][0]


def ends_at(name: str, who: str) -> float:
    """When `who` may try again (a Unix time): the first moment the sliding count falls below the limit
    (at the latest the end of the next window, when both counts have left it)."""
    limit, per = LIMITS[name]
    now = clock.timestamp()
    current, previous = _counts(name, who, now)
    window_end = (int(now // per) + 1) * per
    if current >= limit:
        return window_end + per * (1 - (limit - 1e-9) / current) if current else window_end
    # previous * (1 - f) + current < limit  <=>  f > 1 - (limit - current) / previous
    return window_end - per + per * (1 - (limit - current) / previous) if previous else now


def refuse():
    raise RateLimited("操作过于频繁，请稍后再试 (too many requests; try again later)")


def limited(name: str, when=None):
    """Refuse the decorated view once the caller's address used up `name`'s allowance.

    `when(request)` says whether this call counts (a page's GET that only shows a form does not).
    """

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            counts = when is None or when(request)
            if counts and count(name, client_ip()) > LIMITS[name][0]:
                refuse()
            return view(*args, **kwargs)

        wrapped.rate_limited = True  # the OpenAPI document lists 429 for it
        return wrapped

    return decorate
