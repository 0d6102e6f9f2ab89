"""The fake-review model: trained and evaluated on dp_cdc (real Dianping reviews labelled
fake/truthful by the publishers' rules; see ml/notes/fake.md for what was found).

Shape: a stacked model. A linear SVM on character 1-3-gram TF-IDF of the text gives one
score; gradient-boosted trees combine it with the review's metadata (level, dimension
scores, amount, photos, likes, reply, time of day, text statistics). The text score fed to
the trees during training is out-of-fold, so the trees learn how much to trust it on text
the SVM has not seen. Character n-grams rather than jieba words: in 5-fold tests words
added nothing over characters (text-only AUC 0.932 with words, 0.930 with characters;
stacked with the metadata 0.966 and 0.967), and
jieba costs about 1 ms per 130-character review, twice the whole scorer's budget.

Everything is seeded: the folds, the inner folds and the trees."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from haocha.ml.contract import Reason, ReviewInput
from haocha.ml.review_features import (
    CharNgramTfidf,
    FakeReviewPipeline,
    MissingFieldAugmented,
    OutOfFoldScore,
    ReviewMetadata,
    ReviewText,
)
from haocha.ml.text import normalize
from haocha_ml.corpora import DP_CDC, corpus_path, file_sha256, load_dp_cdc_reviews

DEFAULT_SEED = 20261123
FOLDS = 5
# The runtime flags a review when its fake probability reaches this; the fairness check
# is taken at the same point.
FLAG_THRESHOLD = 0.5
# "Short" for the fairness check: at most 40 characters after normalisation, about two
# short sentences, the length of the reviews elderly residents typically leave (好，服务
# 很耐心，价格实在). 284 of dp_cdc's 3,600 reviews are this short.
SHORT_TEXT_CHARS = 40


def build_text_model(seed: int = DEFAULT_SEED) -> Pipeline:
    """Text alone: character 1-3-gram TF-IDF and a linear SVM (C=0.3 stacked slightly
    better than logistic regression with C=10 in 5-fold tests: AUC 0.966 vs 0.964)."""
    return make_pipeline(
        ReviewText(),
        CharNgramTfidf(max_n=3, min_df=2),
        # liblinear shuffles its coordinate order: seeded, or two fits differ.
        LinearSVC(C=0.3, random_state=seed),
    )


def build_fake_model(seed: int = DEFAULT_SEED) -> FakeReviewPipeline:
    """The unfitted model: `fit(reviews, labels)`, `predict_proba(reviews)[:, 1]` is the
    fake probability of each `ReviewInput`, `reasons(reviews)` the reasons behind it."""
    features = FeatureUnion(
        [
            ("metadata", ReviewMetadata()),
            ("text", OutOfFoldScore(build_text_model(seed), folds=FOLDS, seed=seed)),
        ]
    )
    # Slow learning and large leaves: 593 fake reviews are few, and deeper or faster trees
    # fitted the folds' noise (5-fold AUC 0.966 with defaults, 0.968 with these).
    trees = MissingFieldAugmented(
        HistGradientBoostingClassifier(
            learning_rate=0.05,
            max_iter=100,
            min_samples_leaf=50,
            l2_regularization=1.0,
            random_state=seed,
        ),
        # 5-fold AUC / AP: 0.963 / 0.861 with the blanked copies at full weight, 0.965 /
        # 0.865 at 0.2 (0.969 / 0.877 without them, but then a level-5 review without
        # dimension scores could score 0.55 fake only for lacking them).
        copy_weight=0.2,
    )
    return FakeReviewPipeline([("features", features), ("trees", trees)])


def train_fake(seed: int = DEFAULT_SEED) -> FakeReviewPipeline:
    """The model fitted on all of dp_cdc."""
    reviews, labels = load_dp_cdc_reviews()
    model = build_fake_model(seed)
    model.fit(reviews, labels)
    return model


def training_data_hashes() -> dict[str, str]:
    """SHA-256 of each file `train_fake` reads, keyed by its path under the shared folder."""
    return {DP_CDC.as_posix(): file_sha256(corpus_path(DP_CDC))}


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """Every dp_cdc review's fake probability from a model that never saw it."""

    probabilities: NDArray[np.float64]
    labels: NDArray[np.int64]  # 1 fake, 0 truthful
    folds: NDArray[np.int64]  # the fold (0-4) each review was tested in
    lengths: NDArray[np.int64]  # characters of the normalised text
    levels: NDArray[np.int64]  # 1-5 as mapped from dp_cdc's overall score


@lru_cache(maxsize=4)
def out_of_fold(seed: int = DEFAULT_SEED) -> OutOfFold:
    """Stratified 5-fold over dp_cdc. Cached: the metrics and the fairness check read the
    same run."""
    reviews, label_list = load_dp_cdc_reviews()
    labels = np.array(label_list, dtype=np.int64)
    probabilities = np.zeros(len(reviews), dtype=np.float64)
    folds = np.zeros(len(reviews), dtype=np.int64)
    splits = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(splits.split(np.zeros(len(labels)), labels)):
        model = build_fake_model(seed).fit([reviews[i] for i in train], labels[train])
        probabilities[test] = model.predict_proba([reviews[i] for i in test])[:, 1]
        folds[test] = fold
    lengths = np.array([len(normalize(r.text)) for r in reviews], dtype=np.int64)
    levels = np.array([r.level or 0 for r in reviews], dtype=np.int64)
    return OutOfFold(probabilities, labels, folds, lengths, levels)


