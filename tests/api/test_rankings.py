"""Scores and rankings: thin data and bursts don't win, incremental equals rebuild."""

import random
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from haocha.core import clock
from haocha.core.cache import store_for
from haocha.core.settings import Settings
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus
from haocha.reviews.service import change_level, set_review_status
from haocha.scoring.models import ProviderStats
from haocha.scoring.rankings import unranked
from haocha.scoring.rebuild import rebuild
from haocha.scoring.trends import sector_summary
from tests.api.conftest import login
from tests.factories.providers import make_provider
from tests.factories.reviews import make_review


def _reviews(db: Session, provider: Provider, levels: list[int], *, spread_days: int = 300) -> None:
    now = clock.now()
    for i, level in enumerate(levels):
        when = now - timedelta(days=spread_days * i / max(len(levels), 1))
        make_review(db, provider, level=level, created_at=when)


def test_three_fives_do_not_top_four_hundred_honest_reviews(
    client: httpx.Client, db: Session
) -> None:
    honest = make_provider(db, sector_code="fitness")
    newcomer = make_provider(db, sector_code="fitness")
    bought = make_provider(db, sector_code="fitness")
    rng = random.Random(7)
    _reviews(db, honest, [5 if rng.random() < 0.7 else 4 for _ in range(400)])
    _reviews(db, newcomer, [5, 5, 5])
    # Twenty 5s bought in one afternoon on top of a middling record.
    _reviews(db, bought, [3, 2, 3, 4, 3, 2, 3, 3])
    for _ in range(20):
        make_review(db, bought, level=5, created_at=clock.now() - timedelta(hours=2))

    body = client.get("/api/v1/rankings/fitness").json()
    ranked = [item["provider"]["id"] for item in body["items"]]
    assert ranked[0] == honest.id
    assert newcomer.id not in ranked  # below the minimum number of reviews
    assert body["min_reviews"] == 5
    assert ranked.index(bought.id) > ranked.index(honest.id)

    shown = client.get(f"/api/v1/providers/{newcomer.id}").json()
    assert shown["ranked"] is False
    assert shown["rank"] is None
    top = client.get(f"/api/v1/providers/{honest.id}").json()
    assert top["rank"] == 1
    assert top["score_low"] <= top["score"] <= top["score_high"]
    # The newcomer's interval is wide: three reviews say little.
    assert (shown["score_high"] - shown["score_low"]) > 2 * (top["score_high"] - top["score_low"])


