"""Four ways to turn a provider's reviews into one number, compared in `evaluate`.

Each method is a pure function of a provider's reviews — (level 1-5, day, verified) — and a
`Context` (the sector's prior, the parameters, the day the score is for):

- `mean`: the plain mean level; what a naive site shows.
- `imdb`: IMDb's weighted rating v/(v+m)·R + m/(v+m)·C, R the provider's mean over its v
  reviews and C the sector's mean: shrinkage with a fixed weight, no recency, no cap.
- `wilson`: the Wilson lower bound (95%) of the provider's 好评 share (levels 4-5), mapped
  to the 1-5 scale as 1 + 4·lb so that it can be scored by RMSE against mean levels. The
  mapping is ours; Wilson ranks well but, being a lower bound of a share, it is not meant
  to predict a mean level, and its RMSE says so.
- `haocha`: the shipped score (`formula.py`), from day sums via `formula.day_moments`.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from haocha.scoring import formula
from haocha.scoring.formula import DEFAULT_PARAMS, DaySums, Moments, ScoringParams

Review = tuple[int, int, bool]  # (level 1-5, day as a date ordinal, verified)
GOOD_LEVELS = (4, 5)  # 好评

# m for `imdb`, chosen by validation on MovieLens like Haocha's parameters (docs/scoring.md).
# It is larger than Haocha's prior weight C because Haocha's recency already discounts a
# provider's old reviews; with no recency and no cap, Haocha is IMDb with m = C.
DEFAULT_IMDB_M = 10.0


@dataclass(frozen=True)
class Context:
    prior_mean: float  # the sector's mean level
    prior_var: float  # the sector's variance of levels
    as_of: int  # the day (date ordinal) the score is computed for
    params: ScoringParams = DEFAULT_PARAMS
    imdb_m: float = DEFAULT_IMDB_M
    wilson_z: float = 1.96


def mean(reviews: Sequence[Review], ctx: Context) -> float:
    """The plain mean level; with no reviews, the sector's mean (there is nothing else)."""
    if not reviews:
        return ctx.prior_mean
    return sum(level for level, _, _ in reviews) / len(reviews)


def imdb(reviews: Sequence[Review], ctx: Context) -> float:
    v = len(reviews)
    total = v + ctx.imdb_m
    if total == 0:
        return ctx.prior_mean
    return (sum(level for level, _, _ in reviews) + ctx.imdb_m * ctx.prior_mean) / total


def wilson_lower_bound(good: int, n: int, z: float = 1.96) -> float:
    """Wilson score interval's lower end for `good` successes in `n` trials (0 if n = 0)."""
    if n == 0:
        return 0.0
    p = good / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z2 / n))


def wilson(reviews: Sequence[Review], ctx: Context) -> float:
    good = sum(1 for level, _, _ in reviews if level in GOOD_LEVELS)
    return 1.0 + 4.0 * wilson_lower_bound(good, len(reviews), ctx.wilson_z)


def day_sums(reviews: Iterable[Review]) -> dict[int, DaySums]:
    """Group reviews by day into the plain sums that `formula.day_moments` weighs."""
    acc: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0, 0.0, 0.0])
    for level, day, verified in reviews:
        s = acc[day]
        k = 3 if verified else 0
        s[k] += 1
        s[k + 1] += level
        s[k + 2] += level * level
    return {day: DaySums(int(s[0]), s[1], s[2], int(s[3]), s[4], s[5]) for day, s in acc.items()}


def moments_of(sums: dict[int, DaySums], params: ScoringParams) -> Moments:
    total = Moments()
    for day in sorted(sums):  # a fixed order, so rounding is reproducible
        total = total + formula.day_moments(day, sums[day], params)
    return total


def haocha(reviews: Sequence[Review], ctx: Context) -> float:
    m = moments_of(day_sums(reviews), ctx.params)
    return formula.score(m, ctx.as_of, ctx.prior_mean, ctx.prior_var, ctx.params).value


Method = Callable[[Sequence[Review], Context], float]
METHODS: dict[str, Method] = {"mean": mean, "imdb": imdb, "wilson": wilson, "haocha": haocha}
