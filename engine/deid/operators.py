"""De-identification operators (GB/T 37964-2019): mask, label, pseudonym, generalise, suppress.

Each operator turns one finding's original text into its published replacement. Pseudonyms need
memory across a document, kept in a `PseudonymBook` so that 张三 is 甲 everywhere.
"""

import re

LABELS = {
    "id_card": "[身份证号]",
    "mobile": "[手机号]",
    "landline": "[电话]",
    "bank_card": "[银行卡号]",
    "email": "[电子邮箱]",
    "person_name": "[姓名]",
    "address": "[住址]",
    "plate": "[车牌号]",
    "passport": "[护照号]",
    "credit_code_individual": "[统一社会信用代码]",
    "cc_list": "[抄送]",
}

# How many leading and trailing characters a mask leaves visible, per kind.
MASK_KEEP = {
    "id_card": (6, 4),
    "mobile": (3, 4),
    "bank_card": (4, 4),
    "plate": (2, 0),
    "passport": (1, 2),
    "credit_code_individual": (8, 2),
    "person_name": (1, 0),
}
STEMS = "甲乙丙丁戊己庚辛壬癸"
# A division's own name never contains a higher or equal unit: without that, "泰安市泰山区省庄镇"
# would read as a province "泰安市泰山区省" and leak the town's first character.
_PLACE = r"[^\W\d省市区县旗州盟]"
DISTRICT = re.compile(rf"^(?:{_PLACE}{{2,8}}?(?:省|自治区))?(?:{_PLACE}{{2,8}}?(?:市|州|盟))?"
                      rf"(?:{_PLACE}{{1,8}}?(?:区|县|旗|市))?")


class PseudonymBook:
    """Hand out 甲, 乙, 丙 … per distinct original text, consistently within one document."""

    def __init__(self) -> None:
        self.by_text: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        # Where the search for the next free stem resumes, per prefix: a list of 10,000 names (a
        # spreadsheet) would otherwise rescan every stem already handed out for each new name.
        self.next: dict[str, int] = {}

    def learn(self, kind: str, text: str, pseudonym: str) -> None:
        if (kind, text) not in self.by_text:
            self.by_text[(kind, text)] = pseudonym
            self.used.add(pseudonym)

    def get(self, kind: str, text: str, prefix: str = "") -> str:
        key = (kind, text)
        if key not in self.by_text:
            n = self.next.get(prefix, 0)
            while (candidate := prefix + _stem(n)) in self.used:
                n += 1
            self.next[prefix] = n + 1
            self.by_text[key] = candidate
            self.used.add(candidate)
        return self.by_text[key]


def _stem(n: int) -> str:
    return STEMS[n] if n < len(STEMS) else f"{STEMS[n % len(STEMS)]}{n // len(STEMS) + 1}"


def mask(kind: str, text: str, char: str = "*") -> str:
    """Hide the middle of the value, keeping separators and the kind's usual visible ends."""
    if kind == "email":
        local, _, domain = text.partition("@")
        return local[:1] + char * 3 + "@" + domain
    if kind == "landline":
        area = re.match(r"^[(（]?0\d{2,3}[)）\-－ ]?", text)
        head = len(area.group()) if area else 0
        return text[:head] + _mask_span(text[head:], 0, 2, char)
    if kind == "address":
        return generalize(kind, text) + char * 3
    head, tail = MASK_KEEP.get(kind, (0, 0))
    return _mask_span(text, head, tail, char)


def _mask_span(text: str, head: int, tail: int, char: str) -> str:
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    hidden = set(positions[head:len(positions) - tail if tail else None])
    return "".join(char if i in hidden else c for i, c in enumerate(text))


def label(kind: str, text: str, template: str | None = None) -> str:
    """Replace the value by a bracketed label such as [姓名]."""
    return template or LABELS.get(kind, "[已隐去]")


def generalize(kind: str, text: str) -> str:
    """Cut an address back to its province, city and district; other kinds fall back to a label."""
    if kind != "address":
        return label(kind, text)
    district = DISTRICT.match(text).group()
    return district or LABELS["address"]


def suppress(kind: str, text: str) -> str:
    """Remove the value entirely."""
    return ""


def apply_operator(spec: dict, kind: str, text: str, book: PseudonymBook, reference: bool = False) -> str:
    """Return the replacement of `text` under the operator `spec` ({"operator": name, options}).

    `reference`: `text` is the full name a bare surname refers to; a mask then hides the surname.
    """
    name = spec.get("operator", "label")
    if reference and name == "mask":
        return spec.get("char", "*")
    if name == "mask":
        return mask(kind, text, spec.get("char", "*"))
    if name == "label":
        return label(kind, text, spec.get("label"))
    if name == "pseudonym":
        return book.get(kind, text, spec.get("prefix", ""))
    if name in ("generalize", "generalise"):
        return generalize(kind, text)
    if name == "suppress":
        return suppress(kind, text)
    raise ValueError(f"unknown de-identification operator {name!r}")


OPERATORS = ("mask", "label", "pseudonym", "generalize", "suppress")
