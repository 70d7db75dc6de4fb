"""Context rules that tell a public contact (agency hotline, office number) from a personal one.

A regex cannot tell 0538-8269012 after 咨询电话 from the same shape after 申请人's 联系电话; the
words around the number can. Rules look at the current line and, for personal cues, a few lines
before it, because applicant blocks put name, ID and phone on consecutive lines.
"""

import re

# Right before the number: these labels only ever introduce numbers published on purpose.
PUBLIC_LABEL = re.compile(
    r"(咨询|举报|投诉|监督|受理|服务|值班|办公|便民|救助|热线|传真|总机|政务|信访|查询|求助)"
    r"[^，。；;\n]{0,6}$"
)
# Earlier numbers of the same list ("监督电话：0538-6993312（街道），0538-8267156") share its label.
PREVIOUS_NUMBERS = re.compile(r"(?:[\d\-－]{5,}(?:（[^）]{0,12}）|\([^)]{0,12}\))?[，,、/或\s]*)+$")
# Words that show the surrounding clause is about an agency or a company, not a citizen.
ORG_WORDS = re.compile(
    r"(政府|人民法院|法院|局|委员会|管委会|办公室|办公厅|中心|机关|窗口|大厅|科|股|处|站|所|"
    r"征收办|公开办|民政办|单位|公司|街道办事处|物业|医院|学校|小学)"
)
# Words that show a citizen's own block: their number is personal whatever follows.
PERSONAL_WORDS = re.compile(
    r"(申请人|本人|户主|证明人|推荐人|紧急联系人|当事人|被处罚人|经营者|身份证|公民身份|证件号码|住址|家住|现住|留言人|来信人|"
    r"我的|我叫|您在|您的|你的|联系方式为|申请表|委托|代理人|被询问人|其子|其女|家属|代表(?!处|团|大会)|委员(?!会)|手机)"
)
PUBLIC_DOMAINS = re.compile(r"\.gov\.cn$|\.gov$", re.IGNORECASE)


def _line_before(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    return text[line_start:start]


def _lines_before(text: str, start: int, count: int) -> str:
    cut = start
    for _ in range(count + 1):
        cut = text.rfind("\n", 0, cut)
        if cut <= 0:
            return text[:start]
    return text[cut:start]


def public_label_before(text: str, start: int) -> bool:
    """Tell whether a hotline-type label (咨询电话, 举报电话, 传真 …) introduces this number."""
    line = PREVIOUS_NUMBERS.sub("", _line_before(text, start))
    return bool(PUBLIC_LABEL.search(line[-14:]))


def personal_context(text: str, start: int, lines: int = 2) -> bool:
    """Tell whether the clause or the few lines before `start` belong to a citizen's block."""
    window = _lines_before(text, start, lines)
    # A sentence end resets the clause: "…申请行政复议（地址：…" is about the reviewing body.
    clause = re.split(r"[。！？]", window)[-1]
    return bool(PERSONAL_WORDS.search(clause[-60:]))


def org_context(text: str, start: int) -> bool:
    """Tell whether the current line before `start` names an agency or a company."""
    return bool(ORG_WORDS.search(_line_before(text, start)[-40:]))


def is_public_phone(text: str, start: int, end: int, kind: str) -> bool:
    """Decide whether the phone number at text[start:end] is a published agency contact."""
    number = re.sub(r"\D", "", text[start:end])
    if number.startswith(("400", "800")):
        return True
    if public_label_before(text, start):
        return True
    if kind == "mobile":
        return False
    if personal_context(text, start):
        return False
    return org_context(text, start) or _label_only(text, start)


def _label_only(text: str, start: int) -> bool:
    # A landline under a bare 电话 label in a line without any person is the office line.
    line = _line_before(text, start)
    return not PERSONAL_WORDS.search(line) and bool(re.search(r"电话[：:]?\s*$", line))


def is_public_email(text: str, start: int, end: int) -> bool:
    """Decide whether an e-mail address is an agency mailbox (a government domain)."""
    return bool(PUBLIC_DOMAINS.search(text[start:end]))
