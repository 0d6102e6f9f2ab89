"""The attack model for review rings: campaigns of bought good reviews injected into an
honest review stream. What each setting means and why: ml/notes/rings.md.

A campaign is a set of new accounts working for one provider (or a farm working for a few):
- burst: the accounts post within hours;
- drip: one review a day over weeks, each from another account, so no day looks unusual;
- copied_text: spread over days, texts are edited copies of one template;
- shared_device: a handful of phones (or one address) behind all the accounts;
- coordinated: a farm's accounts each review the same few providers, with distinct texts.
Any of them may add camouflage: the ring's accounts also post honest-looking reviews
(copies of real texts, at the usual levels) at other, popular providers.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from haocha.ml.rings import RingRecord

AttackKind = Literal["burst", "drip", "copied_text", "shared_device", "coordinated"]
TextMode = Literal["template", "distinct"]


@dataclass(frozen=True, slots=True)
class AttackSetting:
    """One parameterised kind of campaign, injected `campaigns` times."""

    name: str
    kind: AttackKind
    campaigns: int
    accounts: tuple[int, int]  # ring size, inclusive range (drip: one account a day)
    spread_hours: tuple[float, float]  # time one campaign takes at one provider (not drip)
    text: TextMode  # edited copies of one template, or a distinct bought text each
    edit_rate: float = 0.0  # share of characters touched by an edit in each copy
    devices: int = 0  # 0: every account its own phone; d: the ring shares d devices
    camouflage: float = 0.0  # honest-looking posts elsewhere per campaign review
    targets: int = 1  # providers per campaign (a farm serves several)
    drip_days: tuple[int, int] = (0, 0)  # drip length in days, inclusive range


@dataclass(frozen=True, slots=True)
class InjectedCampaign:
    setting: str
    review_ids: tuple[int, ...]  # the bought reviews: what the detector must find
    camouflage_ids: tuple[int, ...]  # honest-looking posts by the same accounts


# Tuning settings: the detector's defaults were chosen on these and nothing else.
TUNING: tuple[AttackSetting, ...] = (
    AttackSetting("burst_copies", "burst", 12, (6, 12), (1, 6), "template", 0.1, 2, 1.0),
    AttackSetting("burst_distinct", "burst", 10, (6, 10), (1, 4), "distinct", camouflage=1.0),
    AttackSetting(
        "drip_copies",
        "drip",
        10,
        (0, 0),
        (0, 0),
        "template",
        0.1,
        camouflage=1.0,
        drip_days=(14, 21),
    ),
    AttackSetting("copied_text", "copied_text", 12, (4, 8), (48, 240), "template", 0.15),
    AttackSetting("shared_device", "shared_device", 12, (4, 8), (24, 96), "distinct", devices=2),
    AttackSetting(
        "coordinated", "coordinated", 10, (5, 8), (6, 48), "distinct", camouflage=1.0, targets=3
    ),
)

# Held-out settings: heavier edits, longer drips, heavier camouflage, no shared devices.
# Never used to choose a parameter; reported separately.
HELD_OUT: tuple[AttackSetting, ...] = (
    AttackSetting(
        "burst_heavy_edits", "burst", 12, (5, 12), (1, 12), "template", 0.25, camouflage=3.0
    ),
    AttackSetting("burst_distinct_small", "burst", 10, (5, 7), (2, 8), "distinct", camouflage=3.0),
    AttackSetting(
        "drip_long",
        "drip",
        10,
        (0, 0),
        (0, 0),
        "template",
        0.2,
        camouflage=3.0,
        drip_days=(28, 45),
    ),
    AttackSetting(
        "copied_heavy_edits", "copied_text", 12, (4, 8), (48, 480), "template", 0.25, camouflage=3.0
    ),
    AttackSetting(
        "coordinated_heavy_camouflage",
        "coordinated",
        10,
        (4, 7),
        (6, 48),
        "distinct",
        camouflage=4.0,
        targets=4,
    ),
)

# Light edits a writer makes to a template so copies do not look copied: near synonyms of
# the words bought reviews use most, filler characters, punctuation.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "非常": ("特别", "超级", "十分"),
    "很": ("挺", "蛮", "超"),
    "不错": ("挺好", "可以", "很棒"),
    "好吃": ("美味", "香"),
    "推荐": ("安利", "力荐"),
    "满意": ("满足", "开心"),
    "服务": ("态度",),
    "环境": ("氛围", "装修"),
    "热情": ("周到", "贴心"),
    "干净": ("整洁", "卫生"),
    "新鲜": ("鲜",),
    "还会再来": ("下次还来", "会回购"),
    "值得": ("值",),
    "实惠": ("划算", "便宜"),
    "喜欢": ("爱",),
}
FILLERS = "的了很真也啊呀都还就"
PUNCTUATION = "，。！～、"


def edit_copy(template: str, rate: float, rng: random.Random) -> str:
    """A lightly edited copy of `template`: synonyms, swapped, inserted and dropped
    characters, changed punctuation and, at higher rates, clauses in another order."""
    text = template
    for word, alternatives in SYNONYMS.items():
        if word in text and rng.random() < 2 * rate:
            text = text.replace(word, rng.choice(alternatives), 1)
    clauses = [c for c in _split_clauses(text) if c]
    if len(clauses) > 2 and rng.random() < rate:
        i = rng.randrange(len(clauses) - 1)
        clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
    out: list[str] = []
    chars = list("".join(clauses))
    n = 0
    while n < len(chars):
        ch = chars[n]
        if rng.random() >= rate:
            out.append(ch)
        else:
            op = rng.randrange(4)
            if op == 0 and n + 1 < len(chars):  # swap with the next character
                out.extend((chars[n + 1], ch))
                n += 1
            elif op == 1:  # insert a filler
                out.extend((ch, rng.choice(FILLERS)))
            elif op == 2:  # change punctuation
                out.extend((ch, rng.choice(PUNCTUATION)))
            # op 3 (or a swap at the end): drop the character
        n += 1
    return "".join(out)


def _split_clauses(text: str) -> list[str]:
    clauses, current = [], []
    for ch in text:
        current.append(ch)
        if ch in "，。！？；,.!?;":
            clauses.append("".join(current))
            current = []
    clauses.append("".join(current))
    return clauses


@dataclass(frozen=True, slots=True)
class StreamFacts:
    """What the injector needs to know about the honest stream."""

    start: datetime
    end: datetime
    quiet_providers: Sequence[str]  # few honest reviews: the shops that buy reviews
    honest: Sequence[RingRecord]  # sampled for camouflage providers and levels
    positive_texts: Sequence[str]
    negative_texts: Sequence[str]
    templates: Sequence[str]  # real bought reviews (dp_cdc fakes rated 4.5-5)


def inject(
    setting: AttackSetting, facts: StreamFacts, rng: random.Random, first_id: int
) -> tuple[list[RingRecord], list[InjectedCampaign]]:
    """All campaigns of one setting; review ids count up from `first_id`."""
    records: list[RingRecord] = []
    campaigns: list[InjectedCampaign] = []
    next_id = first_id
    span = (facts.end - facts.start).total_seconds() / 3600
    for c in range(setting.campaigns):
        prefix = f"ring-{setting.name}-{c}"
        times, accounts, providers = _layout(setting, facts, rng, prefix, span)
        n_accounts = len(set(accounts))
        devices = (
            [f"{prefix}-dev{d}" for d in range(setting.devices)]
            if setting.devices
            else [f"{prefix}-own{a}" for a in range(n_accounts)]
        )
        device_of = {
            acc: devices[k % len(devices)] for k, acc in enumerate(dict.fromkeys(accounts))
        }
        texts = _campaign_texts(setting, facts, rng, len(times))
        ids: list[int] = []
        for t, acc, prov, text in zip(times, accounts, providers, texts, strict=True):
            records.append(
                RingRecord(next_id, acc, prov, t, device_of[acc], text, _bought_level(rng))
            )
            ids.append(next_id)
            next_id += 1
        camo: list[int] = []
        for acc in dict.fromkeys(accounts):
            own = sum(a == acc for a in accounts)
            n_camo = int(setting.camouflage * own + rng.random())
            for _ in range(n_camo):
                records.append(_camouflage_post(next_id, acc, device_of[acc], times, facts, rng))
                camo.append(next_id)
                next_id += 1
        campaigns.append(InjectedCampaign(setting.name, tuple(ids), tuple(camo)))
    return records, campaigns


def _layout(
    setting: AttackSetting, facts: StreamFacts, rng: random.Random, prefix: str, span: float
) -> tuple[list[datetime], list[str], list[str]]:
    """When, by whom and for which provider each bought review is posted."""
    times: list[datetime] = []
    accounts: list[str] = []
    providers: list[str] = []

    def target() -> str:
        # One in five buyers is a new provider with no reviews yet.
        if rng.random() < 0.2:
            return f"{prefix}-newshop{rng.randrange(10**6)}"
        return rng.choice(facts.quiet_providers)

    if setting.kind == "drip":
        days = rng.randint(*setting.drip_days)
        begin = rng.uniform(0, span - 24 * days - 24)
        prov = target()
        for d in range(days):
            hour = begin + 24 * d + rng.uniform(-4, 4)
            times.append(facts.start + timedelta(hours=max(hour, 0.0)))
            accounts.append(f"{prefix}-acc{d}")
            providers.append(prov)
        return times, accounts, providers
    n = rng.randint(*setting.accounts)
    ring = [f"{prefix}-acc{a}" for a in range(n)]
    begin = rng.uniform(0, span - 24 * 30 * setting.targets)
    for _ in range(setting.targets):
        prov = target()
        spread = rng.uniform(*setting.spread_hours)
        # A farm does not send every account to every provider.
        members = ring if setting.targets == 1 else [a for a in ring if rng.random() < 0.8]
        for acc in members:
            times.append(facts.start + timedelta(hours=begin + rng.uniform(0, spread)))
            accounts.append(acc)
            providers.append(prov)
        begin += rng.uniform(24 * 3, 24 * 20)  # the farm's next customer, days later
    return times, accounts, providers


def _campaign_texts(
    setting: AttackSetting, facts: StreamFacts, rng: random.Random, n: int
) -> list[str]:
    if setting.text == "distinct":
        return rng.sample(list(facts.templates), n)
    template = rng.choice(facts.templates)
    return [edit_copy(template, setting.edit_rate, rng) for _ in range(n)]


def _bought_level(rng: random.Random) -> int:
    return 5 if rng.random() < 0.85 else 4


def _camouflage_post(
    review_id: int,
    account: str,
    device: str,
    campaign_times: Sequence[datetime],
    facts: StreamFacts,
    rng: random.Random,
) -> RingRecord:
    """An honest-looking review: a popular provider (drawn the way honest reviews fall),
    the usual level, a real text of that polarity, within a month of the campaign."""
    like = rng.choice(facts.honest)
    lo = max(facts.start, min(campaign_times) - timedelta(days=30))
    hi = min(facts.end, max(campaign_times) + timedelta(days=30))
    when = lo + timedelta(seconds=rng.uniform(0, (hi - lo).total_seconds()))
    if like.level >= 4 or (like.level == 3 and rng.random() < 0.5):
        text = rng.choice(facts.positive_texts)
    else:
        text = rng.choice(facts.negative_texts)
    return RingRecord(review_id, account, like.provider, when, device, text, like.level)
