"""The sentiment weights beside the model file: what the web process's review-form check
reads with numpy alone. They must give the scorer's sentiment for any text, come from the
same training as the model file, and fail clearly when missing or damaged."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haocha.core.settings import get_settings
from haocha.ml.contract import ReviewInput
from haocha.ml.form_check import Mismatch, level_needs_confirmation
from haocha.ml.scorer import ReviewScorer, load_scorer
from haocha.ml.sentiment_weights import (
    SentimentFileError,
    SentimentWeights,
    load_sentiment,
    sentiment_path,
)

TEXTS = [
    "服务热情周到，环境干净，非常满意",
    "态度恶劣，等了一个小时没人管，再也不来了",
    "还行",
    "ＡＢＣ　全角字母和空格",
    "",
    "🙂👍 good!!!",
]


@pytest.fixture(scope="module")
def scorer() -> ReviewScorer:
    return load_scorer()


@pytest.fixture(scope="module")
def weights() -> SentimentWeights:
    return load_sentiment(get_settings().ml_model_path)


def _scorer_sentiment(scorer: ReviewScorer, texts: list[str]) -> list[float]:
    return [s.sentiment for s in scorer.score_many([ReviewInput(text=t) for t in texts])]


def test_the_weights_come_from_the_shipped_model(
    scorer: ReviewScorer, weights: SentimentWeights
) -> None:
    assert sentiment_path(scorer.path).is_file()
    assert weights.version == scorer.version
    assert load_sentiment(get_settings().ml_model_path) is weights


def test_they_give_the_scorer_s_sentiment(scorer: ReviewScorer, weights: SentimentWeights) -> None:
    ours = weights.probability(TEXTS)
    assert np.allclose(ours, _scorer_sentiment(scorer, TEXTS), atol=1e-5)
    assert ours[0] > 0.9
    assert ours[1] < 0.1


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_any_text_agrees_with_the_scorer_and_alone_or_in_a_batch(
    scorer: ReviewScorer, weights: SentimentWeights, texts: list[str]
) -> None:
    batch = weights.probability(texts)
    assert np.all((batch >= 0) & (batch <= 1))
    assert np.allclose(batch, [weights.probability([t])[0] for t in texts], atol=1e-12)
    assert np.allclose(batch, _scorer_sentiment(scorer, texts), atol=1e-5)


def test_save_and_load_keep_the_probabilities(weights: SentimentWeights, tmp_path: Path) -> None:
    path = tmp_path / "copy.sentiment.npz"
    weights.save(path)
    again = SentimentWeights.load(path)
    assert again.version == weights.version
    assert np.allclose(again.probability(TEXTS), weights.probability(TEXTS), atol=1e-6)


def test_a_missing_file_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(SentimentFileError, match="haocha ml train"):
        SentimentWeights.load(tmp_path / "none.sentiment.npz")


def test_a_damaged_file_is_a_clear_error(weights: SentimentWeights, tmp_path: Path) -> None:
    path = tmp_path / "damaged.sentiment.npz"
    path.write_bytes(b"not an npz")
    with pytest.raises(SentimentFileError, match="could not be read"):
        SentimentWeights.load(path)
    weights.save(path)
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    with pytest.raises(SentimentFileError, match="could not be read"):
        SentimentWeights.load(path)


def test_the_web_app_and_the_form_check_do_not_import_scikit_learn() -> None:
    """The point of the weights: a web process that leaves scoring to the worker stays small."""
    code = (
        "import sys\n"
        "import haocha.app\n"
        "from haocha.core.settings import get_settings\n"
        "from haocha.ml.form_check import level_needs_confirmation\n"
        "assert level_needs_confirmation(get_settings(), 5, '太差了，再也不来了') is not None\n"
        "heavy = [m for m in ('sklearn', 'scipy', 'joblib') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)  # noqa: S603


def test_without_weights_the_form_asks_nothing(tmp_path: Path) -> None:
    """The check is a courtesy: no file means no question, never a refused review."""
    shipped = get_settings()
    elsewhere = shipped.model_copy(update={"ml_model_path": tmp_path / "none.joblib"})
    complaint = "太差了，服务态度恶劣，再也不来了"
    assert level_needs_confirmation(shipped, 5, complaint) == Mismatch.negative_text
    assert level_needs_confirmation(elsewhere, 5, complaint) is None
