"""The shipped evaluation of the four scoring methods on real rating streams (MovieLens).

Data: MovieLens ml-latest-small (Harper & Konstan 2015, ACM TiiS 5(4)), research and
non-commercial use: evaluation only. Each movie with >= 20 ratings stands for a provider.
Ratings 0.5-5 become levels by level = ceil(rating) (0.5 and 1 -> 1, 1.5 and 2 -> 2, ...,
4.5 and 5 -> 5). MovieLens has no verification flag, so every review is unverified. Days
are counted from the first day in the data placed at `formula.EPOCH`: a common shift of
all days changes no score, and it keeps recency weights of 1990s reviews far from the
formula's rounding-dust threshold (which a 180-day half-life would otherwise reach).

Per item, the earlier 70% of its ratings by time are what the site knows ("train"); the
score from them, as of the day of the last of them (the split day), predicts the mean level
of the later 30%. Items are split into a tuning half and a test half (fixed seed);
parameters are chosen by RMSE on the tuning half only and all reported figures are on the
test half. All items form one sector: the prior is the mean and variance of all train levels.

Attack: 20 five-star unverified reviews injected into one test provider at a time, drawn
from the bottom half by plain mean, as a burst (10 on the day before the split day, 10 on
it) or a drip (one a day over the 20 days ending at the split day); the ranking is that of
all test items by each method's score as of their split days. Ranks bought = rank before -
rank after (positive = moved up); the median over the draws is reported.
"""

import csv
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.stats import kendalltau

from haocha.core.settings import PROJECT_ROOT
from haocha.scoring import formula, methods
from haocha.scoring.formula import DEFAULT_PARAMS, EPOCH, ScoringParams
from haocha.scoring.methods import Context, Review

DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
RATINGS_FILE = Path("movielens_small") / "ratings.csv"
SEED = 20220614
MIN_RATINGS = 20
TRAIN_TENTHS = 7  # the earlier 70% of each item's ratings are known, the later 30% predicted
CAMPAIGN_SIZE = 20
DRAWS = 200
BOOTSTRAP = 2000
SECONDS_PER_DAY = 86_400

Floats = NDArray[np.float64]
Campaign = Literal["burst", "drip"]


@dataclass(frozen=True)
class Grid:
    prior_weight: tuple[float, ...] = (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50)
    # 100,000 days (274 years) = no recency; 1095-4380 added once 1460 came out best.
    half_life_days: tuple[float, ...] = (180, 365, 730, 1095, 1460, 2190, 2920, 4380, 100_000)
    daily_cap: tuple[float, ...] = (1, 2, 3, 5, math.inf)
    imdb_m: tuple[float, ...] = (0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50)


@dataclass(frozen=True)
class Item:
    item_id: int
    train: tuple[Review, ...]
    later_mean: float
    split_day: int


@dataclass(frozen=True)
class Prior:
    mean: float
    var: float


@dataclass(frozen=True)
class Tuned:
    params: ScoringParams
    imdb_m: float
    haocha_rmse: float
    imdb_rmse: float
    haocha_grid: list[tuple[float, float, float, float]] = field(default_factory=list)
    imdb_grid: list[tuple[float, float]] = field(default_factory=list)


def level_of(rating: float) -> int:
    return max(1, math.ceil(rating))


