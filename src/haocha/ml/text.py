"""Text normalisation and tokenisation shared by every model and by training.

Module-level functions (not lambdas) so that fitted scikit-learn vectorizers that use them
can be pickled into the model file and loaded by the service."""

import logging
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """jieba words of a normalised text, without blanks. Cached: the fake-review, sentiment
    and prepaid models all read the words of the same review, and jieba is the slow part."""
    return tuple(w for w in jieba.lcut(normalize(text)) if not w.isspace())


def word_tokens(text: str) -> list[str]:
    """Tokenizer for `TfidfVectorizer(tokenizer=word_tokens, lowercase=False)`."""
    return list(words(text))
