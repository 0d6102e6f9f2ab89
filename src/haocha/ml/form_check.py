"""The review form's second look at a mis-tap: when the text is clearly negative but the
level is 非常满意 (or the reverse), the form asks the resident to confirm before submitting.
Elderly residents in particular tap the wrong face; the review is theirs to send as it is.

It reads the sentiment weights written beside the model file (numpy only), not the whole
scorer: the web process then never imports scikit-learn for it."""

import logging
from enum import StrEnum

from haocha.core.settings import Settings
from haocha.ml.scorer import level_text_mismatch
from haocha.ml.sentiment_weights import SentimentFileError, load_sentiment

log = logging.getLogger(__name__)


class Mismatch(StrEnum):
    negative_text = "negative_text"  # a 好评 level over a text that reads as a complaint
    positive_text = "positive_text"  # a 差评 level over a text that reads as praise


def level_needs_confirmation(settings: Settings, level: int, text: str) -> Mismatch | None:
    """Which mismatch the text and level show, if any. Without a usable model the form
    asks nothing: the check is a courtesy, never a reason to refuse a review."""
    if not text.strip():
        return None
    try:
        weights = load_sentiment(settings.ml_model_path)
    except SentimentFileError:
        log.warning("no sentiment weights for the level check; the form submits without it")
        return None
    sentiment = float(weights.probability([text])[0])
    if not level_text_mismatch(level, sentiment):
        return None
    return Mismatch.negative_text if level >= 4 else Mismatch.positive_text
