"""The field's knowledge that every later step asks: text and value rules (CONTRACT §4), the
vocabulary, jieba's segmenter, table kinds and the arithmetic self-checks.

It may import only the root model (:mod:`extractor.model`, :mod:`extractor.records`); readers,
layout and everything above them import it.
"""
