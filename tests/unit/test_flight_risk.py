"""Flight risk: the arithmetic is bounded, explainable and monotonic in every risk signal;
the top-up discount parser reads digits and Chinese numerals and never crashes."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.ml.discounts import is_deep, top_up_discount
from haocha.ml.flight_risk import FLAG_THRESHOLD, RiskSignals, assess

counts = st.integers(min_value=0, max_value=500)
means = st.none() | st.floats(min_value=1, max_value=5)
signals = st.builds(
    RiskSignals,
    recent_reviews=counts,
    recent_prepaid_complaints=counts,
    earlier_reviews=counts,
    earlier_prepaid_complaints=counts,
    recent_mean=means,
    baseline_mean=means,
    baseline_reviews=counts,
    overdue_bad_reviews=counts,
    deep_discount_mentions=counts,
    closure_reporters=counts,
    closure_texts=counts,
    warnings_in_force=st.integers(min_value=0, max_value=5),
    blacklisted=st.booleans(),
)
# Signals where more means riskier; the review counts and means are context, not risk.
RISK_SIGNALS = (
    "recent_prepaid_complaints",
    "overdue_bad_reviews",
    "deep_discount_mentions",
    "closure_reporters",
    "closure_texts",
    "warnings_in_force",
)


@given(signals)
def test_score_is_bounded_and_explained(s: RiskSignals) -> None:
    reading = assess(s)
    assert 0 <= reading.score <= 100
    # The reasons add up to the score (before the cap) and come largest first.
    total = sum(p.points for p in reading.parts)
    assert reading.score == pytest.approx(min(100.0, total), abs=0.06)
    points = [p.points for p in reading.parts]
    assert points == sorted(points, reverse=True)
    assert all(p.zh and p.en for p in reading.parts)


@given(signals, st.sampled_from(RISK_SIGNALS), st.integers(min_value=1, max_value=50))
def test_more_of_a_risk_signal_never_lowers_the_score(
    s: RiskSignals, name: str, extra: int
) -> None:
    more = dataclasses.replace(s, **{name: getattr(s, name) + extra})
    assert assess(more).score >= assess(s).score


@given(signals)
def test_blacklisting_never_lowers_the_score(s: RiskSignals) -> None:
    assert assess(dataclasses.replace(s, blacklisted=True)).score >= assess(s).score


@given(signals, st.floats(min_value=0, max_value=2))
def test_a_lower_recent_mean_never_lowers_the_score(s: RiskSignals, drop: float) -> None:
    if s.recent_mean is None:
        return
    lower = dataclasses.replace(s, recent_mean=max(1.0, s.recent_mean - drop))
    assert assess(lower).score >= assess(s).score


def test_a_quiet_provider_is_not_at_risk() -> None:
    reading = assess(
        RiskSignals(recent_reviews=40, recent_mean=4.5, baseline_mean=4.4, baseline_reviews=100)
    )
    assert reading.score == 0
    assert reading.parts == ()


def test_the_classic_run_off_pattern_reaches_the_queue() -> None:
    # Complaints about refused refunds pile up, ratings fall, reviews mention 充1000送1000,
    # and two residents report the door locked.
    reading = assess(
        RiskSignals(
            recent_reviews=12,
            recent_prepaid_complaints=5,
            earlier_reviews=20,
            earlier_prepaid_complaints=0,
            recent_mean=2.1,
            baseline_mean=4.2,
            baseline_reviews=60,
            deep_discount_mentions=2,
            closure_reporters=2,
        )
    )
    assert reading.score >= FLAG_THRESHOLD
    assert reading.parts[0].code in {"prepaid_share", "closure_reports"}
    assert {p.code for p in reading.parts} >= {"prepaid_rising", "score_falling"}


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("老板说充一千送五百，办完卡就关门了", 1 / 3),
        ("充值2000送1000元的活动", 1 / 3),
        ("办卡打五折", 0.5),
        ("会员卡6.8折", 0.32),
        ("年卡买一年送一年", 0.5),
        ("充3000送300", 300 / 3300),
    ],
)
def test_discounts_are_read(text: str, share: float) -> None:
    assert top_up_discount(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["这道菜打5折很划算", "服务很好", "", "押金退了", "送了一瓶水"])
def test_no_card_discount_is_read_where_there_is_none(text: str) -> None:
    assert top_up_discount(text) is None
    assert not is_deep(text)


@given(st.text(max_size=300))
def test_the_parser_never_crashes_and_stays_in_range(text: str) -> None:
    share = top_up_discount(text)
    assert share is None or 0 < share < 1
