"""Benchmark engine.deid on the three labelled corpora, with and without the statistical recognizer,
beside the recognizer's raw person spans (so a filter that throws away good model names shows up
as a number) and against Microsoft Presidio.

Each corpus is reported per kind and per group of documents (pattern type, development or held-out
set). Run: .venv/bin/python bench/deid.py [--rounds N] [--errors] [--corpus NAME]. Speed is characters per CPU-second
of this process in its fastest pass (the model runs on one onnxruntime thread), so other load on
the machine counts against it as little as possible; wall-clock speed is printed beside it. Presidio (the `bench` extra) is configured
offline for Chinese: a blank spaCy "zh" pipeline and one PatternRecognizer per kind.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.deid import (  # noqa: E402
    Finding,
    deidentify,
    model_names,  # noqa: E402
    recognizer,  # noqa: E402
    warm_up,
)
from engine.deid.core import assign_replacements, detect, render  # noqa: E402
from engine.deid.corpus import FRESH, HELDOUT, PATTERNS, PROSE, load_all  # noqa: E402
from engine.deid.evaluate import Report, evaluate  # noqa: E402
from engine.deid.policy import get_policy, is_redacted  # noqa: E402

SURNAME = "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤]"
CUES = "申请人|户主|联系人|经办人|委员|代表|当事人|姓名|留言人|来信人|负责人|法定代表人|经营者|被处罚人"
PRESIDIO_PATTERNS = {
    "id_card": r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])",
    "mobile": r"(?<!\d)1[3-9]\d{9}(?!\d)",
    "landline": r"(?<![\d-])0\d{2,3}[- ]?[2-9]\d{6,7}(?!\d)",
    "bank_card": r"(?<!\d)62\d{14,17}(?!\d)",
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "person_name": rf"(?<=(?:{CUES})[：:]?){SURNAME}[\u4e00-\u9fff]{{1,2}}",
    "address": r"[\u4e00-\u9fff]{2,10}(?:市|区|县)[\u4e00-\u9fff\d]{2,20}?\d+号(?:[\d\u4e00-\u9fff]{0,12}室)?",
    "plate": r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\-]?[A-Z0-9]{5,6}",
    "passport": r"(?<![0-9A-Za-z])[EG]\d{8}(?![0-9A-Za-z])",
    "credit_code_individual": r"(?<![0-9A-Za-z])92\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])",
}


def build_presidio():
    """Return a Presidio AnalyzerEngine that runs offline on Chinese text, or None with a reason."""
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError as exc:
        return None, f"presidio-analyzer not installed ({exc})"

    class BlankChineseEngine(SpacyNlpEngine):
        """spaCy's blank Chinese pipeline: character tokens, nothing downloaded."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "zh", "model_name": "blank"}])

        def load(self):
            self.nlp = {"zh": spacy.blank("zh")}

    registry = RecognizerRegistry(supported_languages=["zh"])
    for kind, regex in PRESIDIO_PATTERNS.items():
        registry.add_recognizer(PatternRecognizer(supported_entity=kind, supported_language="zh",
                                                  patterns=[Pattern(kind, regex, 0.6)]))
    engine = AnalyzerEngine(nlp_engine=BlankChineseEngine(), registry=registry, supported_languages=["zh"])
    return engine, ""


def presidio_detector(engine):
    def detect_presidio(text: str, category: str) -> list[Finding]:
        return [Finding(r.start, r.end, r.entity_type, text[r.start:r.end], replacement="", reason="presidio")
                for r in engine.analyze(text, language="zh")]
    return detect_presidio


def rules_only(text: str, category: str) -> list[Finding]:
    """The detector as it was before the recognizer: cue rules only (for the comparison)."""
    policy = get_policy(category)
    findings = detect(text, policy, model=False)
    for f in findings:
        f.redacted = is_redacted(policy, f.kind)
    assign_replacements(findings, policy)
    render(text, findings)
    return findings


