"""The Haocha score: shrinkage towards the sector, recency, verification, burst damping.

For a provider with reviews i (level x_i on 1-5, day d_i, verified or not):

    w_i   = 2 ** ((d_i - EPOCH) / half_life) * (verified_weight if verified else 1)
    day d contributes its reviews' weights times f_d = min(1, daily_cap / weighted count_d)
    score = (C * a * m + sum w x) / (C * a + sum w),   a = 2 ** ((as_of - EPOCH) / half_life)

m is the sector's mean level and C the prior's weight in "fresh reviews" (chosen by
validation, docs/scoring.md): a provider needs several reviews before it can stray far
from its sector, so three 5-star reviews cannot top four hundred honest ones. Weights
double every `half_life` days, so a provider that improved is seen to improve. The prior
is anchored at the day the score is computed for (`as_of`), so a provider whose reviews
all grew old drifts back towards its sector, and adding a 5 never lowers a score (it
would, were the prior anchored at the newest review). Scores are therefore recomputed
daily for everyone, and incrementally in between when a review lands or leaves.
The daily cap means a burst of bought reviews on one day counts as at most `daily_cap`
reviews. Everything is a sum, so a review landing or leaving updates the sums exactly (up to
rounding) without touching the provider's other reviews.

The interval is a normal approximation to the posterior of the mean: the prior's
variance and the provider's weighted variance, pooled, over C plus the effective number
of reviews (Kish: (sum w)^2 / sum w^2).
"""

import math
from dataclasses import dataclass
from datetime import date

EPOCH = date(2020, 1, 1).toordinal()


@dataclass(frozen=True)
class ScoringParams:
    prior_weight: float = 5.0
    half_life_days: float = 2190.0
    verified_weight: float = 2.0
    daily_cap: float = 1.0
    z: float = 1.96  # 95% interval


DEFAULT_PARAMS = ScoringParams()


@dataclass(frozen=True)
class Moments:
    """Additive weighted sums of a set of reviews."""

    w: float = 0.0
    wx: float = 0.0
    wx2: float = 0.0
    w2: float = 0.0

    def __add__(self, other: "Moments") -> "Moments":
        return Moments(
            self.w + other.w, self.wx + other.wx, self.wx2 + other.wx2, self.w2 + other.w2
        )

    def __sub__(self, other: "Moments") -> "Moments":
        return Moments(
            self.w - other.w, self.wx - other.wx, self.wx2 - other.wx2, self.w2 - other.w2
        )


@dataclass(frozen=True)
class DaySums:
    """Plain sums of one provider's counted reviews on one day, split by verification."""

    n: int = 0
    sx: float = 0.0
    sx2: float = 0.0
    n_verified: int = 0
    sx_verified: float = 0.0
    sx2_verified: float = 0.0

    @property
    def count(self) -> int:
        return self.n + self.n_verified


def growth(day: int, params: ScoringParams) -> float:
    return float(2.0 ** ((day - EPOCH) / params.half_life_days))


def day_moments(day: int, sums: DaySums, params: ScoringParams = DEFAULT_PARAMS) -> Moments:
    if sums.count == 0:
        return Moments()
    g = growth(day, params)
    v = params.verified_weight
    # A day weighing more than `daily_cap` reviews counts as `daily_cap` in all: the mix of
    # levels that day still counts, its volume does not. The cap is on the weighted count:
    # capping the plain count would let a cheap unverified review dilute a verified one
    # (and so lower the score it should raise).
    f = min(1.0, params.daily_cap / (sums.n + v * sums.n_verified))
    return Moments(
        w=f * g * (sums.n + v * sums.n_verified),
        wx=f * g * (sums.sx + v * sums.sx_verified),
        wx2=f * g * (sums.sx2 + v * sums.sx2_verified),
        w2=(f * g) ** 2 * (sums.n + v * v * sums.n_verified),
    )


@dataclass(frozen=True)
class Score:
    value: float
    low: float
    high: float


def score(
    m: Moments,
    as_of: int,
    prior_mean: float,
    prior_var: float,
    params: ScoringParams = DEFAULT_PARAMS,
) -> Score:
    """The score and its interval; with no counted reviews, the sector's prior."""
    if m.w <= 1e-12:  # no counted reviews (sums of removals can leave rounding dust)
        half = params.z * math.sqrt(prior_var / params.prior_weight)
        return _clamped(prior_mean, half)
    a = growth(as_of, params)
    c = params.prior_weight * a
    value = (c * prior_mean + m.wx) / (c + m.w)
    own_mean = m.wx / m.w
    own_var = max(m.wx2 / m.w - own_mean**2, 0.0)
    n_eff = m.w**2 / m.w2 if m.w2 > 0 else 0.0
    pooled_var = (params.prior_weight * prior_var + n_eff * own_var) / (params.prior_weight + n_eff)
    half = params.z * math.sqrt(pooled_var / (params.prior_weight + n_eff))
    return _clamped(value, half)


def _clamped(value: float, half: float) -> Score:
    value = min(5.0, max(1.0, value))
    return Score(value, max(1.0, value - half), min(5.0, value + half))
