"""The de-identification pipeline: detect, resolve overlaps, apply the policy, render.

Two detectors find names: the cue rules (exact on forms and tables) and the statistical recognizer
(names without a cue in running text); `person_names` merges them, and the category's policy alone
decides what is redacted. Rendering is a pure function of the text and the findings, so the publisher's edited list of
findings (`apply_findings`) produces exactly the published text.
"""

from __future__ import annotations

from . import addresses, detectors, model_names, names, recognizer, references
from .model import Finding, Redaction
from .operators import PseudonymBook, apply_operator
from .policy import get_policy, is_redacted
from .surnames import ALL_SURNAMES, COMPOUND_SURNAMES, GIVEN_NAME_FUNCTION_CHARS, WORD_STOPLIST

# When two findings overlap, the one whose kind comes first wins: a validated number beats an
# address that happens to contain it, and an address beats a name-like fragment inside it.
PRIORITY = ("id_card", "credit_code_individual", "bank_card", "passport", "mobile", "landline", "email",
            "plate", "address", "person_name")
CONTAINERS = ("cc_list",)


def detect(text: str, policy: dict, model: bool = True) -> list[Finding]:
    """Return the non-overlapping findings of every kind the policy looks for.

    `model=False` runs the rules alone; only the benchmark uses it, to show what the model adds.
    """
    rules = detectors.find_patterns(text) + addresses.find_addresses(text)
    people, reading = person_names(text, rules, model)
    if reading is not None:
        settled = Coverage(text, rules + people)
        people += [f for f in references.bare_surnames(text, reading.letters) if not settled.hits(f.start, f.end)]
    places = [(s.start, s.end) for s in reading.spans if s.label == "LOC"] if reading else []
    rules += addresses.find_houses(text, places, Coverage(text, rules))
    full = names.everywhere(text, [f for f in people if not f.reason.startswith("surname")])
    references.refer_surnames(full + people)
    refs = [f for f in people if f.reason.startswith("surname")]
    taken = Coverage(text, rules + full + refs)
    raw = rules + full + refs + references.back_references(text, full, taken)
    raw = [f for f in raw if f.kind not in policy["ignore"]]
    kept: list[Finding] = []
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    covered = Coverage(text)
    for f in sorted(raw, key=lambda f: (rank[f.kind], f.start - f.end, f.start)):
        if not covered.hits(f.start, f.end):
            kept.append(f)
            covered.add(f.start, f.end)
    if "cc_list" not in policy["ignore"]:
        kept += detectors.find_cc_lists(text)
    return sorted(kept, key=lambda f: (f.start, -f.end))


FIELD_MARKS = frozenset("：: \u3000\t")


def person_names(text: str, rules: list[Finding], model: bool = True
                 ) -> tuple[list[Finding], recognizer.Reading | None]:
    """Merge the two name detectors: the cue rules, and the recognizer where no rule span is;
    return the names and what the model read (None without it).

    Rules win on boundaries (a table cell, a cue's exact end); a model span overlapping any rule
    finding (a name, an address, a number) is dropped rather than allowed to stretch it.
    """
    ruled = names.find_names(text)
    if not model:
        return ruled, None
    fields = [f for f in ruled if not _needs_second_opinion(text, f)]
    reading = recognizer.read(text, [(f.start, f.end) for f in rules + fields])
    # In running text a cue is followed by a verb or an adverb as often as by a name (丈夫干脆,
    # 负责人曾给): where the model reads the first character as one, it is not a name.
    ruled = fields + [_model_end(text, f, reading) for f in ruled
                      if _needs_second_opinion(text, f) and (reading.starts_word_of_its_own(f.start)
                                                             or _function_word_surname(text, f)
                                                             or _segmented_as_name(text, f, reading))]
    ruled = [_model_start(text, f, reading) for f in ruled]
    taken = Coverage(text, ruled + rules)
    return ruled + [f for f in model_names.from_model(text, reading) if not taken.hits(f.start, f.end)], reading


def _model_start(text: str, name: Finding, reading: recognizer.Reading) -> Finding:
    """Let the model add the surname a rule left out of a name before a title (石|向阳夫妇: the rule
    reads 向 as a preposition, the model reads 石向阳 whole)."""
    if not name.reason.startswith("before") or name.start < 1 or text[name.start - 1] not in ALL_SURNAMES:
        return name
    for span in reading.person_at(name.start - 1):
        if span.end == name.end and reading.letters[name.start - 1] == "P":
            return Finding(span.start, span.end, name.kind, text[span.start:span.end], score=name.score,
                           reason=name.reason + ", surname from the recognizer")
    return name


