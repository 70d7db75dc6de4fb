"""The index's tokens made for many documents at once (`segment.token_string`, array operations)
are the tokens a query is matched against (`segment.tokens`), whatever the script or width."""

import random

from engine.search import segment

SAMPLES = ["关于2026年财政预算的公告，全文见附件。", "abc公开x1 2.5 公", "Ｈello世界_foo", "ＡＢＣ１２３全角", "a公b开c",
           "・カタカナ・テスト", "𠀀𠀁 a𠀂", "Ⅻ号 ①② ﬁle", "İstanbul ß", "x\u3000y", "，。", "", "   ", "公"]


def test_the_tokens_for_the_index_are_the_tokens_a_query_is_cut_into():
    rng = random.Random(1)
    pool = "公开政务abc123 ，。_・ｘ１Ⅻ𠀀ﬁ\u3000İß゛"
    samples = SAMPLES + ["".join(rng.choice(pool) for _ in range(rng.randrange(40))) for _ in range(2000)]
    for text in samples:
        made = segment.token_string(text)
        assert (made.split(" ") if made else []) == segment.tokens(text), text


def test_full_width_punctuation_folds_as_nfkc_folds_it():
    assert segment.normalize("教育，财政　预算（ＡＢ）") == "教育,财政 预算(ab)"
