"""From real texts to a demo data set: providers, their reviews, authors and times.

Every random choice comes from a generator seeded with (SEED, purpose), so one step can be
changed without reshuffling the others, and the same inputs always give the same data.
"""

import dataclasses
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from haocha.demo import identities, sector_mapping
from haocha.demo.levels import dimensions_of, is_positive, level_of
from haocha.demo.plan import (
    CLOSED_SHARE,
    DISTRICT_WEIGHTS,
    PLAN,
    RESIDENTS,
    WINDOW_END,
    WINDOW_START,
    utc,
)
from haocha.demo.sources import SourceText
from haocha.providers.reference import DISTRICTS, SECTORS, DistrictRef

# Reviews per provider are lognormal: most providers have a handful, a few have hundreds.
REVIEW_SIGMA = 1.25
# Residents' activity is lognormal too, milder: a few write dozens of reviews, most a few.
RESIDENT_SIGMA = 0.8
# How far each provider's share of good texts strays from its sector's (Beta concentration).
QUALITY_CONCENTRATION = 3.0
# The corpora are balanced for sentiment research (waimai_10k is two-thirds negative), while
# real 好差评 platforms report well over 90% good reviews. Drawing texts towards 80% positive
# keeps enough bad reviews to show the closed loop without every provider looking failed.
TARGET_GOOD_SHARE = 0.8
# Text that says the review is about a card or stored value paid to the provider. Order
# refunds (退款), hotel loyalty cards and online-shop memberships are not prepaid cards.
PREPAID_TEXT = re.compile(
    "办卡|会员卡|储值|充值|预付|退卡|(?<![青一])年卡|(?<!个)月卡|(?<!一)次卡|会员日"
)
NOT_PREPAID = re.compile(
    "京东|当当|plus|PLUS|钻石会员|礼品卡|携程|支付宝|微信|信用卡|银行|酒店|房间|锦江|外卖|订单|"
    "下单|话费|乐视|视频|平板|手机|电话卡|腾讯|爱奇艺|电池|充电|POS|格林豪泰|现金|过期|赠|送一年"
)
PREPAID_CHANCE = 0.85
# Days between the service and the review: mostly the same day or the next.
SERVICE_LAG_WEIGHTS = (30, 20, 12, 8, 6, 5, 4, 4, 4, 4, 3)
# Local hours at which people write reviews: after lunch and in the evening.
HOUR_WEIGHTS = dict(
    zip(range(7, 24), (1, 2, 3, 3, 4, 6, 6, 4, 3, 3, 4, 6, 8, 9, 8, 6, 3), strict=True)
)


@dataclass(frozen=True, slots=True)
class DemoProvider:
    name: str
    sector: str
    district: str
    address: str
    credit_code: str
    sells_prepaid: bool
    status: str
    opened: datetime  # UTC


@dataclass(frozen=True, slots=True)
class DemoReview:
    provider: int  # index into DemoData.providers
    resident: int  # 0 … residents-1
    level: int
    text: str
    source: str
    row: int
    created_at: datetime  # UTC
    service_date: date
    dims: dict[str, int]
    prepaid_cents: int | None
    fill: str | None  # the fill pool the text came from; None for the sector's own texts


@dataclass
class SectorCounts:
    providers: int = 0
    reviews: int = 0
    close: int = 0  # texts from the sector's own rules
    fill: int = 0  # service texts from the fill pools topping the sector up
    fill_from: dict[str, int] = field(default_factory=dict)


@dataclass
class DemoData:
    providers: list[DemoProvider]
    reviews: list[DemoReview]
    residents: int
    sectors: dict[str, SectorCounts]
    rule_hits: list[int] = field(default_factory=list)


@dataclass
class _Draft:
    provider: DemoProvider
    quality: float  # chance that a review slot wants a positive text
    first: datetime  # reviews fall in [first, last)
    last: datetime
    reviews: int = 0


def _rng(seed: int, purpose: str) -> random.Random:
    # A str seed is hashed with SHA-512, so this is stable across runs and platforms; the
    # data is a demo, not a secret, so a non-cryptographic generator is the right one.
    return random.Random(f"{seed}:{purpose}")  # noqa: S311


