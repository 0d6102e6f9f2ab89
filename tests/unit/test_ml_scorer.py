"""The review scorer on the committed model file (ml/models/review-scorer.joblib), loaded
once for the module, and its pure parts (the mismatch rule, the history reasons, the errors
for a missing or broken model file)."""

from datetime import UTC, datetime
from pathlib import Path

import joblib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haocha.core.settings import get_settings
from haocha.ml.contract import ReviewInput, ReviewScores
from haocha.ml.scorer import (
    MISMATCH_NEGATIVE_BELOW,
    MISMATCH_POSITIVE_ABOVE,
    NEW_ACCOUNT_ONLY_GOOD,
    PREPAID_SUBTYPES,
    SAME_DEVICE_GOOD_REVIEWS,
    TEXT_LEVEL_MISMATCH,
    ModelFileError,
    ReviewScorer,
    history_reasons,
    level_text_mismatch,
    load_scorer,
)

PREPAID_COMPLAINT = (
    "在这家健身房办了五千块的年卡，才去了三次就说要装修，现在门店关了，"
    "老板电话打不通，卡里的钱也不给退，大家千万别在这里办卡"
)


@pytest.fixture(scope="module")
def scorer() -> ReviewScorer:
    return load_scorer()


def _in_range(scores: ReviewScores) -> bool:
    return all(
        0.0 <= value <= 1.0
        for value in (
            scores.fake_probability,
            scores.prepaid_complaint_probability,
            scores.sentiment,
        )
    )


def test_the_shipped_file_is_the_setting_and_is_loaded_once(scorer: ReviewScorer) -> None:
    assert scorer.path == get_settings().ml_model_path.resolve()
    assert load_scorer() is scorer
    assert scorer.version.startswith("20")
    assert set(scorer.training_data) >= {"chinese_reviews/waimai_10k.csv", "dp_cdc/dp_cdc_dev.csv"}
    assert all(len(sha) == 64 for sha in scorer.training_data.values())


def test_scores_are_probabilities_and_sentiment_follows_the_text(scorer: ReviewScorer) -> None:
    good, bad = scorer.score_many(
        [
            ReviewInput(text="老师很耐心，孩子进步很大，环境也干净，非常满意", level=5),
            ReviewInput(text="服务态度恶劣，等了一个多小时没人理，太失望了", level=1),
        ]
    )
    assert _in_range(good)
    assert _in_range(bad)
    assert good.sentiment > 0.8
    assert bad.sentiment < 0.2
    assert good.reasons == ()  # consistent, ordinary review: nothing to explain


def test_negative_text_rated_five_is_a_mismatch(scorer: ReviewScorer) -> None:
    tapped_five = scorer.score(ReviewInput(text="太差了，再也不来了", level=5))
    assert tapped_five.sentiment < MISMATCH_NEGATIVE_BELOW
    assert TEXT_LEVEL_MISMATCH in tapped_five.reasons
    assert TEXT_LEVEL_MISMATCH.zh == "文字与评分不符"
    meant_one = scorer.score(ReviewInput(text="太差了，再也不来了", level=1))
    assert TEXT_LEVEL_MISMATCH not in meant_one.reasons


def test_positive_text_rated_one_is_a_mismatch(scorer: ReviewScorer) -> None:
    scores = scorer.score(ReviewInput(text="非常好，服务周到，下次还来，推荐给大家", level=1))
    assert TEXT_LEVEL_MISMATCH in scores.reasons


def test_prepaid_complaint_gets_its_subtype_and_reason(scorer: ReviewScorer) -> None:
    complaint, ordinary = scorer.score_many(
        [
            ReviewInput(text=PREPAID_COMPLAINT, level=1),
            ReviewInput(text="菜的味道不错，上菜也快，就是停车不方便", level=4),
        ]
    )
    assert complaint.prepaid_complaint_probability >= scorer.prepaid_threshold
    subtype = complaint.prepaid_subtype
    assert subtype is not None
    assert subtype in PREPAID_SUBTYPES
    prepaid = [r for r in complaint.reasons if r.code.startswith("prepaid")]
    assert len(prepaid) == 1
    assert prepaid[0].zh == f"预付卡投诉：{PREPAID_SUBTYPES[subtype][0]}"
    assert prepaid[0].en.startswith("Prepaid-card complaint: ")
    assert ordinary.prepaid_complaint_probability < scorer.prepaid_threshold
    assert ordinary.prepaid_subtype is None
    assert not any(r.code.startswith("prepaid") for r in ordinary.reasons)


def test_history_reasons_reach_the_scores(scorer: ReviewScorer) -> None:
    burst = ReviewInput(text="很好", level=5, same_client_recent=3)
    newcomer = ReviewInput(text="很好", level=5, author_review_count=2, author_good_share=1.0)
    plain = ReviewInput(text="很好", level=5, author_review_count=12, author_good_share=1.0)
    burst_scores, newcomer_scores, plain_scores = scorer.score_many([burst, newcomer, plain])
    assert SAME_DEVICE_GOOD_REVIEWS in burst_scores.reasons
    assert SAME_DEVICE_GOOD_REVIEWS.zh == "同一设备短时间内多条好评"
    assert NEW_ACCOUNT_ONLY_GOOD in newcomer_scores.reasons
    assert NEW_ACCOUNT_ONLY_GOOD not in plain_scores.reasons


