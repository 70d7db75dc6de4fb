"""Cut text into the index's tokens and a query into phrases of the same tokens.

Han (and kana/hangul) runs become overlapping character bigrams plus the run's last character
alone, one token per character position; Latin letters and digits become whole words. A query term
is then a phrase of consecutive tokens, so any substring of two or more characters is found exactly
and a single character by prefix (every occurrence begins a bigram or ends a run). Why bigrams and
not a word segmenter: see the measurement in `engine/search/__init__.py`.
"""

import re
import unicodedata
from dataclasses import dataclass

_BIGRAM_SCRIPT = "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
# One run of Han characters, or one word of other letters and digits (what FTS5's unicode61 keeps).
_RUN = re.compile(rf"([{_BIGRAM_SCRIPT}]+)|([^\W_{_BIGRAM_SCRIPT}]+)")
MAX_TERMS = 8
MAX_TERM_CHARS = 50


def normalize(text: str) -> str:
    """Fold width and case the same way for documents and queries (全角 ＡＢ１ = ab1)."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def tokens(text: str) -> list[str]:
    """The index's tokens of `text`, in order; a token's position is its index in the list."""
    out: list[str] = []
    for han, word in _RUN.findall(normalize(text)):
        if word:
            out.append(word)
        else:
            out.extend(han[i:i + 2] for i in range(len(han)))  # the last slice is the lone final character
    return out


@dataclass(frozen=True)
class Phrase:
    """One query term: tokens that must stand at consecutive positions; the last may be a prefix."""

    tokens: tuple[str, ...]
    prefix: bool
    runs: tuple[str, ...]  # the term's runs of letters, for highlighting the same places


def parse(query: str) -> list[Phrase]:
    """Split a query at spaces into phrases (every one must match); drop what has no letters."""
    phrases = []
    for term in normalize(query).split()[:MAX_TERMS]:
        phrase = _phrase(term[:MAX_TERM_CHARS])
        if phrase is not None and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _phrase(term: str) -> Phrase | None:
    runs = [m.group(0) for m in _RUN.finditer(term)]
    if not runs:
        return None
    out: list[str] = []
    for i, run in enumerate(runs):
        last = i == len(runs) - 1
        if not _RUN.fullmatch(run).group(1):
            out.append(run)
        elif len(run) == 1:
            out.append(run)  # alone: a prefix when last, else the run's final token in the text too
        else:
            # Inside the term a run ends where the text's does, so its final token is there too;
            # the term's last run may go on in the text, so only its bigrams are certain.
            out.extend(run[j:j + 2] for j in range(len(run) - 1))
            if not last:
                out.append(run[-1])
    last_run = runs[-1]
    prefix = len(last_run) == 1 or not _RUN.fullmatch(last_run).group(1)
    return Phrase(tuple(out), prefix, tuple(runs))