class Coverage:
    """Which characters of a text some span already covers: overlap tests in linear time."""

    def __init__(self, text: str, spans: list[Finding] = ()) -> None:
        self.mask = bytearray(len(text) + 1)
        for f in spans:
            self.add(f.start, f.end)

    def add(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

    def hits(self, start: int, end: int) -> bool:
        return 1 in self.mask[start:end]


def _model_end(text: str, name: Finding, reading: recognizer.Reading) -> Finding:
    """Let the model decide where a cue name in running text ends, by one character at most.

    Character classes cannot tell 李强|调查 from 张建华|来电 or 石磊|赶到; a tagger that reads the
    words around the name can.
    """
    if text[name.end:name.end + 1] in names.CLEAR_END:
        return name  # punctuation after it fixes the end (申请人于政和，)
    for span in reading.person_at(name.start):
        # A transliteration is never cut shorter than its dotted parts reach (阿卜杜拉·艾合|买提).
        # Nor is a trailing 和/之/中 … dropped: the rule kept it because no name follows (聂文和会同).
        near = span.end > name.end if "·" in name.text or name.text[-1] in GIVEN_NAME_FUNCTION_CHARS \
            else abs(span.end - name.end) == 1
        # Shorter only when the dropped character starts a word that runs on (李强|调查): a
        # character the model reads as a word of one (欧阳德才|也) may as well be the name's.
        shorter_word = span.end < name.end and reading.letters[name.end:name.end + 1] != "i"
        bounds = model_names.name_bounds(text, span.start, span.end, reading.letters)
        if near and not shorter_word and bounds is not None and bounds[0] == name.start and bounds[1] != name.end:
            return Finding(name.start, bounds[1], name.kind, text[name.start:bounds[1]], score=name.score,
                           reason=name.reason + ", end from the recognizer")
    return name


# Surnames that are also prepositions or conjunctions: the model reads them as such (其父于长海,
# 妹夫和建军), so after a cue a name closed by punctuation or a verb needs no second opinion.
FUNCTION_WORD_SURNAMES = frozenset("于向和从把与及对将在")


def _function_word_surname(text: str, name: Finding) -> bool:
    return name.text[0] in FUNCTION_WORD_SURNAMES and names.closed(text, name.end)


# The commonest surnames that are also prepositions, and compound ones. After a cue, the model's own segmentation
# tells the name from the preposition even when a verb follows at once (邻居于国庆在场, 舅舅于长河
# 代为签收, 兄弟于学武共有): the given name is a word of its own, or one word with the surname, and
# the next word starts where the name ends. Rarer ones (把, 将, 从 …) still need punctuation.
PREPOSITION_SURNAMES = frozenset("于向和")


def _segmented_as_name(text: str, name: Finding, reading: recognizer.Reading) -> bool:
    letters = reading.letters
    start, end = name.start, name.end
    if " " in letters[start:end] or letters[end:end + 1] == "i":
        return False  # unread, or the word runs on past the name (于国|庆祝)
    if name.text[:2] in COMPOUND_SURNAMES:
        return True  # 岳父上官德福: after a cue 上官 is no verb, whatever the model tags it
    given = text[start + 1:end]
    if given in names.PREFIX_CUES or given in WORD_STOPLIST:
        return False  # 和孩子, 于今年: the "given name" is a word of its own kind
    if name.text[0] not in PREPOSITION_SURNAMES:
        return _word_surname_name(text, name, letters)
    if letters[start + 1] == "A" and letters[start + 2:end] == "i" * (end - start - 2):
        return False  # one adjective (和困难群众); 于小|军 is a name
    if letters[start + 1] == "i":  # one word with the surname: a three-character name read whole
        return end - start == 3 and letters[start + 2] == "i"
    return True  # the given name starts a word of its own


def _word_surname_name(text: str, name: Finding, letters: str) -> bool:
    """A surname that is also a verb or an adverb (应, 能, 连, 时, 全, 钱 …) after a cue: the model
    reads it as one, but when the given name is a word of its own, name-shaped, and the next word
    starts where it ends, the cue's person is named (户主应国庆，其子能小伟在外).

    The given name must not run on from the surname (连夜, 时常) nor be a verb or adverb itself
    (应|立即, 能|及时): then the "surname" is the word it looks like.
    """
    start, end = name.start, name.end
    if not name.reason.startswith("cue") or end - start != 3:
        return False  # after a list's 和 (仲维和|曾两次) the "surname" is as likely an adverb
    if any(c in model_names.NOT_IN_GIVEN_NAMES or c in COUNTS for c in text[start + 1:end]):
        return False
    given = letters[start + 1:end]
    if text[end:end + 1] in names.CLEAR_END and name.reason in FORM_CUES:
        return True  # 户主应建平，: a household's or a party's role, then three characters and a stop
    if text[end:end + 1] in names.CLEAR_END and letters[start:end] == "Fii":
        # Cue, three characters, punctuation (村民应志强，): the form fixes both ends. The model
        # reads such a name as one verb of three characters, and Chinese has few of those; a
        # verb and its object it reads as two words (孙子来|观赛，).
        return True
    return given[:1] in ("P", "x") and given[1:] in ("i", "x", "P")


# Cues of a form's roles, even when written as running text: what follows is the party's name.
FORM_CUES = frozenset(f"cue {c}" for c in "户主 申请人 当事人 被处罚人 经营者 法定代表人 联系人 委托人 代理人 证人 收款人 "
                      "领款人 户名 被征收人 证明人 推荐人 来信人 来访人 来电人 举报人 投诉人 反映人".split())


# Numerals and measure words: 曾两次, 连三年 are counts, not given names.
COUNTS = frozenset("一二两三四五六七八九十百千次个位名些种件年天")


def _needs_second_opinion(text: str, name: Finding) -> bool:
    # What follows a cue word may be a verb, and where the name ends is a guess. A name after a
    # field label with a colon (户主：冷延军), before 同志/大爷, in a table column or before "，男，"
    # has both ends fixed by the form, and the rule alone decides.
    return name.reason.startswith(("cue", "list")) and text[name.start - 1:name.start] not in FIELD_MARKS \
        and not (name.reason in NAMING_CUES and names.closed(text, name.end))


# "他叫包宇航，": a cue that says a name follows, and punctuation that says where it ends.
NAMING_CUES = frozenset(f"cue {c}" for c in ("他叫", "她叫", "名叫", "我叫"))


def assign_replacements(findings: list[Finding], policy: dict) -> None:
    """Fill in `replacement` for redacted findings that have none, keeping pseudonyms consistent."""
    book = PseudonymBook()
    for f in findings:
        if f.redacted and f.replacement is not None and not f.refers_to:
            book.learn(f.kind, f.text, f.replacement)
    for f in sorted(findings, key=lambda f: (f.refers_to is not None, f.start)):
        if f.redacted and f.replacement is None:
            # A reference (小鞠) takes the pseudonym of the full name it refers to (鞠晓燕 → 乙).
            f.replacement = apply_operator(policy["operators"][f.kind], f.kind, f.refers_to or f.text, book,
                                           reference=f.refers_to is not None)
        elif not f.redacted:
            f.replacement = None


def edits(findings: list[Finding]) -> list[tuple[int, int, str]]:
    """Return non-overlapping (start, end, replacement) edits; a span inside an earlier one is dropped."""
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for f in sorted((f for f in findings if f.redacted), key=lambda f: (f.start, -f.end)):
        if f.end <= cursor:
            continue
        out.append((max(f.start, cursor), f.end, f.replacement or ""))
        cursor = f.end
    return out


def render(text: str, findings: list[Finding]) -> str:
    """Return `text` with every redacted finding replaced; the input string is never changed."""
    parts, cursor = [], 0
    for start, end, replacement in edits(findings):
        parts += [text[cursor:start], replacement]
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def deidentify(text: str, category: str = "general", policy: dict | None = None) -> Redaction:
    """Find personal information in `text` and return the publishable version with its findings.

    `category` is a deid category (general, penalty_publicity, …) or a document category
    (penalty, social_assistance, …); `policy` overrides parts of the category's policy.
    """
    full = get_policy(category, policy)
    findings = detect(text, full)
    for f in findings:
        f.redacted = is_redacted(full, f.kind)
    assign_replacements(findings, full)
    return Redaction(render(text, findings), findings, full["name"])


def manual_finding(text: str, start: int, end: int, kind: str) -> Finding:
    """Return a finding the publisher adds by hand (reason "manual", redacted)."""
    return Finding(start, end, kind, text[start:end], score=1.0, reason="manual")


def apply_findings(text: str, findings: list[Finding | dict], policy: dict | str | None = None,
                   category: str = "general") -> Redaction:
    """Re-render `text` from a reviewed list of findings (manual additions, released spans).

    Findings given as dicts are accepted; a finding without `replacement` gets one from the policy.
    """
    full = get_policy(policy, None) if isinstance(policy, str) else get_policy(category, policy)
    items = [f if isinstance(f, Finding) else Finding.from_dict(f) for f in findings]
    for f in items:
        if f.text != text[f.start:f.end]:
            f.text = text[f.start:f.end]
    assign_replacements(items, full)
    return Redaction(render(text, items), sorted(items, key=lambda f: f.start), full["name"])
