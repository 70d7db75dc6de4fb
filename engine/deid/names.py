"""Find person names: surname lists plus context cues, table columns, salutations, and
propagation of every found name to its other occurrences in the same document.

Cues decide; the surname list and character classes only decide where a name ends, so place
names that start with a surname (王家庄村) and organisations are rejected by what follows them.
"""

import re
from collections.abc import Iterator

from . import tables
from .model import Finding
from .surnames import (
    ALL_SURNAMES,
    BAD_LAST_CHARS,
    COMPOUND_SURNAMES,
    GIVEN_NAME_FUNCTION_CHARS,
    NON_NAME_CHARS,
    PLACE_SUFFIX_CHARS,
    RARE_SURNAMES,
    SINGLE_SURNAMES,
    WORD_STOPLIST,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")

PREFIX_CUES = (
    "申请人 户主 联系人 经办人 承办人 负责人 法定代表人 代表人 经营者 当事人 被处罚人 被征收人 委托人 代理人 律师 "
    "留言人 来信人 投诉人 举报人 记录人 询问对象 被询问人 执法人员 执法队员 工作人员 值班员 联络员 主任 所长 局长 "
    "部长 科长 站长 书记 村长 董事长 总经理 经理 老板 车主 乘客 居民 村民 家属 其子 其女 其妻 其夫 之妻 之夫 之子 "
    "之女 孩子 儿子 女儿 妻子 丈夫 我叫 本人 姓名 户名 开户名 收款人 持卡人 尊敬的 委员 代表 网友 网民 市民 签收人 "
    "送达人 证人 受害人 监护人 收件人 嫌疑人 领款人 来电人 来访人 反映人 诉求人 求助人 民警 警官 辅警 医生 护士 "
    "母亲 父亲 其母 其父 之母 之父 配偶 先生（ 女士（ 同志（ "
    # Kinship, neighbours and roles that introduce a private person in running text (学生X说).
    "学生 同学 邻居 同事 朋友 岳父 岳母 公公 婆婆 爷爷 奶奶 外公 外婆 姥姥 姥爷 哥哥 姐姐 弟弟 妹妹 侄子 侄女 "
    "外甥 女婿 儿媳 老伴 继父 继母 养父 养母 村医 会计 网格员 志愿者 骑手 教练 老兵 支书 工人 职工 员工 学员 "
    "选手 患者 病人 他叫 她叫 名叫 住户 业主 负责同志 讲解员 司机 "
    # The wider family and the people around a household (舅舅于长河代为签收, 儿媳第五丽娟).
    "舅舅 舅妈 姑姑 姑父 姨妈 姨父 叔叔 婶婶 伯伯 伯父 伯母 堂哥 堂姐 堂弟 堂妹 表哥 表姐 表弟 表妹 胞弟 胞兄 "
    "胞妹 胞姐 兄长 嫂子 弟媳 姐夫 妹夫 孙子 孙女 外孙 外孙女 侄儿 继子 继女 养子 养女 同桌 室友 舍友 闺蜜 发小 "
    "房东 租户 租客 护工 保姆 店主 摊主 亲属 遗孀 前妻 前夫 未婚妻 未婚夫 通讯员 记者 "
    # Roles a résumé, a news item or a staff list sets before a person (证明人：X, 跑者X, 财务总监X).
    "证明人 推荐人 跑者 运动员 队员 球员 教师 店员 保安 厨师 快递员 外卖员 环卫工 保洁员 出纳 主管 总监 "
    "合伙人 班主任 校长 院长 队长 组长 "
    # People a news item introduces by age or sex (老汉钱满仓在地里挖出, 小伙子于浩说).
    "老汉 老太 老农 老大爷 老太太 小伙 小伙子 姑娘 男孩 女孩 少年 妇女"
).split()
PREFIX_RE = re.compile("(?:" + "|".join(sorted(PREFIX_CUES, key=len, reverse=True)) + r")(?:[：:]?[ \u3000]?|为|是)")
SUFFIX_RE = re.compile(r"(?:同志|先生|女士|代表(?!人|大会|团|处|室|工作)|委员(?!会)|老人(?!们|家)|老师(?!们)|律师(?!事务所)|夫妇|教授|师傅|"
                       r"大爷|大妈|大娘|阿姨|医生|护士|"
                       # "同意和顺利等5户": the count after a name makes it the first of a list of people.
                       r"等[\d一二三四五六七八九十]+[户人名家]|等人(?!员))")
# "X，男，汉族" in résumés, notices and penalty decisions: the gender field makes X a person.
GENDER_AFTER = re.compile(r"(?:^|(?<=[：:，,。；;\s]))([\u4e00-\u9fff·]{2,12})(?=[，,]\s*[男女][，,、。；;（(\s])",
                          re.MULTILINE)
SALUTATION_END = re.compile(r"(?:同志|先生|女士|代表|委员)?[：:](?:\s*$|\s*(?:您好|你好))", re.MULTILINE)
NAME_HEADER = re.compile(r"(?!.*(?:身份|证号|号码|电话|账号|卡号|地址|住址|人数|人口|面积|金额))"
                         r".*(?:姓名|户主|户名|被征.{0,2}[人户]|农户|收款人|申请人|持卡人|领款人|救助对象|被救助人|名字)")
NOT_NAME_CELLS = re.compile(r"(?:合计|小计|总计|备注|无|空|(?:.*(?:社区|村|镇|组|街道|公司|局)))")


def name_end(text: str, pos: int) -> int | None:
    """Return where a name starting at `pos` ends, or None when no plausible name starts there."""
    if text[pos:pos + 1] in CONJUNCTIONS and _plain_name_end(text, pos + 1):
        return None  # 申请人和李四: 和 is "and" when a name follows it
    if TRANSLITERATION.match(text, pos):
        return TRANSLITERATION.match(text, pos).end()
    return _plain_name_end(text, pos)


CONJUNCTIONS = frozenset("和与及")


def _plain_name_end(text: str, pos: int) -> int | None:
    if text[pos:pos + 2] in COMPOUND_SURNAMES:
        end = _given_name_end(text, pos + 2)
        if end:
            return end
    if pos < len(text) and text[pos] in SINGLE_SURNAMES:
        return _given_name_end(text, pos + 1)
    if pos < len(text) and text[pos] in RARE_SURNAMES:
        end = _given_name_end(text, pos + 1)
        return end if end and closed(text, end) else None
    return None


def closed(text: str, end: int) -> bool:
    """Tell whether a name ending at `end` is closed by punctuation, a bracket, a verb or a title
    after it (门德胜同志, 于建华于2025年)."""
    return end >= len(text) or text[end] in CLEAR_END or text[end] in OPENING \
        or text[end:end + 2] in WORDS_AFTER_NAMES or text[end:end + 3] in WORDS_AFTER_NAMES \
        or SUFFIX_RE.match(text, end) is not None


OPENING = frozenset("（(【[“\"")


# A surname followed by a title or a kinship word (何先生, 刘奶奶) addresses someone; it is not a name.
HONORIFICS = frozenset("先生 女士 同志 老师 师傅 阿姨 大爷 大妈 大娘 大姐 大哥 奶奶 爷爷 叔叔 婶婶 伯伯 姥姥 姥爷 婆婆 "
                       "阿婆 老板 总 局长 主任".split())


def _given_name_end(text: str, pos: int) -> int | None:
    if text[pos:pos + 2] in HONORIFICS:
        return None
    if text[pos - 1:pos + 1] in WORD_STOPLIST:
        return None  # 通讯, 干部: the "surname" and the next character are one word
    for length in (2, 1):
        given = text[pos:pos + length]
        if len(given) < length or not all(_given_char(text, pos + i, i == length - 1) for i in range(length)):
            continue
        if given[-1] in BAD_LAST_CHARS and given[-1] not in GIVEN_NAME_FUNCTION_CHARS \
                and not _numeral_name(text, pos, length):
            continue
        if length == 2 and text[pos + 1:pos + 3] in WORDS_AFTER_NAMES:
            continue  # 张伟符合条件: 符合 is the verb after a one-character given name
        if given in JOB_MODIFIERS:
            return None  # 任专职律师: 任 is "served as", 专职 the kind of post
        if not _ends_cleanly(text, pos + length):
            # 王家庄村: the whole is a place; a shorter "name" inside it would be one too.
            return None
        if text[pos - 1:pos + length] in WORD_STOPLIST or text[pos - 2:pos + length] in WORD_STOPLIST:
            continue
        return pos + length
    return None


def _given_char(text: str, i: int, last: bool) -> bool:
    c = text[i]
    if not _CJK.match(c):
        return False
    if c not in NON_NAME_CHARS:
        return True
    if c in FIRST_GIVEN_CHARS and not last and text[i - 1:i] in ALL_SURNAMES and text[i + 1:i + 2] not in NON_NAME_CHARS:
        return True  # 于向东, 石向阳, 王为民: a preposition as the first of two given characters
    if c not in GIVEN_NAME_FUNCTION_CHARS or text[i:i + 2] in FUNCTION_WORDS:
        return False
    # 钱玉和大爷, 聂文和会同: a function character ends a name unless a name follows (张伟和李娜).
    return not last or not (text[i + 1:i + 2] in SINGLE_SURNAMES and _plain_name_end(text, i + 1))


# The kind of a post before 律师, 医生, 教师 … (任专职律师, 曾兼职会计): no given name.
JOB_MODIFIERS = frozenset("专职 兼职 执业 实习 主治 专任 特聘 资深 首席 高级 中级 初级 见习".split())


# Prepositions that many given names begin with (向东, 向阳, 为民, 为国); never a name's last character.
FIRST_GIVEN_CHARS = frozenset("向为")


# Words a given-name function character starts: 中心, 之间, 其他 … are not part of a name.
FUNCTION_WORDS = frozenset("中心 中国 中学 中队 中旬 中午 中央 中间 中的 之间 之后 之前 之日 之内 之外 之一 其他 其中 其余 其间 其实 "
                           "通知 通过 通报 通道 通讯 政府 政策 政务 政治 元旦 万元 和谐 和平".split())


# Two-character words that often follow a name directly, without punctuation.
WORDS_AFTER_NAMES = frozenset(
    "符合 同意 申请 反映 认为 表示 提出 要求 承诺 签字 签收 领取 负责 联系 来信 来电 来访 投诉 举报 说明 "
    "陈述 确认 经营 居住 户籍 家庭 等人 等户 夫妇 本人 系该 现住 现居 于20 于19 因病 患有".split())
NUMERALS = frozenset("一二三四五六七八九十")
CLEAR_END = frozenset("，。、；：,;:)）\n 　")


def _numeral_name(text: str, pos: int, length: int) -> bool:
    # 张三, 李四, 王五: a one-numeral given name is real (and the commonest example name), but only
    # when punctuation closes it; otherwise 王五十 or 周一 would be read as names.
    return length == 1 and text[pos] in NUMERALS and text[pos + 1:pos + 2] in CLEAR_END


def _after_prefix_cue(text: str, m: re.Match) -> Iterator[tuple[int, int]]:
    if text[m.end() - 1:m.end() + 1] in WORD_STOPLIST:
        return  # 不同事项: the cue's last character and the "surname" are one word
    if text[m.end():m.end() + 1] == "家" and m.group()[-1] not in "：: \u3000" and not closed(text, m.end() + 3):
        return  # 外婆家摘了枣: a relative's home, not a person surnamed 家
    end = name_end(text, m.end())
    if end:
        yield m.end(), end
        return
    if text[m.end():m.end() + 1] in RARE_SURNAMES and m.group()[-1] not in "：: \u3000":
        # 老伴代玉兰瘫痪在床: a rare surname after a cue in running text, before a verb; the model's
        # reading decides (core.person_names), as for any cue name not fixed by a form.
        end = _given_name_end(text, m.end() + 1)
        if end:
            yield m.end(), end
            return
    line_end = text.find("\n", m.end())
    segment = text[m.end():line_end if line_end >= 0 else len(text)][:30]
    # "联系人：镇农经站石敬业，": the name follows the contact's unit and ends at punctuation.
    for unit in ORG_UNIT.finditer(segment[:20]):
        if not re.fullmatch(r"[\u4e00-\u9fff]+", segment[:unit.end()]):
            break
        end = name_end(text, m.end() + unit.end())
        if end is not None and text[end:end + 1] in CLEAR_END:
            yield m.end() + unit.end(), end
            return
    # "联系人：邱家店镇政府 孟凡军": the name is a later space-separated token on the line.
    for tok in re.finditer(r"[\u4e00-\u9fff]{2,5}", segment):
        start = m.end() + tok.start()
        if tok.start() > 0 and not segment[tok.start() - 1].isspace():
            continue
        if name_end(text, start) == m.end() + tok.end():
            yield start, m.end() + tok.end()
            return


# The unit a contact works in, before their name (镇农经站, 区住建局信访科, 街道城管办).
ORG_UNIT = re.compile(r"(?:局|站|所|办|科|室|股|中心|队|委|部|处|院|馆|公司|街道|镇政府|村委会|居委会)")


def _enumerated(text: str, end: int) -> Iterator[tuple[int, int]]:
    """Follow a list of names joined by 、 or a conjunction (高文娟、杜宏伟和聂文博委员)."""
    while text[end:end + 1] == "、" or text[end:end + 1] in CONJUNCTIONS:
        nxt = name_end(text, end + 1)
        if not nxt:
            return
        yield end + 1, nxt
        end = nxt


def _by_prefix(text: str) -> Iterator[tuple[int, int, str]]:
    for m in PREFIX_RE.finditer(text):
        for start, end in _after_prefix_cue(text, m):
            yield start, end, f"cue {m.group().rstrip('：: 为是')}"
            for s, e in _enumerated(text, end):
                yield s, e, "list after cue"


def _by_gender(text: str) -> Iterator[tuple[int, int, str]]:
    for m in GENDER_AFTER.finditer(text):
        for start in range(m.start(1), m.end(1) - 1):
            if name_end(text, start) == m.end(1) or _surname_shaped(m.group(1)[start - m.start(1):]):
                yield start, m.end(1), "followed by gender"
                break


def _surname_shaped(word: str) -> bool:
    # Before "，男，" the field itself says it is a person: any surname-led word of a name's length.
    if word[:2] in COMPOUND_SURNAMES:
        return 3 <= len(word) <= 4
    return word[:1] in SINGLE_SURNAMES and 2 <= len(word) <= 3


def _by_suffix(text: str) -> Iterator[tuple[int, int, str]]:
    for m in SUFFIX_RE.finditer(text):
        for back in (4, 3, 2):
            start = m.start() - back
            if start >= 0 and name_end(text, start) == m.start():
                yield start, m.start(), f"before {m.group()}"
                break


def _by_salutation(text: str) -> Iterator[tuple[int, int, str]]:
    for m in SALUTATION_END.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        head = text[line_start:m.start()]
        pos = line_start + len(head) - len(head.lstrip())
        spans, end = [], name_end(text, pos)
        while end:
            spans.append((pos, end))
            if text[end:end + 1] != "、":
                break
            pos, end = end + 1, name_end(text, end + 1)
        if spans and spans[-1][1] == m.start():
            yield from ((s, e, "salutation") for s, e in spans)


def _by_table(text: str) -> Iterator[tuple[int, int, str]]:
    for cell in tables.column_cells(text, NAME_HEADER):
        if re.fullmatch(r"[\u4e00-\u9fff]{2,5}", cell.text) and not NOT_NAME_CELLS.fullmatch(cell.text):
            yield cell.start, cell.end, "table column"


# A name right before a bracket that opens on an ID number, its label, a gender or an address
# ("关于柏秀芳(身份证号…", "对于长江（4101…）"): the bracket says whose data follows.
BRACKETED = re.compile(r"([\u4e00-\u9fff]{2,5})(?=[（(](?:身份证|身份号|公民身份|证件号|\d{17}[\dXx]|[男女][，,、)）]|住|家住|现住|电话|手机))")


def _by_bracket(text: str) -> Iterator[tuple[int, int, str]]:
    for m in BRACKETED.finditer(text):
        for start in range(m.start(1), m.end(1) - 1):
            if name_end(text, start) == m.end(1):
                yield start, m.end(1), "before a bracket of personal data"
                break


# A title names its person right after 关于 (and the act done to them), and closes the name with a
# list mark, a bracket, 同志/夫妇/户/等 or what the person did or asked (关于对X违规占地的决定,
# 关于撤销X营业执照的决定). The model gives its second opinion on the surname (core.person_names).
TITLE_OPENING = re.compile(r"关于(?:对|为|给予|撤销|吊销|注销|同意|批准|授予|追授|表彰|解除|不予|准予|认定|补发|补办|收回|终止)?")
TITLE_CLOSER = re.compile(r"[、和与及（(]|同志|夫妇|等|户|违法|违规|违章|涉嫌|非法|擅自|私自|未经|拒不|无证|冒领|骗取|"
                          r"家[住庭的]|申请|营业执照|驾驶证|执业|从业|资格|宅基地|承包|一案")

TITLE_PERSON_AFTER = re.compile(r"[、（(]|同志|夫妇|等[\d一二三四五六七八九十]+[户人名]")


def _by_title(text: str) -> Iterator[tuple[int, int, str]]:
    for m in TITLE_OPENING.finditer(text):
        start = m.end()
        if text[start - 1:start + 1] in WORD_STOPLIST:
            continue  # 关于对于: 对 starts a word with what follows
        for end in (start + 3, start + 4) if text[start:start + 2] in COMPOUND_SURNAMES else (start + 2, start + 3):
            if end <= len(text) and _title_name(text, start, end) and TITLE_CLOSER.match(text, end):
                # A list mark, a bracket or 夫妇/同志 after it says a person: no second opinion needed.
                yield start, end, "title, closed" if TITLE_PERSON_AFTER.match(text, end) else "cue 关于"
                break


def _title_name(text: str, start: int, end: int) -> bool:
    size = 2 if text[start:start + 2] in COMPOUND_SURNAMES else 1
    if size == 1 and text[start] not in SINGLE_SURNAMES and text[start] not in RARE_SURNAMES:
        return False
    word = text[start:end]
    if word in WORD_STOPLIST or text[start:start + 2] in WORD_STOPLIST or word[-1] in PLACE_SUFFIX_CHARS \
            or word[-1] in BAD_LAST_CHARS or text[start + size:start + size + 2] in HONORIFICS:
        return False
    return all(_CJK.match(c) and c not in NON_NAME_CHARS for c in word[size:])


STRATEGIES = ((_by_table, 0.95), (_by_title, 0.9), (_by_bracket, 0.9), (_by_prefix, 0.9), (_by_suffix, 0.9), (_by_salutation, 0.9), (_by_gender, 0.9))


def find_names(text: str) -> list[Finding]:
    """Return every person name the cue rules find (other occurrences not yet added)."""
    found: dict[tuple[int, int], Finding] = {}
    for strategy, score in STRATEGIES:
        for start, end, reason in strategy(text):
            if not public_term(text, start, end):
                found.setdefault((start, end), Finding(start, end, "person_name", text[start:end], score=score,
                                                       reason=reason))
    return sorted(found.values(), key=lambda f: f.start)


def everywhere(text: str, names: list[Finding]) -> list[Finding]:
    """Return `names` plus every other occurrence of each of them in the same document.

    A name the text also uses in a public term (雷锋精神, 焦裕禄同志事迹展) is a public figure's
    wherever the model or a 同志 after it proposed it; a name from a form field stays a person's.
    """
    figures = {f.text for f in names if f.reason.startswith(("statistical", "before"))
               and any(public_term(text, m.start(), m.end()) for m in re.finditer(re.escape(f.text), text))}
    names = [f for f in names if f.text not in figures or not f.reason.startswith(("statistical", "before"))]
    found = {(f.start, f.end): f for f in names}
    for start, end in occurrences(text, {f.text for f in names}):
        if (start, end) not in found and _stands_alone(text, start, end) and not public_term(text, start, end):
            found[(start, end)] = Finding(start, end, "person_name", text[start:end], score=0.85,
                                          reason="same name found elsewhere")
    return sorted(found.values(), key=lambda f: f.start)


def occurrences(text: str, words: set[str]) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of every non-overlapping occurrence of each word, in one pass over `text`.

    One search per word would read the text once per name: a list of 10,000 households
    (a spreadsheet) took seconds, growing with the square of its length.
    """
    by_first: dict[str, dict[int, set[str]]] = {}
    for word in filter(None, words):
        by_first.setdefault(word[0], {}).setdefault(len(word), set()).add(word)
    if not by_first:
        return
    last_end: dict[str, int] = {}  # a word's own matches do not overlap (as re.finditer's do not)
    for m in re.finditer("[" + re.escape("".join(by_first)) + "]", text):
        start = m.start()
        for length, group in by_first[m.group()].items():
            word = text[start:start + length]
            if word in group and last_end.get(word, 0) <= start:
                last_end[word] = start + length
                yield start, start + length


# A name followed by one of these is part of a public term, a place or an institution named
# after a person (邓小平理论, 毛泽东思想, 某某同志故居, 中山路, 逸夫楼, 宋庆龄基金会).
PUBLIC_AFTER = re.compile(
    r"(?:同志)?(?:的?(?:先进|光辉|英雄|感人|模范)事迹|理论|思想|新时代|主义|故居|旧居|纪念|诞辰|陵|墓|像|雕像|著作|文选|选集|文集|全集|语录|诗词|"
    r"事迹|生平|精神|体|式|路|大道|大街|街|巷|广场|公园|楼|堂|馆|中学|小学|大学|学院|学校|医院|基金|奖|杯|号|村|庄|镇|乡|县|市|区|"
    r"桥|山|湖|河|港|站|集团|公司|总书记|律师事务所|事务所|合作社|银行|农牧|农业|种业|科技|股份|商行|超市|酒店|宾馆|诊所)")
# A transliterated name: parts joined by a middle dot; a part stops at a function word's character
# (说, 对, 和), which transliterations avoid.
_PART = "[^\\W\\d_A-Za-z的了在是与及对为向由将被把从到说等也都又并或即就我你他她它们给和]{1,8}"
DOTS = "·•・"
JOINERS = DOTS + "-‐"  # 让-皮埃尔·杜邦
TRANSLITERATION = re.compile(_PART + "(?:[" + JOINERS.replace("-", "\\-") + "]" + _PART + ")+")


# A shop or an inn named after its keeper (老孙渔家乐, 老王面馆, 张记包子铺): the name is the shop's.
BUSINESS = re.compile(r"[家记]?(?:渔家乐|农家乐|饭店|饭馆|面馆|酒家|酒楼|餐馆|餐厅|菜馆|小吃|烧烤|"
                      r"火锅|米线|拉面|水饺|饺子馆|包子铺|烧饼|牛肉面|羊肉汤|理发店|修车铺|五金店|茶馆|鱼馆)")


def public_term(text: str, start: int, end: int) -> bool:
    """Tell whether the name-like text[start:end] belongs to a public term or a place name."""
    return bool(PUBLIC_AFTER.match(text, end))


# After a name already known from a cue only a strong place suffix makes it a place (马国栋路);
# 所, 局 … are then verbs or titles (张建华所述, 张建华局长).
STRONG_PLACE = frozenset("村庄镇乡街路区县市省店厂屯沟湾营寨")


def _stands_alone(text: str, start: int, end: int) -> bool:
    return text[end:end + 1] not in STRONG_PLACE


def _ends_cleanly(text: str, end: int) -> bool:
    after = text[end:end + 1]
    return not after or after not in PLACE_SUFFIX_CHARS or bool(SUFFIX_RE.match(text, end))
