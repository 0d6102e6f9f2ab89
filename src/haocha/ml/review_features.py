"""scikit-learn transformers that turn a sequence of `ReviewInput` into model features.

They live in the service's package (not in `ml/`) because a fitted model file refers to them
by module path: the service imports this module when it unpickles the model. Both are
stateless and cheap (a few microseconds a review), since the scorer must keep up with
thousands of reviews a second on one core.

Missing values never become NaN or infinity: a missing level or dimension is 0 (the levels
are 1-5, so 0 is out of band and tree models split it off), a missing amount is -1, and a
flag column says that the amount was missing."""

import re
from collections.abc import Sequence
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from haocha.ml.contract import ReviewInput

DIMENSIONS = ("attitude", "quality", "price", "environment")

# Sentence-ending and clause punctuation, full- and half-width: templated paid reviews are
# long runs of short clauses, honest ones are terser or ramble without stops.
_PUNCTUATION = re.compile(r"[，。！？、；：,.!?;:~～…]")
# Bracketed dish names (「肥胼」【推荐】[赞]) are typical of reviews written to a brief.
_BRACKETS = re.compile(r"[「」【】\[\]『』]")
_DIGITS = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")

METADATA_FEATURES = (
    "level",
    "level_missing",
    "attitude",
    "quality",
    "price",
    "environment",
    "dimensions_given",
    "dimensions_at_max",
    "dimension_spread",
    "level_minus_dimensions",
    "amount",
    "amount_missing",
    "photos",
    "likes",
    "replied",
    "verified",
    "prepaid",
    "hour",
    "weekday",
    "time_missing",
    "author_review_count",
    "author_good_share",
    "same_client_recent",
    "provider_review_count",
    "text_chars",
    "text_lines",
    "punctuation_share",
    "distinct_char_share",
    "bracket_count",
    "digit_count",
    "latin_count",
)


def _dimension(review: ReviewInput, name: str) -> int:
    value = review.dimensions.get(name)
    # Out-of-range values from a sloppy caller count as missing rather than as extremes.
    return value if isinstance(value, int) and 1 <= value <= 5 else 0


def metadata_row(review: ReviewInput) -> list[float]:
    """The metadata features of one review, in the order of `METADATA_FEATURES`."""
    level = review.level if review.level is not None and 1 <= review.level <= 5 else 0
    dims = [_dimension(review, name) for name in DIMENSIONS]
    given = [d for d in dims if d]
    spread = float(max(given) - min(given)) if given else 0.0
    # How far the overall level sits above the dimension scores: a 5 over middling
    # dimensions is a level given for its own sake.
    level_gap = level - sum(given) / len(given) if given and level else 0.0
    amount = review.amount
    amount_known = amount is not None and np.isfinite(amount) and amount > 0
    created = review.created_at
    # The text as written, not normalised: NFKC would double the cost of this row, and
    # the statistics below read the same on full- and half-width forms.
    text = review.text.strip()
    chars = len(text)
    share = review.author_good_share
    return [
        float(level),
        float(level == 0),
        *(float(d) for d in dims),
        float(len(given)),
        float(sum(d == 5 for d in dims)),
        spread,
        level_gap,
        # log1p: amounts span 0 to thousands of yuan and the trees only need the order,
        # but reasons and any linear model read better on a compressed scale.
        float(np.log1p(amount)) if amount_known and amount is not None else -1.0,
        float(not amount_known),
        float(max(review.photos, 0)),
        float(max(review.likes, 0)),
        float(review.replied),
        float(review.verified),
        float(review.prepaid),
        float(created.hour) if created else -1.0,
        float(created.weekday()) if created else -1.0,
        float(created is None),
        float(max(review.author_review_count, 0)),
        share if share is not None and 0.0 <= share <= 1.0 else -1.0,
        float(max(review.same_client_recent, 0)),
        float(max(review.provider_review_count, 0)),
        float(chars),
        float(review.text.count("\n")),
        len(_PUNCTUATION.findall(text)) / (chars + 1),
        len(set(text)) / (chars + 1),
        float(len(_BRACKETS.findall(text))),
        float(len(_DIGITS.findall(text))),
        float(len(_LATIN.findall(text))),
    ]


