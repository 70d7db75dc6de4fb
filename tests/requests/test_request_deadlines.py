"""The time rules of requests as pure functions: Art. 31 receipt, Art. 30 correction, pauses,
extension, holidays (2026 National Day, make-up working days) and the provisional 2027 calendar."""

from datetime import date as D

import pytest

from engine import calendar as cal
from engine import db
from engine.errors import Invalid
from engine.requests import deadlines
from engine.requests.deadlines import Pause, receipt_date, reply_clock


@pytest.fixture(autouse=True)
def no_database(monkeypatch):
    for key in list(db._state):
        monkeypatch.setitem(db._state, key, None)
    cal.invalidate()


@pytest.mark.parametrize("channel,expected", [
    ("in_person", D(2026, 11, 2)),        # (一) the day it is handed in
    ("registered_post", D(2026, 11, 2)),  # (二) the day the agency signs for it
    ("letter", D(2026, 11, 4)),           # (二) 平常信函: the day the agency confirms with the applicant
    ("online", D(2026, 11, 4)),           # (三) the day both sides confirm
    ("fax", D(2026, 11, 4)),
])
def test_receipt_date_follows_article_31(channel, expected):
    assert receipt_date(channel, D(2026, 11, 2), D(2026, 11, 4)) == expected


@pytest.mark.parametrize("channel", ["letter", "online", "fax", "in_person"])
def test_receipt_date_without_confirmation_is_the_day_received(channel):
    assert receipt_date(channel, D(2026, 11, 2)) == D(2026, 11, 2)


def test_receipt_date_refuses_unknown_channels_and_confirmations_before_receipt():
    with pytest.raises(Invalid):
        receipt_date("pigeon", D(2026, 11, 2))
    with pytest.raises(Invalid):
        receipt_date("fax", D(2026, 11, 2), D(2026, 11, 1))


def test_twenty_working_days_skip_weekends():
    assert reply_clock(D(2026, 11, 2), as_of=D(2026, 11, 2)).due_on == D(2026, 11, 30)


def test_a_request_received_on_saturday_counts_from_monday():
    assert reply_clock(D(2026, 11, 21), as_of=D(2026, 11, 21)).due_on == D(2026, 12, 18)


def test_national_day_and_mid_autumn_2026_with_the_make_up_saturday():
    # 25 Sep (中秋) and 1–7 Oct are off; Saturday 10 Oct is a make-up working day and counts.
    result = reply_clock(D(2026, 9, 24), as_of=D(2026, 9, 24))
    assert result.due_on == D(2026, 10, 29) and not result.provisional
    assert cal.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_a_deadline_reaching_into_2027_is_provisional():
    # 2027 is not in chinesecalendar: statutory holidays only (1 Jan off), flagged provisional.
    result = reply_clock(D(2026, 12, 21), as_of=D(2026, 12, 21))
    assert result.due_on == D(2027, 1, 19) and result.provisional


def test_correction_restarts_the_period_from_the_day_it_arrives():
    pauses = [Pause("correction", D(2026, 11, 4), D(2026, 11, 16))]
    result = reply_clock(D(2026, 11, 2), pauses, as_of=D(2026, 11, 20))
    assert (result.clock_start, result.due_on) == (D(2026, 11, 16), D(2026, 12, 14))


def test_while_awaiting_correction_the_clock_stops():
    result = reply_clock(D(2026, 11, 2), [Pause("correction", D(2026, 11, 4))], as_of=D(2026, 11, 20))
    assert result.due_on is None


def test_consultation_days_are_not_counted():
    # Working days after 5 Nov up to and including 12 Nov: 6, 9, 10, 11, 12 = 5.
    pauses = [Pause("consultation", D(2026, 11, 5), D(2026, 11, 12))]
    result = reply_clock(D(2026, 11, 2), pauses, as_of=D(2026, 11, 20))
    assert (result.paused_days, result.due_on) == (5, D(2026, 12, 7))


def test_an_open_consultation_counts_up_to_today():
    pauses = [Pause("consultation", D(2026, 11, 5))]
    assert reply_clock(D(2026, 11, 2), pauses, as_of=D(2026, 11, 9)).paused_days == 2


def test_consultation_over_national_day_counts_working_days_only():
    pauses = [Pause("consultation", D(2026, 9, 28), D(2026, 10, 12))]
    # 29, 30 Sep, 8, 9, 10 (make-up Saturday), 12 Oct = 6 working days.
    result = reply_clock(D(2026, 9, 24), pauses, as_of=D(2026, 10, 12))
    assert result.paused_days == 6
    assert result.due_on == cal.add_working_days(D(2026, 9, 24), 26)


def test_overlapping_pauses_count_once():
    pauses = [Pause("consultation", D(2026, 11, 5), D(2026, 11, 12)), Pause("fee", D(2026, 11, 9), D(2026, 11, 13))]
    assert reply_clock(D(2026, 11, 2), pauses, as_of=D(2026, 11, 20)).paused_days == 6


def test_pauses_before_a_correction_restart_do_not_count_twice():
    pauses = [Pause("correction", D(2026, 11, 3), D(2026, 11, 10)), Pause("fee", D(2026, 11, 11), D(2026, 11, 13))]
    result = reply_clock(D(2026, 11, 2), pauses, as_of=D(2026, 11, 20))
    assert result.clock_start == D(2026, 11, 10) and result.paused_days == 2


def test_extension_adds_working_days():
    result = reply_clock(D(2026, 11, 2), extension_days=20, as_of=D(2026, 11, 2))
    assert result.due_on == D(2026, 12, 28) and result.extension_days == 20


def test_only_one_extension_of_at_most_twenty_days():
    deadlines.check_extension(20, 0)
    with pytest.raises(Invalid):
        deadlines.check_extension(21, 0)
    with pytest.raises(Invalid):
        deadlines.check_extension(5, 10)


def test_corrections_are_asked_within_seven_working_days_of_receipt():
    # 28 Sep + 7 working days: 29, 30 Sep, 8, 9, 10 (make-up), 12, 13 Oct.
    assert deadlines.correction_request_deadline(D(2026, 9, 28)) == D(2026, 10, 13)
    deadlines.check_correction_request(D(2026, 9, 28), D(2026, 10, 13))
    with pytest.raises(Invalid):
        deadlines.check_correction_request(D(2026, 9, 28), D(2026, 10, 14))
