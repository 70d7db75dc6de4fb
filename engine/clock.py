"""The product's one clock: `now()` and `today()` are the only way the code reads the time.

`now()` is an aware UTC datetime (what the database stores); `today()` is the date in Beijing, the
day every statutory deadline counts from, whatever the server's own time zone. Tests move this
clock with time-machine (`tests/support/clock.py`), so nothing here may cache a reading.
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """Return the current moment, aware, in UTC."""
    return datetime.now(timezone.utc)


def now_in_china() -> datetime:
    """Return the current moment in Beijing time (for dates printed on letters and pages)."""
    return now().astimezone(SHANGHAI)


def today() -> date:
    """Return today's date in Beijing."""
    return now_in_china().date()


def timestamp() -> float:
    """Return the current moment as seconds since the epoch (token ages, rate-limit windows)."""
    return now().timestamp()


def iso(value: date | datetime | None) -> str | None:
    """Return a day or a moment as ISO 8601 text, None for none: for what the engine stores or sends
    as text itself (task data, the published payload, exports). API answers leave it to their schema."""
    return value.isoformat() if isinstance(value, date) else None
