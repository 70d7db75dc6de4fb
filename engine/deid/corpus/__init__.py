"""The labelled corpus: synthetic documents of each type with hand-written label sidecars.

Each `NAME.txt` has a `NAME.json` giving the document type, the deid category and the personal
data as exact substrings (all occurrences, or the 1-based ones listed; with `in`, the needle
inside each occurrence of a longer context), written by hand rather than produced by the detector.
"""

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
PROSE = HERE.parent / "corpus_prose"
PATTERNS = HERE.parent / "corpus_patterns"
HELDOUT = HERE.parent / "corpus_heldout"
FRESH = HERE.parent / "corpus_fresh"


@dataclass
class Gold:
    start: int
    end: int
    kind: str
    keep: bool
    pattern: str = ""  # the leak pattern a label stands for (addr_bracket, name_ref …), when tagged


@dataclass
class Document:
    name: str
    type: str
    category: str
    text: str
    gold: list[Gold]


def _resolve(text: str, label: list) -> list[Gold]:
    needle, kind = label[0], label[1]
    options = label[2] if len(label) > 2 else {}
    # "in": the needle inside each occurrence of a longer context (a surname in "老宋说").
    context = options.get("in", needle)
    offset = context.find(needle)
    if offset < 0:
        raise ValueError(f"label {needle!r} not inside its context {context!r}")
    starts, pos = [], text.find(context)
    while pos >= 0:
        starts.append(pos + offset)
        pos = text.find(context, pos + 1)
    if not starts:
        raise ValueError(f"label {needle!r} not found")
    wanted = options.get("occurrence")
    chosen = [s for i, s in enumerate(starts, 1) if wanted is None or i in wanted]
    return [Gold(s, s + len(needle), kind, bool(options.get("keep")), options.get("pattern", "")) for s in chosen]


def load(name: str, directory: Path = HERE) -> Document:
    """Load one corpus document with its resolved gold spans."""
    text = (directory / f"{name}.txt").read_text(encoding="utf-8")
    meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    gold = [g for label in meta["labels"] for g in _resolve(text, label)]
    return Document(name, meta["type"], meta["category"], text, gold)


def load_all(directory: Path = HERE) -> list[Document]:
    """Load every document of a corpus (default: the forms corpus; `PROSE`: running text)."""
    return [load(p.stem, directory) for p in sorted(directory.glob("*.txt"))]