def raw_model(text: str, category: str) -> list[Finding]:
    """The recognizer's person spans as they come out of it, on every clause, before any filter."""
    pieces = recognizer.segments(text, candidates_only=False)
    tags = recognizer.tagger().tag([p for _, p in pieces]) if pieces else []
    return [Finding(offset + m.start(), offset + m.end(), "person_name", text[offset + m.start():offset + m.end()],
                    replacement="", reason="raw model")
            for (offset, _), letters in zip(pieces, tags, strict=True) for m in recognizer.PERSON.finditer(letters)]


def throughput(detect_fn, docs, rounds: int) -> tuple[float, float]:
    """Return (chars per CPU-second, chars per wall-second) of the fastest of `rounds` passes.

    The fastest pass is the one least disturbed by other processes on a shared machine (as timeit).
    """
    chars = sum(len(d.text) for d in docs)
    cpu_best = wall_best = float("inf")
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for d in docs:
            detect_fn(d.text, d.category)
        cpu_best = min(cpu_best, time.process_time() - cpu)
        wall_best = min(wall_best, time.perf_counter() - wall)
    return chars / cpu_best, chars / wall_best


def print_report(title: str, report: Report) -> None:
    print(f"\n== {title}")
    print(f"{'kind':24} {'P':>6} {'R':>6} {'tp':>4} {'fn':>4} {'fp':>4}")
    for kind, s in sorted(report.kinds.items()):
        print(f"{kind:24} {s.precision:6.3f} {s.recall:6.3f} {s.tp:4} {s.fn:4} {s.fp:4}")
    o = report.overall
    names = report.kinds["person_name"]
    print(f"{'overall':24} {o.precision:6.3f} {o.recall:6.3f} {o.tp:4} {o.fn:4} {o.fp:4}")
    print(f"name recall {names.recall:.3f} precision {names.precision:.3f}; personal chars left visible "
          f"{report.visible_share:.2%} ({report.personal_visible}/{report.personal_chars}); other chars "
          f"redacted {report.over_redaction_share:.2%} ({report.other_redacted}/{report.other_chars})")
    for kind, (total, hit) in sorted(report.untouchable.items()):
        print(f"{kind} labels redacted: {report.redacted_share(kind):.1%} ({hit}/{total})")


def groups(docs, all_heldout: bool = False) -> dict[str, list]:
    """The documents per set (held-out or development) and pattern type, then per set."""
    out: dict[str, list] = {}
    for d in docs:
        part = "heldout" if all_heldout or d.name.startswith(("holdout", "heldout")) else "dev"
        out.setdefault(f"{part} {d.type}", []).append(d)
    for part in ("dev", "heldout"):
        out[f"{part} (all)"] = [d for key, group in out.items() if key.startswith(part + " ") for d in group]
    return {k: v for k, v in out.items() if v}


def print_groups(docs, all_heldout: bool = False) -> None:
    """One line per group: overall and name scores, the raw model's names, what stays visible."""
    print(f"\n{'group':22} {'docs':>4} {'R':>6} {'P':>6} {'nameR':>6} {'nameP':>6} {'modelR':>6} {'modelP':>6} "
          f"{'visible':>8} {'places':>7} {'public':>7}")
    for key, group in sorted(groups(docs, all_heldout).items()):
        ours, raw = evaluate(group), evaluate(group, raw_model)
        names, model = ours.kinds["person_name"], raw.kinds["person_name"]
        print(f"{key:22} {len(group):4} {ours.overall.recall:6.3f} {ours.overall.precision:6.3f} {names.recall:6.3f} "
              f"{names.precision:6.3f} {model.recall:6.3f} {model.precision:6.3f} {ours.visible_share:8.2%} "
              f"{ours.redacted_share('place'):7.1%} {ours.redacted_share('public_term'):7.1%}")


