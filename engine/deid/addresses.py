"""Find home addresses: a cue (住址, 家住 …) or a 住址 table column followed by administrative
divisions, roads or villages and house numbers, up to the room.

Agency and company addresses are public; they are told apart by the organisation named in
the clause before the cue or inside the address itself.
"""

import bisect
import re
from collections.abc import Iterator

from . import context, tables
from .model import Finding

# Whatever stands before a cue (a bracket, a quote, a line start, a comma) and whatever closes
# around it (【住址】, “住址：…) does not hide it.
_AFTER_CUE = r"[】\]」』”\"'：:\s]{0,3}(?:为|是|在|于)?"
PERSONAL_CUE = re.compile(r"(?:家庭住址|现住址|住址|家住|现住|住在|居住地址?|户籍地址?|户籍所在地|通讯地址|联系地址|送达地址|"
                          # A bare 住 after a field, a name or a bracket: "，住小井村五组23号", "（住…".
                          r"(?:(?<=[，,；;：:\s（(【\[「『“\"'、])|^)住(?![宅房院所户])|(?<=[，,；;：:\s（(【\[“])现居)"
                          + _AFTER_CUE, re.MULTILINE)
GENERIC_CUE = re.compile(r"(?<![居住讯系达籍])(?:住所|地址)" + _AFTER_CUE)
ADDRESS_HEADER = re.compile(r"(?:家庭住址|住址|地址|居住地址|现住址|户籍地址|家庭地址)")
# An address body: no sentence punctuation, no second field label.
BODY = re.compile(r"[^，,。；;：:\n\t|（）()【】、\s]{4,60}")
# An address ends on its last unit whatever follows it (…501室的居民反映, …501室住户): the body
# stops at the first word no address contains, then goes back to its last unit.
NOT_ADDRESS = re.compile(r"的|了|住户|居民|业主|家中|家里|反映|来电|来信|投诉|举报|表示|期间|附近|一带|门口|对面|周边|发生|"
                         r"申请|要求|长期|现已|已经|自行|擅自|因病|被盗|等人|等户")
SMALL_UNIT_END = re.compile(r"(?:村|组|屯|号|室|楼|栋|幢|单元|层|户|院)$")
NUMBERED_END = re.compile(r"[\dA-Za-z０-９一二三四五六七八九十百零〇]+(?:号院|号楼|号|栋|幢|单元|楼|层|室|户|组)"
                          r"|(?:(?<=单元)|(?<=号楼)|(?<=栋)|(?<=幢))\d{3,4}")

PLACE_UNIT = re.compile(r"(?:省|市|区|县|旗|镇|乡|街道|路|街|巷|道|村|组|屯|号|室|楼|栋|单元|小区|花园|大厦|社区|胡同)")
# An address ends on a unit, a number or a named compound, never on a verb.
ADDRESS_END = re.compile(r"(?:省|市|区|县|旗|镇|乡|街道|路|街|巷|村|组|屯|号|室|楼|栋|幢|单元|层|小区|花园|大厦|社区|院|段|胡同|[\d一二三四五六七八九十]组)$")
# Addresses of premises (生产地址, 注册地址 …) belong to the business, not to a person.
PREMISES = re.compile(r"(?:生产|经营|注册|办公|营业|单位|公司|机构)$")
# Without a cue, an address must reach a door or room number to be worth redacting.
UNCUED = re.compile(
    r"[\u4e00-\u9fff]{2,12}(?:省|市|区|县)[\u4e00-\u9fff\d]{0,20}?(?:路|街|巷|道|村)[\u4e00-\u9fff\d]{0,12}?\d+号"
    r"(?:院)?(?:\d+(?:号楼|栋|幢|单元|层|室|号))+"
)
ORG_IN_ADDRESS = re.compile(r"(?:政府|管委会|办公楼|大楼|机关|法院|中心|局)")
ORG_BEFORE = re.compile(r"(?:政府|局|委员会|管委会|办公室|中心|法院|机关|站|公司|征收办|单位|厂|企业|银行)[^。\n]{0,12}$")
INDIVIDUAL = re.compile(r"(?:个体工商户|经营者|当事人：[\u4e00-\u9fff]{2,4}[，,\n])")


def _body_at(text: str, pos: int) -> tuple[int, int] | None:
    m = BODY.match(text, pos)
    if not m:
        return None
    stop = NOT_ADDRESS.search(m.group())
    body = m.group()[:stop.start()] if stop else m.group()
    body = body[:_last_unit(body)]
    if len(body) < 4 or not PLACE_UNIT.search(body):
        return None
    if not re.search(r"\d", body) and (len(PLACE_UNIT.findall(body)) < 2 or not SMALL_UNIT_END.search(body)):
        # "住在向阳社区", "家住石家庄路与黄山路": a neighbourhood or a crossing of thousands is a place.
        return None
    return m.start(), m.start() + len(body)


