"""How a letter reached its recipient: the delivery method and day, checked the same way for the
notices of a request and the 督办单 of the work plan (a day not in the future and not before the
letter could have reached anyone)."""

import re
from datetime import date

from engine import clock
from engine.calendar import parse_day
from engine.errors import Invalid

# An e-mail address, to check one typed in and to find one in an applicant's free-text contact.
EMAIL = re.compile(r"[^@\s，,；;]+@[^@\s，,；;]+\.[A-Za-z]{2,}")

METHODS = ("post", "email", "in_person", "fax")
METHOD_NAMES = {"post": "邮寄", "email": "电子邮件", "in_person": "当面送达", "fax": "传真"}


def check_method(value) -> str:
    if value not in METHODS:
        raise Invalid("请选择送达方式", fields={"delivery_method": [f"one of: {', '.join(METHODS)}"]})
    return value


def check_date(value, earliest: date, too_early: str, field="delivered_on") -> date:
    """A real day, not in the future and not before `earliest` (`too_early` says what that day is)."""
    on = parse_day(value, field, required=True)
    if on > clock.today():
        raise Invalid("日期有误", fields={field: ["不能晚于今天 (not in the future)"]})
    if on < earliest:
        raise Invalid("日期有误", fields={field: [too_early]})
    return on