def print_patterns(docs) -> None:
    """Recall per leak pattern (labels tagged with one), beside the raw model's for the name patterns."""
    ours, raw = evaluate(docs), evaluate(docs, raw_model)
    if not ours.patterns:
        return
    print(f"\n{'pattern':16} {'labels':>6} {'R':>6} {'missed':>6} {'modelR':>6}")
    for pattern, s in sorted(ours.patterns.items()):
        model = raw.patterns[pattern]
        shown = f"{model.recall:6.3f}" if pattern.startswith(("name", "official")) else f"{'':6}"
        print(f"{pattern:16} {s.tp + s.fn:6} {s.recall:6.3f} {s.fn:6} {shown}")


def print_dropped(docs) -> None:
    """Each labelled name the model read as a person that we still miss, with the filter that threw
    it out (model_names.judge) — or "kept" when a later step lost it."""
    counts: dict[str, int] = {}
    for d in docs:
        ours = [f for f in deidentify(d.text, d.category).findings if f.kind == "person_name"]
        gold = [g for g in d.gold if g.kind == "person_name" and not any(f.start < g.end and g.start < f.end for f in ours)]
        for span, _found, why in model_names.judge(d.text, recognizer.read(d.text)):
            for g in gold:
                if span.start < g.end and g.start < span.end:
                    counts[why] = counts.get(why, 0) + 1
                    print(f"  model read {d.text[span.start:span.end]!r} for {d.text[g.start:g.end]!r} ({d.name}): {why}")
    print(f"names the model read and we miss, per filter: {counts or 'none'}")


def run_corpus(title: str, docs, presidio, rounds: int, show_errors: bool, all_heldout: bool = False) -> None:
    print(f"\n######## {title}: {len(docs)} documents, {sum(len(d.text) for d in docs)} characters, "
          f"{sum(len(d.gold) for d in docs)} labelled spans")
    ours = evaluate(docs)
    print_report("engine.deid (rules + recognizer)", ours)
    if show_errors:
        print("\n".join(ours.errors))
    print_report("the recognizer's raw person spans (every clause, no filter)", evaluate(docs, raw_model))
    print_groups(docs, all_heldout)
    print_patterns(docs)
    print_dropped(docs)
    print_report("engine.deid rules only (before the recognizer)", evaluate(docs, rules_only))
    cpu, wall = throughput(lambda t, c: deidentify(t, c), docs, rounds)
    print(f"\nengine.deid with the model: {cpu:,.0f} chars/CPU-s ({wall:,.0f} chars/s wall) detect + redact")
    cpu, wall = throughput(rules_only, docs, rounds)
    print(f"engine.deid rules only:     {cpu:,.0f} chars/CPU-s ({wall:,.0f} chars/s wall)")
    if presidio is None:
        return
    print_report("presidio (regex recognizers, blank zh pipeline)", evaluate(docs, presidio))
    cpu, wall = throughput(presidio, docs, rounds)
    print(f"\npresidio: {cpu:,.0f} chars/CPU-s ({wall:,.0f} chars/s wall) analyze only")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="passes over each corpus for the timing")
    parser.add_argument("--errors", action="store_true", help="list every miss and false finding")
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append",
                        help="run only this corpus (repeatable; default: all)")
    args = parser.parse_args()
    started = time.perf_counter()
    warm_up()
    print(f"model loaded in {time.perf_counter() - started:.2f}s")
    engine, why = build_presidio()
    if engine is None:
        print(f"presidio: not run: {why}")
    presidio = presidio_detector(engine) if engine is not None else None
    for name in args.corpus or CORPORA:
        title, directory = CORPORA[name]
        run_corpus(title, load_all(directory) if directory else load_all(), presidio, args.rounds, args.errors,
                   all_heldout=directory in (HELDOUT, FRESH))
    return 0


CORPORA = {
    "forms": ("forms corpus (engine/deid/corpus)", None),
    "prose": ("running-text corpus (engine/deid/corpus_prose)", PROSE),
    "patterns": ("pattern corpus (engine/deid/corpus_patterns)", PATTERNS),
    "heldout": ("second held-out set (engine/deid/corpus_heldout, never tuned on)", HELDOUT),
    "fresh": ("third held-out set (engine/deid/corpus_fresh, written before the third pass, never tuned on)", FRESH),
}


if __name__ == "__main__":
    sys.exit(main())
