"""The sentiment model as plain arrays, for the web process: the review form asks a resident
to confirm when the text contradicts the level, and that check needs only P(positive).

The full scorer (review-scorer.joblib) unpickles scikit-learn pipelines, and importing
scikit-learn and scipy costs a process about 150 MB; the web process scores nothing else when
a worker does the scoring. So `haocha ml train` also writes the fitted sentiment model's
numbers beside the model file (`sentiment_path`), and this module computes the same
probability with numpy alone: character n-gram TF-IDF (`ngrams.tfidf_cells`), a dot product
with the logistic regression's weights, a sigmoid. The file is an `.npz` read without
pickle, so loading it runs no code from the file.
"""

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from haocha.ml.ngrams import tfidf_cells

SUFFIX = ".sentiment.npz"


class SentimentFileError(RuntimeError):
    """The sentiment file is missing, unreadable or not one `haocha ml train` wrote."""


def sentiment_path(model_path: Path) -> Path:
    """Where the sentiment weights of a model file live: beside it, same stem."""
    return model_path.with_suffix(SUFFIX)


@dataclass(frozen=True, slots=True)
class SentimentWeights:
    version: str  # the version of the model file they were taken from
    max_n: int
    hash_bits: int
    columns: NDArray[np.int32]  # bucket -> column, -1 for a bucket dropped in training
    idf: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float

    def probability(self, texts: list[str]) -> NDArray[np.float64]:
        """P(positive) for each text: what the fitted pipeline's `predict_proba` gives."""
        if not texts:
            return np.zeros(0)
        rows, cols, data = tfidf_cells(texts, self.max_n, self.hash_bits, self.columns, self.idf)
        margin = np.bincount(rows, weights=data * self.coef[cols], minlength=len(texts))
        return np.asarray(1.0 / (1.0 + np.exp(-(margin + self.intercept))), dtype=np.float64)

    def save(self, path: Path) -> None:
        """Write the weights (only the kept buckets, not the 2**hash_bits table)."""
        kept = np.flatnonzero(self.columns >= 0)
        # Keep the file's columns in bucket order: `columns` maps kept buckets to 0..n-1
        # in that order, so the table can be rebuilt from the kept buckets alone.
        order = self.columns[kept]
        if not np.array_equal(order, np.arange(len(kept))):
            raise ValueError("columns must number the kept buckets in bucket order")
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                version=np.array(self.version),
                shape=np.array([self.max_n, self.hash_bits]),
                buckets=kept.astype(np.int32),
                # float32 halves the file; the probabilities move by about 1e-7.
                idf=self.idf.astype(np.float32),
                coef=self.coef.astype(np.float32),
                intercept=np.array(self.intercept),
            )

    @classmethod
    def load(cls, path: Path) -> "SentimentWeights":
        if not path.is_file():
            raise SentimentFileError(
                f"sentiment file {path} not found: `haocha ml train` writes it with the model"
            )
        try:
            # Opened here, not by np.load: it leaves its own handle open when the file is no
            # npz at all.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
                max_n, hash_bits = (int(v) for v in arrays["shape"])
                buckets = arrays["buckets"]
                columns = np.full(1 << hash_bits, -1, dtype=np.int32)
                columns[buckets] = np.arange(len(buckets), dtype=np.int32)
                return cls(
                    version=str(arrays["version"]),
                    max_n=max_n,
                    hash_bits=hash_bits,
                    columns=columns,
                    idf=np.asarray(arrays["idf"], dtype=np.float64),
                    coef=np.asarray(arrays["coef"], dtype=np.float64),
                    intercept=float(arrays["intercept"]),
                )
        except (OSError, KeyError, ValueError, IndexError, EOFError, zipfile.BadZipFile) as error:
            raise SentimentFileError(
                f"sentiment file {path} could not be read ({type(error).__name__}: {error}); "
                "write it again with `haocha ml train`"
            ) from error


def from_pipeline(pipeline: Any, version: str) -> SentimentWeights:
    """The weights of a fitted sentiment pipeline (`CharNgramTfidf` then a binary
    `LogisticRegression`), as `haocha ml train` fits it."""
    features, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
    return SentimentWeights(
        version=version,
        max_n=int(features.max_n),
        hash_bits=int(features.hash_bits),
        columns=np.asarray(features.columns_, dtype=np.int32),
        idf=np.asarray(features.idf_, dtype=np.float64),
        coef=np.asarray(model.coef_[0], dtype=np.float64),
        intercept=float(model.intercept_[0]),
    )


def load_sentiment(model_path: Path) -> SentimentWeights:
    """The sentiment weights beside `model_path`, loaded once per process."""
    return _cached(sentiment_path(model_path).resolve())


@lru_cache(maxsize=4)
def _cached(path: Path) -> SentimentWeights:
    return SentimentWeights.load(path)
