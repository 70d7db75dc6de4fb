"""Rate limits counted in Redis, so every web process shares them: failed logins, and the public
endpoints anyone can call (filing a request, looking one up with its access code).

A fixed window per (what, who): simple, and enough to stop guessing and flooding.
"""

import time
from functools import wraps

from flask import request

from engine import queue
from engine.errors import DomainError

# name: (how many, per seconds)
LIMITS = {
    "login_failure": (5, 300),  # per user name and address
    "login_failure_ip": (50, 300),  # per address, whatever the name: guessing across accounts
    "public_filing": (30, 3600),
    "public_lookup": (60, 600),
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
    key = _key(name, who, int(time.time() // per))
    pipe = queue.redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, per)
    return pipe.execute()[0]


def exceeded(name: str, who: str) -> bool:
    limit, per = LIMITS[name]
    value = queue.redis().get(_key(name, who, int(time.time() // per)))
    return value is not None and int(value) >= limit


def ends_at(name: str) -> float:
    """When the current window for `name` ends (a Unix time): what a locked-out person waits for.
    The windows are fixed, so it is the same moment for every caller."""
    limit, per = LIMITS[name]
    return (int(time.time() // per) + 1) * per


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
