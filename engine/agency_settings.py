"""The agency's settings an administrator may change: remedy bodies, periods, thresholds, the
catalogue's 索引号 pattern, and the installation's own agency code and kind.

Stored one row per key in `agency_setting`; a key never saved has its default below. Local
practice (the correction period, when to propose 依申请转主动公开) is configurable, the law is not.
"""

import re
import string

from sqlalchemy import select

from engine import access, audit, clock, crypto, letter_style
from engine.db import reading, transaction
from engine.errors import Invalid
from engine.models import AgencySetting

DEFAULTS = {
    # Art. 30 leaves the correction period to the agency's notice; 15 working days is common practice.
    "correction_period_days": 15,
    # Art. 35 sets no bound on a 延迟答复 period; by default it is measured like Art. 33's one
    # extension (at most 20 working days after the current deadline). Local practice may differ.
    "delayed_reply_max_days": 20,
    "conversion_threshold": 3,          # distinct applicants asking for the same information
    "conversion_window_months": 6,
    "similarity_threshold": 0.5,        # bigram Jaccard at or above which two descriptions match
    "intake_department": "办公室",       # the 政府信息公开工作机构 that receives requests
    # The installation's own 复议机关 (a county government's is the city government) and the court.
    "reconsideration_body": {"name": "示例市人民政府", "address": "示例市人民大道1号"},
    "litigation_court": {"name": "示例县人民法院", "address": "示例县法院路8号"},
    # 行政复议法 (2023) 第二十四条: a county department's 复议机关 is the county people's government; the
    # default for every department agency (engine/requests/agency_letters.py sets one per agency).
    "department_reconsideration_body": {"name": "示例县人民政府", "address": "示例县人民路1号"},
    # Art. 39: a petition, complaint or 举报 filed as a request is pointed to the 信访 channel by name.
    "petition_channel": "示例县信访局（地址：示例县人民路1号；网上信访：国家信访局网上信访平台）",
    # 收费通知书's 缴纳方式 (国办函〔2020〕109号 leaves the channel to the agency's non-tax revenue system).
    "fee_payment": "通过本机关指定的非税收入缴款渠道缴纳，缴款后请将缴款凭证送交本机关政府信息公开工作机构。",
    # The installation's own agency (departments without their own identity speak as it).
    "agency_code": "000000000",
    "agency_kind": "government",        # government: report due 3-31; department: 1-31 (Art. 49–50)
    # 索引号: {agency_code}, {year} and {seq} (with a width, as {seq:07d}); {seq} is required.
    "index_pattern": "{agency_code}/{year}-{seq:07d}",
    # The cryptographic suite (engine.crypto): gm for a new installation; one installed before it
    # existed keeps international (migration 0019) until an admin switches.
    "crypto_suite": "gm",
    # Each agency's letter house style (GB/T 9704): {agency key: {number_prefix, date_numerals}}.
    "letter_style": {},
}
AGENCY_KINDS = {"department": "政府部门", "government": "人民政府"}
AGENCY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$")
_INTS = {"correction_period_days": (1, 60), "delayed_reply_max_days": (1, 60), "conversion_threshold": (2, 100),
         "conversion_window_months": (1, 36)}


def load(session=None) -> dict:
    """Return every setting, saved values over defaults."""
    if session is None:
        with reading() as s:
            return load(s)
    saved = {row.key: row.value.get("value") for row in session.scalars(select(AgencySetting))}
    return {**DEFAULTS, **{k: v for k, v in saved.items() if k in DEFAULTS}}


def update(actor, changes: dict) -> dict:
    """Save some settings (admin only); unknown keys and bad values are refused."""
    access.require_admin(actor)
    if not isinstance(changes, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    clean = {key: _checked(key, value) for key, value in changes.items()}
    with transaction() as s:
        for key, value in clean.items():
            row = s.get(AgencySetting, key) or AgencySetting(key=key)
            row.value, row.updated_by, row.updated_at = {"value": value}, actor.username, clock.now()
            s.add(row)
        audit.record(s, "request_settings_changed", actor=actor, keys=sorted(clean))
    return load()


def _checked(key, value):
    if key not in DEFAULTS:
        raise Invalid(f"未知设置 {key} (unknown setting)", fields={key: ["unknown"]})
    if key in _INTS:
        low, high = _INTS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"{key} 应为 {low}–{high} 的整数", fields={key: ["out of range"]})
    elif key == "similarity_threshold":
        if not isinstance(value, int | float) or not 0.1 <= float(value) <= 1.0:
            raise Invalid("相似度阈值应在 0.1–1.0 之间", fields={key: ["out of range"]})
        value = float(value)
    elif key in ("reconsideration_body", "litigation_court", "department_reconsideration_body"):
        if not isinstance(value, dict) or not str(value.get("name") or "").strip() or not str(value.get("address") or "").strip():
            raise Invalid("请填写机关名称和地址 (name and address required)", fields={key: ["name and address"]})
        value = {"name": str(value["name"]).strip()[:100], "address": str(value["address"]).strip()[:200]}
    elif key in _CHECKERS:
        value = _CHECKERS[key](value)
    elif not isinstance(value, str) or not value.strip():
        raise Invalid(f"{key} 不能为空", fields={key: ["required"]})
    return value



def check_pattern(value) -> str:
    """A 索引号 pattern uses only {agency_code}, {year} and {seq} (required, e.g. {seq:07d})."""
    fields = {"index_pattern": ["只能使用 {agency_code}、{year}、{seq}，且必须含 {seq} (use {agency_code}, {year}, {seq})"]}
    if not isinstance(value, str) or len(value) > 60:
        raise Invalid("索引号格式有误 (bad index number pattern)", fields=fields)
    try:
        parts = [(name, spec) for _text, name, spec, _conv in string.Formatter().parse(value) if name is not None]
        names = [name for name, _spec in parts]
        # A width is formatted before anything else is checked: "{seq:0999999999d}" would build a gigabyte.
        if any(re.search(r"\d{3,}", spec or "") for _name, spec in parts):
            raise ValueError("width too large")
        value.format(agency_code="X", year=2026, seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise Invalid("索引号格式有误 (bad index number pattern)", fields=fields) from exc
    if "seq" not in names or set(names) - {"agency_code", "year", "seq"}:
        raise Invalid("索引号格式有误 (bad index number pattern)", fields=fields)
    return value


def _letter_styles(value):
    if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
        raise Invalid("公文格式设置应按机关给出 (letter_style: {agency: {...}})", fields={"letter_style": ["invalid"]})
    return {key: letter_style.check(style) for key, style in value.items()}


def _agency_kind(value):
    if value not in AGENCY_KINDS:
        raise Invalid(f"机关类型应为以下之一 (one of): {', '.join(AGENCY_KINDS)}", fields={"agency_kind": ["unknown"]})
    return value


def _agency_code(value):
    if not isinstance(value, str) or not AGENCY_CODE.match(value.strip()):
        raise Invalid("机关代码只能包含字母、数字、点和连字符 (letters, digits, . and -)", fields={"agency_code": ["invalid"]})
    return value.strip()


_CHECKERS = {"index_pattern": check_pattern, "agency_kind": _agency_kind, "agency_code": _agency_code,
             "crypto_suite": crypto.check_suite, "letter_style": _letter_styles}