def evaluate_fake(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """ROC AUC and average precision over the pooled out-of-fold predictions, with the
    per-fold spread and a percentile bootstrap 95% interval (2,000 resamples)."""
    run = out_of_fold(seed)
    probabilities, labels, fold_of = run.probabilities, run.labels, run.folds
    per_fold_auc = [
        float(roc_auc_score(labels[fold_of == f], probabilities[fold_of == f]))
        for f in range(FOLDS)
    ]
    per_fold_ap = [
        float(average_precision_score(labels[fold_of == f], probabilities[fold_of == f]))
        for f in range(FOLDS)
    ]
    rng = np.random.default_rng(seed)
    boot_auc: list[float] = []
    boot_ap: list[float] = []
    for _ in range(2000):
        pick = rng.integers(0, len(labels), len(labels))
        boot_auc.append(float(roc_auc_score(labels[pick], probabilities[pick])))
        boot_ap.append(float(average_precision_score(labels[pick], probabilities[pick])))
    flagged = probabilities >= FLAG_THRESHOLD
    positives = labels == 1
    return {
        "auc": float(roc_auc_score(labels, probabilities)),
        "average_precision": float(average_precision_score(labels, probabilities)),
        "auc_ci95": [float(np.percentile(boot_auc, 2.5)), float(np.percentile(boot_auc, 97.5))],
        "average_precision_ci95": [
            float(np.percentile(boot_ap, 2.5)),
            float(np.percentile(boot_ap, 97.5)),
        ],
        "auc_per_fold": per_fold_auc,
        "average_precision_per_fold": per_fold_ap,
        "threshold": FLAG_THRESHOLD,
        "precision_at_threshold": float(positives[flagged].mean()) if flagged.any() else 0.0,
        "recall_at_threshold": float(flagged[positives].mean()),
        "reviews": len(labels),
        "fake": int(positives.sum()),
    }


def _flag_rate(flagged: NDArray[np.bool_], mask: NDArray[np.bool_]) -> float:
    return float(flagged[mask].mean()) if mask.any() else 0.0


def evaluate_fairness(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """How often short texts (<= SHORT_TEXT_CHARS) are flagged, against other texts, at the
    flagging threshold, separately among truthful and among fake reviews (out-of-fold).

    `short_text_fpr_ratio` is the issue's check: flag rate of short truthful reviews over
    that of other truthful reviews (must be <= 1.5). The same ratio among fake reviews is
    `short_text_tpr_ratio`; below 1 means short fakes are missed more often."""
    run = out_of_fold(seed)
    probabilities, labels, lengths = run.probabilities, run.labels, run.lengths
    flagged = probabilities >= FLAG_THRESHOLD
    short = lengths <= SHORT_TEXT_CHARS
    truthful = labels == 0
    fake = labels == 1
    short_fpr = _flag_rate(flagged, truthful & short)
    other_fpr = _flag_rate(flagged, truthful & ~short)
    short_tpr = _flag_rate(flagged, fake & short)
    other_tpr = _flag_rate(flagged, fake & ~short)
    return {
        "short_text_fpr_ratio": short_fpr / other_fpr if other_fpr else 0.0,
        "short_text_tpr_ratio": short_tpr / other_tpr if other_tpr else 0.0,
        "short_chars": SHORT_TEXT_CHARS,
        "threshold": FLAG_THRESHOLD,
        "short_fpr": short_fpr,
        "other_fpr": other_fpr,
        "short_tpr": short_tpr,
        "other_tpr": other_tpr,
        "truthful_short": int((truthful & short).sum()),
        "truthful_other": int((truthful & ~short).sum()),
        "fake_short": int((fake & short).sum()),
        "fake_other": int((fake & ~short).sum()),
        # Not asked for by the issue, but the platform's point is to hear 差评: in dp_cdc
        # 68% of level-1 and 36% of level-2 reviews are labelled fake, so the model leans on
        # a low level, and genuine 差评 are flagged far more often than genuine 好评.
        "truthful_bad_review_fpr": _flag_rate(flagged, truthful & (run.levels <= 2)),
        "truthful_good_review_fpr": _flag_rate(flagged, truthful & (run.levels >= 4)),
        "truthful_bad_reviews": int((truthful & (run.levels <= 2)).sum()),
        "truthful_short_flagged": int((flagged & truthful & short).sum()),
        "fake_short_flagged": int((flagged & fake & short).sum()),
    }


def fake_reasons(model: FakeReviewPipeline, review: ReviewInput, *, limit: int = 3) -> list[Reason]:
    """The reasons behind one review's fake probability, strongest first (see
    `FakeReviewPipeline.reasons`)."""
    return model.reasons([review], limit=limit)[0]