def load_items(path: Path, min_ratings: int = MIN_RATINGS) -> list[Item]:
    """Each item's ratings in time order, split into the known 70% and the later mean."""
    by_item: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            stamp = int(row["timestamp"])
            by_item[int(row["movieId"])].append(
                (stamp, int(row["userId"]), level_of(float(row["rating"])))
            )
    first_day = min(s for rows in by_item.values() for s, _, _ in rows) // SECONDS_PER_DAY
    items = []
    for item_id in sorted(by_item):
        rows = sorted(by_item[item_id])  # by time, then user: ties broken reproducibly
        if len(rows) < min_ratings:
            continue
        reviews = [(lvl, EPOCH + s // SECONDS_PER_DAY - first_day, False) for s, _, lvl in rows]
        cut = len(reviews) * TRAIN_TENTHS // 10
        later = [lvl for lvl, _, _ in reviews[cut:]]
        items.append(
            Item(item_id, tuple(reviews[:cut]), sum(later) / len(later), reviews[cut - 1][1])
        )
    return items


def sector_prior(items: Sequence[Item]) -> Prior:
    levels = np.array([lvl for it in items for lvl, _, _ in it.train], dtype=np.float64)
    return Prior(float(levels.mean()), float(levels.var()))


def rmse(pred: Floats, truth: Floats) -> float:
    return float(np.sqrt(np.mean((pred - truth) ** 2)))


def tau(pred: Floats, truth: Floats) -> float:
    return float(kendalltau(pred, truth).statistic)


def rmse_gap(a: Floats, b: Floats, truth: Floats, rng: np.random.Generator) -> dict[str, Any]:
    """RMSE(a) - RMSE(b) with a 95% paired bootstrap interval over the test items: is the
    gap between two close methods more than the luck of which items landed in the test half?"""
    idx = rng.integers(0, len(truth), size=(BOOTSTRAP, len(truth)))
    gaps = np.sqrt(np.mean((a[idx] - truth[idx]) ** 2, axis=1)) - np.sqrt(
        np.mean((b[idx] - truth[idx]) ** 2, axis=1)
    )
    low, high = np.quantile(gaps, [0.025, 0.975])
    return {
        "gap": round(rmse(a, truth) - rmse(b, truth), 5),
        "ci95": [round(float(low), 5), round(float(high), 5)],
        "share_of_resamples_below_zero": round(float(np.mean(gaps < 0)), 3),
    }


def context(item: Item, prior: Prior, params: ScoringParams, imdb_m: float) -> Context:
    return Context(prior.mean, prior.var, item.split_day, params, imdb_m)


def tune(items: Sequence[Item], prior: Prior, grid: Grid) -> Tuned:
    """Grid search on the tuning items: Haocha's (C, half-life, cap) and IMDb's m, by RMSE.

    Day moments do not depend on C, so they are summed once per (half-life, cap)."""
    truth = np.array([it.later_mean for it in items])
    sums = [methods.day_sums(it.train) for it in items]
    haocha_grid = []
    for half_life in grid.half_life_days:
        for cap in grid.daily_cap:
            base = replace(DEFAULT_PARAMS, half_life_days=half_life, daily_cap=cap)
            moments = [methods.moments_of(s, base) for s in sums]
            for weight in grid.prior_weight:
                params = replace(base, prior_weight=weight)
                pred = np.array(
                    [
                        formula.score(m, it.split_day, prior.mean, prior.var, params).value
                        for m, it in zip(moments, items, strict=True)
                    ]
                )
                haocha_grid.append((weight, half_life, cap, rmse(pred, truth)))
    imdb_grid = []
    for m in grid.imdb_m:
        pred = np.array(
            [methods.imdb(it.train, context(it, prior, DEFAULT_PARAMS, m)) for it in items]
        )
        imdb_grid.append((m, rmse(pred, truth)))
    # min() keeps the first of equal values, so ties go to the earlier grid entry.
    best_w, best_hl, best_cap, best_rmse = min(haocha_grid, key=lambda row: row[3])
    best_m, best_m_rmse = min(imdb_grid, key=lambda row: row[1])
    chosen = replace(
        DEFAULT_PARAMS, prior_weight=best_w, half_life_days=best_hl, daily_cap=best_cap
    )
    return Tuned(chosen, best_m, best_rmse, best_m_rmse, haocha_grid, imdb_grid)


def campaign(item: Item, kind: Campaign) -> list[Review]:
    """The attacker's 20 five-star unverified reviews, all on or before the split day."""
    d = item.split_day
    if kind == "burst":
        half = CAMPAIGN_SIZE // 2
        return [(5, d - 1, False)] * half + [(5, d, False)] * (CAMPAIGN_SIZE - half)
    return [(5, d - k, False) for k in range(CAMPAIGN_SIZE)]


def ranks_bought(
    method: methods.Method,
    items: Sequence[Item],
    contexts: Sequence[Context],
    base: Floats,
    draws: NDArray[np.int64],
    kind: Campaign,
) -> float:
    bought = []
    for i in draws:
        others = np.delete(base, i)
        after = method([*items[i].train, *campaign(items[i], kind)], contexts[i])
        # rank = 1 + number of other providers strictly above
        bought.append(int(np.sum(others > base[i])) - int(np.sum(others > after)))
    return float(np.median(bought))


def _marginal(grid: list[tuple[float, float, float, float]], column: int) -> dict[str, float]:
    """The best tuning RMSE for each value of one parameter (over all values of the others)."""
    best: dict[str, float] = {}
    for row in grid:
        key = _label(row[column])
        best[key] = round(min(best.get(key, math.inf), row[3]), 5)
    return best


def _label(x: float) -> str:
    return "none" if math.isinf(x) else f"{x:g}"


def _test_metrics(
    method: methods.Method,
    test: Sequence[Item],
    contexts: Sequence[Context],
    truth: Floats,
    picked: NDArray[np.int64],
) -> tuple[Floats, dict[str, Any]]:
    scores = np.array([method(it.train, ctx) for it, ctx in zip(test, contexts, strict=True)])
    return scores, {
        "rmse": round(rmse(scores, truth), 4),
        "kendall_tau": round(tau(scores, truth), 4),
        "ranks_bought": ranks_bought(method, test, contexts, scores, picked, "burst"),
        "ranks_bought_drip": ranks_bought(method, test, contexts, scores, picked, "drip"),
        "ranks_bought_flagged": None,
    }


def _no_recency(tuned: Tuned, grid: Grid) -> ScoringParams:
    """The tuning grid's best Haocha without recency (the largest half-life), same cap."""
    rows = [
        r
        for r in tuned.haocha_grid
        if r[1] == max(grid.half_life_days) and r[2] == tuned.params.daily_cap
    ]
    weight, half_life, _, _ = min(rows, key=lambda row: row[3])
    return replace(tuned.params, prior_weight=weight, half_life_days=half_life)


def _params_json(p: ScoringParams) -> dict[str, float | None]:
    return {
        "prior_weight": p.prior_weight,
        "half_life_days": p.half_life_days,
        "daily_cap": None if math.isinf(p.daily_cap) else p.daily_cap,
        "verified_weight": p.verified_weight,
    }


def evaluate(
    data_dir: Path = DEFAULT_DATA_DIR,
    *,
    grid: Grid | None = None,
    draws: int = DRAWS,
    max_items: int | None = None,
    seed: int = SEED,
) -> dict[str, Any]:
    """Run the whole evaluation; `max_items` subsamples the items (for quick tests)."""
    grid = grid or Grid()
    rng = np.random.default_rng(seed)
    items = load_items(data_dir / RATINGS_FILE)
    if max_items is not None and max_items < len(items):
        keep = np.sort(rng.choice(len(items), size=max_items, replace=False))
        items = [items[k] for k in keep]
    prior = sector_prior(items)
    order = rng.permutation(len(items))
    half = len(items) // 2
    tuning = [items[k] for k in sorted(order[:half])]
    test = [items[k] for k in sorted(order[half:])]
    tuned = tune(tuning, prior, grid)

    truth = np.array([it.later_mean for it in test])
    contexts = [context(it, prior, tuned.params, tuned.imdb_m) for it in test]
    # The same providers are attacked under every method: the bottom half by plain mean.
    plain = np.array([methods.mean(it.train, ctx) for it, ctx in zip(test, contexts, strict=True)])
    bottom = np.argsort(plain, kind="stable")[: len(test) // 2]
    picked = rng.choice(bottom, size=min(draws, len(bottom)), replace=False)
    scores: dict[str, Floats] = {}
    results: dict[str, dict[str, Any]] = {}
    for name, fn in methods.METHODS.items():
        scores[name], results[name] = _test_metrics(fn, test, contexts, truth, picked)
    flat = _no_recency(tuned, grid)
    flat_contexts = [replace(ctx, params=flat) for ctx in contexts]
    _, flat_result = _test_metrics(methods.haocha, test, flat_contexts, truth, picked)
    gaps = {
        f"haocha_minus_{other}": rmse_gap(scores["haocha"], scores[other], truth, rng)
        for other in ("imdb", "mean")
    }
    return {
        "methods": results,
        "params": {
            "haocha": _params_json(tuned.params),
            "imdb": {"m": tuned.imdb_m},
            "wilson": {"z": 1.96, "scale": "1 + 4 * lower bound of the share of levels 4-5"},
            "seed": seed,
        },
        "validation": {
            "criterion": "RMSE on the tuning half; daily_cap null = no cap",
            "haocha_rmse": round(tuned.haocha_rmse, 5),
            "imdb_rmse": round(tuned.imdb_rmse, 5),
            "haocha_best_by_prior_weight": _marginal(tuned.haocha_grid, 0),
            "haocha_best_by_half_life_days": _marginal(tuned.haocha_grid, 1),
            "haocha_best_by_daily_cap": _marginal(tuned.haocha_grid, 2),
            "imdb_by_m": {_label(m): round(r, 5) for m, r in tuned.imdb_grid},
        },
        "test_rmse_gaps": gaps,
        # What recency costs against a slow campaign: Haocha tuned without it, same test.
        "haocha_without_recency": {"params": _params_json(flat), **flat_result},
        "data": {
            "source": "MovieLens ml-latest-small (Harper & Konstan 2015), evaluation only",
            "items": len(items),
            "tuning_items": len(tuning),
            "test_items": len(test),
            "train_ratings": sum(len(it.train) for it in items),
            "level_map": "level = ceil(rating): 0.5-1 -> 1, 1.5-2 -> 2, ..., 4.5-5 -> 5",
            "verified": "none: MovieLens has no verification flag",
            "sector_prior": {"mean": round(prior.mean, 4), "var": round(prior.var, 4)},
        },
        "attack": {
            "reviews": CAMPAIGN_SIZE,
            "level": 5,
            "verified": False,
            "burst": "10 on the day before the split day and 10 on it",
            "drip": "one a day over the 20 days ending at the split day",
            "targets": f"{len(picked)} test providers from the bottom half by plain mean",
            "ranking": f"all {len(test)} test providers, each scored as of its split day",
            "ranks_bought": "median of rank before - rank after (positive = moved up)",
            "ranks_bought_flagged": "null until the ML fake-review flags land (their issue)",
        },
    }
