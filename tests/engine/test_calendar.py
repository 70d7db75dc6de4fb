"""Working days: chinesecalendar years, the statutory fallback for 2027+, admin entries, timers."""

import datetime as dt

import chinese_calendar
import pytest
import time_machine
from lunardate import LunarDate
from sqlalchemy import event

import engine.calendar as cal
from engine import db
from engine.db import Base
from engine.errors import Invalid
from engine.models.calendar import CalendarDay, CalendarYear  # noqa: F401  (registers the tables)

D = dt.date
UTC = dt.timezone.utc


@pytest.fixture
def no_database(monkeypatch):
    for key in list(db._state):
        monkeypatch.setitem(db._state, key, None)
    cal.invalidate()


@pytest.fixture
def database(no_database, tmp_path):
    bound = db.configure(f"sqlite:///{tmp_path / 't.db'}")
    Base.metadata.create_all(bound)
    yield bound
    bound.dispose()
    cal.invalidate()


def days(first, last):
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# Hypothetical 2027 notice an admin might enter: 元旦 1–3 Jan, 春节 5–13 Feb, Saturday 20 Feb worked.
ADMIN_2027_HOLIDAYS = [(d, "元旦") for d in days(D(2027, 1, 1), D(2027, 1, 3))] + [
    (d, "春节") for d in days(D(2027, 2, 5), D(2027, 2, 13))
]
ADMIN_2027_WORKDAYS = [(D(2027, 2, 20), "春节")]


def test_spring_festival_2026_follows_the_notice(no_database):
    assert not any(cal.is_working_day(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    # Both Saturdays are make-up working days in chinesecalendar's 2026 data.
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 14)) == (False, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 28)) == (False, "Spring Festival")
    assert cal.is_working_day(D(2026, 2, 14)) and cal.is_working_day(D(2026, 2, 28))
    assert cal.is_working_day(D(2026, 2, 13)) and cal.is_working_day(D(2026, 2, 24))


def test_national_day_2026(no_database):
    assert not any(cal.is_working_day(d) for d in days(D(2026, 10, 1), D(2026, 10, 7)))
    assert not cal.is_working_day(D(2026, 9, 25))  # 中秋
    assert cal.is_working_day(D(2026, 9, 20)) and cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_provisional(D(2026, 10, 1))


def test_twenty_working_days_over_national_day(no_database):
    assert cal.deadline(D(2026, 9, 20), 20) == cal.Deadline(D(2026, 10, 23), provisional=False)


def test_seven_working_days_over_spring_festival(no_database):
    # 11, 12, 13, 14 (Saturday, worked), then 24, 25, 26 after the holiday.
    assert cal.add_working_days(D(2026, 2, 10), 7) == D(2026, 2, 26)


def test_zero_working_days_is_the_start_itself(no_database):
    assert cal.deadline(D(2026, 10, 1), 0) == cal.Deadline(D(2026, 10, 1), provisional=False)
    assert cal.add_working_days(dt.datetime(2027, 2, 6, 9, 30), 0) == D(2027, 2, 6)


def test_start_on_a_holiday(no_database):
    assert cal.add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 1), 3) == D(2026, 10, 10)


def test_aware_datetimes_count_from_the_beijing_date(no_database):
    evening_utc = dt.datetime(2026, 9, 19, 20, 0, tzinfo=UTC)  # already 20 Sept in Beijing
    assert cal.add_working_days(evening_utc, 20) == D(2026, 10, 23)
    assert cal.add_working_days(D(2026, 9, 19), 20) == D(2026, 10, 22)
    assert cal.add_working_days("2026-09-20", 20) == D(2026, 10, 23)


def test_working_days_between(no_database):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert cal.working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert cal.working_days_between(D(2026, 10, 2), D(2026, 10, 2)) == 0


@pytest.mark.parametrize("n", [-1, "20", True, 10**6])
def test_bad_counts_are_refused(no_database, n):
    with pytest.raises(Invalid):
        cal.deadline(D(2026, 1, 5), n)