def _district_of(rng: random.Random) -> DistrictRef:
    return rng.choices(DISTRICTS, weights=[DISTRICT_WEIGHTS[d.code] for d in DISTRICTS])[0]


def _good_share(code: str, texts: Sequence[SourceText]) -> float:
    """The share of a sector's reviews that should be positive: TARGET_GOOD_SHARE, or less
    where the sector's own texts have too few positive ones to fill it."""
    budget = PLAN[code].reviews
    if len(texts) < budget:  # tops up from the fill pools, which have plenty of both
        return TARGET_GOOD_SHARE
    positives = sum(map(is_positive, texts))
    return min(TARGET_GOOD_SHARE, 0.95 * positives / budget)


def _make_providers(seed: int, good_share: dict[str, float]) -> list[_Draft]:
    rng = _rng(seed, "providers")
    places = {d.code: identities.district_places(rng, d) for d in DISTRICTS}
    names: set[str] = set()
    codes: set[str] = set()
    drafts: list[_Draft] = []
    for sector in SECTORS:
        plan = PLAN[sector.code]
        for _ in range(plan.providers):
            district = _district_of(rng)
            ident = identities.make_identity(rng, sector.code, district, places[district.code])
            while ident.name in names:
                ident = identities.make_identity(rng, sector.code, district, places[district.code])
            names.add(ident.name)
            code = identities.make_credit_code(rng, ident.entity, district.code)
            while code in codes:
                code = identities.make_credit_code(rng, ident.entity, district.code)
            codes.add(code)
            mean = min(0.95, max(0.05, good_share[sector.code]))
            # Most providers have traded all along; some opened during the window.
            if rng.random() < 0.7:
                opened = WINDOW_START - timedelta(days=rng.uniform(0, 1500))
            else:
                opened = WINDOW_START + timedelta(days=rng.uniform(0, 600))
            drafts.append(
                _Draft(
                    DemoProvider(
                        name=ident.name,
                        sector=sector.code,
                        district=district.code,
                        address=ident.address,
                        credit_code=code,
                        sells_prepaid=rng.random() < plan.prepaid_share,
                        status="active",
                        opened=utc(opened),
                    ),
                    quality=rng.betavariate(
                        mean * QUALITY_CONCENTRATION, (1 - mean) * QUALITY_CONCENTRATION
                    ),
                    first=max(opened, WINDOW_START),
                    last=WINDOW_END,
                )
            )
    _close_some(rng, drafts)
    return drafts


def _close_some(rng: random.Random, drafts: list[_Draft]) -> None:
    """A few providers closed during the window; their reviews stop then and ran worse."""
    for draft in rng.sample(drafts, round(len(drafts) * CLOSED_SHARE)):
        days_open = (WINDOW_END - draft.first).days
        closed_ago = rng.uniform(30, max(31, min(300, days_open - 120)))
        draft.last = WINDOW_END - timedelta(days=closed_ago)
        draft.quality *= 0.5
        draft.provider = dataclasses.replace(draft.provider, status="closed")


def _review_counts(seed: int, drafts: list[_Draft]) -> None:
    """Split each sector's review budget over its providers: at least one each, the rest in
    proportion to lognormal weights (largest remainder, so totals are exact)."""
    rng = _rng(seed, "review-counts")
    for sector in SECTORS:
        group = [d for d in drafts if d.provider.sector == sector.code]
        weights = [rng.lognormvariate(0, REVIEW_SIGMA) for _ in group]
        spare = PLAN[sector.code].reviews - len(group)
        total = sum(weights)
        shares = [spare * w / total for w in weights]
        counts = [int(s) for s in shares]
        by_remainder = sorted(range(len(group)), key=lambda i: counts[i] - shares[i])
        for i in by_remainder[: spare - sum(counts)]:
            counts[i] += 1
        for draft, count in zip(group, counts, strict=True):
            draft.reviews = 1 + count


