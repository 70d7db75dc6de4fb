"""Turn the recognizer's person spans into name findings: what the model reads as a person is a
person unless a reason says otherwise (a public term, a place, an organisation, an agency).

A missing surname is not such a reason: the lists miss rare surnames and transliterations. The
filters here fix a span's ends (老|黄, 敬|海波, 马可罗西 whole) and drop it only for what it is.
"""

from __future__ import annotations

import re

from .model import Finding
from .names import (
    BUSINESS,
    CLEAR_END,
    HONORIFICS,
    JOINERS,
    PREFIX_RE,
    STRONG_PLACE,
    TRANSLITERATION,
    public_term,
)
from .recognizer import Reading, Span
from .surnames import (
    ALL_SURNAMES,
    BAD_LAST_CHARS,
    COMPOUND_SURNAMES,
    GIVEN_NAME_FUNCTION_CHARS,
    WORD_STOPLIST,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
# After a span the model calls a person: an agency or a place (卫健委, 王庄镇), or the rest of a
# document number (吉高执罚决字〔2020〕).
MODEL_NOT_AFTER = re.compile(r"[委局厅署村镇乡县市省路街巷]|[\u4e00-\u9fff]{0,6}[〔\[(（]\d{4}")
# Before a span: a trip (去了趟曲阜, 逛了孔庙) goes to a place, not to a person.
TRIP_BEFORE = re.compile(r"(?:(?<![免除失撤死过离删减拿])去|来到|回到|到了|逛|游览|爬|登上|前往|途经|路过|抵达)[了过]?(?:趟|一趟|一下)?$")
# Before a transliteration: a drug, a substance or a brand, not a person.
THING_BEFORE = re.compile(r"(?:药|剂|素|品牌|牌|型号|产品|商标)$")
# An organisation's name or short name (…公司, …律师事务所, 简称“大北农”): what stands in one is no person.
ORG_SUFFIX = r"(?:有限|股份|集团|律师事务所|会计师事务所|事务所|银行|合作社|农牧|种业|科技)"
SHORT_NAME = re.compile(r"简称[“\"「『]?([\u4e00-\u9fff]{2,8})")
# A surname alone, as a person's name: 老黄, 小庞; 黄奶奶, 覃师傅 (the honorific stays visible).
OLD_YOUNG = "老小"
TITLES = HONORIFICS | frozenset("老板 师傅 老师 书记 经理 大娘 大爷 大妈 奶奶 爷爷 姐 哥 嫂 叔 婶 姨 老人 老先生 老太太 "
                                "老太 大夫 大姐 大哥".split())
TITLES_LONGEST_FIRST = sorted(TITLES, key=len, reverse=True)


def from_model(text: str, reading: Reading) -> list[Finding]:
    """Return a name finding for each person span the model reads that no reason keeps out."""
    return [found for _, found, _ in judge(text, reading) if found is not None]


def judge(text: str, reading: Reading) -> list[tuple[Span, Finding | None, str]]:
    """Each person span the model reads, with the finding made of it or the reason it is kept out
    (the benchmark counts the reasons, so a filter that throws away good names shows up)."""
    places = bytearray(len(text) + 1)
    for s in reading.spans:
        if s.label != "PER":
            places[s.start:s.end] = b"\x01" * (s.end - s.start)
    orgs = _organisation_names(text)
    people = {s.start: s for s in reading.spans if s.label == "PER"}
    out = []
    for span in people.values():
        found, why = _judge_span(text, reading, span, places, orgs)
        # Names side by side share what follows the last (李白杜甫诗词, 苏轼黄庭坚书法): works, not people.
        last = span
        while found is not None and last.end in people:
            last = people[last.end]
            if public_term(text, last.start, last.end):
                found, why = None, "public term after the names beside it"
        out.append((span, found, why))
    return out


def _judge_span(text: str, reading: Reading, span: Span, places: bytearray,
                orgs: set[str]) -> tuple[Finding | None, str]:
    bounds = _model_name(text, span.start, span.end, reading.letters)
    if bounds is not None:
        if public_term(text, *bounds):
            return None, "public term after it"
        if places[bounds[0]]:
            return None, "inside a place or organisation span"
        found = Finding(*bounds, "person_name", text[bounds[0]:bounds[1]], score=0.8,
                        reason="statistical recognizer")
    elif (found := _surname_alone(text, span.start, span.end, reading.letters)) is None:
        return None, "not name-shaped"
    if TRIP_BEFORE.search(text, max(0, found.start - 6), found.start):
        return None, "a trip's destination"
    if found.text[0] not in ALL_SURNAMES and THING_BEFORE.search(text, max(0, found.start - 3), found.start):
        return None, "a product's name"  # 兽药克伦特罗: a transliterated substance or brand
    if _is_organisation(text, found, orgs):
        return None, "an organisation's name"
    return found, "kept"


def name_bounds(text: str, start: int, end: int, letters: str) -> tuple[int, int] | None:
    """Return the name the model's span text[start:end] holds, its ends fixed, or None when it has
    no name's shape (name characters, not a place)."""
    return _model_name(text, start, end, letters)


def _surname_alone(text: str, start: int, end: int, letters: str) -> Finding | None:
    """A span that is a surname with 老/小 before it or a title after it (or alone): the surname.
    A nickname of 阿 and one character (阿珍) is the person's name whole."""
    word = text[start:end]
    if len(word) == 2 and word[0] == "阿" and word not in KIN_WITH_A and _CJK.match(word[1]) \
            and word[1] not in NOT_IN_GIVEN_NAMES and text[start - 1:start] != "@":  # @阿强: a handle
        return Finding(start, end, "person_name", word, score=0.7, reason="nickname (statistical recognizer)")
    if text[end:end + 1] in STRONG_PLACE or text[end:end + 2] == "社区" or BUSINESS.match(text, end):
        return None  # 小井|社区, 老孙|渔家乐: a place or a shop named like a nickname
    if word[:1] in OLD_YOUNG and len(word) in (2, 3) and _surname_length(word[1:]) == len(word) - 1:
        if text[start - 1:start] in ALL_SURNAMES and letters[start - 1:start] == "F":
            return None  # 和|小平: 小平 is a given name after a surname read as "and"
        start += 1
    else:
        size = _surname_length(word)
        if not size or (word[size:] and word[size:] not in TITLES):
            return None
        if not word[size:] and not title_at(text, end) and text[start - 1:start] != "姓" \
                and not (SAYING.match(text, end) and (start == 0 or not _CJK.match(text[start - 1]))):
            return None  # a lone surname the model read: only as 姓X, before a title, or 黄说 after a stop
    size = _surname_length(text[start:end])
    return Finding(start, start + size, "person_name", text[start:start + size], score=0.7,
                   reason="surname of a person (statistical recognizer)")


# 阿 and a kinship word: a relative addressed, not a nickname.
KIN_WITH_A = frozenset("阿姨 阿婆 阿公 阿爸 阿妈 阿哥 阿姐 阿弟 阿妹 阿叔 阿伯 阿嫂 阿爷 阿奶 阿姊 阿拉 阿里 阿门".split())
# A verb of saying right after a lone surname at a clause's start (黄说他下周回来).
SAYING = re.compile(r"说|表示|称|告诉|介绍|认为|坦言|回忆|笑着说|补充|强调|透露|指出|解释|提醒")


def title_at(text: str, pos: int) -> str:
    """The title (先生, 大娘, 老先生 …) that starts at `pos`, or ""."""
    return next((t for t in TITLES_LONGEST_FIRST if text.startswith(t, pos)), "")


def _surname_length(word: str) -> int:
    if word[:2] in COMPOUND_SURNAMES:
        return 2 if len(word) == 2 or word[2:] in TITLES else 0
    if word[:1] in ALL_SURNAMES:
        return 1 if len(word) == 1 or word[1:] in TITLES else 0
    return 0


def _transliteration_around(text: str, start: int, end: int, letters: str) -> tuple[int, int] | None:
    if text[start - 1:start] in JOINERS and start >= 2:
        start -= 2  # the tagger began after the dot (让·|皮埃尔): take the word before it too
        while start > 0 and letters[start] == "i":
            start -= 1
    m = TRANSLITERATION.match(text, start)
    if not m or m.end() <= start + 1:
        return None
    # The last part ends where the model's span does when that span reaches past the last dot and
    # the regex would add a word (皮埃尔·杜邦|现场指导), not a syllable or two (艾合|买提).
    last_dot = max(text.rfind(d, start, m.end()) for d in JOINERS)
    return start, end if end > last_dot + 1 and m.end() - end > 2 else max(end, m.end())


def _model_name(text: str, start: int, end: int, letters: str = "") -> tuple[int, int] | None:
    whole = _transliteration_around(text, start, end, letters)
    if whole and (start == whole[0] or text[start - 1] in JOINERS):
        # The tagger sometimes reads only one part of it (艾合|买提, 让·|皮埃尔); the dots join them.
        return whole
    word = text[start:end]
    if word[:1] in OLD_YOUNG and len(word) >= 3 and _model_name(text, start + 1, end, letters):
        return _model_name(text, start + 1, end, letters)  # 发小|温晓峰: 小 belongs to the word before
    surname = 2 if word[:2] in COMPOUND_SURNAMES else 1 if word[:1] in ALL_SURNAMES else 0
    if len(word) == 2 and (word[0] not in OLD_YOUNG or word[1] not in ALL_SURNAMES) \
            and _surname_before(text, start, letters, cue_only=bool(surname)):
        start, word, surname = start - 1, text[start - 1:end], 1  # 敬|海波, 侄子向|永刚, 户主于|向东
    if surname == 2 and len(word) == 2:
        end = _next_word_end(text, end, letters)  # 上官|红旗: the model read the surname alone
        word = text[start:end]
    given = word[surname:]
    if not given or "某" in given or given in HONORIFICS or given[0] == "总" or MODEL_NOT_AFTER.match(text, end):
        return None
    if word in WORD_STOPLIST or text[end:end + 1] in STRONG_PLACE:
        return None
    if surname and len(given) == 3 and given[-1] in BAD_LAST_CHARS and given[-1] not in GIVEN_NAME_FUNCTION_CHARS:
        end, given = end - 1, given[:2]  # 达振华|家住: the household's 家, not a third given character
    if surname and len(given) <= 2:
        # The model is sure of a person; only a character of grammar or of a unit says otherwise
        # (刘建设, 于向东: 设 and 向 are rare in given names, not absent).
        if all(_CJK.match(c) and c not in NOT_IN_GIVEN_NAMES for c in given):
            return start, _third_character(text, start, end)
        return None
    # Read whole by the model with no listed surname, or longer than a Chinese name: a
    # transliteration (马可罗西, 米卡拉森: 卡 is no Chinese given name's) or an unlisted surname.
    if 3 <= len(word) <= 12 and all(_CJK.match(c) and c not in FUNCTION_CHARS for c in word) \
            and not any(public_term(text, start, i) for i in range(start + 2, end)):  # 孔繁森|同志纪念馆
        return start, end
    return None


# Characters of grammar, never in a name or a transliteration.
FUNCTION_CHARS = frozenset("的了在是与及等对为向由将被把从到之其该本此各每某有无不也都又并或即就我你他她它们说称")
# In the given name of a span the model reads as a person: grammar (but 为民, 向东 are names) and
# the units of places, agencies and dates (王府, 李村, 张局).
NOT_IN_GIVEN_NAMES = (FUNCTION_CHARS - frozenset("为向之其")) | frozenset("号年月日元万亿局委县区市镇乡村省部厅处科室所站院校司厂店队组办府")


def _next_word_end(text: str, end: int, letters: str) -> int:
    """Where the model's next word after `end` ends, if it is one or two characters that may be a
    given name; else `end`."""
    stop = end + 1
    while stop < len(letters) and letters[stop] == "i":
        stop += 1
    if letters[end:end + 1] in ("", " ", "F", "A") or stop - end > 2 or text[end:stop] in TITLES:
        return end
    return stop


# Surnames that are also prepositions or conjunctions, which do take a person (向|小明汇报, 连|小红都
# 知道): before a two-character given name the model read, they need a cue or a list to be a surname.
GOVERNS_A_PERSON = frozenset("于向和与及对把将从在为由给让被叫跟同替比连")


def _surname_before(text: str, start: int, letters: str, cue_only: bool = False) -> bool:
    """Tell whether the character before a two-character given name is its surname: a surname the
    model did not read as a function word, or any surname right after a cue (其侄子向|永刚).
    `cue_only`: the span itself starts with a surname (户主于|向东), so only a cue decides."""
    if start < 1 or text[start - 1] not in ALL_SURNAMES or letters[start - 1:start] == "i":
        return False  # 邻居|阿毛: the character ends the word before
    if letters[start - 1:start] != "F" and not cue_only:
        return True
    if not cue_only and text[start - 1] not in GOVERNS_A_PERSON:
        return True  # 能|大勇, 其子应|小兵: a verb-like surname, but no verb takes a person's given name
    if text[start - 2:start - 1] == "、":
        return True  # the next of a list of names (向东升、把|玉珍): no preposition starts an item
    cue = PREFIX_RE.search(text, max(0, start - 8), start - 1)
    return cue is not None and cue.end() == start - 1


# After a name these end the clause or start the predicate; a character between them and a
# two-character name the tagger found is more likely the name's third one (宫德|胜|于3月).
THIRD_CHAR_FOLLOWERS = frozenset("于在的说称向从对") | CLEAR_END


def _third_character(text: str, start: int, end: int) -> int:
    # Privacy first: a leaked given-name character identifies; a redacted verb does not.
    if end - start != 2 or text[start:start + 2] in COMPOUND_SURNAMES or end + 1 >= len(text):
        return end
    c = text[end]
    if _CJK.match(c) and c not in BAD_LAST_CHARS and text[end + 1] in THIRD_CHAR_FOLLOWERS \
            and text[start + 1:end + 1] not in WORD_STOPLIST:
        return end + 1
    return end


def _organisation_names(text: str) -> set[str]:
    """Short names the text gives organisations (简称“金农”)."""
    return {m.group(1) for m in SHORT_NAME.finditer(text)}


def _is_organisation(text: str, name: Finding, short_names: set[str]) -> bool:
    if name.text in short_names:
        return True
    # The same characters inside an organisation's full name elsewhere (北京大北农科技集团…).
    return re.search(re.escape(name.text) + r"[^\W\d_的了在是和与及等对为向由将被把从到说处理]{0,8}?" + ORG_SUFFIX, text) is not None