class ReviewMetadata(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Reviews -> a dense float matrix of the `METADATA_FEATURES` (no text n-grams)."""

    def fit(self, reviews: Sequence[ReviewInput], y: Any = None) -> Self:
        return self

    def transform(self, reviews: Sequence[ReviewInput]) -> NDArray[np.float64]:
        matrix = np.array([metadata_row(r) for r in reviews], dtype=np.float64)
        return matrix.reshape(len(reviews), len(METADATA_FEATURES))

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.str_]:
        return np.array(METADATA_FEATURES)


class ReviewText(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Reviews -> their texts as written, for a text vectorizer further down a pipeline
    (`CharNgramTfidf` folds a whole batch at once, faster than text by text)."""

    def fit(self, reviews: Sequence[ReviewInput], y: Any = None) -> Self:
        return self

    def transform(self, reviews: Sequence[ReviewInput]) -> list[str]:
        return [r.text for r in reviews]


# Character n-grams are counted on code-point arrays of a whole batch at once (numpy, no
# Python loop per review or per n-gram): scikit-learn's char analyzer costs about 0.4 ms
# of CPU for a 130-character review and NFKC about 0.05 ms, while the whole scorer has
# 0.5 ms.
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


def _ngram_keys(texts: Sequence[str], max_n: int) -> tuple[NDArray[np.int64], NDArray[np.uint64]]:
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


class CharNgramTfidf(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Hashed character 1..max_n-gram TF-IDF: what scikit-learn's `TfidfVectorizer(
    analyzer="char", ngram_range=(1, max_n), sublinear_tf=True, min_df=min_df)` computes on
    `normalize`d texts (smooth idf, l2-normalised rows), with the n-grams hashed into
    2**hash_bits buckets and counted for the whole batch in numpy: 24 µs of CPU a review
    instead of 400 µs (dp_cdc, batches of 1,000).

    Buckets seen in fewer than `min_df` training texts are dropped; the rest are the
    columns. dp_cdc's 296,251 distinct n-grams fill 258,089 of the 2**20 buckets (most
    n-grams are seen once and dropped anyway); the collisions are the usual price of the
    hashing trick."""

    def __init__(self, max_n: int = 3, min_df: int = 2, hash_bits: int = 20) -> None:
        self.max_n = max_n
        self.min_df = min_df
        self.hash_bits = hash_bits

    def _buckets(self, texts: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        documents, keys = _ngram_keys(texts, self.max_n)
        buckets = (keys * _HASH_MULTIPLIER) >> np.uint64(64 - self.hash_bits)
        return documents, buckets.astype(np.int64)

    def fit(self, texts: Sequence[str], y: Any = None) -> Self:
        documents, buckets = self._buckets(texts)
        width = 1 << self.hash_bits
        # Document frequency: count each (text, bucket) pair once.
        pairs = np.unique(documents * width + buckets)
        frequency = np.bincount(pairs % width, minlength=width)
        kept = frequency >= self.min_df
        self.columns_: NDArray[np.int32] = np.where(kept, np.cumsum(kept) - 1, -1).astype(np.int32)
        self.idf_: NDArray[np.float64] = (
            np.log((1 + len(texts)) / (1 + frequency[kept].astype(np.float64))) + 1
        )
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        documents, buckets = self._buckets(texts)
        columns = self.columns_[buckets]
        known = columns >= 0
        width = len(self.idf_)
        # One sort of (text, column) codes both sums the counts and orders the entries the
        # way a CSR matrix wants them, cheaper than scipy's per-row sorting.
        cells, counts = np.unique(documents[known] * width + columns[known], return_counts=True)
        rows, cols = np.divmod(cells, width)
        data = (1.0 + np.log(counts)) * self.idf_[cols]
        norms = np.sqrt(np.bincount(rows, weights=data**2, minlength=len(texts)))
        data /= norms[rows]
        pointers = np.searchsorted(rows, np.arange(len(texts) + 1))
        matrix = sparse.csr_matrix((data, cols, pointers), shape=(len(texts), width))
        return matrix


class OutOfFoldScore(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """One column: the decision score of a text classifier, for stacking under a second model.

    `fit_transform` returns out-of-fold scores (each training review scored by a copy of the
    classifier that never saw it), so the model stacked on top learns how far the text score
    can be trusted on unseen text, not on text the classifier memorised. `transform` scores
    with the classifier refitted on all the training data."""

    def __init__(self, classifier: Any = None, folds: int = 5, seed: int = 0) -> None:
        self.classifier = classifier
        self.folds = folds
        self.seed = seed

    def _score(self, model: Any, reviews: Sequence[ReviewInput]) -> NDArray[np.float64]:
        return np.asarray(model.decision_function(reviews), dtype=np.float64).reshape(-1, 1)

    def fit(self, reviews: Sequence[ReviewInput], y: Any) -> Self:
        self.classifier_ = clone(self.classifier).fit(reviews, y)
        return self

    def fit_transform(
        self, reviews: Sequence[ReviewInput], y: Any = None, **fit_params: Any
    ) -> NDArray[np.float64]:
        folds = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed)
        scores = cross_val_predict(
            clone(self.classifier), reviews, y, cv=folds, method="decision_function"
        )
        self.fit(reviews, y)
        return np.asarray(scores, dtype=np.float64).reshape(-1, 1)

    def transform(self, reviews: Sequence[ReviewInput]) -> NDArray[np.float64]:
        return self._score(self.classifier_, reviews)

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.str_]:
        return np.array(["text_score"])
