"""Writing the review scorer's model file: every component trained with one seed, with the
version, cheap metrics and the hashes of the data it was trained on (`haocha ml train`).

The file is a joblib dict in the shape `haocha.ml.scorer.MODEL_KEYS` describes. Its version
is the training date and a short hash of what determines the model (the data files' hashes,
the seed, the training code and the library versions), so two trainings from the same
inputs carry the same version and the service's "already scored by this model" check holds.
"""

import hashlib
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import joblib
import numpy as np

from haocha.core.settings import PROJECT_ROOT
from haocha.ml import sentiment_weights
from haocha.ml.contract import ReviewInput
from haocha.ml.scorer import (
    MISMATCH_NEGATIVE_BELOW,
    MISMATCH_POSITIVE_ABOVE,
    NEW_ACCOUNT_MAX_REVIEWS,
    SAME_DEVICE_MIN_OTHERS,
    ReviewScorer,
)
from haocha.ml.sentiment_weights import sentiment_path
from haocha_ml import corpora, fake, prepaid, prepaid_corpus, sentiment

# zlib level 3: most of the size win of the higher levels at a fraction of the time.
COMPRESS = ("zlib", 3)
# The libraries whose versions change what a pickled model means.
LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")
# The training code whose edits change the model (hashed into the version).
TRAINING_MODULES = (fake, sentiment, prepaid, prepaid_corpus)

T = TypeVar("T")


def _timed(train: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    model = train()
    return model, round(time.perf_counter() - started, 1)


def training_data() -> dict[str, str]:
    """sha256 of every data file the components are trained on, keyed by its path (shared
    files relative to the shared data folder, shipped ones relative to the project)."""
    shared = {corpora.CHNSENTICORP, corpora.WAIMAI, corpora.ONLINE_SHOPPING, corpora.DP_CDC}
    hashes = {str(p): corpora.file_sha256(corpora.corpus_path(p)) for p in sorted(shared)}
    corpus = prepaid_corpus.CORPUS_PATH
    hashes[str(corpus.relative_to(PROJECT_ROOT))] = corpora.file_sha256(corpus)
    return hashes


def library_versions() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in LIBRARIES}
    versions["python"] = platform.python_version()
    return versions


def model_version(seed: int, data: dict[str, str], libraries: dict[str, str]) -> str:
    """`2026.11.23-1a2b3c4d`: the training date and a hash of data, seed, code, libraries."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"seed": seed, "data": data, "libs": libraries}).encode())
    for module in TRAINING_MODULES:
        digest.update(Path(str(module.__file__)).read_bytes())
    return f"{datetime.now(UTC):%Y.%m.%d}-{digest.hexdigest()[:8]}"


def _sanity_checks(scorer: ReviewScorer) -> dict[str, Any]:
    """A few fixed reviews through the finished scorer: cheap proof that the components are
    wired the right way round (the full evaluation is `haocha ml evaluate`)."""
    probes = [
        ReviewInput(text="服务热情周到，环境干净，非常满意，下次还来", level=5),
        ReviewInput(text="态度恶劣，等了一个小时没人管，再也不来了", level=1),
        ReviewInput(
            text="办了三千块的年卡，现在要退卡一直拖着不给退，电话也不接", level=1, prepaid=True
        ),
    ]
    good, bad, card = scorer.score_many(probes)
    return {
        "positive_probe_sentiment": round(good.sentiment, 4),
        "negative_probe_sentiment": round(bad.sentiment, 4),
        "prepaid_probe_probability": round(card.prepaid_complaint_probability, 4),
        "prepaid_probe_subtype": card.prepaid_subtype,
        "ok": bool(
            good.sentiment > 0.5 > bad.sentiment
            and card.prepaid_complaint_probability > good.prepaid_complaint_probability
        ),
    }


def _replace_atomically(out: Path, write: Callable[[Path], object]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed over it, so a running service that loads the
    # file never sees half of it, and a failed training leaves the old model in place.
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        Path(temporary).chmod(0o644)
        Path(temporary).replace(out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_atomically(bundle: dict[str, Any], out: Path) -> None:
    _replace_atomically(out, lambda path: joblib.dump(bundle, path, compress=COMPRESS))


def train_bundle(seed: int, out: Path) -> Path:
    """Train the fake-review, sentiment and prepaid models and write the scorer's file."""
    started = time.perf_counter()
    fake_model, fake_seconds = _timed(lambda: fake.train_fake(seed))
    sentiment_model, sentiment_seconds = _timed(lambda: sentiment.train_sentiment(seed))
    (binary, subtype), prepaid_seconds = _timed(lambda: prepaid.train_prepaid(seed))
    data = training_data()
    libraries = library_versions()
    bundle: dict[str, Any] = {
        "version": model_version(seed, data, libraries),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "components": {
            "fake": fake_model,
            "sentiment": sentiment_model,
            "prepaid": binary,
            "prepaid_subtype": subtype,
        },
        "metrics": {},
        "training_data": data,
        "thresholds": {
            "prepaid": prepaid.THRESHOLD,
            # Recorded for the model card; the scorer applies its own constants, which the
            # review form shares through `level_text_mismatch`.
            "mismatch_negative_below": MISMATCH_NEGATIVE_BELOW,
            "mismatch_positive_above": MISMATCH_POSITIVE_ABOVE,
            "same_device_min_others": SAME_DEVICE_MIN_OTHERS,
            "new_account_max_reviews": NEW_ACCOUNT_MAX_REVIEWS,
        },
        "libraries": libraries,
    }
    bundle["metrics"] = {
        "train_seconds": {
            "fake": fake_seconds,
            "sentiment": sentiment_seconds,
            "prepaid": prepaid_seconds,
        },
        "sanity": _sanity_checks(ReviewScorer.from_bundle(bundle, out)),
        "sentiment_coefficients_nonzero": int(
            np.count_nonzero(sentiment_model.named_steps["model"].coef_)
        ),
    }
    _write_atomically(bundle, out)
    # The web process's review-form check reads only this (numpy, no scikit-learn).
    weights = sentiment_weights.from_pipeline(sentiment_model, bundle["version"])
    _replace_atomically(sentiment_path(out), weights.save)
    bundle["metrics"]["total_seconds"] = round(time.perf_counter() - started, 1)
    bundle["metrics"]["file_megabytes"] = round(out.stat().st_size / 1e6, 2)
    # Timing and size are known only once the file exists; a second, cheap write records
    # them inside it (the model objects are unchanged).
    _write_atomically(bundle, out)
    return out
