"""The sentiment model: the probability that a Chinese review text is positive.

Features: character 1-3-grams with sublinear TF-IDF, hashed into 2^20 buckets and counted
in numpy (`CharNgramTfidf`, robust to typos, dialect spellings and texts too short for
jieba to cut well; the file carries no vocabulary of a million n-grams), into an L2
logistic regression.

No jieba words: in 5-fold runs they added 0.2 points on ChnSentiCorp and none on waimai,
while cutting words costs 0.85 ms per 110-character review, several times the scorer's
whole budget (2,000 reviews/s on one core). Numbers: ml/notes/sentiment_runtime.md.

Training data (see ml/notes/sentiment_runtime.md):
- ChnSentiCorp_htl_all: hotel reviews (Tan Songbo; via SophonPlus/ChineseNlpCorpus);
- waimai_10k: takeaway reviews (same repository);
- online_shopping_10_cats: product reviews in ten categories (same repository), without the
  texts that are also in the two corpora above: its 酒店 category is largely ChnSentiCorp
  again (5,575 identical texts), and a text must never be both trained on and tested on.
Residents write about services (food, rooms, lessons, care), so the three domains together
cover more of their vocabulary than any one of them.

Evaluation (`evaluate_sentiment`): 5-fold stratified cross-validation within ChnSentiCorp
and within waimai, each fold trained on the corpus's other four folds (`chnsenticorp`,
`waimai`: comparable with the literature). Beside it, `<corpus>_with_other_corpora`: the
same folds with the other corpora (deduplicated against the evaluated corpus) added to
every training fold, as the shipped model is trained. Measured: the extra domains cost
ChnSentiCorp about a point and leave waimai unchanged (ml/notes/sentiment_runtime.md); the
shipped model keeps them because residents' reviews are of neither hotels nor takeaways
alone.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from haocha.ml.review_features import CharNgramTfidf
from haocha.ml.text import normalize
from haocha_ml import corpora

DEFAULT_SEED = 20261123
FOLDS = 5
HASH_BITS = 20
# Buckets seen in fewer training texts are dropped: within 0.2 points of keeping all
# (ml/notes/sentiment_runtime.md), and half the columns.
MIN_DF = 2
# Inverse regularisation, from 5-fold runs on both corpora (with word features as well):
# 2 loses half a point to a point, 8-32 are within 0.2 points of each other.
C = 16.0
# Two texts are the same review when their first characters agree after normalisation:
# the online_shopping copy of a ChnSentiCorp review is sometimes cut or re-punctuated at
# the end. 20 characters almost never collide for different reviews.
DEDUP_PREFIX = 20


def _features() -> CharNgramTfidf:
    return CharNgramTfidf(max_n=3, min_df=MIN_DF, hash_bits=HASH_BITS)


def _model(seed: int) -> LogisticRegression:
    # liblinear's dual solver: the same optimum as lbfgs here (within 0.1 points) and
    # 20-25 times faster, since features far outnumber texts.
    return LogisticRegression(C=C, solver="liblinear", dual=True, max_iter=3000, random_state=seed)


def sentiment_pipeline(seed: int = DEFAULT_SEED) -> Pipeline:
    """Texts -> P(positive) via `predict_proba(texts)[:, 1]`; unfitted."""
    return Pipeline([("features", _features()), ("model", _model(seed))])


def dedup_key(text: str) -> str:
    return normalize(text)[:DEDUP_PREFIX]


@dataclass(frozen=True, slots=True)
class LabelledTexts:
    texts: list[str]
    labels: list[int]

    def without(self, keys: set[str]) -> "LabelledTexts":
        keep = [i for i, text in enumerate(self.texts) if dedup_key(text) not in keys]
        return LabelledTexts([self.texts[i] for i in keep], [self.labels[i] for i in keep])


def sentiment_corpora() -> dict[str, LabelledTexts]:
    """The three training corpora, online_shopping without the texts of the other two."""
    hotel = LabelledTexts(*corpora.load_chnsenticorp())
    waimai = LabelledTexts(*corpora.load_waimai())
    texts, labels, _ = corpora.load_online_shopping()
    seen = {dedup_key(t) for t in hotel.texts} | {dedup_key(t) for t in waimai.texts}
    shopping = LabelledTexts(texts, labels).without(seen)
    return {"chnsenticorp": hotel, "waimai": waimai, "online_shopping": shopping}


def training_files() -> list[str]:
    """The shared files the shipped model is trained on (relative to the data folder)."""
    return [str(p) for p in (corpora.CHNSENTICORP, corpora.WAIMAI, corpora.ONLINE_SHOPPING)]


def train_sentiment(seed: int = DEFAULT_SEED) -> Pipeline:
    """The shipped sentiment model, fitted on all three corpora."""
    parts = sentiment_corpora().values()
    texts = [t for part in parts for t in part.texts]
    labels = [y for part in parts for y in part.labels]
    return sentiment_pipeline(seed).fit(texts, labels)


def _accuracy_by_folds(part: LabelledTexts, extra: LabelledTexts | None, seed: int) -> list[float]:
    texts = np.array(part.texts, dtype=object)
    labels = np.asarray(part.labels)
    accuracies = []
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(texts, labels):
        train_texts, train_labels = list(texts[train]), labels[train]
        if extra is not None:
            train_texts += extra.texts
            train_labels = np.concatenate([train_labels, extra.labels])
        model = sentiment_pipeline(seed).fit(train_texts, train_labels)
        accuracies.append(float(np.mean(model.predict(list(texts[test])) == labels[test])))
    return accuracies


def evaluate_sentiment(seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Accuracy by 5-fold stratified cross-validation within each corpus: `chnsenticorp`
    and `waimai` trained on the corpus's own folds, `<corpus>_with_other_corpora` with the
    other corpora added to every training fold, and the worst fold of each. Every fold fits
    the whole pipeline, document frequencies included, on its training texts only."""
    started = time.perf_counter()
    parts = sentiment_corpora()
    result: dict[str, float] = {}
    for name in ("chnsenticorp", "waimai"):
        alone = _accuracy_by_folds(parts[name], None, seed)
        result[name] = float(np.mean(alone))
        result[f"{name}_fold_min"] = min(alone)
        # Nothing in the other corpora may duplicate a text of this one.
        keys = {dedup_key(t) for t in parts[name].texts}
        others = [part.without(keys) for other, part in parts.items() if other != name]
        extra = LabelledTexts(
            [t for part in others for t in part.texts],
            [y for part in others for y in part.labels],
        )
        shipped = _accuracy_by_folds(parts[name], extra, seed)
        result[f"{name}_with_other_corpora"] = float(np.mean(shipped))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def score_texts(model: Pipeline, texts: Sequence[str]) -> list[float]:
    """P(positive) for each text (a convenience for notes and checks)."""
    return [float(p) for p in model.predict_proba(list(texts))[:, 1]]
