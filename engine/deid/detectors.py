"""Pattern detectors for the number-like kinds: each regex proposes, a validator or a context rule
decides. Returns raw `Finding`s (policy not yet applied); names and addresses live elsewhere.
"""

import re
from collections.abc import Callable, Iterator

from . import checks, context
from .model import Finding

# Digits glued to letters or other digits belong to a longer token (licence numbers, index numbers).
_NB = r"(?<![0-9A-Za-z])"
_NA = r"(?![0-9A-Za-z])"

ID_CARD = re.compile(_NB + r"\d{17}[\dXx]" + _NA)
CREDIT_CODE = re.compile(_NB + r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}" + _NA)
BANK_CARD = re.compile(_NB + r"(?:\d{4}[ ]?){3}\d{4,7}" + _NA)
MOBILE = re.compile(r"(?<![\d\-－])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\d\-－])")
LANDLINE = re.compile(r"(?<![\d\-－])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[-－ ]?)[2-9]\d{6,7}(?:(?:-|转)\d{1,5})?(?!\d)")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][·・.\- ]?(?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])" + _NA
)
PASSPORT = re.compile(_NB + r"(?:[EGDSP]\d{8}|E[A-HJ-NP-Z]\d{7})" + _NA)
# Without this cue a Luhn-valid long number that is not a UnionPay card is a project number.
BANK_CUE = re.compile(r"(卡号|账号|帐号|账户|帐户|银行|存折|一卡通|社会保障卡|社保卡|尾号)[^。\n]{0,20}$")
PASSPORT_CUE = re.compile(r"(护照|通行证|证件)[^。\n]{0,12}$")


def _finding(match: re.Match, kind: str, reason: str, score: float = 1.0) -> Finding:
    return Finding(match.start(), match.end(), kind, match.group(), score=score, reason=reason)


# A number the text itself calls an ID number is one even with a typo in it: a wrong check digit
# would otherwise publish the other 17 digits of someone's identity.
ID_LABEL = re.compile(r"(?:身份证|公民身份号码|身份号码|证件号码|证件号)[^，。；\n\d]{0,6}$")
# The same shape under another label is that thing: a 文号, an account, a project or order code.
OTHER_NUMBER_LABEL = re.compile(r"(?:文号|字号|编号|代码|项目|账号|帐号|账户|帐户|卡号|单号|流水号|合同号|订单号|索引号|批号|"
                                r"登记号|注册号|许可证号|案号|工单|凭证号|税号|信用代码)[^，。；\n\d]{0,6}$")


def find_id_cards(text: str) -> Iterator[Finding]:
    for m in ID_CARD.finditer(text):
        before = text[max(0, m.start() - 16):m.start()]
        if checks.is_id_card(m.group()):
            yield _finding(m, "id_card", "GB 11643 check digit and birth date")
        elif ID_LABEL.search(before):
            yield _finding(m, "id_card", "labelled as an ID number (check digit does not match)", score=0.9)
        elif checks.has_id_shape(m.group()) and not OTHER_NUMBER_LABEL.search(before) \
                and not BANK_CUE.search(text[max(0, m.start() - 40):m.start()]):
            # A typo in the check digit still tells where and when a person was born.
            yield _finding(m, "id_card", "region code and birth date of an ID (check digit does not match)", 0.85)


def find_credit_codes(text: str) -> Iterator[Finding]:
    for m in CREDIT_CODE.finditer(text):
        if checks.is_individual_business_code(m.group()):
            yield _finding(m, "credit_code_individual", "GB 32100 check digit, prefix 92")


def find_bank_cards(text: str) -> Iterator[Finding]:
    for m in BANK_CARD.finditer(text):
        digits = m.group().replace(" ", "")
        if not checks.is_bank_card(digits) or checks.is_id_card(digits):
            continue
        cued = bool(BANK_CUE.search(text[max(0, m.start() - 40):m.start()]))
        if cued or digits.startswith("62"):
            yield _finding(m, "bank_card", "Luhn" + (" and account cue" if cued else ", UnionPay prefix 62"))


def find_phones(text: str) -> Iterator[Finding]:
    for pattern, kind in ((MOBILE, "mobile"), (LANDLINE, "landline")):
        for m in pattern.finditer(text):
            if context.is_public_phone(text, m.start(), m.end(), kind):
                continue
            yield _finding(m, kind, f"{kind} pattern, personal context")


def find_emails(text: str) -> Iterator[Finding]:
    for m in EMAIL.finditer(text):
        if not context.is_public_email(text, m.start(), m.end()):
            yield _finding(m, "email", "e-mail pattern, not a government domain")


def find_plates(text: str) -> Iterator[Finding]:
    for m in PLATE.finditer(text):
        yield _finding(m, "plate", "licence plate pattern", score=0.9)


def find_passports(text: str) -> Iterator[Finding]:
    for m in PASSPORT.finditer(text):
        cued = bool(PASSPORT_CUE.search(text[max(0, m.start() - 20):m.start()]))
        yield _finding(m, "passport", "passport pattern" + (" and cue" if cued else ""), 1.0 if cued else 0.7)


DETECTORS: tuple[Callable[[str], Iterator[Finding]], ...] = (
    find_id_cards,
    find_credit_codes,
    find_bank_cards,
    find_phones,
    find_emails,
    find_plates,
    find_passports,
)


def find_patterns(text: str) -> list[Finding]:
    """Return every validated number-like finding in `text` (overlaps not yet resolved)."""
    return [f for detector in DETECTORS for f in detector(text)]


CC_LIST = re.compile(r"^[ \t\u3000]*抄[ \u3000]*送[：:][ \t\u3000]*(\S.*?)[ \t\u3000。]*$", re.MULTILINE)


def find_cc_lists(text: str) -> list[Finding]:
    """Return the content of each 抄送 line (dropped from proposal replies as a whole)."""
    return [Finding(m.start(1), m.end(1), "cc_list", m.group(1), reason="抄送 line") for m in CC_LIST.finditer(text)]
