"""Mark where a query's terms stand in a text: escaped HTML with <mark>, safe to put in a page.

Done here, on the stored text, rather than by the databases (`ts_headline`, FTS5 `snippet`): the
index holds bigrams, not the text, and one implementation gives both databases the same snippets.
A term matches as the index matches it: its runs of letters in order, with only punctuation or
spaces between them, after the same width and case folding.
"""

import html
import re

from engine.search import segment

SNIPPET_CHARS = 120
_BETWEEN = r"[\W_]*"


def _folded(text: str) -> tuple[str, "list[int] | range"]:
    """The text folded as the index folds it, and for each folded character its index in `text`."""
    folded = segment.normalize(text)
    if len(folded) == len(text):  # the usual case (one character for one): no map to build
        return folded, range(len(text))
    chars, origin = [], []
    for i, ch in enumerate(text):
        for folded in segment.normalize(ch):
            chars.append(folded)
            origin.append(i)
    return "".join(chars), origin


def _pattern(phrases) -> re.Pattern | None:
    alternatives = [_BETWEEN.join(re.escape(run) for run in p.runs) for p in phrases]
    alternatives.sort(key=len, reverse=True)  # the longest term first where two start together
    return re.compile("|".join(alternatives)) if alternatives else None


def spans(text: str, phrases) -> list[tuple[int, int]]:
    """(start, end) in `text` of every place a term matches, in order, not overlapping."""
    pattern = _pattern(phrases)
    if not text or pattern is None:
        return []
    folded, origin = _folded(text)
    return [(origin[m.start()], origin[m.end() - 1] + 1) for m in pattern.finditer(folded) if m.end() > m.start()]


def mark(text: str, phrases, start: int = 0, end: int | None = None, found=None) -> str:
    """`text[start:end]` escaped, with each match inside it in <mark> (`found`: its `spans`)."""
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in spans(text, phrases) if found is None else found:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        at = e
    out.append(html.escape(text[at:end]))
    return "".join(out)


def snippet(text: str, phrases, size: int = SNIPPET_CHARS) -> str:
    """A window of about `size` characters around the first match (the opening when none), marked."""
    text = " ".join((text or "").split())
    found = spans(text, phrases)
    start = max(0, found[0][0] - size // 4) if found else 0
    end = min(len(text), start + size)
    body = mark(text, phrases, start, end, found)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