def test_statutory_fallback_for_2027(no_database):
    expected = {
        D(2027, 1, 1): "元旦",
        **{d: "春节" for d in days(D(2027, 2, 5), D(2027, 2, 8))},  # 除夕 (Friday) to 初三
        D(2027, 2, 9): "春节（补假）",  # for the Saturday and Sunday inside 春节
        D(2027, 2, 10): "春节（补假）",
        D(2027, 4, 5): "清明",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 5, 3): "劳动节（补假）",
        D(2027, 5, 4): "劳动节（补假）",
        D(2027, 6, 9): "端午",
        D(2027, 9, 15): "中秋",
        **{d: "国庆节" for d in days(D(2027, 10, 1), D(2027, 10, 3))},
        D(2027, 10, 4): "国庆节（补假）",
        D(2027, 10, 5): "国庆节（补假）",
    }
    assert cal.statutory_holidays(2027) == expected
    assert cal.is_provisional(D(2027, 3, 1)) and not cal.is_provisional(D(2026, 12, 31))


@pytest.mark.parametrize("year", range(2027, 2040))
def test_new_years_eve_is_the_last_day_of_the_twelfth_lunar_month(year):
    eve = min(d for d, name in cal.statutory_holidays(year).items() if name == "春节")
    try:
        last = LunarDate(year - 1, 12, 30).to_solar_date()
    except ValueError:  # 腊月 has only 29 days that year
        last = LunarDate(year - 1, 12, 29).to_solar_date()
    assert eve == last


@pytest.mark.parametrize("year", [2025, 2026])
def test_fallback_days_are_holidays_in_the_real_notices(year):
    # Since the 2024 amendment every statutory day (and its 补假) was indeed a day off.
    assert not [d for d in cal.statutory_holidays(year) if chinese_calendar.is_workday(d)]


def test_deadline_crossing_into_2027_is_provisional(no_database):
    assert cal.deadline(D(2026, 12, 15), 20) == cal.Deadline(D(2027, 1, 13), provisional=True)
    assert cal.deadline(D(2027, 2, 1), 7) == cal.Deadline(D(2027, 2, 16), provisional=True)
    assert not cal.deadline(D(2026, 12, 1), 5).provisional


def test_admin_entry_for_2027_overrides_the_fallback(database):
    cal.set_year(
        2027, ADMIN_2027_HOLIDAYS, ADMIN_2027_WORKDAYS, actor="admin1", notice="国办发明电〔2026〕X号"
    )
    assert cal.deadline(D(2027, 2, 1), 7) == cal.Deadline(D(2027, 2, 18), provisional=False)
    assert cal.deadline(D(2026, 12, 15), 20) == cal.Deadline(D(2027, 1, 13), provisional=False)
    assert cal.is_working_day(D(2027, 2, 20)) and not cal.is_working_day(D(2027, 2, 12))
    year = cal.get_year(2027)
    assert (year["source"], year["provisional"], year["entered_by"]) == ("admin", False, "admin1")
    assert year["workdays"] == [{"date": D(2027, 2, 20), "name": "春节"}]
    assert len(year["holidays"]) == 12


def test_admin_entry_overrides_chinesecalendar_until_deleted(database):
    cal.set_year(2026, [(D(2026, 1, 1), "元旦")], [])
    assert cal.is_working_day(D(2026, 2, 16)) and not cal.is_working_day(D(2026, 2, 14))
    cal.delete_year(2026)
    assert not cal.is_working_day(D(2026, 2, 16)) and cal.is_working_day(D(2026, 2, 14))
    assert cal.get_year(2026)["source"] == "chinesecalendar"


def test_set_year_replaces_the_previous_entry(database):
    cal.set_year(2027, ADMIN_2027_HOLIDAYS, ADMIN_2027_WORKDAYS)
    cal.set_year(2027, [(D(2027, 1, 1), "元旦")], [])
    assert cal.is_working_day(D(2027, 2, 8)) and not cal.is_working_day(D(2027, 2, 20))


