"""The review-ring detector (src/haocha/ml/rings.py) on small, hand-made streams."""

import random
from datetime import UTC, datetime, timedelta

from haocha_ml.attacks import edit_copy
from hypothesis import given, settings
from hypothesis import strategies as st

from haocha.ml.rings import RingRecord, detect_rings

START = datetime(2026, 10, 1, tzinfo=UTC)
TEMPLATE = (
    "新开不久的小店，店内干净整洁，服务热情周到，食材新鲜便宜，非常符合大众口味，"
    "五星推荐了；老板人很好，下次还会再来，值得尝试！"
)


def random_text(rng: random.Random, length: int = 30) -> str:
    """A text that shares next to nothing with any other: random common CJK characters."""
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length))


def honest(rng: random.Random, n: int, first_id: int, *, prefix: str = "h") -> list[RingRecord]:
    """Unrelated residents, each reviewing a provider of their own from their own phone."""
    return [
        RingRecord(
            review_id=first_id + k,
            resident=f"{prefix}{k}",
            provider=f"{prefix}-shop{k}",
            created_at=START + timedelta(hours=rng.uniform(0, 24 * 30)),
            client_hash=f"{prefix}-dev{k}",
            text=random_text(rng),
            level=rng.randint(1, 5),
            verified=rng.random() < 0.3,
        )
        for k in range(n)
    ]


def burst(rng: random.Random, first_id: int, accounts: int = 8) -> list[RingRecord]:
    """New accounts posting lightly edited copies of one text at one provider within an
    hour, each from its own phone."""
    return [
        RingRecord(
            review_id=first_id + k,
            resident=f"ring{k}",
            provider="target",
            created_at=START + timedelta(days=10, minutes=rng.uniform(0, 60)),
            client_hash=f"ring-dev{k}",
            text=edit_copy(TEMPLATE, 0.1, rng),
            level=5,
        )
        for k in range(accounts)
    ]


def test_a_burst_of_edited_copies_is_one_group_with_the_right_members() -> None:
    rng = random.Random(1)
    ring = burst(rng, 1000)
    groups = detect_rings(honest(rng, 40, 1) + ring)
    assert len(groups) == 1
    (group,) = groups
    assert set(group.review_ids) == {r.review_id for r in ring}
    assert set(group.residents) == {f"ring{k}" for k in range(8)}
    assert group.providers == ("target",)
    assert group.kind == "burst"
    assert group.score >= 0.8
    codes = {reason.code for reason in group.reasons}
    assert {"ring_copied_text", "ring_new_accounts"} <= codes
    assert all(reason.zh and reason.en for reason in group.reasons)


def test_unrelated_honest_reviews_are_not_grouped() -> None:
    assert detect_rings(honest(random.Random(2), 20, 1)) == []


def test_honest_reviews_of_one_provider_over_a_month_are_not_grouped() -> None:
    rng = random.Random(3)
    shop = [
        RingRecord(
            k, f"r{k}", "busy", START + timedelta(hours=36 * k), f"d{k}", random_text(rng), 5
        )
        for k in range(20)
    ]
    assert detect_rings(shop) == []


def test_a_drip_of_one_copy_a_day_is_found() -> None:
    rng = random.Random(4)
    drip = [
        RingRecord(
            review_id=500 + day,
            resident=f"drip{day}",
            provider="target",
            created_at=START + timedelta(days=day, hours=rng.uniform(-3, 3)),
            client_hash=f"drip-dev{day}",
            text=edit_copy(TEMPLATE, 0.1, rng),
            level=5,
        )
        for day in range(1, 22)
    ]
    groups = detect_rings(honest(rng, 40, 1) + drip)
    assert [set(g.review_ids) for g in groups] == [{r.review_id for r in drip}]
    assert groups[0].kind == "drip"
    assert "ring_drip" in {reason.code for reason in groups[0].reasons}


