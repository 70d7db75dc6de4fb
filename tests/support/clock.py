"""The suite's clock: every test runs at a moved "today", never at the real date.

At start-up each test process travels (time-machine, ticking) to `GONGKAI_TEST_TODAY` at 09:30
Beijing time, by default a fixed day, so a test that creates dated work sees the same calendar in
December 2026 as in 2030. `GONGKAI_TEST_TODAY=2027-02-08 pytest …` runs the suite on another day
(`make test-dates` runs the date-sensitive tests at several). Worker processes a test starts get the
same offset through `GONGKAI_TEST_CLOCK_OFFSET` (see `follow_parent`).
"""

import os
import time
from datetime import date, datetime
from datetime import time as clock_time

import time_machine

from engine.clock import SHANGHAI

TODAY_ENV = "GONGKAI_TEST_TODAY"
OFFSET_ENV = "GONGKAI_TEST_CLOCK_OFFSET"
DEFAULT_TODAY = "2026-12-07"  # a Monday, a working day
_travel = None


def suite_today() -> date:
    raw = os.environ.get(TODAY_ENV) or DEFAULT_TODAY
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SystemExit(f"{TODAY_ENV}={raw!r} is not a date (YYYY-MM-DD)") from None


def _start(destination: float) -> None:
    global _travel
    _travel = time_machine.travel(destination, tick=True)
    _travel.start()


def pytest_configure(config):
    if OFFSET_ENV in os.environ:  # an xdist worker: keep the controller's moment, not a new 09:30
        _start(time.time() + float(os.environ[OFFSET_ENV]))
        return
    start = datetime.combine(suite_today(), clock_time(9, 30), tzinfo=SHANGHAI).timestamp()
    os.environ[OFFSET_ENV] = str(start - time.time())
    _start(start)


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def pytest_report_header(config):
    return f"clock: moved to {suite_today()} 09:30 Beijing time ({TODAY_ENV} to change)"


def follow_parent() -> None:
    """In a process a test started (a real worker), move the clock as the test process moved it."""
    offset = os.environ.get(OFFSET_ENV)
    if offset and _travel is None:
        _start(time.time() + float(offset))
