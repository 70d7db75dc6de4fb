"""The time rules of a request, as pure functions of dates (no database, no clock of their own).

- Art. 31: the day of receipt depends on the channel (`receipt_date`).
- Art. 30: corrections are asked for within 7 working days of receipt, all at once; the reply
  period starts again from the day the corrected request arrives.
- Art. 33: reply within 20 working days of receipt; one extension of at most 20 working days.
- Art. 35: reasonable reasons for an apparently excessive request, but no reply possible in time:
  the agency sets a 延迟答复 period once (`check_delay`), kept as working days added to the period
  so that later pauses move it like the rest of the period.
- Art. 32 and 国办函〔2020〕109号: time spent consulting a third party, and between a fee notice
  and its payment, is not counted.
- Art. 32 and 34: the consulted party's 15 working days run from the day it *receives* the
  征求意见书 (自收到之日起); until that day is recorded the deadline is provisional
  (`provisional_after_delivery`), as for the fee notice.

A pause's own first day still counts (work was done on it); the working days after it, up to and
including the day it ends, do not. Overlapping pauses are counted once.
"""

from dataclasses import dataclass
from datetime import date

from engine import calendar as cal
from engine import clock
from engine.errors import Invalid

REPLY_DAYS = 20              # Art. 33 (2)
CORRECTION_REQUEST_DAYS = 7  # Art. 30
MAX_EXTENSION_DAYS = 20      # Art. 33 (2)
CONSULTATION_DAYS = 15       # Art. 32
# Until a letter's delivery is recorded, nobody knows the day its period starts. The provisional
# deadline assumes it reaches its addressee this many working days after it is written (a letter by
# post; handed over or e-mailed by the system, its delivery is recorded that day): ending a period
# before the addressee's real deadline would cut their time unlawfully, ending it a few days late only
# leaves them more. The recorded delivery replaces it either way (the fee notice, the 征求意见书).
PROVISIONAL_TRANSIT_DAYS = 5

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
    delay_days: int = 0


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


def check_delay(due_on: date | None, reply_by: date, max_days: int, already_delayed: int, calendar=None) -> int:
    """Art. 35's 延迟答复: a working day after the current deadline, at most `max_days` working days
    after it, set once. Returns the working days it adds to the period."""
    calendar = calendar or cal.default_calendar
    field = "reply_by"
    if already_delayed:
        raise Invalid("延迟答复的期限已经确定，不能再次延迟 (the delayed reply period is set once)",
                      fields={field: ["already delayed"]})
    if due_on is None:
        raise Invalid("申请正在等待补正，尚无答复期限 (no reply period while awaiting a correction)",
                      fields={field: ["no current deadline"]})
    if reply_by <= due_on:
        raise Invalid(f"延迟答复的日期应晚于当前答复期限{due_on.isoformat()} (after the current deadline)",
                      fields={field: [f"after {due_on.isoformat()}"]})
    if not calendar.is_working_day(reply_by):
        raise Invalid(f"{reply_by.isoformat()}不是工作日，请选择工作日 (choose a working day)",
                      fields={field: ["not a working day"]})
    days = calendar.working_days_between(due_on, reply_by)
    if days > max_days:
        latest = calendar.add_working_days(due_on, max_days)
        raise Invalid(f"延迟答复最长为当前答复期限后{max_days}个工作日，即不晚于{latest.isoformat()} "
                      f"(at most {max_days} working days after the current deadline)",
                      fields={field: [f"not after {latest.isoformat()}"]})
    return days


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


def reply_clock(receipt: date, pauses=(), extension_days: int = 0, as_of: date | None = None,
          calendar=None, delay_days: int = 0) -> Clock:
    """Compute the reply deadline from the receipt, the pauses, the extension and an Art. 35 delay."""
    calendar = calendar or cal.default_calendar
    as_of = as_of or clock.today()
    start, waiting = receipt, False
    for p in sorted((p for p in pauses if p.reason == "correction"), key=lambda p: p.start):
        if p.end is None:
            waiting = True
        else:
            start = max(start, p.end)  # Art. 30: the period restarts on the day the correction arrives
    paused = paused_working_days([p for p in pauses if p.end is None or p.end > start], as_of, start, calendar)
    extension_days, delay_days = int(extension_days or 0), int(delay_days or 0)
    if waiting:
        return Clock(start, None, paused, extension_days, False, delay_days)
    deadline = calendar.deadline(start, REPLY_DAYS + paused + extension_days + delay_days)
    return Clock(start, deadline.due_on, paused, extension_days, deadline.provisional, delay_days)


def consultation_due(received_on: date) -> date:
    """The last day of the consulted party's 15 working days, counted from the day it received the letter."""
    return add(received_on, CONSULTATION_DAYS)


def provisional_after_delivery(issued_on: date, days: int) -> date:
    """The end of a period of `days` working days counted from the delivery of a letter written on
    `issued_on` whose delivery is not yet recorded (see PROVISIONAL_TRANSIT_DAYS)."""
    return add(add(issued_on, PROVISIONAL_TRANSIT_DAYS), days)


def add(start: date, n: int, calendar=None) -> date:
    return (calendar or cal.default_calendar).add_working_days(start, int(n))
