"""Checksum validators for the number kinds, all delegated to python-stdnum.

Validation is what separates an ID number from an 18-digit project number: a pattern match
alone would redact every long number in a budget table.

`stdnum.cn.ric.is_valid` also checks the birth place against the county table *of the birth
year*; that rejects real IDs of people born before their county code existed (泰山区 370902 dates
from 1985) and raises KeyError on some codes, so only its check digit and birth date are used.
"""

import datetime
from functools import lru_cache

from stdnum import luhn, numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from engine import clock

PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 "
                      "64 65 71 81 82".split())


def is_id_card(number: str) -> bool:
    """Tell whether `number` is a valid resident ID (GB 11643 check digit, birth date, province)."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in PROVINCES:
        return False
    if number[-1] != ric.calc_check_digit(number):
        return False
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        return False
    return datetime.date(1900, 1, 1) <= born <= clock.today()


def has_id_shape(number: str) -> bool:
    """Tell whether `number` reads as a resident ID whatever its check digit: 17 digits, a region
    code that has existed in some year (stdnum's county table) and a birth date since 1900."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= clock.today() and is_region_code(number[:6])


@lru_cache(maxsize=4096)
def is_region_code(code: str) -> bool:
    """Tell whether `code` names a province and a county (of any period) in GB/T 2260."""
    parts = numdb.get("cn/loc").info(code)
    return len(parts) == 2 and all(props for _, props in parts)


def is_bank_card(number: str) -> bool:
    """Tell whether `number` passes the Luhn check and has a card's length (16–19 digits)."""
    digits = number.replace(" ", "")
    return 16 <= len(digits) <= 19 and luhn.is_valid(digits)


def is_credit_code(code: str) -> bool:
    """Tell whether `code` is a valid unified social credit code (GB 32100)."""
    return uscc.is_valid(code.upper())


def is_individual_business_code(code: str) -> bool:
    """Tell whether `code` is a valid credit code of an individual business (prefix 92)."""
    return code.startswith("92") and is_credit_code(code)