def test_ranking_pages_and_district_filter(client: httpx.Client, db: Session) -> None:
    for i in range(7):
        p = make_provider(db, sector_code="beauty", district_code="310104" if i % 2 else "310105")
        _reviews(db, p, [*[5, 4, 4, 5, 3, 4][: 5 + i % 2], 1 + i % 5])
    first = client.get("/api/v1/rankings/beauty?limit=4").json()
    second = client.get("/api/v1/rankings/beauty?limit=4&offset=4").json()
    assert first["total"] == second["total"] == 7
    ids = [i["provider"]["id"] for i in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7
    assert [i["rank"] for i in first["items"] + second["items"]] == list(range(1, 8))
    scores = [i["provider"]["score"] for i in first["items"] + second["items"]]
    assert scores == sorted(scores, reverse=True)
    xuhui = client.get("/api/v1/rankings/beauty?district=310104").json()
    assert xuhui["total"] == 3
    assert {i["provider"]["district_code"] for i in xuhui["items"]} == {"310104"}


@pytest.mark.parametrize(
    "path", ["/api/v1/rankings/nosuch", "/api/v1/rankings/beauty?district=999999"]
)
def test_unknown_sector_or_district_is_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_removed_and_held_reviews_leave_the_score(client: httpx.Client, db: Session) -> None:
    provider = make_provider(db)
    _reviews(db, provider, [4, 4, 5, 4, 4, 5])
    before = client.get(f"/api/v1/providers/{provider.id}").json()
    fake = make_review(db, provider, level=1)
    assert client.get(f"/api/v1/providers/{provider.id}").json()["score"] < before["score"]
    set_review_status(db, fake, ReviewStatus.removed)
    after = client.get(f"/api/v1/providers/{provider.id}").json()
    assert after["score"] == pytest.approx(before["score"], abs=1e-6)
    assert after["review_count"] == 6
    set_review_status(db, fake, ReviewStatus.held)
    assert client.get(f"/api/v1/providers/{provider.id}").json()["review_count"] == 6
    set_review_status(db, fake, ReviewStatus.published)
    assert client.get(f"/api/v1/providers/{provider.id}").json()["review_count"] == 7


def test_incremental_updates_equal_a_rebuild(db: Session) -> None:
    rng = random.Random(11)
    providers = [
        make_provider(db, sector_code=rng.choice(["health", "catering"])) for _ in range(6)
    ]
    reviews: list[Review] = []
    now = clock.now()
    for _ in range(160):
        provider = rng.choice(providers)
        when = now - timedelta(days=rng.choice([0, 0, 1, 3, 40, 400, 900]), hours=rng.random())
        reviews.append(
            make_review(
                db, provider, level=rng.randint(1, 5), verified=rng.random() < 0.3, created_at=when
            )
        )
    for review in rng.sample(reviews, 25):
        set_review_status(db, review, rng.choice([ReviewStatus.removed, ReviewStatus.held]))
    for review in rng.sample(reviews, 25):
        change_level(db, review, rng.randint(1, 5))
    incremental = {s.provider_id: s.model_dump() for s in db.exec(select(ProviderStats)).all()}

    rebuild(db)
    rebuilt = {s.provider_id: s.model_dump() for s in db.exec(select(ProviderStats)).all()}
    for provider in providers:
        assert provider.id is not None
        a, b = incremental[provider.id], rebuilt[provider.id]
        for field in ("count_1", "count_2", "count_3", "count_4", "count_5", "ranked", "scored_on"):
            assert a[field] == b[field], field
        for field in ("w", "wx", "wx2", "w2", "score", "score_low", "score_high"):
            assert a[field] == pytest.approx(b[field], rel=1e-9, abs=1e-6), field


def test_cached_ranking_changes_when_a_review_lands(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    a = make_provider(db, sector_code="education")
    b = make_provider(db, sector_code="education")
    _reviews(db, a, [4, 4, 4, 4, 4])
    _reviews(db, b, [4, 4, 4, 4, 5])
    first = client.get("/api/v1/rankings/education").json()
    assert [i["provider"]["id"] for i in first["items"]] == [b.id, a.id]
    assert client.get("/api/v1/rankings/education").json() == first  # served from the cache
    headers = login(client, outbox)
    review = {"provider_id": b.id, "level": 1, "text": "课程临时取消，退费遥遥无期。"}
    assert client.post("/api/v1/reviews", json=review, headers=headers).status_code == 201
    after = client.get("/api/v1/rankings/education").json()
    assert [i["provider"]["id"] for i in after["items"]] == [a.id, b.id]


def test_a_provider_without_reviews_is_listed_as_unranked(db: Session) -> None:
    provider = make_provider(db, sector_code="culture")
    rows, total = unranked(db, "culture")
    assert total == 1
    assert rows[0][0].id == provider.id


def test_sector_summary_counts_mean_and_trend(
    client: httpx.Client, outbox: Path, db: Session, settings: Settings
) -> None:
    a = make_provider(db, sector_code="tourism", district_code="310104")
    b = make_provider(db, sector_code="tourism", district_code="310105")
    _reviews(db, a, [5, 5, 4], spread_days=0)
    _reviews(db, b, [1, 3], spread_days=0)
    store = store_for(settings.redis_url, settings.redis_prefix)
    summary = sector_summary(db, store, "tourism")
    assert summary["level_counts"] == {"5": 2, "4": 1, "3": 1, "2": 0, "1": 1}
    assert summary["mean"] == pytest.approx(18 / 5)
    assert summary["low"] < summary["mean"] < summary["high"]
    assert summary["good_rate"] == pytest.approx(3 / 5)
    assert sum(p["count"] for p in summary["trend"]) == 5
    assert len(summary["trend"]) == 12
    only_b = sector_summary(db, store, "tourism", district_code="310105")
    assert only_b["total"] == 2

    page = client.get("/sectors/tourism", headers={"Accept": "text/html"}).text
    assert "整体评价" in page
    assert 'role="img"' in page  # the sector's trend chart
    # A new review is counted at once: the summary shares the ranking's cache version.
    headers = login(client, outbox)
    review = {"provider_id": b.id, "level": 5, "text": "导游很专业"}
    assert client.post("/api/v1/reviews", json=review, headers=headers).status_code == 201
    assert sector_summary(db, store, "tourism")["total"] == 6
