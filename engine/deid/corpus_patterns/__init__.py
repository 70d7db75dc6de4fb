"""The third labelled corpus: one small set per leak pattern of issue 22 (government prose with
bracketed and run-on addresses, titles and 文号, news, résumés, social-media posts), each written
by hand with fake names and IDs (valid check digits from python-stdnum, and typo'd ones).

`heldout_*` documents were written before the detector was tuned and are never tuned on; `dev_*`
are the development set. A label's `in` option places a short needle inside a longer context
("黄" in "黄说"), for references back to a person by surname.
"""
