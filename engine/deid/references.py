"""Later references to a person already named: by surname (黄说, 小胡, 王大娘, 鞠晓燕 … 鞠说) or by
the last part of a foreign name (克劳斯·韦伯 … 韦伯说). Each reference gets the pseudonym of the
full name it refers to (`Finding.refers_to`), so 鞠晓燕 and 小鞠 both read 乙 / 小乙.

Only the surname is redacted: 老, 小 and the title stay, so the text still reads.
"""

from __future__ import annotations

import re

from . import names
from .model import Finding
from .names import BUSINESS, JOINERS, PREFIX_RE
from .surnames import ALL_SURNAMES, COMPOUND_SURNAMES

# What may follow a bare surname that refers back to a person: a title, or a verb of saying.
TITLE_AFTER = (r"先生|女士|同志|师傅|老师|大娘|大爷|大妈|阿姨|奶奶|爷爷|书记|主任|经理|老板|局长|科长|队长|站长|"
               r"律师|医生|大夫|护士|教练|总|姐|哥|嫂|叔|婶|姨")
SAYING_AFTER = r"说|表示|称|告诉|介绍|认为|坦言|回忆|感慨|笑着|补充|强调|透露|指出|解释|提醒|建议|答|问"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPLIT = re.compile("[" + JOINERS.replace("-", "\\-") + "]")


def back_references(text: str, names: list[Finding], taken) -> list[Finding]:
    """Return a finding for each later bare reference to a person among `names`.

    `taken` (a core.Coverage) marks what is already found; references never overlap it.
    """
    full = [f for f in names if not f.refers_to and len(f.text) >= 2]
    out: list[Finding] = []
    for term, pattern in _terms(full):
        for m in pattern.finditer(text):
            group = "ref" if m.group("ref") is not None else "bare"
            start, end = m.start(group), m.end(group)
            if taken.hits(start, end) or not _stands_alone(text, m):
                continue
            person = _nearest(full, term, start)
            out.append(Finding(start, end, "person_name", text[start:end], score=0.75, reason="refers back to a person",
                               refers_to=person))
            taken.add(start, end)
    return out


def refer_surnames(names: list[Finding]) -> None:
    """Point each bare surname finding (the model's 老黄, 覃师傅) at the full name it shares a
    surname with, when the text has one."""
    full = [f for f in names if not f.refers_to and len(f.text) >= 2]
    for f in names:
        if f.reason.startswith("surname") and not f.refers_to:
            f.refers_to = _nearest(full, f.text, f.start)


def _terms(full: list[Finding]):
    """(term, pattern) for each surname and each foreign surname among the full names."""
    seen = set()
    for f in full:
        parts = _SPLIT.split(f.text)
        if len(parts) == 1 and len(f.text) >= 4 and _surname(f.text) is None and f.text[:2] not in COMPOUND_SURNAMES:
            parts = [f.text[:-2], f.text[-2:]]  # 米卡拉森 … 拉森说: a transliteration's last two characters
        if len(parts) > 1:
            term, pattern = parts[-1], _foreign(parts[-1])
        else:
            term = _surname(f.text)
            pattern = _chinese(term) if term else None
        if pattern is not None and term not in seen and len(term) < len(f.text):
            seen.add(term)
            yield term, pattern


def _surname(name: str) -> str | None:
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return name[:2]
    return name[:1] if name[:1] in ALL_SURNAMES and 2 <= len(name) <= 3 else None


def _chinese(surname: str) -> re.Pattern:
    # 老宋, 小鞠 whatever follows; 鞠说, 黄奶奶 after punctuation, a cue (患者敬大爷) or 姓.
    s = re.escape(surname)
    return re.compile(rf"(?<=[老小])(?P<ref>{s})|(?P<bare>{s})(?={TITLE_AFTER}|{SAYING_AFTER})")


