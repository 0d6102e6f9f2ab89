"""Review rings and campaigns: groups of reviews that were coordinated rather than written
independently. Pure functions over plain records, no database: the background job reads a
window of recent reviews (say the last 30 days), calls `detect_rings` and files a flag per
group.

How a group forms. Good reviews (好评, level 4-5) are joined by four kinds of evidence, each
strict enough on its own that honest reviews rarely meet it:

- near-identical text (MinHash/LSH over character shingles) at the same provider, or at
  different providers within a short time: a campaign hands its accounts one or two
  templates and edits them lightly;
- one device or address hash used by different accounts for the same provider within days;
- the same accounts giving good reviews to the same few, otherwise quiet providers within
  days of each other (the co-review graph of a review farm);
- a burst of good reviews at a provider that its own baseline rate makes implausible.

Groups are the connected components of those links (a union-find). A component counts when
it spans enough distinct accounts and its evidence scores high enough. Only linked reviews
enter a group: the honest-looking reviews that ring accounts post elsewhere as camouflage
carry no link, so they stay out, and a regulator sees just the coordinated part.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
from datasketch import MinHash, MinHashLSH

from haocha.ml.contract import Reason
from haocha.ml.text import normalize

_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, spaces, symbols, emoji
RingKind = Literal["burst", "drip", "copied_text", "shared_device", "coordinated_accounts"]


@dataclass(frozen=True, slots=True)
class RingRecord:
    """One review as the ring detector sees it."""

    review_id: int
    resident: str  # an opaque id
    provider: str
    created_at: datetime  # timezone-aware
    client_hash: str | None  # keyed hash of the submitting address or device
    text: str
    level: int  # 1-5
    verified: bool = False  # made through the provider's QR invitation


@dataclass(frozen=True, slots=True)
class RingGroup:
    """One suspected ring: the reviews that belong to it and why."""

    kind: RingKind
    review_ids: tuple[int, ...]
    residents: tuple[str, ...]
    providers: tuple[str, ...]
    score: float  # 0-1
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RingParams:
    """Thresholds of the detector. The defaults were tuned on the TUNING attack settings of
    `ml/haocha_ml/rings_eval.py` over the MovieLens background (ml/notes/rings.md)."""

    good_level: int = 4  # 好评 = 4-5: campaigns buy good reviews
    min_accounts: int = 3  # two accounts can be a couple; three start to look organised
    # Near-identical text. Texts shorter than this are generic ("很好，满意") and repeat
    # honestly; shingles of two characters survive light edits of Chinese text better than
    # three (one edited character breaks two bigrams but three trigrams).
    min_text_chars: int = 12
    shingle_chars: int = 2
    num_perm: int = 32
    text_similarity: float = 0.3  # estimated Jaccard of the shingle sets
    # One template spread over several providers within two days. Across providers, honest
    # texts on the same theme ("质量不错，穿着舒服") meet often, so the bar is higher.
    text_cross_provider_hours: float = 48.0
    text_cross_provider_similarity: float = 0.6
    # Shared device: same hash, different accounts, same provider, within this window.
    device_window_hours: float = 72.0
    # Co-review graph: two accounts are linked when both gave good reviews to at least
    # `coreview_min_providers` quiet providers (at most `coreview_max_provider_accounts`
    # accounts gave them a good review in the window; busy ones are co-reviewed by chance)
    # within `coreview_window_hours` of each other, and those make up a large part of what
    # the two reviewed: shared / sqrt(quiet providers of one x of the other) >=
    # `coreview_min_cosine`. A farm account with as many honest-looking posts at quiet
    # providers as bought ones still scores about 0.5.
    coreview_window_hours: float = 72.0
    coreview_min_providers: int = 2
    coreview_max_provider_accounts: int = 20
    coreview_min_cosine: float = 0.35
    # Burst: at least `burst_min_reviews` good reviews within `burst_hours` at one provider
    # whose own rate elsewhere in the window makes that many less likely than `burst_max_p`.
    burst_hours: float = 12.0
    burst_min_reviews: int = 5
    burst_max_p: float = 1e-12
    baseline_floor_per_day: float = 0.05  # a new provider is assumed to get one per 20 days
    drip_min_days: float = 7.0  # a group this long at one provider is a drip, not a burst
    min_score: float = 0.5


# Evidence kinds as stored on the links, in the order their reasons are shown.
_TEXT, _DEVICE, _COREVIEW, _BURST = "text", "device", "coreview", "burst"
_SIGNAL_WEIGHT = {_TEXT: 0.9, _DEVICE: 0.85, _COREVIEW: 0.8, _BURST: 0.75}

# The kind a group gets from its strongest evidence (ties: the first listed).
_KIND_OF_SIGNAL: dict[str, RingKind] = {
    _DEVICE: "shared_device",
    _TEXT: "copied_text",
    _COREVIEW: "coordinated_accounts",
    _BURST: "burst",
}

_REASONS = {
    _TEXT: Reason(
        "ring_copied_text", "多个账号发布近似文字", "Several accounts posted near-identical text"
    ),
    _DEVICE: Reason(
        "ring_shared_device",
        "同一设备短时间内多条好评",
        "Several good reviews from one device within a short time",
    ),
    _COREVIEW: Reason(
        "ring_coordinated_accounts",
        "同一批账号先后给相同几家机构好评",
        "The same accounts gave good reviews to the same few providers",
    ),
    _BURST: Reason(
        "ring_burst",
        "短时间内好评数远超该机构平时水平",
        "Far more good reviews within hours than the provider usually gets",
    ),
    "drip": Reason(
        "ring_drip",
        "数周内持续、均匀地出现好评",
        "Good reviews arriving steadily, one after another, over weeks",
    ),
    "new_accounts": Reason(
        "ring_new_accounts",
        "新账号集中给同一机构好评",
        "New accounts concentrated their good reviews on one provider",
    ),
}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def detect_rings(
    records: Iterable[RingRecord], params: RingParams | None = None
) -> list[RingGroup]:
    """Disjoint groups of coordinated good reviews among `records`, highest score first."""
    p = params or RingParams()
    recs = [r for r in records if r.level >= p.good_level]
    if not recs:
        return []
    times = np.array([r.created_at.timestamp() / 3600.0 for r in recs])  # hours
    signals: list[set[str]] = [set() for _ in recs]
    uf = _UnionFind(len(recs))

    def link(i: int, j: int, signal: str) -> None:
        uf.union(i, j)
        signals[i].add(signal)
        signals[j].add(signal)

    for i, j in _text_links(recs, times, p):
        link(i, j, _TEXT)
    for i, j in _device_links(recs, times, p):
        link(i, j, _DEVICE)
    for i, j in _coreview_links(recs, times, p):
        link(i, j, _COREVIEW)
    for i, j in _burst_links(recs, times, p):
        link(i, j, _BURST)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(recs)):
        if signals[i]:
            members[uf.find(i)].append(i)
    first_seen = _first_seen(recs, times)
    groups = [
        g
        for idx in members.values()
        if (g := _group(recs, times, signals, idx, first_seen, p)) is not None
    ]
    return sorted(groups, key=lambda g: (-g.score, g.review_ids))


def _by_key(keys: Sequence[object], times: np.ndarray) -> dict[object, list[int]]:
    """Indices per key, in time order."""
    out: dict[object, list[int]] = defaultdict(list)
    for i in np.argsort(times, kind="stable").tolist():
        out[keys[i]].append(i)
    return out


def _shingle_codes(text: str, k: int) -> np.ndarray:
    """Distinct character k-grams of the normalised text, as 64-bit codes. Punctuation,
    spaces and symbols are dropped first, so re-punctuated copies still match."""
    chars = _NOT_WORD.sub("", normalize(text))
    cps = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < k:
        return np.empty(0, dtype=np.uint64)
    code = np.zeros(len(cps) - k + 1, dtype=np.uint64)
    for off in range(k):  # 21 bits per code point: every Unicode character fits
        code = (code << np.uint64(21)) | cps[off : len(cps) - k + 1 + off]
    return np.unique(code)


def _minhash_values(codes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signature of one shingle set under datasketch's "affine32" scheme: each code
    mixed down to 32 bits, then the minimum of each permutation (a * h + b) mod 2**32.
    Vectorised here because hashing 100,000 texts one shingle at a time through a Python
    hash function takes most of a minute. (Integer arrays wrap silently; that is the mix.)"""
    x = codes * np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(29)
    hv = x >> np.uint64(32)
    perm = (a[:, None] * hv[None, :] + b[:, None]) & np.uint64(0xFFFFFFFF)
    values: np.ndarray = perm.min(axis=1).astype(np.uint32)
    return values