def test_scoring_is_deterministic_and_batch_independent(scorer: ReviewScorer) -> None:
    reviews = [
        ReviewInput(text=PREPAID_COMPLAINT, level=2, amount=5000.0, photos=2),
        ReviewInput(
            text="环境优雅，服务员热情，每道菜都很精致，强烈推荐！",
            level=5,
            dimensions={"attitude": 5, "quality": 5},
            created_at=datetime(2026, 11, 20, 12, 30, tzinfo=UTC),
            likes=3,
            replied=True,
        ),
        ReviewInput(text=""),
    ]
    first = scorer.score_many(reviews)
    assert scorer.score_many(reviews) == first
    assert [scorer.score(r) for r in reviews] == first
    # A second load of the same file gives the same answers.
    assert ReviewScorer.from_file(scorer.path).score_many(reviews) == first


@pytest.mark.parametrize(
    ("level", "sentiment", "expected"),
    [
        (5, MISMATCH_NEGATIVE_BELOW - 0.01, True),
        (5, MISMATCH_NEGATIVE_BELOW, False),
        (4, 0.0, False),  # a grumbling 满意 is common and honest
        (3, 0.0, False),
        (3, 1.0, False),
        (2, MISMATCH_POSITIVE_ABOVE + 0.01, True),
        (1, 1.0, True),
        (1, MISMATCH_POSITIVE_ABOVE, False),
        (None, 0.0, False),
    ],
)
def test_level_text_mismatch(level: int | None, sentiment: float, expected: bool) -> None:
    assert level_text_mismatch(level, sentiment) is expected


def test_history_reasons_need_a_good_review() -> None:
    assert history_reasons(ReviewInput(text="x", level=2, same_client_recent=5)) == []
    assert history_reasons(ReviewInput(text="x", level=4, same_client_recent=1)) == []
    assert history_reasons(ReviewInput(text="x", level=4, same_client_recent=2)) == [
        SAME_DEVICE_GOOD_REVIEWS
    ]
    # An author with no earlier reviews has no "elsewhere" to be all good.
    assert history_reasons(ReviewInput(text="x", level=5, author_review_count=0)) == []
    mixed = ReviewInput(text="x", level=5, author_review_count=3, author_good_share=2 / 3)
    assert history_reasons(mixed) == []


def test_missing_model_file_names_the_file_and_the_command(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.joblib"
    with pytest.raises(ModelFileError, match="haocha ml train") as raised:
        ReviewScorer.from_file(path)
    assert str(path) in str(raised.value)


def test_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.joblib"
    path.write_bytes(b"\x80\x04 this is not a pickle")
    with pytest.raises(ModelFileError, match="could not be read") as raised:
        ReviewScorer.from_file(path)
    assert "haocha ml train" in str(raised.value)


def test_a_file_of_another_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.joblib"
    joblib.dump({"version": "x", "components": {"fake": None}}, path)
    with pytest.raises(ModelFileError, match="missing created_at") as raised:
        ReviewScorer.from_file(path)
    assert "components.sentiment" not in str(raised.value)  # top-level keys are named first
    joblib.dump([1, 2, 3], path)
    with pytest.raises(ModelFileError, match="not a review-scorer model"):
        ReviewScorer.from_file(path)


DIMENSION_NAMES = st.sampled_from(["attitude", "quality", "price", "environment", "other"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    reviews=st.lists(
        st.builds(
            ReviewInput,
            text=st.text(max_size=300),
            level=st.none() | st.integers(-2, 8),
            dimensions=st.dictionaries(DIMENSION_NAMES, st.integers(-3, 9), max_size=5),
            amount=st.none() | st.floats(allow_nan=True, allow_infinity=True),
            photos=st.integers(-1, 50),
            likes=st.integers(-1, 10_000),
            replied=st.booleans(),
            created_at=st.none() | st.datetimes(timezones=st.none() | st.just(UTC)),
            verified=st.booleans(),
            prepaid=st.booleans(),
            author_review_count=st.integers(0, 500),
            author_good_share=st.none() | st.floats(0, 1),
            same_client_recent=st.integers(0, 50),
            provider_review_count=st.integers(0, 10_000),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_review_scores_within_range(scorer: ReviewScorer, reviews: list[ReviewInput]) -> None:
    scores = scorer.score_many(reviews)
    assert len(scores) == len(reviews)
    for review, result in zip(reviews, scores, strict=True):
        assert _in_range(result)
        assert (result.prepaid_subtype is None) == (
            result.prepaid_complaint_probability < scorer.prepaid_threshold
        )
        assert (TEXT_LEVEL_MISMATCH in result.reasons) == level_text_mismatch(
            review.level, result.sentiment
        )
        assert len(set(result.reasons)) == len(result.reasons)
