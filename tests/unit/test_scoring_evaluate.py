"""The four scoring methods on hand-made streams, and a quick run of the shipped evaluation."""

import math
from pathlib import Path

import numpy as np
import pytest

from haocha.scoring import methods
from haocha.scoring.evaluate import (
    DEFAULT_DATA_DIR,
    RATINGS_FILE,
    Grid,
    Item,
    campaign,
    evaluate,
    level_of,
    load_items,
    ranks_bought,
)
from haocha.scoring.formula import EPOCH, ScoringParams
from haocha.scoring.methods import Context, Review

pytestmark = pytest.mark.unit

DAY = EPOCH + 500
CTX = Context(prior_mean=3.8, prior_var=1.0, as_of=DAY)


def stream(*levels: int, verified: bool = False) -> list[Review]:
    return [(lvl, DAY - k, verified) for k, lvl in enumerate(levels)]


def test_mean_is_the_plain_mean_and_the_prior_when_empty() -> None:
    assert methods.mean(stream(5, 4, 3), CTX) == 4.0
    assert methods.mean([], CTX) == 3.8


def test_imdb_equals_the_mean_when_m_is_zero() -> None:
    reviews = stream(5, 1, 4, 4, 2)
    ctx = Context(3.8, 1.0, DAY, imdb_m=0.0)
    assert methods.imdb(reviews, ctx) == pytest.approx(methods.mean(reviews, ctx))


def test_imdb_shrinks_few_reviews_towards_the_sector() -> None:
    ctx = Context(3.8, 1.0, DAY, imdb_m=10.0)
    assert methods.imdb(stream(5, 5), ctx) == pytest.approx((10 + 38) / 12)
    assert methods.imdb([], ctx) == 3.8


def test_wilson_puts_all_good_far_above_all_bad() -> None:
    assert methods.wilson(stream(*[1] * 10), CTX) == 1.0
    good = methods.wilson(stream(*[5] * 10), CTX)
    assert good == pytest.approx(1 + 4 * 0.7225, abs=1e-3)  # lower bound of 10/10 at 95%
    assert methods.wilson(stream(*[4] * 100), CTX) > good  # more evidence, higher bound
    assert methods.wilson([], CTX) == 1.0


def test_wilson_counts_levels_four_and_five_as_good() -> None:
    assert methods.wilson(stream(4, 5, 4, 5), CTX) == methods.wilson(stream(5, 5, 5, 5), CTX)
    assert methods.wilson(stream(3, 3, 3, 3), CTX) == 1.0


def test_haocha_without_recency_or_cap_is_imdb_with_m_equal_to_its_prior_weight() -> None:
    flat = ScoringParams(prior_weight=7.0, half_life_days=1e12, daily_cap=math.inf)
    ctx = Context(3.8, 1.0, DAY, params=flat, imdb_m=7.0)
    reviews = [*stream(5, 2, 4, 4, 1, 3), (5, DAY - 1, False), (4, DAY - 1, False)]
    assert methods.haocha(reviews, ctx) == pytest.approx(methods.imdb(reviews, ctx))


def test_haocha_daily_cap_damps_a_burst_but_not_a_drip() -> None:
    ctx = Context(3.8, 1.0, DAY, params=ScoringParams(daily_cap=1.0, half_life_days=1e12))
    burst = [(5, DAY, False)] * 10
    drip = [(5, DAY - k, False) for k in range(10)]
    assert methods.haocha(burst, ctx) == pytest.approx((5 * 3.8 + 5) / 6)
    assert methods.haocha(drip, ctx) == pytest.approx((5 * 3.8 + 50) / 15)


@pytest.mark.parametrize(
    ("rating", "level"), [(0.5, 1), (1.0, 1), (1.5, 2), (2.0, 2), (3.5, 4), (4.5, 5), (5.0, 5)]
)
def test_ratings_map_to_levels_by_ceiling(rating: float, level: int) -> None:
    assert level_of(rating) == level


def test_items_split_seventy_thirty_by_time(tmp_path: Path) -> None:
    ratings = tmp_path / "ratings.csv"
    rows = ["userId,movieId,rating,timestamp"]
    # Item 7: 20 ratings a day apart, written out of order; 1.0 for the first 14, 5.0 after.
    rows += [f"{u},7,{1.0 if u < 14 else 5.0},{86_400 * (100 + u)}" for u in reversed(range(20))]
    rows += ["1,8,4.0,8640000"]  # item 8 has too few ratings and is left out
    ratings.write_text("\n".join(rows) + "\n")
    (item,) = load_items(ratings)
    assert item.item_id == 7
    assert [lvl for lvl, _, _ in item.train] == [1] * 14
    assert item.later_mean == 5.0
    assert item.train[0][1] == EPOCH  # the first day in the data sits at the epoch
    assert item.split_day == EPOCH + 13


def test_campaigns_end_on_the_split_day() -> None:
    item = Item(1, tuple(stream(3)), 3.0, DAY)
    burst, drip = campaign(item, "burst"), campaign(item, "drip")
    assert len(burst) == len(drip) == 20
    assert {d for _, d, _ in burst} == {DAY - 1, DAY}
    assert sorted(d for _, d, _ in drip) == list(range(DAY - 19, DAY + 1))
    assert all(lvl == 5 and not verified for lvl, _, verified in [*burst, *drip])


def test_ranks_bought_counts_providers_overtaken() -> None:
    items = [Item(i, tuple(stream(lvl, lvl)), 0.0, DAY) for i, lvl in enumerate([1, 2, 3, 4])]
    ctxs = [CTX] * 4
    base = np.array([methods.mean(it.train, CTX) for it in items])
    # 20 fives lift the 1,1 provider to a mean of 92/22 > 4: from 4th to 1st.
    assert ranks_bought(methods.mean, items, ctxs, base, np.array([0]), "burst") == 3.0


@pytest.mark.skipif(
    not (DEFAULT_DATA_DIR / RATINGS_FILE).is_file(), reason="needs ../shared/data/movielens_small"
)
def test_evaluation_runs_on_a_subsample() -> None:
    grid = Grid(
        prior_weight=(2, 10),
        half_life_days=(730, 100_000),
        daily_cap=(1, math.inf),
        imdb_m=(0, 10),
    )
    result = evaluate(grid=grid, draws=20, max_items=120)
    assert set(result["methods"]) == {"mean", "imdb", "wilson", "haocha"}
    for figures in result["methods"].values():
        assert set(figures) >= {"rmse", "kendall_tau", "ranks_bought", "ranks_bought_drip"}
        assert figures["rmse"] > 0
        assert -1 <= figures["kendall_tau"] <= 1
        assert figures["ranks_bought_flagged"] is None
    assert result["data"]["items"] == 120
    assert result["params"]["haocha"]["prior_weight"] in (2, 10)
    assert result["params"]["imdb"]["m"] in (0, 10)
