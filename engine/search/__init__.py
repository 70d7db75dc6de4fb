"""Full-text search over the catalogue (public) and the staff's instances, on both databases.

`index` keeps the index tables in step with documents and instances in the caller's transaction
and rebuilds them (`gongkai reindex`); `query` answers with a ranked page and its total;
`highlight` marks the terms in escaped HTML; `segment` cuts text and queries into the same tokens;
`postgres` (tsvector + GIN) and `sqlite` (FTS5) are the two implementations behind one interface.

Why character bigrams (see `bench/search.py`, which prints this measurement again): over the five
seed documents, with "contains the string" as the truth, bigrams find every document for every
two-character word, single character and long phrase (recall 1.00 by construction, precision 1.00);
jieba 0.42.1 (search mode, words as tokens) found 0.86 of two-character words, 0.00 of single
characters that are not words by themselves, and 0.93 of long phrases (see the bench for the exact
figures), because a query word inside a longer segmented word is not a token of its own.
"""