# 老/小 and a surname that make a word of their own (老师, 小康, 老家): no reference to a person.
OLD_YOUNG_WORDS = frozenset("老师 老家 小时 小康 小区 老百 小学 小吃 老板 老年 小孩 老人 小组 老乡 小米 小说 老龄 小麦 老总 小姐 "
                            "老实 小心 老化 小型 老旧 小额 老式 小微 老区 小贩 老汉 小伙 老伴 小将 老街 小巷 老城 小于 老于世故 "
                            "小花 小白 老成 小通 小费 小计 小车 小卖 老宅 老屋 老房 老井 老路 老桥 老窑 "
                        "老公 老将 老花 小鱼 小牛 小羊 小熊".split())
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(ALL_SURNAMES)) + "])"
# 姓马, 姓隋的, 老板姓乔: a surname someone is named by (老百姓 is the people).
NAMED_SURNAME = re.compile(rf"(?<!百)姓(?P<s>{_SURNAME})")
# 老韩, 小颜, 老于出院后: 老/小 and a surname the model reads as one word of its own.
# Not before a shop's or a place's name (老马家牛肉面, 小井社区).
OLD_YOUNG_SURNAME = re.compile(rf"[老小](?P<s>{_SURNAME})(?![家记](?![的里中])|[村庄镇乡街路区县市省店厂屯沟湾营寨社园]|{BUSINESS.pattern})")


# A surname and a title after 的 or a clause's start (超市的钱老板, 我们单位的向主任, 。于师傅说): the
# person is named by the pair, whatever the model reads the surname as (钱 money, 向 towards).
# Only titles no common word ends in, so 的金|经理人, 的党委|书记 do not match.
# Officials' titles (所长, 书记) are left out: an official named by office is the office's.
JOB_TITLES = "老板|师傅|师父|老师|经理|大娘|大爷|大妈|阿姨|奶奶|爷爷|医生|大夫|护士|律师|教练"
# Not in quotes or before 牌: a brand (“康师傅”牌).
TITLED_SURNAME = re.compile(rf"(?:(?<=[的，。、；：！？,;:!?\s])|^)(?P<s>{_SURNAME})(?=(?:{JOB_TITLES})(?![”\"牌]))",
                            re.MULTILINE)


def bare_surnames(text: str, letters: str) -> list[Finding]:
    """Return surnames that name a person with no full name needed (姓马, 邻居老韩, 小颜讲得好).

    老/小 with a surname is a person when the model reads the pair as a word of its own, or a person
    starting at 老/小 (老|于出院后), and the word does not run on (小高层, 老黄牛) and is no common one
    (老师, 小区, 小于).
    """
    out = [Finding(m.start("s"), m.end("s"), "person_name", m.group("s"), score=0.7,
                   reason="surname of a person (姓X)") for m in NAMED_SURNAME.finditer(text)]
    for m in TITLED_SURNAME.finditer(text):
        if not names.public_term(text, m.start(), m.end()) and not BUSINESS.match(text, m.end()):
            out.append(Finding(m.start("s"), m.end("s"), "person_name", m.group("s"), score=0.7,
                               reason="surname of a person (X and a title)"))
    for m in OLD_YOUNG_SURNAME.finditer(text):
        start, end = m.start(), m.end()
        if text[start:end] in OLD_YOUNG_WORDS or text[start:end + 2] in OLD_YOUNG_WORDS \
                or letters[start:start + 1] in ("", " ", "i") or letters[end:end + 1] == "i":
            continue
        cue = PREFIX_RE.search(text, max(0, start - 8), start)
        if letters[start] != "P" and letters[start + 1:end] != "i" * (end - start - 1) \
                and (cue is None or cue.end() != start):  # 邻居老韩: the cue says who, whatever the tags
            continue
        out.append(Finding(m.start("s"), end, "person_name", m.group("s"), score=0.7,
                           reason="surname of a person (老/小X)"))
    return out


def _stands_alone(text: str, m: re.Match) -> bool:
    if m.group("ref") is not None:
        return text[m.start("ref") - 1:m.start("ref") + 1] not in OLD_YOUNG_WORDS
    start = m.start("bare")
    if start == 0 or not _CJK.match(text[start - 1]) or text[start - 1] in "老小姓":
        return True
    cue = PREFIX_RE.search(text, max(0, start - 8), start)
    return cue is not None and cue.end() == start


def _foreign(part: str) -> re.Pattern | None:
    if len(part) < 2:
        return None
    return re.compile(rf"(?<![\u4e00-\u9fff·•・\-])(?P<ref>{re.escape(part)})(?P<bare>)(?=(?:{SAYING_AFTER})|[，。、；：,;:])")


def _nearest(full: list[Finding], term: str, pos: int) -> str | None:
    """The full name with `term` as its surname (or last part) mentioned last before `pos`, else first after."""
    matches = [f for f in full if _surname(f.text) == term or _SPLIT.split(f.text)[-1] == term
               or f.text.endswith(term)]
    before = [f for f in matches if f.start < pos]
    chosen = max(before, key=lambda f: f.start) if before else min(matches, key=lambda f: f.start, default=None)
    return chosen.text if chosen else None
