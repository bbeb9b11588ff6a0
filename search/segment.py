"""Chinese word segmentation for the search index (jieba).

Chinese is written without spaces, so both the indexed text and the query are
cut into words the same way before they meet: the index keeps every word of
the search mode (`知识产权` also as `知识` and `产权`), a query keeps the words
of the precise mode and each must appear in the document (as a word or the
start of one). Latin words and numbers are kept, lower-cased.

jieba's dictionary takes about a second to load: it is loaded once per
process, on the first use.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

# A query asks for at most this many words; more would only slow the search.
MAX_QUERY_TERMS = 8

_WORD = re.compile(r"[^\W_]+")
_loaded = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _loaded:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def _words(pieces: Iterable[str]) -> list[str]:
    """Only letters and digits: punctuation, spaces and symbols are dropped,
    and a piece holding both (`A-1`) is split at them."""
    words = []
    for piece in pieces:
        words.extend(_WORD.findall(piece.lower()))
    return words


def document(*texts: str | None) -> str:
    """The indexed form of some text: its words (search mode, each once, in
    order of first appearance) separated by spaces."""
    tokenizer = _jieba()
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            for word in _words(tokenizer.cut_for_search(text)):
                seen.setdefault(word, None)
    return " ".join(seen)


def query_terms(query: str) -> list[str]:
    """The words of a query (precise mode), each once, at most MAX_QUERY_TERMS."""
    seen: dict[str, None] = {}
    for word in _words(_jieba().cut(query)):
        seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_TERMS]
