"""The second labelled corpus: running text (留言 replies, 信访答复, 工作动态, 处罚决定书 narratives,
提案复文, 任免通知) with names that have no cue word, written by hand independently of the detector.

Same format as `engine.deid.corpus`; places and public terms are labelled (kind "place" or
"public_term", keep) so the benchmark can count how many of them were wrongly redacted.
"""