def _last_unit(body: str) -> int:
    """Where the address in `body` ends: after its last numbered unit (3号楼, 501室), else its last unit."""
    numbered = [n.end() for n in NUMBERED_END.finditer(body)]
    if numbered:
        return numbered[-1]
    for end in range(len(body), 0, -1):
        if ADDRESS_END.search(body[:end]):
            return end
    return 0


def _block_before(text: str, start: int, lines: int = 6) -> str:
    cut = start
    for _ in range(lines):
        cut = text.rfind("\n", 0, cut)
        if cut <= 0:
            return text[:start]
    return text[cut:start]


def _is_public(text: str, start: int, end: int, cue_start: int) -> bool:
    if ORG_IN_ADDRESS.search(text[start:end]):
        return True
    line = text[text.rfind("\n", 0, cue_start) + 1:cue_start]
    if ORG_BEFORE.search(line) or PREMISES.search(line):
        return True
    block = _block_before(text, cue_start)
    return "公司" in block and not INDIVIDUAL.search(block)


def _cued(text: str) -> Iterator[Finding]:
    for pattern, reason in ((PERSONAL_CUE, "address cue"), (GENERIC_CUE, "address cue")):
        for m in pattern.finditer(text):
            span = _body_at(text, m.end())
            if not span:
                continue
            if pattern is GENERIC_CUE and _is_public(text, *span, m.start()):
                continue
            if pattern is GENERIC_CUE and not context.personal_context(text, m.start(), 3) and \
                    not re.search(r"(?:室|单元|户|村|组)$", text[span[0]:span[1]]):
                continue
            yield Finding(*span, "address", text[span[0]:span[1]], score=0.9, reason=f"{reason} {m.group()[:4]}")


def _table(text: str) -> Iterator[Finding]:
    for cell in tables.column_cells(text, ADDRESS_HEADER):
        if PLACE_UNIT.search(cell.text) and not ORG_IN_ADDRESS.search(cell.text):
            yield Finding(cell.start, cell.end, "address", cell.text, score=0.95, reason="table column")


def _uncued(text: str) -> Iterator[Finding]:
    for m in UNCUED.finditer(text):
        if not _is_public(text, m.start(), m.end(), m.start()):
            yield Finding(m.start(), m.end(), "address", m.group(), score=0.8, reason="address with room number")


# A household's address with no cue, known by its shape: a place (…村, …路, …小区) then the numbers
# of one household — a village group's house (上高村五组24号) or a room (环湖路18号2单元402室). A
# road and a door number alone may be an agency's or a shop's: those need a cue.
HOUSE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:村|庄|屯|寨|路|街|巷|胡同|小区|花园|苑|家园|社区|大厦|公寓|新村)"
                   r"(?:[\d一二三四五六七八九十]+组\d+号|(?:\d+号院?)?(?:\d+(?:号楼|栋|幢))?(?:\d+单元)?(?:\d+层)?\d+室)"
                   r"(?![\dA-Za-z])")
# Words that end the clause before an address's place name (楼上|环湖路…, 的房屋（…).
_HEAD_STOP = re.compile(r".*[的在于住到从是为和与及将把被向上下里内]")


def find_houses(text: str, places: list[tuple[int, int]] = (), taken=None) -> list[Finding]:
    """Return addresses without a cue that reach one household (see HOUSE).

    `places` are the model's place spans: where one starts inside the match, the address starts
    there (楼上|环湖路18号…); a place name alone is never an address. `taken` (core.Coverage)
    marks what other findings already cover.
    """
    out = []
    starts = sorted(p for p, e in places if e > p)  # bisected: a list of a thousand rows has thousands
    for m in HOUSE.finditer(text):
        start = m.start()
        first = bisect.bisect_left(starts, m.start())
        inside = first < len(starts) and starts[first] < m.end()
        head = _HEAD_STOP.match(text, start, m.end())
        head_start = head.end() if head else start
        if inside:
            place = starts[first]
            # 迎胜|东路15号院…: the model's place began at the direction; the road's name is before it.
            if text[place] in "东西南北中" and text[place + 1:place + 2] in ("路", "街", "大", "巷"):
                place = max(head_start, place - 2)
            start = place
        else:
            start = head_start
        if (taken is not None and taken.hits(start, m.end())) or _is_public(text, start, m.end(), start):
            continue
        out.append(Finding(start, m.end(), "address", text[start:m.end()], score=0.8,
                           reason="a household's numbers after a place" + (" (the recognizer's place)" if inside else "")))
    return out


def find_addresses(text: str) -> list[Finding]:
    """Return personal address findings (agency and company addresses are left alone)."""
    found: dict[tuple[int, int], Finding] = {}
    for finder in (_table, _cued):
        for f in finder(text):
            found.setdefault((f.start, f.end), f)
    for f in _uncued(text):
        if not any(f.start < g.end and g.start < f.end for g in found.values()):
            found[(f.start, f.end)] = f
    return sorted(found.values(), key=lambda f: f.start)