class _Queues:
    """Positive and negative texts, shuffled. Pools overlap (a general text is also some
    sector's unused text), so every pool skips texts another pool already handed out."""

    def __init__(
        self, rng: random.Random, texts: Sequence[SourceText], used: set[tuple[str, int]]
    ) -> None:
        self.pos = [t for t in texts if is_positive(t)]
        self.neg = [t for t in texts if not is_positive(t)]
        rng.shuffle(self.pos)
        rng.shuffle(self.neg)
        self.used = used

    def _take(self, texts: list[SourceText]) -> SourceText | None:
        while texts:
            item = texts.pop()
            if (item.corpus, item.row) not in self.used:
                self.used.add((item.corpus, item.row))
                return item
        return None

    def pop(self, positive: bool, *, either: bool = True) -> SourceText | None:
        first, second = (self.pos, self.neg) if positive else (self.neg, self.pos)
        return self._take(first) or (self._take(second) if either else None)

    def rest(self) -> list[SourceText]:
        return [t for t in self.pos + self.neg if (t.corpus, t.row) not in self.used]


# Per provider: (text, fill pool or None for a close text).
Assigned = list[list[tuple[SourceText, str | None]]]


def _assign_close(
    rng: random.Random,
    drafts: list[_Draft],
    mapping: sector_mapping.Mapping,
    used: set[tuple[str, int]],
    assigned: Assigned,
) -> tuple[list[tuple[int, bool]], dict[str, _Queues]]:
    """Each sector's own texts to its providers; returns the slots left over (provider index,
    wants a positive text) and each sector's queues with what it did not use."""
    unmet: list[tuple[int, bool]] = []
    own: dict[str, _Queues] = {}
    for sector in SECTORS:
        queues = own[sector.code] = _Queues(rng, mapping.close[sector.code], used)
        for index, draft in enumerate(drafts):
            if draft.provider.sector != sector.code:
                continue
            for _ in range(draft.reviews):
                positive = rng.random() < draft.quality
                text = queues.pop(positive)
                if text is None:
                    unmet.append((index, positive))
                else:
                    assigned[index].append((text, None))
    return unmet, own


def _fill(
    rng: random.Random,
    drafts: list[_Draft],
    mapping: sector_mapping.Mapping,
    own: dict[str, _Queues],
    used: set[tuple[str, int]],
    unmet: list[tuple[int, bool]],
    assigned: Assigned,
) -> None:
    leftover = sorted(
        [*mapping.unassigned, *(t for q in own.values() for t in q.rest())],
        key=lambda t: (t.corpus, t.row),
    )
    pools = {
        sector_mapping.GENERAL: _Queues(rng, mapping.close[sector_mapping.GENERAL], used),
        "staff": _Queues(rng, [t for t in leftover if sector_mapping.is_staff(t)], used),
    }
    for code, queues in own.items():
        pools[code] = _Queues(rng, queues.rest(), used)
    # Shuffled, so the best pool is shared fairly between the sectors that need it.
    rng.shuffle(unmet)
    for index, positive in unmet:
        order = sector_mapping.FILL_ORDER.get(
            drafts[index].provider.sector, sector_mapping.DEFAULT_FILL_ORDER
        )
        found = next(
            ((t, name) for name in order if (t := pools[name].pop(positive, either=False))),
            None,
        ) or next(((t, name) for name in order if (t := pools[name].pop(not positive))), None)
        if found is None:
            raise RuntimeError("not enough service texts to fill the sparse sectors")
        assigned[index].append(found)


def _count(drafts: list[_Draft], assigned: Assigned) -> dict[str, SectorCounts]:
    counts = {s.code: SectorCounts() for s in SECTORS}
    for draft, texts in zip(drafts, assigned, strict=True):
        c = counts[draft.provider.sector]
        c.providers += 1
        c.reviews += len(texts)
        for _, pool in texts:
            if pool is None:
                c.close += 1
            else:
                c.fill += 1
                c.fill_from[pool] = c.fill_from.get(pool, 0) + 1
    return counts


def _assign_texts(
    seed: int, drafts: list[_Draft], mapping: sector_mapping.Mapping
) -> tuple[Assigned, dict[str, SectorCounts]]:
    rng = _rng(seed, "texts")
    used: set[tuple[str, int]] = set()  # (corpus, row) of every text handed out
    assigned: Assigned = [[] for _ in drafts]
    unmet, own = _assign_close(rng, drafts, mapping, used, assigned)
    _fill(rng, drafts, mapping, own, used, unmet, assigned)
    return assigned, _count(drafts, assigned)


