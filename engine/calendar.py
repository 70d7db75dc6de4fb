"""Count working days (工作日) for statutory deadlines, with holidays and make-up working days (调休).

A year's days come from an administrator's entry of the State Council notice, else chinesecalendar,
else the statutory holidays alone; a deadline that relies on that last source is provisional.
"""

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from time import monotonic
from types import MappingProxyType

import chinese_calendar
from chinese_calendar import Holiday
from lunardate import LunarDate
from sqlalchemy import delete, select

from engine import clock, db
from engine.clock import SHANGHAI
from engine.errors import Invalid, NotFound
from engine.models.calendar import CalendarDay, CalendarYear

ADMIN, CHINESECALENDAR, FALLBACK = "admin", "chinesecalendar", "statutory_fallback"
ONE_DAY = timedelta(days=1)
END_OF_DAY = time(23, 59, 59)
MAX_WORKING_DAYS = 2500  # about ten years; guards against a runaway timer expression
# Other processes (web and rq workers) see an admin edit at the latest after this many seconds.
OVERRIDE_TTL_SECONDS = 300.0
_CC_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
_SUPPORTED_YEARS = range(1900, 2100)  # lunardate's range


@dataclass(frozen=True)
class YearDays:
    """One year's exceptions to the Monday–Friday week, and where they come from."""

    year: int
    source: str
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]

    @property
    def provisional(self):
        return self.source == FALLBACK

    def is_working(self, day):
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


@dataclass(frozen=True)
class Deadline:
    """The last day of a time limit; `provisional` when a year had only the statutory fallback."""

    due_on: date
    provisional: bool

    @property
    def ends_at(self):
        return datetime.combine(self.due_on, END_OF_DAY, tzinfo=SHANGHAI)


def _year_days(year, source, holidays, workdays):
    return YearDays(year, source, MappingProxyType(dict(holidays)), MappingProxyType(dict(workdays)))


@lru_cache(maxsize=None)
def builtin_year(year):
    """Return `year` from chinesecalendar when it has it, else the statutory fallback."""
    if year in _CC_YEARS:
        holidays = {d: Holiday(v).chinese for d, v in chinese_calendar.holidays.items() if d.year == year}
        workdays = {d: Holiday(v).chinese for d, v in chinese_calendar.workdays.items() if d.year == year}
        return _year_days(year, CHINESECALENDAR, holidays, workdays)
    return _year_days(year, FALLBACK, statutory_holidays(year), {})


def statutory_holidays(year):
    """Return the holidays 《全国年节及纪念日放假办法》 (amended 2024) fixes for `year`, with 补假.

    Art. 6 requires a holiday that falls on a weekend to be made up on a working day; every notice
    so far puts it right after the festival, so we do too. Make-up working days (调休上班) are
    chosen by each year's notice and cannot be predicted, hence none here.
    """
    if year not in _SUPPORTED_YEARS:
        raise Invalid(
            f"不支持 {year} 年的工作日计算（year {year} is outside 1900–2099）", fields={"year": year}
        )
    days, owed = {}, []
    for start, length, name in sorted(_festivals(year)):
        block = [start + i * ONE_DAY for i in range(length)]
        # A day lost to a weekend or to another festival on the same day is owed back.
        owed.append((block[-1], sum(d.weekday() >= 5 or d in days for d in block), name))
        for d in block:
            days.setdefault(d, name)
    for end, count, name in owed:
        day = end
        while count:
            day += ONE_DAY
            if day.weekday() < 5 and day not in days:
                days[day], count = f"{name}（补假）", count - 1
    return days


def _festivals(year):
    # 除夕 is the eve of 正月初一, whether the twelfth lunar month has 29 or 30 days (or is leap).
    eve = _lunar(year, 1, 1) - ONE_DAY
    return [
        (date(year, 1, 1), 1, Holiday.new_years_day.chinese),
        (eve, 4, Holiday.spring_festival.chinese),
        (_qingming(year), 1, Holiday.tomb_sweeping_day.chinese),
        (date(year, 5, 1), 2, Holiday.labour_day.chinese),
        (_lunar(year, 5, 5), 1, Holiday.dragon_boat_festival.chinese),
        (_lunar(year, 8, 15), 1, Holiday.mid_autumn_festival.chinese),
        (date(year, 10, 1), 3, Holiday.national_day.chinese),
    ]


