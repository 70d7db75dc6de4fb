"""The third held-out set (issue 22, third pass): government letters, a 公示, titles and 文号, a
处罚决定, news, social posts and a résumé, written by hand before the third pass changed any code,
and never tuned on. Fake data only (IDs with check digits from python-stdnum, typo'd ones too).
"""
