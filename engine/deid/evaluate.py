"""Score the detector against the labelled corpus: per-kind precision and recall, the share of
personal characters left visible and the share of other characters redacted.

A finding counts when it overlaps a gold span of the same kind; the character shares measure
how exact the spans are. Places and public terms (邓小平理论) are labelled too, as spans that must
stay visible: the report counts how many of them were redacted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .core import deidentify, edits
from .corpus import Document, load_all


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    kinds: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    patterns: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))  # recall per leak pattern
    overall: Score = field(default_factory=Score)
    personal_chars: int = 0
    personal_visible: int = 0
    other_chars: int = 0
    other_redacted: int = 0
    errors: list[str] = field(default_factory=list)
    # kind ("place", "public_term") -> [labelled, redacted]
    untouchable: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def redacted_share(self, kind: str) -> float:
        total, hit = self.untouchable[kind]
        return hit / total if total else 0.0

    @property
    def visible_share(self) -> float:
        return self.personal_visible / self.personal_chars if self.personal_chars else 0.0

    @property
    def over_redaction_share(self) -> float:
        return self.other_redacted / self.other_chars if self.other_chars else 0.0


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


UNTOUCHABLE = ("place", "public_term")


def score_document(doc: Document, findings, report: Report) -> None:
    """Add one document's detection and character counts to `report`."""
    _score_untouchable(doc, findings, report)
    gold = [g for g in doc.gold if g.kind not in UNTOUCHABLE]
    doc = Document(doc.name, doc.type, doc.category, doc.text, gold)
    for g in doc.gold:
        hit = any(f.kind == g.kind and _overlaps(f, g) for f in findings)
        report.kinds[g.kind].tp += hit
        report.kinds[g.kind].fn += not hit
        if g.pattern:
            report.patterns[g.pattern].tp += hit
            report.patterns[g.pattern].fn += not hit
        if not hit:
            report.errors.append(f"{doc.name}: missed {g.kind} {doc.text[g.start:g.end]!r}"
                                 + (f" [{g.pattern}]" if g.pattern else ""))
    for f in findings:
        if not any(f.kind == g.kind and _overlaps(f, g) for g in doc.gold):
            report.kinds[f.kind].fp += 1
            report.errors.append(f"{doc.name}: false {f.kind} {f.text!r} ({f.reason})")
    personal = [False] * len(doc.text)
    for g in doc.gold:
        for i in range(g.start, g.end):
            personal[i] = personal[i] or not g.keep
    redacted = [False] * len(doc.text)
    for start, end, _ in edits(findings):
        for i in range(start, end):
            redacted[i] = True
    for is_personal, is_redacted in zip(personal, redacted, strict=True):
        if is_personal:
            report.personal_chars += 1
            report.personal_visible += not is_redacted
        else:
            report.other_chars += 1
            report.other_redacted += is_redacted


def _score_untouchable(doc: Document, findings, report: Report) -> None:
    # A place inside a labelled address is part of personal data, not a place name on its own.
    personal = [g for g in doc.gold if g.kind not in UNTOUCHABLE]
    spans = edits(findings)
    for g in doc.gold:
        if g.kind in UNTOUCHABLE and not any(_overlaps(g, p) for p in personal):
            counts = report.untouchable[g.kind]
            counts[0] += 1
            if any(start < g.end and g.start < end for start, end, _ in spans):
                counts[1] += 1
                report.errors.append(f"{doc.name}: redacted {g.kind} {doc.text[g.start:g.end]!r}")


def evaluate(documents: list[Document] | None = None, detector=None) -> Report:
    """Run `detector(text, category) -> findings` (default: ours) over the corpus and score it."""
    detector = detector or (lambda text, category: deidentify(text, category).findings)
    report = Report()
    for doc in documents if documents is not None else load_all():
        score_document(doc, detector(doc.text, doc.category), report)
    for s in report.kinds.values():
        report.overall.tp += s.tp
        report.overall.fn += s.fn
        report.overall.fp += s.fp
    return report