def _lunar(year, month, day):
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year):
    # chinesecalendar's solar terms (寿星 formula plus its table of corrections) work up to 2100,
    # beyond its holiday data, so we need no astronomical formula of our own.
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    return next(d for d, name in terms if name == "清明")


def has_time(value) -> bool:
    """Whether `value` is a moment (a datetime or an ISO string with a time), not just a day."""
    return isinstance(value, datetime) or (isinstance(value, str) and len(value.strip()) > 10)


def as_moment(value) -> datetime:
    """Return `value` (datetime or ISO string; naive means Beijing time) as an aware datetime."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"时间格式无效：{value}（invalid date and time {value!r}）") from None
    if not isinstance(value, datetime):
        raise Invalid(f"需要日期和时间：{value}（a date and time is needed）")
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


DAY_FORMAT = "日期格式应为 YYYY-MM-DD (date as YYYY-MM-DD)"


def parse_day(value, field: str, errors: dict | None = None, required: bool = False) -> date | None:
    """The day a form or API field gives ("YYYY-MM-DD", or the date part of a longer ISO value);
    None when empty. What is wrong (not a date; missing when `required`) goes into `errors` under
    `field` when a dict is given, else is raised as a 422 naming the field."""
    if value in (None, ""):
        problem = "此项必填 (required)" if required else None
    else:
        try:
            return date.fromisoformat(str(value)[:10])
        except (TypeError, ValueError):
            problem = DAY_FORMAT
    if problem is None:
        return None
    if errors is None:
        raise Invalid("日期有误 (a date is wrong)", fields={field: [problem]})
    errors[field] = [problem]
    return None


def as_date(value):
    """Return the calendar date of `value` in Beijing time; accepts dates, datetimes, ISO strings."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(f"日期格式无效：{value}（invalid date {value!r}）") from None
    if isinstance(value, datetime):
        return (value.astimezone(SHANGHAI) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    raise Invalid(f"日期格式无效：{value}（invalid date {value!r}）")


def _check_count(n):
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_WORKING_DAYS:
        raise Invalid(
            f"工作日数必须是 0 到 {MAX_WORKING_DAYS} 之间的整数（invalid number of working days: {n!r}）"
        )
    return n


class WorkingCalendar:
    """Answer working-day questions from admin years, then chinesecalendar, then the statutory fallback."""

    def __init__(self, overrides=None):
        # `overrides`: a mapping year -> YearDays, or a callable returning one (the process cache).
        self._overrides = overrides if callable(overrides) else (lambda: overrides or {})

    def _lookup(self):
        overrides = self._overrides()  # one snapshot per computation, not one per day
        return lambda year: overrides.get(year) or builtin_year(year)

    def year(self, year):
        return self._lookup()(year)

    def is_working_day(self, day):
        day = as_date(day)
        return self.year(day.year).is_working(day)

    def is_provisional(self, day):
        return self.year(as_date(day).year).provisional

    def deadline(self, start, n):
        """Return the n-th working day after `start` (not counted); n = 0 gives `start` itself."""
        day, remaining, lookup = as_date(start), _check_count(n), self._lookup()
        provisional = False
        while remaining:
            day += ONE_DAY
            info = lookup(day.year)
            if info.is_working(day):
                remaining -= 1
            provisional = provisional or info.provisional
        return Deadline(day, provisional)

    def add_working_days(self, start, n):
        return self.deadline(start, n).due_on

    def working_days_between(self, a, b):
        """Count working days after `a` up to and including `b`; negative when `b` is before `a`."""
        a, b = as_date(a), as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        lookup = self._lookup()
        days = (a + i * ONE_DAY for i in range(1, (b - a).days + 1))
        return sum(lookup(d.year).is_working(d) for d in days)


def load_admin_years(session, year=None):
    """Read admin-entered years (all, or just `year`) as YearDays."""
    years_query, days_query = select(CalendarYear.year), select(CalendarDay)
    if year is not None:
        years_query = years_query.where(CalendarYear.year == year)
        days_query = days_query.where(CalendarDay.year == year)
    tables = {y: ({}, {}) for y in session.scalars(years_query)}  # (holidays, workdays)
    for row in session.scalars(days_query):
        tables[row.year][row.is_working][row.day] = row.name
    return {y: _year_days(y, ADMIN, hol, work) for y, (hol, work) in tables.items()}


def _db_engine():
    try:
        return db.get_engine()
    except RuntimeError:  # not configured (scripts, unit tests): no admin years
        return None


class _OverrideCache:
    """Hold admin years per process, reloaded when the engine changes, on `invalidate()` or after the TTL."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entry = None  # (engine, generation, loaded_at, years)
        self._generation = 0

    def get(self):
        bound = _db_engine()
        if bound is None:
            return {}
        entry = self._entry
        if not self._fresh(entry, bound):
            entry = self._reload(bound)
        return entry[3]

    def _fresh(self, entry, bound):
        return (
            entry is not None
            and entry[0] is bound
            and entry[1] == self._generation
            and monotonic() - entry[2] < OVERRIDE_TTL_SECONDS
        )

    def _reload(self, bound):
        with self._lock:
            if self._fresh(self._entry, bound):
                return self._entry
            generation = self._generation
            with db.reading() as session:
                years = load_admin_years(session)
            entry = (bound, generation, monotonic(), years)
            # An invalidate() during the read means what we read may predate the edit.
            if generation == self._generation:
                self._entry = entry
            return entry

    def invalidate(self):
        self._generation += 1
        self._entry = None

    def reset_after_fork(self):
        # The parent's periodic thread may have held the lock mid-reload when the child forked.
        self._lock = threading.Lock()
        self._entry = None


_cache = _OverrideCache()
os.register_at_fork(after_in_child=_cache.reset_after_fork)
default_calendar = WorkingCalendar(_cache.get)


def invalidate():
    """Forget cached admin years in this process (called after every admin edit)."""
    _cache.invalidate()


def is_working_day(day):
    return default_calendar.is_working_day(day)


def is_provisional(day):
    return default_calendar.is_provisional(day)


def add_working_days(start, n):
    return default_calendar.add_working_days(start, n)


def working_day_before(day, n):
    """Return the working day that leaves `n` working days up to and including `day` (for reminders)."""
    day = as_date(day)
    _check_count(n)
    found = 0
    while True:
        if default_calendar.is_working_day(day):
            found += 1
            if found > n:
                return day
        day -= ONE_DAY


def working_days_between(a, b):
    return default_calendar.working_days_between(a, b)


def deadline(start, n):
    return default_calendar.deadline(start, n)


def working_days_deadline_iso(n, start=None):
    """Return the end (23:59:59+08:00) of the n-th working day after `start` (default: today), ISO 8601.

    This is what a BPMN timeDate expression `working_days(20)` evaluates to.
    """
    return deadline(clock.today() if start is None else start, n).ends_at.isoformat()


def set_year(year, holidays, workdays, actor=None, notice=None):
    """Replace `year`'s holidays and make-up working days with an administrator's entry of the notice.

    `holidays` and `workdays` are lists of (date, name); `actor` is the administrator's user name.
    """
    holidays, workdays = _validated(year, holidays, workdays)
    with db.transaction() as session:
        session.execute(delete(CalendarDay).where(CalendarDay.year == year))
        row = session.get(CalendarYear, year) or CalendarYear(year=year)
        row.source, row.notice, row.entered_by = ADMIN, notice, actor
        row.entered_at = clock.now()
        session.add(row)
        session.flush()  # the year row must exist before its days reference it
        session.add_all(CalendarDay(day=d, year=year, is_working=False, name=n) for d, n in holidays.items())
        session.add_all(CalendarDay(day=d, year=year, is_working=True, name=n) for d, n in workdays.items())
        db.after_commit(session, invalidate)
    return get_year(year)


def delete_year(year):
    """Remove an administrator's entry for `year`, falling back to chinesecalendar or the statutory days."""
    with db.transaction() as session:
        row = session.get(CalendarYear, year)
        if row is None:
            raise NotFound(f"{year} 年没有管理员录入的日历（no calendar entered for {year}）")
        session.execute(delete(CalendarDay).where(CalendarDay.year == year))
        session.delete(row)
        db.after_commit(session, invalidate)


def _validated(year, holidays, workdays):
    """Return (holidays, workdays) as date -> name, or raise Invalid listing every bad entry."""
    if isinstance(year, bool) or not isinstance(year, int) or year not in _SUPPORTED_YEARS:
        raise Invalid(f"年份无效：{year}（invalid year {year!r}）", fields={"year": "年份无效"})
    hol, work = {}, {}
    problems = [("holidays", m) for m in _parse_entries(year, holidays or [], hol)]
    problems += [("workdays", m) for m in _parse_entries(year, workdays or [], work)]
    problems += [("workdays", m) for m in _conflicts(hol, work)]
    if not holidays:
        problems.append(("holidays", "放假日不能为空（the list of holidays is empty）"))
    if problems:
        messages = [m for _, m in problems]
        fields = {}
        for field, message in problems:
            fields.setdefault(field, message)
        raise Invalid("日历数据有误：" + "；".join(messages), fields=fields, details=messages)
    return hol, work


def _conflicts(holidays, workdays):
    for day in sorted(holidays.keys() & workdays.keys()):
        yield f"{day} 不能既是放假日又是调休上班日（{day} is both a holiday and a make-up working day）"
    for day in sorted(d for d in workdays if d.weekday() < 5):
        yield f"{day} 是周一至周五，本来就上班，不能作为调休上班日（{day} is a weekday, not a make-up working day）"


def _parse_entries(year, entries, out):
    """Fill `out` with date -> name from (date, name) pairs, yielding an error message per bad entry."""
    for entry in entries:
        try:
            value, name = entry
            day = date.fromisoformat(value) if isinstance(value, str) else value
        except (TypeError, ValueError):
            yield f"无法识别的条目 {entry!r}（expected (date, name)）"
            continue
        if isinstance(day, datetime) or not isinstance(day, date):
            yield f"无法识别的日期 {value!r}（not a date）"
        elif day.year != year:
            yield f"{day} 不在 {year} 年内（{day} is not in {year}）"
        elif day in out:
            yield f"{day} 重复出现（{day} is listed twice）"
        elif len(str(name or "")) > 100:
            yield f"{day} 的名称过长（the name for {day} is longer than 100 characters）"
        else:
            out[day] = str(name or "").strip()


def get_year(year):
    """Return the days in effect for `year`, their source and who entered them (for the admin page)."""
    info = None
    if _db_engine() is not None:
        with db.reading() as session:
            info = load_admin_years(session, year).get(year)
    info = info or builtin_year(year)
    return {
        **_summary(year, _entries(year).get(year)),
        "holidays": [{"date": d, "name": n} for d, n in sorted(info.holidays.items())],
        "workdays": [{"date": d, "name": n} for d, n in sorted(info.workdays.items())],
    }


def list_years():
    """Summarise each year from chinesecalendar's first through next year, and any admin year beyond."""
    entries = _entries()
    first = min([_CC_YEARS.start, *entries])
    last = max([clock.today().year + 1, _CC_YEARS.stop - 1, *entries])
    return [_summary(y, entries.get(y)) for y in range(first, last + 1)]


def _entries(year=None):
    """Return {year: who entered it} for admin years, read into plain dicts while the session is open."""
    if _db_engine() is None:
        return {}
    query = select(CalendarYear)
    if year is not None:
        query = query.where(CalendarYear.year == year)
    with db.reading() as session:
        return {
            r.year: {"notice": r.notice, "entered_by": r.entered_by, "entered_at": r.entered_at}
            for r in session.scalars(query)
        }


def _summary(year, entry):
    source = ADMIN if entry else CHINESECALENDAR if year in _CC_YEARS else FALLBACK
    return {
        "year": year,
        "source": source,
        "provisional": source == FALLBACK,
        **(entry or {"notice": None, "entered_by": None, "entered_at": None}),
    }
