"""Tell when several applicants ask for the same information (依申请转主动公开, Art. 44).

Descriptions are short Chinese texts written freely ("申请公开2026年城区道路改造工程的预算" /
"请提供城区道路改造工程2026年预算信息"). Character bigrams capture Chinese words without a
segmenter (jieba would add a large dictionary dependency for little gain on one-line texts), and
Jaccard similarity on them ignores word order; the boilerplate every request shares ("申请公开",
"相关信息") is removed first so it does not make unrelated requests look alike. Deterministic and
explainable: the score can be shown to the publisher.
"""

import re
import unicodedata

BOILERPLATE = ("申请公开", "请求公开", "申请获取", "请提供", "请公开", "申请提供", "提供", "公开", "获取",
               "相关信息", "有关信息", "政府信息", "的信息", "信息", "文件", "关于", "本人", "我单位", "贵单位",
               "贵机关", "请", "的", "和", "及", "与")
_KEEP = re.compile(r"[\w]", re.UNICODE)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    for phrase in BOILERPLATE:
        text = text.replace(phrase, " ")
    return "".join(ch if _KEEP.match(ch) and ch != "_" else " " for ch in text)


def bigrams(text: str) -> frozenset:
    grams = set()
    for chunk in normalize(text).split():
        if len(chunk) == 1:
            grams.add(chunk)
        grams.update(chunk[i:i + 2] for i in range(len(chunk) - 1))
    return frozenset(grams)


def jaccard(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)
