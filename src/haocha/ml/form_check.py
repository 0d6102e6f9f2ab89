"""The review form's second look at a mis-tap: when the text is clearly negative but the
level is 非常满意 (or the reverse), the form asks the resident to confirm before submitting.
Elderly residents in particular tap the wrong face; the review is theirs to send as it is."""

import logging
from enum import StrEnum

from haocha.core.settings import Settings
from haocha.ml.contract import ReviewInput
from haocha.ml.scorer import ModelFileError, level_text_mismatch, load_scorer

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
        scorer = load_scorer(settings.ml_model_path)
    except ModelFileError:
        log.warning("no model for the level check; the form submits without it")
        return None
    sentiment = scorer.score(ReviewInput(text=text, level=level)).sentiment
    if not level_text_mismatch(level, sentiment):
        return None
    return Mismatch.negative_text if level >= 4 else Mismatch.positive_text
