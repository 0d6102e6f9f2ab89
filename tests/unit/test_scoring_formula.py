"""Properties of the Haocha score (src/haocha/scoring/formula.py)."""

import math
from dataclasses import fields

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from haocha.scoring import formula
from haocha.scoring.formula import EPOCH, DaySums, Moments, ScoringParams
from haocha.scoring.methods import Review, day_sums, moments_of

pytestmark = pytest.mark.unit

DAYS = st.integers(EPOCH, EPOCH + 3650)  # the service's days: from 2020, ten years on
reviews_st = st.lists(st.tuples(st.integers(1, 5), DAYS, st.booleans()), max_size=25)
caps = st.one_of(st.floats(1, 10), st.just(math.inf))
params_st = st.builds(
    ScoringParams,
    prior_weight=st.floats(0.5, 50),
    half_life_days=st.floats(30, 5000),
    verified_weight=st.floats(1, 4),
    daily_cap=caps,
)
later = st.integers(0, 1000)  # days from the newest review to the day scored
prior_means = st.floats(1, 5)
prior_vars = st.floats(0.05, 4)
# Regression: one verified 5 on a day, then an unverified 5 (or 1, mirrored) that day at
# cap 1. Capping the plain count once let the second review dilute the first.
DILUTED_FIVE = ([(5, EPOCH + 10, True)], EPOCH + 10, 0, 3.8, 1.0, ScoringParams(daily_cap=1.0))
DILUTED_ONE = ([(1, EPOCH + 10, True)], EPOCH + 10, 0, 3.8, 1.0, ScoringParams(daily_cap=1.0))


def value(reviews: list[Review], as_of: int, mean: float, var: float, p: ScoringParams) -> float:
    return formula.score(moments_of(day_sums(reviews), p), as_of, mean, var, p).value


@given(reviews_st, later, prior_means, prior_vars, params_st)
def test_score_and_interval_stay_on_the_scale(
    reviews: list[Review], after: int, mean: float, var: float, p: ScoringParams
) -> None:
    as_of = max((d for _, d, _ in reviews), default=EPOCH) + after
    s = formula.score(moments_of(day_sums(reviews), p), as_of, mean, var, p)
    assert 1.0 <= s.low <= s.value <= s.high <= 5.0


def _added(
    level: int,
    reviews: list[Review],
    new_day: int,
    after: int,
    verified: bool,
) -> tuple[list[Review], list[Review], int]:
    as_of = max([new_day, *(d for _, d, _ in reviews)]) + after
    return reviews, [*reviews, (level, new_day, verified)], as_of


@given(reviews_st, DAYS, later, st.booleans(), prior_means, prior_vars, params_st)
def test_adding_a_five_never_lowers_the_score(
    reviews: list[Review],
    day: int,
    after: int,
    verified: bool,
    mean: float,
    var: float,
    p: ScoringParams,
) -> None:
    before, with_five, as_of = _added(5, reviews, day, after, verified)
    assert value(with_five, as_of, mean, var, p) >= value(before, as_of, mean, var, p) - 1e-9


@given(reviews_st, DAYS, later, st.booleans(), prior_means, prior_vars, params_st)
def test_adding_a_one_never_raises_the_score(
    reviews: list[Review],
    day: int,
    after: int,
    verified: bool,
    mean: float,
    var: float,
    p: ScoringParams,
) -> None:
    before, with_one, as_of = _added(1, reviews, day, after, verified)
    assert value(with_one, as_of, mean, var, p) <= value(before, as_of, mean, var, p) + 1e-9


@given(reviews_st, DAYS, later, prior_means, prior_vars, params_st)
@example(*DILUTED_FIVE)
def test_adding_an_unverified_five_never_lowers_the_score_with_cap_and_verification(
    reviews: list[Review], day: int, after: int, mean: float, var: float, p: ScoringParams
) -> None:
    before, with_five, as_of = _added(5, reviews, day, after, False)
    assert value(with_five, as_of, mean, var, p) >= value(before, as_of, mean, var, p) - 1e-9


@given(reviews_st, DAYS, later, prior_means, prior_vars, params_st)
@example(*DILUTED_ONE)
def test_adding_an_unverified_one_never_raises_the_score_with_cap_and_verification(
    reviews: list[Review], day: int, after: int, mean: float, var: float, p: ScoringParams
) -> None:
    before, with_one, as_of = _added(1, reviews, day, after, False)
    assert value(with_one, as_of, mean, var, p) <= value(before, as_of, mean, var, p) + 1e-9


def _plus(s: DaySums, review: Review, sign: int) -> DaySums:
    level, _, verified = review
    if verified:
        return DaySums(
            s.n,
            s.sx,
            s.sx2,
            s.n_verified + sign,
            s.sx_verified + sign * level,
            s.sx2_verified + sign * level * level,
        )
    return DaySums(
        s.n + sign,
        s.sx + sign * level,
        s.sx2 + sign * level * level,
        s.n_verified,
        s.sx_verified,
        s.sx2_verified,
    )


@given(
    reviews_st,
    st.lists(st.integers(0, 24), max_size=10, unique=True),
    params_st.map(lambda p: ScoringParams(half_life_days=max(p.half_life_days, 365.0))),
)
def test_day_moments_update_incrementally_as_reviews_land_and_leave(
    reviews: list[Review], leaving: list[int], p: ScoringParams
) -> None:
    """What the service does: swap a day's old moments for its new ones, never re-summing
    the provider's other days. Half-lives of a year or more over ten years keep weights
    within 2**10 of each other, so rounding stays far below the tolerance."""
    days: dict[int, DaySums] = {}
    total = Moments()
    scale = 0.0

    def apply(review: Review, sign: int) -> None:
        nonlocal total, scale
        d = review[1]
        old = days.get(d, DaySums())
        days[d] = _plus(old, review, sign)
        total = total - formula.day_moments(d, old, p) + formula.day_moments(d, days[d], p)
        scale = max(scale, *(abs(getattr(total, f.name)) for f in fields(Moments)))

    for review in reviews:
        apply(review, +1)
    gone = {i for i in leaving if i < len(reviews)}
    for i in sorted(gone):
        apply(reviews[i], -1)
    kept = [r for i, r in enumerate(reviews) if i not in gone]
    fresh = moments_of(day_sums(kept), p)
    for f in fields(Moments):
        assert math.isclose(
            getattr(total, f.name), getattr(fresh, f.name), rel_tol=1e-9, abs_tol=1e-9 * scale
        )


@pytest.mark.parametrize("verified", [False, True])
def test_three_fives_do_not_top_four_hundred_honest_reviews(verified: bool) -> None:
    as_of = EPOCH + 1000
    few = [(5, as_of - k, verified) for k in range(3)]
    # 400 reviews, one a day, averaging 4.6 (240 fives and 160 fours), unverified.
    many = [(5 if k % 5 < 3 else 4, as_of - k, False) for k in range(400)]
    assert sum(level for level, _, _ in many) / 400 == pytest.approx(4.6)
    p = formula.DEFAULT_PARAMS
    assert value(few, as_of, 3.8, 1.0, p) < value(many, as_of, 3.8, 1.0, p)
