"""The second held-out set of issue 22 (16 documents): 信访 replies, 公示, a 处罚决定, relief lists in
prose, 会议纪要, 答复 letters, a 公告送达, titles and 文号, a news item, social posts and a résumé,
written by hand before the second pass changed any code, and never tuned on.

Fake data only: IDs from python-stdnum (valid check digits, and typo'd ones with a real region code
and birth date). Each label may name its leak `pattern` (addr_bracket, addr_runon, addr_nocue,
name_kin, name_title, name_ref, name_foreign, id_typo, official …): bench/deid.py reports recall per
pattern.
"""