def _assign_residents(seed: int, drafts: list[_Draft]) -> list[list[int]]:
    """Authors per provider, all distinct, drawn from residents of the provider's city in
    proportion to each resident's activity."""
    rng = _rng(seed, "residents")
    city_of = {d.code: d.city_zh for d in DISTRICTS}
    reviews_by_city: dict[str, int] = {}
    for draft in drafts:
        city = city_of[draft.provider.district]
        reviews_by_city[city] = reviews_by_city.get(city, 0) + draft.reviews
    total = sum(reviews_by_city.values())
    pools: dict[str, list[int]] = {}
    start = 0
    for n, (city, count) in enumerate(sorted(reviews_by_city.items())):
        size = (
            RESIDENTS - start if n == len(reviews_by_city) - 1 else round(RESIDENTS * count / total)
        )
        pools[city] = list(range(start, start + size))
        start += size
    activity = [rng.lognormvariate(0, RESIDENT_SIGMA) for _ in range(RESIDENTS)]
    authors: list[list[int]] = []
    for draft in drafts:
        pool = pools[city_of[draft.provider.district]]
        weights = [activity[r] for r in pool]
        chosen: dict[int, None] = {}  # insertion-ordered set
        while len(chosen) < draft.reviews:
            for r in rng.choices(pool, weights=weights, k=draft.reviews - len(chosen)):
                if len(chosen) < draft.reviews:
                    chosen.setdefault(r)
        authors.append(list(chosen))
    return authors


def _times(rng: random.Random, draft: _Draft) -> list[datetime]:
    """Review times in [first, last), denser towards the end as the platform caught on."""
    span = (draft.last - draft.first).total_seconds()
    out: list[datetime] = []
    for _ in range(draft.reviews):
        moment = draft.first + timedelta(seconds=span * rng.random() ** 0.8)
        hour = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))[0]
        moment = moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        out.append(min(max(moment, draft.first), draft.last - timedelta(minutes=1)))
    return sorted(out)


def _prepaid_cents(rng: random.Random, draft: _Draft, text: str) -> int | None:
    sector = next(s for s in SECTORS if s.code == draft.provider.sector)
    if not (sector.prepaid_risk and draft.provider.sells_prepaid):
        return None
    if not PREPAID_TEXT.search(text) or NOT_PREPAID.search(text):
        return None
    if rng.random() >= PREPAID_CHANCE:
        return None
    low, high = PLAN[sector.code].prepaid_yuan
    return int(round(rng.uniform(low, high), -2)) * 100  # whole hundreds of yuan, in cents


def generate(texts: Sequence[SourceText], seed: int) -> DemoData:
    mapping = sector_mapping.classify(texts, (s.code for s in SECTORS))
    share = {s.code: _good_share(s.code, mapping.close[s.code]) for s in SECTORS}
    drafts = _make_providers(seed, share)
    _review_counts(seed, drafts)
    assigned, counts = _assign_texts(seed, drafts, mapping)
    authors = _assign_residents(seed, drafts)
    rng = _rng(seed, "times")
    reviews: list[DemoReview] = []
    for index, draft in enumerate(drafts):
        for (item, pool), resident, moment in zip(
            assigned[index], authors[index], _times(rng, draft), strict=True
        ):
            lag = rng.choices(range(len(SERVICE_LAG_WEIGHTS)), weights=SERVICE_LAG_WEIGHTS)[0]
            reviews.append(
                DemoReview(
                    provider=index,
                    resident=resident,
                    level=level_of(item, seed),
                    text=item.text,
                    source=item.corpus,
                    row=item.row,
                    created_at=utc(moment),
                    service_date=moment.date() - timedelta(days=lag),
                    dims=dimensions_of(item),
                    prepaid_cents=_prepaid_cents(rng, draft, item.text),
                    fill=pool,
                )
            )
    return DemoData(
        providers=[d.provider for d in drafts],
        reviews=reviews,
        residents=RESIDENTS,
        sectors=counts,
        rule_hits=mapping.rule_hits,
    )
