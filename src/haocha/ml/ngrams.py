"""Character n-grams of a batch of texts, counted in numpy: the text features of every model
in the scorer, and all that the web process needs for the review form's sentiment check
(no scikit-learn, so a web process that scores nothing else stays small).

Why numpy and not scikit-learn's analyzer: the char analyzer costs about 0.4 ms of CPU for a
130-character review and NFKC about 0.05 ms, while the whole scorer has 0.5 ms (2,000
reviews a second on one core). Here a whole batch is folded, cut and hashed at once, with
no Python loop per review or per n-gram."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

_CODE_BITS = 21  # Unicode code points are below 0x110000 < 2**21
_FULLWIDTH_FIRST, _FULLWIDTH_LAST, _FULLWIDTH_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
# What str.isspace() calls whitespace; all of it becomes one ASCII space.
_SPACES = np.array(
    [
        0x09,
        0x0A,
        0x0B,
        0x0C,
        0x0D,
        0x1C,
        0x1D,
        0x1E,
        0x1F,
        0x20,
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x3000,
    ],
    dtype=np.uint32,
)
# Fibonacci hashing: multiply by 2**64 / golden ratio, keep the top bits.
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def folded_codes(texts: Sequence[str]) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """The code points of all texts, folded as `normalize` folds them where it matters for
    Chinese reviews (full-width ASCII forms to half-width, ASCII to lower case, runs of
    whitespace to one space, no space at either end), and the text index of each code.
    Unlike `normalize` this skips the rest of NFKC (circled digits, ligatures, …): rare in
    reviews, and training and scoring fold alike."""
    # NUL separates texts; a NUL inside a text is dropped first.
    joined = "\x00".join(t.replace("\x00", "") for t in texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    wide = (codes >= _FULLWIDTH_FIRST) & (codes <= _FULLWIDTH_LAST)
    codes[wide] -= _FULLWIDTH_SHIFT
    upper = (codes >= ord("A")) & (codes <= ord("Z"))
    codes[upper] += ord("a") - ord("A")
    space = np.isin(codes, _SPACES)
    codes[space] = ord(" ")
    separator = codes == 0
    # A space is dropped when it follows a space or a text boundary, or precedes a boundary.
    before = np.concatenate(([True], space[:-1] | separator[:-1]))
    after = np.concatenate((separator[1:], [True]))
    keep = ~(space & (before | after))
    codes, separator = codes[keep], separator[keep]
    documents = np.cumsum(separator, dtype=np.int64) - separator
    return codes, documents


def ngram_keys(texts: Sequence[str], max_n: int) -> tuple[NDArray[np.int64], NDArray[np.uint64]]:
    """(text index, n-gram key) of every character 1..max_n-gram of the folded texts. A key
    packs the n code points (each + 1, so that 0 marks a boundary) into 21-bit fields: keys
    of different lengths never collide, and max_n <= 3 fits in 64 bits."""
    codes, documents = folded_codes(texts)
    fields = codes.astype(np.uint64) + np.uint64(1)
    fields[codes == 0] = 0
    all_documents: list[NDArray[np.int64]] = []
    all_keys: list[NDArray[np.uint64]] = []
    for n in range(1, max_n + 1):
        length = len(fields) - n + 1
        if length <= 0:
            break
        keys = fields[:length].copy()
        valid = keys != 0
        for offset in range(1, n):
            following = fields[offset : offset + length]
            keys = (keys << np.uint64(_CODE_BITS)) | following
            valid &= following != 0
        all_documents.append(documents[:length][valid])
        all_keys.append(keys[valid])
    if not all_keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(all_documents), np.concatenate(all_keys)


def hashed_ngrams(
    texts: Sequence[str], max_n: int, hash_bits: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(text index, bucket) of every character 1..max_n-gram, the keys hashed into
    2**hash_bits buckets."""
    documents, keys = ngram_keys(texts, max_n)
    buckets = (keys * _HASH_MULTIPLIER) >> np.uint64(64 - hash_bits)
    return documents, buckets.astype(np.int64)


def tfidf_cells(
    texts: Sequence[str],
    max_n: int,
    hash_bits: int,
    columns: NDArray[np.int32],
    idf: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """The non-zero cells (row, column, value) of the texts' sublinear TF-IDF matrix, rows
    l2-normalised, in row-major order: `columns` maps a bucket to its column (-1 for a
    bucket dropped in training), `idf` holds each column's weight."""
    documents, buckets = hashed_ngrams(texts, max_n, hash_bits)
    found = columns[buckets]
    known = found >= 0
    width = len(idf)
    # One sort of (text, column) codes both sums the counts and orders the entries the
    # way a CSR matrix wants them, cheaper than scipy's per-row sorting.
    cells, counts = np.unique(documents[known] * width + found[known], return_counts=True)
    rows, cols = np.divmod(cells, width)
    data = (1.0 + np.log(counts)) * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=data**2, minlength=len(texts)))
    data /= norms[rows]
    return rows, cols, data
