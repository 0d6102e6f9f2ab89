"""The fake-review model's parts that a fitted model file refers to, so the service can
unpickle it: they live in the service's package (not in `ml/`), and the service imports this
module when it loads the model.

- `ReviewMetadata`: reviews -> metadata features (`METADATA_FEATURES`);
- `ReviewText` and `CharNgramTfidf`: reviews -> texts -> hashed character n-gram TF-IDF,
  vectorised over a batch (the scorer must keep up with 2,000 reviews a second on one core);
- `OutOfFoldScore`: a text classifier's score as one stacking feature, out-of-fold in fit;
- `MissingFieldAugmented`: the stacked classifier, also taught reviews with fields missing;
- `FakeReviewPipeline`: the fitted pipeline, which can also give its reasons.

Missing values never become NaN or infinity: a missing level or dimension is 0 (the levels
are 1-5, so 0 is out of band and tree models split it off), a missing amount or time is -1,
and flag columns say which were missing."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from haocha.ml.contract import Reason, ReviewInput
from haocha.ml.ngrams import hashed_ngrams, tfidf_cells

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


# Counts are capped so that no caller's value, however absurd, overflows a float; no real
# review has a million photos or likes.
_COUNT_CAP = 1_000_000


def _count(value: int) -> float:
    return float(min(max(value, 0), _COUNT_CAP))


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
    amount_known = amount is not None and 0 < amount < 1e12  # also false for NaN
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
        _count(review.photos),
        _count(review.likes),
        float(review.replied),
        float(review.verified),
        float(review.prepaid),
        float(created.hour) if created else -1.0,
        float(created.weekday()) if created else -1.0,
        float(created is None),
        _count(review.author_review_count),
        share if share is not None and 0.0 <= share <= 1.0 else -1.0,
        _count(review.same_client_recent),
        _count(review.provider_review_count),
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

    def fit(self, texts: Sequence[str], y: Any = None) -> Self:
        documents, buckets = hashed_ngrams(texts, self.max_n, self.hash_bits)
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
        rows, cols, data = tfidf_cells(texts, self.max_n, self.hash_bits, self.columns_, self.idf_)
        pointers = np.searchsorted(rows, np.arange(len(texts) + 1))
        return sparse.csr_matrix((data, cols, pointers), shape=(len(texts), len(self.idf_)))


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


# What a caller may not know about a review, and how each of those looks when unknown.
# dp_cdc always has the level, the four dimension scores, the time and the counts; the
# platform often has less (a JSON line with only a text and a level). Trees that never saw
# a missing field send it down whichever branch its placeholder falls in: before this
# augmentation, "服务很好，下次再来" at level 5 without dimensions scored 0.55 fake.
_UNKNOWN: dict[str, dict[str, float]] = {
    "dimensions": {
        **dict.fromkeys(DIMENSIONS, 0.0),
        "dimensions_given": 0.0,
        "dimensions_at_max": 0.0,
        "dimension_spread": 0.0,
        "level_minus_dimensions": 0.0,
    },
    "level": {"level": 0.0, "level_missing": 1.0, "level_minus_dimensions": 0.0},
    "amount": {"amount": -1.0, "amount_missing": 1.0},
    "time": {"hour": -1.0, "weekday": -1.0, "time_missing": 1.0},
    "engagement": {"photos": 0.0, "likes": 0.0, "replied": 0.0},
}
MISSING_PATTERNS = (
    ("dimensions",),
    ("level", "dimensions"),
    ("amount",),
    ("time",),
    ("level", "dimensions", "amount", "time", "engagement"),  # the text and nothing else
)
_METADATA_COLUMN = {name: i for i, name in enumerate(METADATA_FEATURES)}


def blank_fields(rows: NDArray[np.float64], fields: Sequence[str]) -> NDArray[np.float64]:
    """A copy of metadata feature rows (extra columns after them are kept) as they would
    be had the caller not known `fields` (keys of `_UNKNOWN`)."""
    blanked = rows.copy()
    for field_name in fields:
        for column, value in _UNKNOWN[field_name].items():
            blanked[:, _METADATA_COLUMN[column]] = value
    return blanked


class MissingFieldAugmented(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fits a classifier on the training rows plus one copy of them per MISSING_PATTERNS
    entry, with those fields blanked and the same labels: leaving out the dimension scores
    does not make a genuine review fake, so the classifier learns to judge a review on what
    is there. Every copy keeps its row's out-of-fold text score, so nothing leaks."""

    def __init__(self, classifier: Any = None, copy_weight: float = 1.0) -> None:
        self.classifier = classifier
        self.copy_weight = copy_weight

    def fit(self, rows: NDArray[np.float64], y: Any) -> Self:
        labels = np.asarray(y)
        copies = [rows, *(blank_fields(rows, pattern) for pattern in MISSING_PATTERNS)]
        # The blanked copies teach the trees what to do without a field; weighted down so
        # that they do not outvote the complete rows the trees are mostly scored on.
        weights = np.full(len(rows) * len(copies), self.copy_weight)
        weights[: len(rows)] = 1.0
        self.classifier_ = clone(self.classifier).fit(
            np.vstack(copies), np.tile(labels, len(copies)), sample_weight=weights
        )
        self.classes_ = self.classifier_.classes_
        return self

    def predict_proba(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(self.classifier_.predict_proba(rows), dtype=np.float64)

    def predict(self, rows: NDArray[np.float64]) -> NDArray[Any]:
        return np.asarray(self.classifier_.predict(rows))


# The fake-review model's explanation. Each probe moves a few features of a review to the
# values an unremarkable truthful review has there and measures how far the fake
# probability falls; the probes with the largest fall, at least MIN_REASON_EFFECT, are the
# reasons. A probe also states a condition that makes its sentence literally true of the
# review (only "many photos" when it has more than typical), whatever the trees do.
STACKED_FEATURES = (*METADATA_FEATURES, "text_score")
_COLUMN = {name: i for i, name in enumerate(STACKED_FEATURES)}
MIN_REASON_EFFECT = 0.05
# Reasons are worked out only for reviews at least this likely fake (the runtime flags from
# 0.5; below 0.2 are four in five of dp_cdc's reviews).
EXPLAINED_FROM = 0.2
# Medians of truthful dp_cdc reviews: 113 characters (fake: 138), 4 photos, 1 like
# (fake: 3), one punctuation mark in ten characters, two distinct characters in three.
_TYPICAL_CHARS = 113.0
_TYPICAL_PHOTOS = 4.0
_TYPICAL_LIKES = 1.0
_TYPICAL_TEXT = {
    "text_chars": _TYPICAL_CHARS,
    "text_lines": 0.0,
    "punctuation_share": 0.1,
    "distinct_char_share": 0.667,
    "bracket_count": 0.0,
    "digit_count": 0.0,
    "latin_count": 0.0,
}
# The SVM's margin on the truthful side: text it is confident is honest.
_TRUTHFUL_MARGIN = -1.0


@dataclass(frozen=True, slots=True)
class ReasonProbe:
    reason: Reason
    typical: Mapping[str, float]
    applies: Callable[[NDArray[np.float64]], bool]


def _text_looks_fake(row: NDArray[np.float64]) -> bool:
    return bool(row[_COLUMN["text_score"]] > _TRUTHFUL_MARGIN)


def _long_text(row: NDArray[np.float64]) -> bool:
    return bool(row[_COLUMN["text_chars"]] > _TYPICAL_CHARS)


def _all_top_marks(row: NDArray[np.float64]) -> bool:
    return bool(row[_COLUMN["level"]] == 5 and row[_COLUMN["dimensions_at_max"]] >= 1)


def _many_photos(row: NDArray[np.float64]) -> bool:
    return bool(row[_COLUMN["photos"]] > _TYPICAL_PHOTOS)


def _many_likes(row: NDArray[np.float64]) -> bool:
    # Above the fake reviews' median: bought reviews tend to come with bought likes.
    return bool(row[_COLUMN["likes"]] > 3)


REASON_PROBES = (
    ReasonProbe(
        Reason(
            "fake_text_style", "文字风格与已知刷单评价相似", "wording resembles known paid reviews"
        ),
        {"text_score": _TRUTHFUL_MARGIN},
        _text_looks_fake,
    ),
    ReasonProbe(
        Reason("long_templated_text", "评价文字异常冗长且套路化", "unusually long, templated text"),
        _TYPICAL_TEXT,
        _long_text,
    ),
    ReasonProbe(
        Reason(
            "all_top_marks", "总评和各项评分全部满分", "top marks for the level and every dimension"
        ),
        {
            "level": 4.0,
            **dict.fromkeys(DIMENSIONS, 4.0),
            "dimensions_at_max": 0.0,
            "level_minus_dimensions": 0.0,
            "dimension_spread": 0.0,
        },
        _all_top_marks,
    ),
    ReasonProbe(
        Reason("many_photos", "晒图数量异常多", "unusually many photos"),
        {"photos": _TYPICAL_PHOTOS},
        _many_photos,
    ),
    ReasonProbe(
        Reason("many_likes", "点赞数明显偏多", "more helpful votes than usual"),
        {"likes": _TYPICAL_LIKES},
        _many_likes,
    ),
)


class FakeReviewPipeline(Pipeline):  # type: ignore[misc]
    """A scikit-learn Pipeline of two steps, "features" (metadata and the out-of-fold text
    score) and "trees" (a classifier with `predict_proba`), that can also say why."""

    def reasons(self, reviews: Sequence[ReviewInput], limit: int = 3) -> list[list[Reason]]:
        """For each review, up to `limit` reasons behind its fake probability, strongest
        first; none for a review below EXPLAINED_FROM (nobody reads reasons for a review
        that is not suspect, and skipping them keeps the scorer fast) or that no probe
        explains."""
        return self.predict_with_reasons(reviews, limit)[1]

    def predict_with_reasons(
        self, reviews: Sequence[ReviewInput], limit: int = 3
    ) -> tuple[NDArray[np.float64], list[list[Reason]]]:
        """The fake probabilities and the reasons in one pass over the features, for a
        caller that wants both (about half the cost of `predict_proba` then `reasons`)."""
        result: list[list[Reason]] = [[] for _ in reviews]
        if not reviews:
            return np.zeros(0), result
        all_rows = self.named_steps["features"].transform(reviews)
        trees = self.named_steps["trees"]
        probabilities = np.asarray(trees.predict_proba(all_rows)[:, 1], dtype=np.float64)
        suspect = np.flatnonzero(probabilities >= EXPLAINED_FROM)
        if not len(suspect):
            return probabilities, result
        rows = all_rows[suspect]

        def fake_probability(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.asarray(trees.predict_proba(matrix)[:, 1], dtype=np.float64)

        def with_typical(matrix: NDArray[np.float64], probe: ReasonProbe) -> None:
            for name, value in probe.typical.items():
                matrix[:, _COLUMN[name]] = value

        # Each probe's effect is the mean of two measures, so that signals which say the
        # same thing (a templated text that is also long) each get their credit: how far
        # the probability falls when only this probe is made typical, and how far it rises
        # above an all-typical review when only this probe is left as it is (the Shapley
        # value of the probe, estimated from the two extreme coalitions).
        typical = rows.copy()
        for probe in REASON_PROBES:
            with_typical(typical, probe)
        base, floor = fake_probability(rows), fake_probability(typical)
        effects = np.zeros((len(rows), len(REASON_PROBES)))
        for p, probe in enumerate(REASON_PROBES):
            removed = rows.copy()
            with_typical(removed, probe)
            alone = typical.copy()
            columns = [_COLUMN[name] for name in probe.typical]
            alone[:, columns] = rows[:, columns]
            effects[:, p] = (base - fake_probability(removed) + fake_probability(alone) - floor) / 2
        for i, row in enumerate(rows):
            strongest = np.argsort(-effects[i], kind="stable")
            chosen = [
                REASON_PROBES[p].reason
                for p in strongest
                if effects[i, p] >= MIN_REASON_EFFECT and REASON_PROBES[p].applies(row)
            ]
            result[suspect[i]] = chosen[:limit]
        return probabilities, result
