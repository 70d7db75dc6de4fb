"""The time rules of a request, as pure functions of dates (no database, no clock of their own).

- Art. 31: the day of receipt depends on the channel (`receipt_date`).
- Art. 30: corrections are asked for within 7 working days of receipt, all at once; the reply
  period starts again from the day the corrected request arrives.
- Art. 33: reply within 20 working days of receipt; one extension of at most 20 working days.
- Art. 32 and 国办函〔2020〕109号: time spent consulting a third party, and between a fee notice
  and its payment, is not counted.

A pause's own first day still counts (work was done on it); the working days after it, up to and
including the day it ends, do not. Overlapping pauses are counted once.
"""

from dataclasses import dataclass
from datetime import date

from engine import calendar as cal
from engine.errors import Invalid

REPLY_DAYS = 20              # Art. 33 (2)
CORRECTION_REQUEST_DAYS = 7  # Art. 30
MAX_EXTENSION_DAYS = 20      # Art. 33 (2)
CONSULTATION_DAYS = 15       # Art. 32

# Art. 31: which date is "the day the agency received the request", per channel.
#   in_person        (一) 当面提交的，以提交之日为收到申请之日 → received_on
#   registered_post  (二) 以邮寄方式提交的，以行政机关签收之日为收到申请之日 → received_on (the signing day)
#   letter           (二) 以平常信函等无需签收的邮寄方式提交的，政府信息公开工作机构应当于收到申请的当日
#                        与申请人确认，确认之日为收到申请之日 → confirmed_on, else received_on
#   online, fax      (三) 通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日
#                        → confirmed_on, else received_on
RECEIPT_RULE = {"in_person": "received", "registered_post": "received", "letter": "confirmed",
                "online": "confirmed", "fax": "confirmed"}


@dataclass(frozen=True)
class Pause:
    """A stretch during which the reply clock does not run; `end` None while it lasts."""

    reason: str  # correction | consultation | fee
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Clock:
    """Where a request's reply period stands: `due_on` None while awaiting a correction."""

    clock_start: date
    due_on: date | None
    paused_days: int
    extension_days: int
    provisional: bool


def receipt_date(channel: str, received_on: date, confirmed_on: date | None = None) -> date:
    """Return the day of receipt under Art. 31 for `channel`."""
    rule = RECEIPT_RULE.get(channel)
    if rule is None:
        raise Invalid(f"未知的申请渠道 {channel} (unknown channel)", fields={"channel": ["invalid"]})
    if rule == "confirmed" and confirmed_on is not None:
        if confirmed_on < received_on:
            raise Invalid("确认日期不能早于收到日期 (confirmed_on before received_on)",
                          fields={"confirmed_on": ["before received_on"]})
        return confirmed_on
    return received_on


def correction_request_deadline(receipt: date, calendar=None) -> date:
    """The last day on which the agency may ask for a correction (Art. 30: 7 working days)."""
    return (calendar or cal.default_calendar).add_working_days(receipt, CORRECTION_REQUEST_DAYS)


def check_correction_request(receipt: date, on: date, calendar=None) -> None:
    if on > correction_request_deadline(receipt, calendar):
        raise Invalid("补正须在收到申请之日起7个工作日内一次性告知 (corrections must be asked within 7 working days)",
                      fields={"decision": ["too late for a correction"]})


def check_extension(days: int, already_extended: int) -> None:
    """One extension of at most 20 working days (Art. 33)."""
    if already_extended:
        raise Invalid("答复期限只能延长一次 (only one extension)", fields={"extension_days": ["already extended"]})
    if not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise Invalid("延长期限最长不超过20个工作日 (an extension is 1–20 working days)",
                      fields={"extension_days": ["1–20"]})


def _merged(intervals):
    out = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def paused_working_days(pauses, as_of: date, since: date | None = None, calendar=None) -> int:
    """Working days the non-correction pauses take out of the period (open ones up to `as_of`)."""
    calendar = calendar or cal.default_calendar
    spans = [(max(p.start, since) if since else p.start, p.end or as_of)
             for p in pauses if p.reason != "correction"]
    spans = [(a, b) for a, b in spans if b > a]
    return sum(calendar.working_days_between(a, b) for a, b in _merged(spans))


def clock(receipt: date, pauses=(), extension_days: int = 0, as_of: date | None = None,
          calendar=None) -> Clock:
    """Compute the reply deadline from the receipt, the pauses and the extension."""
    calendar = calendar or cal.default_calendar
    as_of = as_of or cal.today_in_china()
    start, waiting = receipt, False
    for p in sorted((p for p in pauses if p.reason == "correction"), key=lambda p: p.start):
        if p.end is None:
            waiting = True
        else:
            start = max(start, p.end)  # Art. 30: the period restarts on the day the correction arrives
    paused = paused_working_days([p for p in pauses if p.end is None or p.end > start], as_of, start, calendar)
    if waiting:
        return Clock(start, None, paused, extension_days, False)
    deadline = calendar.deadline(start, REPLY_DAYS + paused + int(extension_days or 0))
    return Clock(start, deadline.due_on, paused, int(extension_days or 0), deadline.provisional)


def add(start: date, n: int, calendar=None) -> date:
    return (calendar or cal.default_calendar).add_working_days(start, int(n))
