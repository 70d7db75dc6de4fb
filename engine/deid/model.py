"""Data types shared by the de-identification modules.

A `Finding` is one span of personal data in the original text; a `Redaction` is the published
text together with every finding that produced it (kept ones included, so they can be reviewed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = (
    "id_card",
    "mobile",
    "landline",
    "bank_card",
    "email",
    "person_name",
    "address",
    "plate",
    "passport",
    "credit_code_individual",
    # Not a kind of personal datum but a block DOMAIN.md §3 says to drop from proposal replies.
    "cc_list",
)


@dataclass
class Finding:
    start: int
    end: int
    kind: str
    text: str
    redacted: bool = True
    replacement: str | None = None
    score: float = 1.0
    reason: str = ""
    # For a later reference to a person (老黄, 鞠说): the full name it refers to, whose pseudonym it takes.
    refers_to: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


@dataclass
class Redaction:
    text: str
    findings: list[Finding] = field(default_factory=list)
    category: str = "general"

    def to_dict(self) -> dict:
        return {"text": self.text, "category": self.category, "findings": findings_to_dict(self.findings)}


def findings_to_dict(findings: list[Finding]) -> list[dict]:
    """Return the findings as JSON-ready dicts."""
    return [f.to_dict() for f in findings]