def _jaccard(x: np.ndarray, y: np.ndarray) -> float:
    common = len(np.intersect1d(x, y, assume_unique=True))
    return common / (len(x) + len(y) - common)


def _similar_pairs(
    buckets: Iterable[list[int]],
    minhashes: dict[int, MinHash],
    codes: dict[int, np.ndarray],
    threshold: float,
    num_perm: int,
) -> Iterator[tuple[int, int]]:
    """Pairs within each bucket whose shingle sets have Jaccard >= threshold: LSH finds the
    candidates (keys that share a band), the exact sets decide."""
    # Choosing the bands integrates false-positive and false-negative curves: do it once.
    bands = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for members in buckets:
        if len(members) < 2:
            continue
        lsh = MinHashLSH(num_perm=num_perm, params=(bands.b, bands.r))
        for i in members:
            lsh.insert(i, minhashes[i], check_duplication=False)
        # Reading the band tables once finds every colliding pair; querying each key
        # again would hash every band a second time.
        candidates: set[tuple[int, int]] = set()
        for table in lsh.hashtables:
            for band in table.keys():  # noqa: SIM118 -- a datasketch storage, not a dict
                keys = sorted(table.get(band))
                candidates.update((i, j) for n, i in enumerate(keys) for j in keys[n + 1 :])
        for i, j in sorted(candidates):
            if _jaccard(codes[i], codes[j]) >= threshold:
                yield i, j


