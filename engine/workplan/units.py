"""Recognise lead and assisting units and deadlines in a plan's wording.

"由管委会办公室牵头，相关部门配合，2018年7月底前完成" names a lead unit, a generic assisting one and a
deadline; "区住建局区房管局" (a table cell flattened to text) names two units. Units are matched to the
department list by name, ignoring the 区/县/市 prefix the plan may or may not write.
"""

import re
from datetime import date

SEPARATORS = re.compile(r"[、，,；;/\s]+")
# A unit written right after another without a separator: "区住建局区房管局".
RUN_ON = re.compile(r"(?<=[局办委室])(?=[区县市](?!委|政府办))")
ROLE_WORDS = re.compile(r"^由|按工作职能|按职责分工|按职责分|按职责|分别|共同|具体|负责落实|落实$|等$|等相关部门$")
GENERIC = re.compile(r"^各|相关部门|有关部门|相关单位|有关单位|各部门|各级|^其他")
UNIT_SUFFIX = re.compile(r"(局|办公室|办|委员会|委|中心|分局|政府|街道|镇|乡|院|队|所|部|处|站|室|会|公司|管委会)$")
PREFIX = re.compile(r"^(区|县|市)(?!委|政府$)")

LEAD_MARK = re.compile(r"牵头|负责")
ASSIST_MARK = re.compile(r"配合|协助|协办")
DEADLINE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|底|末)?前|(?P<end>年底前|年内|年末前|年底)"
    r"|(?P<half>上半年|下半年)|(?P<long>长期坚持|长期|持续推进|持续开展))")


def core(name: str) -> str:
    """The part of a unit's name that identifies it: "区财政局" and "财政局" are one unit."""
    return PREFIX.sub("", name.strip())


def split_mentions(text: str) -> list[str]:
    """The unit names written in `text`, in order, without role words and duplicates."""
    out = []
    for piece in SEPARATORS.split(text or ""):
        for part in RUN_ON.split(piece):
            part = ROLE_WORDS.sub("", part.strip(" 。：:（）()"))
            part = ROLE_WORDS.sub("", part)
            if len(part) >= 2 and part not in out:
                out.append(part)
    return out


def is_generic(mention: str) -> bool:
    return bool(GENERIC.search(mention))


def looks_like_unit(text: str) -> bool:
    """Is `text` (a short line) a list of unit names rather than a heading or a sentence?"""
    mentions = split_mentions(text)
    return bool(mentions) and len(text) <= 40 and not VERB_START.match(text) and not re.search(r"[。；;：:]", text) and all(
        UNIT_SUFFIX.search(m.rstrip(")）").split("(")[0].split("（")[0]) or is_generic(m) for m in mentions)


VERB_START = re.compile(r"^(推进|加强|做好|围绕|聚焦|提升|优化|完善|深化|用好|加快|发挥|强化|突出|严格|全面|持续)")


def looks_like_clause(text: str) -> bool:
    """A short "A牵头，B配合" line: a table cell naming who leads and who assists."""
    if len(text) > 40 or re.search(r"[。；;：:]", text) or VERB_START.match(text):
        return False
    lead, assist = parse_clause(text)
    return bool(LEAD_MARK.search(text) or ASSIST_MARK.search(text)) and bool(lead or assist)


def parse_clause(clause: str) -> tuple[list[str], list[str]]:
    """(lead mentions, assisting mentions) of a clause like "A、B牵头，C配合"."""
    lead_part, assist_part = clause, ""
    lead = LEAD_MARK.search(clause)
    if lead:
        lead_part, rest = clause[:lead.start()], clause[lead.end():]
        assist = ASSIST_MARK.search(rest)
        assist_part = rest[:assist.start()] if assist else ""
    elif ASSIST_MARK.search(clause):
        assist = ASSIST_MARK.search(clause)
        lead_part, assist_part = "", clause[:assist.start()]
    lead_part = DEADLINE.sub("", lead_part)
    return split_mentions(lead_part), split_mentions(DEADLINE.sub("", assist_part))


def deadline_in(text: str) -> str:
    """The deadline wording in `text` ("2018年7月底前", "年底前", "长期坚持"), or ""."""
    found = DEADLINE.search(text or "")
    return found.group(0) if found else ""


def due_on(deadline: str, year: int) -> tuple[date | None, bool]:
    """(the day a deadline wording means in `year`, whether it is ongoing 长期坚持)."""
    found = DEADLINE.search(deadline or "")
    if not found:
        return None, False
    if found.group("long"):
        return None, True
    year = int(found.group("y") or year)
    if found.group("end"):
        return date(year, 12, 31), False
    if found.group("half"):
        return (date(year, 6, 30) if found.group("half") == "上半年" else date(year, 12, 31)), False
    month = int(found.group("m"))
    if found.group("d"):
        return date(year, month, int(found.group("d"))), False
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(next_month.toordinal() - 1), False


# Words a unit's name may or may not carry: "发展和改革局" and "发展改革局" are one unit.
FILLERS = re.compile(r"[和与及的]")


def _plain(name: str) -> str:
    return FILLERS.sub("", core(name))


def _abbreviates(short: str, full: str) -> bool:
    """Is `short` an abbreviation of `full` ("发改局" of "发展改革局"): same first character and
    suffix, its characters in order within the longer name?"""
    if len(short) >= len(full) or short[:1] != full[:1]:
        return False
    suffix = UNIT_SUFFIX.search(short)
    if not suffix or not full.endswith(suffix.group(0)):
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def similar(a: str, b: str) -> bool:
    """Do two unit names probably mean one unit (区发展和改革局 / 区发展改革局 / 区发改局)?"""
    x, y = _plain(a), _plain(b)
    return x == y or _abbreviates(x, y) or _abbreviates(y, x)


def suggestions(unknown: list[str], departments: list[str]) -> dict:
    """For each unknown unit, the department or earlier unknown unit it probably is ("did you mean")."""
    out = {}
    for i, name in enumerate(unknown):
        found = [d for d in departments if similar(name, d)] or [u for u in unknown[:i] if similar(name, u)]
        if found:
            out[name] = found[0]
    return out


class Directory:
    """The department list, for matching the names a plan writes."""

    def __init__(self, names):
        self.names = list(names)
        self.by_core = {}
        for name in self.names:
            self.by_core.setdefault(core(name), name)

    def match(self, mention: str) -> str | None:
        for candidate in (mention, core(mention)):
            if candidate in self.names:
                return candidate
        return self.by_core.get(core(mention))

    def resolve(self, mentions, mapping=None) -> tuple[list[str], list[str]]:
        """(department names, unknown mentions); `mapping` maps a mention to a department name."""
        mapping = mapping or {}
        found, unknown = [], []
        for mention in mentions:
            if is_generic(mention):
                continue
            name = mapping.get(mention) or self.match(mention)
            if name:
                if name not in found:
                    found.append(name)
            elif mention not in unknown:
                unknown.append(mention)
        return found, unknown
