"""Quality on the labelled corpus: the issue's recall and precision targets."""

from engine.deid.corpus import PROSE, load_all
from engine.deid.evaluate import evaluate


def test_corpus_covers_every_document_type():
    types = {d.type for d in load_all()}
    assert {"ysq_reply", "proposal_reply", "land_notice", "dibao", "penalty", "netizen_reply",
            "policy_text", "mandatory"} <= types
    assert len(load_all()) >= 25


def test_quality_targets():
    report = evaluate()
    assert report.overall.recall >= 0.98, report.errors
    assert report.kinds["person_name"].recall >= 0.95, report.errors
    assert report.overall.precision >= 0.97, report.errors
    assert report.visible_share < 0.01
    assert report.over_redaction_share < 0.005
    for kind, score in report.kinds.items():
        assert score.recall >= 0.9, (kind, report.errors)


def test_running_text_corpus_covers_the_document_types_of_the_issue():
    docs = load_all(PROSE)
    assert {"netizen_reply", "xinfang_reply", "news", "penalty", "proposal_reply", "appointment",
            "news_social"} <= {d.type for d in docs}
    assert sum(g.kind == "person_name" for d in docs for g in d.gold) >= 70


def test_running_text_quality():
    report = evaluate(load_all(PROSE))
    names = report.kinds["person_name"]
    assert names.recall >= 0.95 and names.precision >= 0.9, report.errors
    assert report.overall.recall >= 0.98, report.errors
    assert report.visible_share <= 0.01, report.errors
    assert report.redacted_share("place") <= 0.05, report.errors
    assert report.redacted_share("public_term") == 0, report.errors