def _text_links(
    recs: Sequence[RingRecord], times: np.ndarray, p: RingParams
) -> list[tuple[int, int]]:
    perms = MinHash(num_perm=p.num_perm, seed=1, scheme="affine32").permutations
    a, b = perms[0].astype(np.uint64), perms[1].astype(np.uint64)
    codes: dict[int, np.ndarray] = {}
    minhashes: dict[int, MinHash] = {}
    for i, r in enumerate(recs):
        shingles = _shingle_codes(r.text, p.shingle_chars)
        if len(shingles) + p.shingle_chars - 1 >= p.min_text_chars:
            codes[i] = shingles
            minhashes[i] = MinHash(
                num_perm=p.num_perm,
                hashvalues=_minhash_values(shingles, a, b),
                permutations=perms,
                scheme="affine32",
            )
    # Copies count at one provider, or across providers within a short time, so one LSH
    # index per provider and per time slice: one index over every text would return
    # thousands of chance candidates per query at this low a threshold. Slices are twice
    # the window wide and laid twice, offset by half, so any two texts within the window
    # share a slice.
    by_provider: dict[str, list[int]] = defaultdict(list)
    slices: dict[tuple[int, int], list[int]] = defaultdict(list)
    width = 2.0 * p.text_cross_provider_hours
    for i in codes:
        by_provider[recs[i].provider].append(i)
        slices[(0, math.floor(times[i] / width))].append(i)
        slices[(1, math.floor(times[i] / width + 0.5))].append(i)
    links = {
        (i, j)
        for i, j in _similar_pairs(
            by_provider.values(), minhashes, codes, p.text_similarity, p.num_perm
        )
        if recs[i].resident != recs[j].resident
    }
    links.update(
        (i, j)
        for i, j in _similar_pairs(
            slices.values(), minhashes, codes, p.text_cross_provider_similarity, p.num_perm
        )
        if recs[i].resident != recs[j].resident
        and recs[i].provider != recs[j].provider
        and abs(times[i] - times[j]) <= p.text_cross_provider_hours
    )
    return sorted(links)


def _device_links(
    recs: Sequence[RingRecord], times: np.ndarray, p: RingParams
) -> list[tuple[int, int]]:
    keys = [(r.client_hash, r.provider) if r.client_hash else None for r in recs]
    links = []
    for key, idx in _by_key(keys, times).items():
        if key is None:
            continue
        # Each review is joined to the next one by another account within the window;
        # chaining neighbours is enough for connected components.
        for n, i in enumerate(idx):
            for j in idx[n + 1 :]:
                if times[j] - times[i] > p.device_window_hours:
                    break
                if recs[j].resident != recs[i].resident:
                    links.append((i, j))
                    break
    return links


def _coreview_links(
    recs: Sequence[RingRecord], times: np.ndarray, p: RingParams
) -> list[tuple[int, int]]:
    by_provider = {
        provider: idx
        for provider, idx in _by_key([r.provider for r in recs], times).items()
        if len({recs[i].resident for i in idx}) <= p.coreview_max_provider_accounts
    }
    # How many quiet providers each account gave a good review to: a pair's co-reviews
    # are measured against it, so heavy reviewers, who meet everyone somewhere, need far
    # more overlap than two accounts that only ever reviewed the same few providers.
    quiet_count: Counter[str] = Counter()
    # Co-reviews per account pair: provider -> the pair of reviews that realised it.
    pairs: dict[tuple[str, str], dict[object, tuple[int, int]]] = defaultdict(dict)
    for provider, idx in by_provider.items():
        quiet_count.update({recs[i].resident for i in idx})
        for n, i in enumerate(idx):
            for j in idx[n + 1 :]:
                if times[j] - times[i] > p.coreview_window_hours:
                    break
                ra, rb = recs[i].resident, recs[j].resident
                if ra != rb:
                    key = (ra, rb) if ra < rb else (rb, ra)
                    pairs[key].setdefault(provider, (i, j))
    links = []
    for (ra, rb), realised in pairs.items():
        shared = len(realised)
        if shared < p.coreview_min_providers:
            continue
        if shared / math.sqrt(quiet_count[ra] * quiet_count[rb]) >= p.coreview_min_cosine:
            # Join the pair's reviews across providers too: the farm is one group.
            first, *rest = realised.values()
            links.append(first)
            links.extend((first[0], other[0]) for other in rest)
            links.extend(rest)
    return links