@pytest.mark.parametrize(
    ("holidays", "workdays", "field", "needle"),
    [
        ([(D(2026, 12, 31), "元旦")], [], "holidays", "2026-12-31 不在 2027 年内"),
        (
            [(D(2027, 2, 6), "春节")],
            [(D(2027, 2, 6), "春节")],
            "workdays",
            "2027-02-06 不能既是放假日又是调休上班日",
        ),
        ([(D(2027, 1, 1), "元旦")], [(D(2027, 2, 17), "春节")], "workdays", "2027-02-17 是周一至周五"),
        ([(D(2027, 1, 1), "元旦"), ("2027-01-01", "元旦")], [], "holidays", "2027-01-01 重复出现"),
        ([("2027-02-30", "春节")], [], "holidays", "无法识别的条目"),
        ([], [(D(2027, 2, 20), "春节")], "holidays", "放假日不能为空"),
    ],
)
def test_set_year_validation(database, holidays, workdays, field, needle):
    with pytest.raises(Invalid) as caught:
        cal.set_year(2027, holidays, workdays)
    assert needle in caught.value.message and needle in caught.value.fields[field]
    assert cal.get_year(2027)["source"] == "statutory_fallback"


def test_overrides_are_cached_not_queried_per_call(database):
    cal.set_year(2027, ADMIN_2027_HOLIDAYS, ADMIN_2027_WORKDAYS)
    cal.deadline(D(2027, 1, 4), 1)  # warm the cache
    statements = []
    event.listen(database, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for _ in range(50):
        cal.deadline(D(2026, 12, 15), 20)
    assert statements == []


def test_list_years_shows_next_year_to_enter(database):
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=False):
        summary = {y["year"]: y for y in cal.list_years()}
        assert summary[2027]["source"] == "statutory_fallback" and summary[2027]["provisional"]
        cal.set_year(2027, ADMIN_2027_HOLIDAYS, ADMIN_2027_WORKDAYS, actor="admin1")
        summary = {y["year"]: y for y in cal.list_years()}
    assert summary[2004]["source"] == "chinesecalendar"
    assert summary[2027]["source"] == "admin" and summary[2027]["entered_by"] == "admin1"


def test_timer_expression_uses_the_beijing_date(no_database):
    # 20:00 UTC on 19 Sept is already 20 Sept (a make-up working Sunday) in Beijing.
    with time_machine.travel(dt.datetime(2026, 9, 19, 20, 0, tzinfo=UTC), tick=False):
        assert cal.working_days_deadline_iso(20) == "2026-10-23T23:59:59+08:00"
        assert cal.working_days_deadline_iso(20) == "2026-10-23T23:59:59+08:00"
    assert cal.working_days_deadline_iso(7, D(2026, 12, 28)) == "2027-01-07T23:59:59+08:00"
    assert cal.deadline(D(2026, 12, 28), 7).ends_at == dt.datetime.fromisoformat("2027-01-07T23:59:59+08:00")


def test_other_processes_edits_are_seen_after_the_ttl(database, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(cal, "monotonic", lambda: clock[0])
    assert cal.deadline(D(2027, 2, 1), 7).provisional
    with db.transaction() as session:  # as another process would, without our invalidate()
        session.add(CalendarYear(year=2027, source="admin", entered_at=dt.datetime.now(UTC)))
        session.flush()
        session.add_all(
            CalendarDay(day=d, year=2027, is_working=False, name=n) for d, n in ADMIN_2027_HOLIDAYS
        )
    assert cal.deadline(D(2027, 2, 1), 7).provisional
    clock[0] += cal.OVERRIDE_TTL_SECONDS + 1
    assert cal.deadline(D(2027, 2, 1), 7) == cal.Deadline(D(2027, 2, 18), provisional=False)