def test_camouflage_posts_of_ring_accounts_are_not_flagged() -> None:
    rng = random.Random(5)
    ring = burst(rng, 1000)
    camouflage = [
        RingRecord(
            review_id=2000 + n,
            resident=r.resident,
            provider=f"popular{n % 5}",
            created_at=r.created_at + timedelta(days=rng.uniform(-20, 20)),
            client_hash=r.client_hash,
            text=random_text(rng),
            level=rng.choice([3, 4, 5]),
        )
        for n, r in enumerate(ring * 3)
    ]
    # Camouflage goes where everyone goes: busy providers with many honest reviewers.
    busy = [
        RingRecord(
            3000 + n,
            f"regular{n}",
            f"popular{n % 5}",
            START + timedelta(hours=4 * n),
            f"regular-dev{n}",
            random_text(rng),
            rng.randint(4, 5),
        )
        for n in range(200)
    ]
    groups = detect_rings(honest(rng, 40, 1) + busy + ring + camouflage)
    flagged = {rid for g in groups for rid in g.review_ids}
    assert flagged == {r.review_id for r in ring}


def test_accounts_sharing_one_phone_at_one_provider_are_found() -> None:
    rng = random.Random(6)
    ring = [
        RingRecord(
            300 + k,
            f"farm{k}",
            "target",
            START + timedelta(hours=10 * k),
            "one-phone",
            random_text(rng),
            5,
        )
        for k in range(4)
    ]
    groups = detect_rings(honest(rng, 30, 1) + ring)
    assert [set(g.residents) for g in groups] == [{f"farm{k}" for k in range(4)}]
    assert "ring_shared_device" in {reason.code for reason in groups[0].reasons}


def test_a_farm_reviewing_the_same_quiet_providers_is_found() -> None:
    rng = random.Random(7)
    farm = [
        RingRecord(
            400 + 10 * shop + k,
            f"farm{k}",
            f"quiet{shop}",
            START + timedelta(days=7 * shop, hours=rng.uniform(0, 24)),
            f"farm-dev{k}",
            random_text(rng),
            5,
        )
        for shop in range(3)
        for k in range(5)
    ]
    groups = detect_rings(honest(rng, 30, 1) + farm)
    assert [set(g.review_ids) for g in groups] == [{r.review_id for r in farm}]
    assert groups[0].kind == "coordinated_accounts"


def test_a_single_account_posting_many_copies_is_not_a_ring() -> None:
    one = [
        RingRecord(k, "same", "target", START + timedelta(minutes=k), "d", TEMPLATE, 5)
        for k in range(10)
    ]
    assert detect_rings(one) == []


records_st = st.lists(
    st.builds(
        RingRecord,
        review_id=st.integers(1, 10**6),
        resident=st.sampled_from([f"r{k}" for k in range(8)]),
        provider=st.sampled_from(["a", "b", "c"]),
        created_at=st.datetimes(
            min_value=datetime(2026, 10, 1),  # noqa: DTZ001 -- Hypothesis takes naive bounds
            max_value=datetime(2026, 10, 8),  # noqa: DTZ001 -- `timezones` makes values aware
            timezones=st.just(UTC),
        ),
        client_hash=st.one_of(st.none(), st.sampled_from(["x", "y"])),
        text=st.one_of(st.text(max_size=40), st.just(TEMPLATE), st.just(TEMPLATE[:20])),
        level=st.integers(1, 5),
        verified=st.booleans(),
    ),
    max_size=40,
    unique_by=lambda r: r.review_id,
)


@settings(max_examples=60)
@given(records_st)
def test_groups_are_disjoint_scored_and_drawn_from_the_input(records: list[RingRecord]) -> None:
    groups = detect_rings(records)
    seen: set[int] = set()
    by_id = {r.review_id: r for r in records}
    for g in groups:
        assert set(g.review_ids) <= by_id.keys()
        assert not seen & set(g.review_ids)
        seen |= set(g.review_ids)
        assert 0.0 <= g.score <= 1.0
        assert set(g.residents) == {by_id[i].resident for i in g.review_ids}
        assert set(g.providers) == {by_id[i].provider for i in g.review_ids}
        assert g.reasons


@settings(max_examples=25)
@given(st.integers(0, 10**6), st.integers(0, 60))
def test_adding_unrelated_honest_reviews_never_removes_a_campaign_member(
    seed: int, extra: int
) -> None:
    """Unrelated: other residents, other providers, their own phones, their own words. (More
    reviews at the campaign's own provider may raise its baseline and hide a burst; that is
    intended.)"""
    rng = random.Random(seed)
    ring = burst(rng, 1000, accounts=rng.randint(3, 10))
    base = honest(rng, 20, 1)
    before = {rid for g in detect_rings(base + ring) for rid in g.review_ids}
    more = honest(rng, extra, 5000, prefix="extra")
    after = {rid for g in detect_rings(base + ring + more) for rid in g.review_ids}
    assert before <= after
