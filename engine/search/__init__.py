"""Full-text search over the catalogue (public) and the staff's instances, on both databases.

`index` keeps the index tables in step with documents and instances in the caller's transaction
and rebuilds them (`gongkai reindex`); `query` answers with a ranked page and its total;
`highlight` marks the terms in escaped HTML; `segment` cuts text and queries into the same tokens;
`postgres` (tsvector + GIN) and `sqlite` (FTS5) are the two implementations behind one interface.

Why character bigrams (measured by `bench/search.py`, which prints it again): over the 253
paragraphs of the three seed work plans, with "the paragraph contains the string" as the truth,
bigrams find every paragraph and only those (recall / precision 1.000 / 1.000) for 400 two-character
words of jieba's dictionary, 300 single characters and 200 phrases of 6-10 characters; jieba 0.42.1
(documents cut for search, queries cut, every word required) reaches 0.848 / 0.992 for two-character
words, 0.087 / 1.000 for single characters and 0.459 / 0.834 for long phrases: a query word inside a
longer dictionary word is no token of its own, and a phrase cut differently from its text is missed.
The price is a larger index (about one token per character), which both databases handle.
"""