def _burst_links(
    recs: Sequence[RingRecord], times: np.ndarray, p: RingParams
) -> list[tuple[int, int]]:
    span_days = max((float(times.max()) - float(times.min())) / 24.0, 1.0)
    links: list[tuple[int, int]] = []
    for idx in _by_key([r.provider for r in recs], times).values():
        if len(idx) < p.burst_min_reviews:
            continue
        ts = times[idx]
        ends = np.searchsorted(ts, ts + p.burst_hours, side="right")
        for n in range(len(idx)):
            k = int(ends[n]) - n
            if k < p.burst_min_reviews:
                continue
            # The provider's rate outside this window, so a burst cannot hide in the
            # baseline it inflates itself.
            rate = max((len(idx) - k) / span_days, p.baseline_floor_per_day)
            if _poisson_tail(k, rate * p.burst_hours / 24.0) <= p.burst_max_p:
                links.extend((idx[n], idx[m]) for m in range(n + 1, n + k))
    return links


def _poisson_tail(k: int, lam: float) -> float:
    """P(N >= k) for N ~ Poisson(lam), summed in log space (k is small)."""
    log_terms = [m * math.log(lam) - lam - math.lgamma(m + 1) for m in range(k, k + 60)]
    top = max(log_terms)
    return math.exp(top) * sum(math.exp(t - top) for t in log_terms)


def _first_seen(recs: Sequence[RingRecord], times: np.ndarray) -> dict[str, float]:
    first: dict[str, float] = {}
    for r, t in zip(recs, times.tolist(), strict=True):
        first[r.resident] = min(t, first.get(r.resident, t))
    return first


def _group(
    recs: Sequence[RingRecord],
    times: np.ndarray,
    signals: Sequence[set[str]],
    idx: list[int],
    first_seen: dict[str, float],
    p: RingParams,
) -> RingGroup | None:
    residents = sorted({recs[i].resident for i in idx})
    if len(residents) < p.min_accounts:
        return None
    n = len(idx)
    share = {s: sum(s in signals[i] for i in idx) / n for s in _SIGNAL_WEIGHT}
    miss = math.prod(1.0 - _SIGNAL_WEIGHT[s] * share[s] for s in _SIGNAL_WEIGHT)
    # Larger rings are less likely to be chance; three accounts score lowest.
    size = 0.6 + 0.4 * min(1.0, (len(residents) - p.min_accounts) / 5)
    verified = sum(recs[i].verified for i in idx) / n
    score = (1.0 - miss) * size * (1.0 - 0.5 * verified)
    if score < p.min_score:
        return None
    providers = Counter(recs[i].provider for i in idx)
    main_share = providers.most_common(1)[0][1] / n
    span_hours = float(times[idx].max() - times[idx].min())
    # "New" here: the account's first good review in the window is in this group.
    new_share = sum(first_seen[recs[i].resident] >= times[i] - 1.0 for i in idx) / n
    kind = _kind(share, main_share, span_hours, p)
    reasons = [_REASONS[s] for s in _SIGNAL_WEIGHT if share[s] > 0]
    if kind == "drip":
        reasons.append(_REASONS["drip"])
    if main_share >= 0.8 and new_share >= 0.5:
        reasons.append(_REASONS["new_accounts"])
    return RingGroup(
        kind=kind,
        review_ids=tuple(sorted(recs[i].review_id for i in idx)),
        residents=tuple(residents),
        providers=tuple(sorted(providers)),
        score=round(min(1.0, max(0.0, score)), 4),
        reasons=tuple(reasons),
    )


def _kind(share: dict[str, float], main_share: float, span_hours: float, p: RingParams) -> RingKind:
    if main_share >= 0.8 and span_hours <= 2 * p.burst_hours:
        return "burst"
    if main_share >= 0.8 and span_hours >= 24.0 * p.drip_min_days and share[_DEVICE] < 0.5:
        return "drip"
    strongest = max(_KIND_OF_SIGNAL, key=lambda s: share[s])
    return _KIND_OF_SIGNAL[strongest]
