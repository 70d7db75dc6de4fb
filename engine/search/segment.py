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
from functools import lru_cache

import numpy as np

_BIGRAM_SCRIPT = "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
# One run of Han characters, or one word of other letters and digits (what FTS5's unicode61 keeps).
_RUN = re.compile(rf"([{_BIGRAM_SCRIPT}]+)|([^\W_{_BIGRAM_SCRIPT}]+)")
MAX_TERMS = 8
MAX_TERM_CHARS = 50
# Full-width punctuation and the ideographic space, which NFKC folds to ASCII (one for one). Folding
# them first lets most Chinese text pass NFKC's quick check instead of being normalized character by
# character (ten times the time); the result is the same.
_WIDE_PUNCTUATION = re.compile("[\u3000\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e]")
_SPACE = 32


def _ascii(found: re.Match) -> str:
    wide = ord(found.group())
    return " " if wide == 0x3000 else chr(wide - 0xFEE0)


def normalize(text: str, punctuation=_ascii) -> str:
    """Fold width and case the same way for documents and queries (全角 ＡＢ１ = ab1); `punctuation`
    " " folds full-width punctuation to spaces instead (the same tokens, for indexing: faster)."""
    text = _WIDE_PUNCTUATION.sub(punctuation, text or "")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def tokens(text: str) -> list[str]:
    """The index's tokens of `text`, in order; a token's position is its index in the list."""
    out: list[str] = []
    for han, word in _RUN.findall(normalize(text)):
        if word:
            out.append(word)
        else:
            out.extend(han[i:i + 2] for i in range(len(han)))  # the last slice is the lone final character
    return out


@lru_cache(maxsize=1)
def _classes() -> tuple[np.ndarray, np.ndarray]:
    """For every character of the Basic Multilingual Plane: is it a token's (a letter or digit, or of
    the bigram scripts), and is it of the bigram scripts; as `_RUN` says (about 10 ms, once)."""
    chars = "".join(map(chr, range(0x10000))).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(chars, dtype=np.uint32)
    bigram = np.array([bool(_RUN.fullmatch(chr(c)) and _RUN.fullmatch(chr(c)).group(1)) if 0xD800 > c or c > 0xDFFF
                       else False for c in range(0x10000)])
    word = np.array([c.isalnum() for c in map(chr, codes.tolist())]) | bigram
    return word, bigram


def token_string(text: str) -> str:
    """`" ".join(tokens(text))` (separated by one or more spaces), for indexing many documents: the
    same tokens, made by array operations over the text's code points rather than slice by slice
    (five times faster on a 1,400-character document; `gongkai reindex` spends its time here)."""
    folded = normalize(text, " ")
    if not folded:
        return ""
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    word_table, bigram_table = _classes()
    bmp = np.minimum(codes, 0xFFFF)
    word, bigram = np.zeros(len(codes) + 1, dtype=bool), np.zeros(len(codes) + 1, dtype=bool)
    word[:-1], bigram[:-1] = word_table[bmp], bigram_table[bmp]
    for i in np.flatnonzero(codes > 0xFFFF).tolist():  # rare: ask the pattern
        found = _RUN.fullmatch(chr(codes[i]))
        word[i], bigram[i] = bool(found), bool(found and found.group(1))
    word, bigram, next_bigram = word[:-1], bigram[:-1], bigram[1:]
    after = np.zeros_like(codes)
    after[:-1] = codes[1:]
    out = np.zeros((len(codes), 3), dtype=np.uint32)
    # A letter stays; a separator becomes one space, unless a space was just written.
    previous_ended = np.ones(len(codes), dtype=bool)
    previous_ended[1:] = ~word[:-1] | bigram[:-1]
    out[:, 0] = np.where(word, codes, np.where(previous_ended, 0, _SPACE))
    out[:, 1] = np.where(bigram & next_bigram, after, 0)  # a bigram's second character
    out[:, 2] = np.where(bigram | (word & next_bigram), _SPACE, 0)  # after each bigram, or a word before one
    flat = out.ravel()
    return flat[flat != 0].tobytes().decode("utf-32-le").strip()


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
