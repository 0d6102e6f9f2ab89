"""From a corpus rating to Haocha's five levels (非常满意 5 … 非常不满意 1).

Rated corpora (Dp-CDC overall, ASAP star) keep their rating, rounded half up and clamped.
Binary corpora only say positive or negative, so a level is drawn with fixed proportions:
positive → 5 (60%) or 4 (40%); negative → 1 (45%), 2 (35%) or 3 (20%). Some negative texts
become 3 (基本满意) because the binary corpora file mild complaints under negative too.
The draw is a hash of (seed, corpus, row), so a text's level never depends on which other
texts were read or in which order.
"""

import hashlib
import math

from haocha.demo.sources import SourceText

POSITIVE_SPLIT: tuple[tuple[int, float], ...] = ((5, 0.60), (4, 0.40))
NEGATIVE_SPLIT: tuple[tuple[int, float], ...] = ((1, 0.45), (2, 0.35), (3, 0.20))


def clamp_level(value: float) -> int:
    """Round half up (4.5 → 5, 0.5 → 1), then clamp to 1–5."""
    return max(1, min(5, math.floor(value + 0.5)))


def unit_hash(*parts: object) -> float:
    """A uniform number in [0, 1) fixed by its parts: a seeded draw that needs no shared RNG."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _pick(split: tuple[tuple[int, float], ...], u: float) -> int:
    acc = 0.0
    for level, share in split:
        acc += share
        if u < acc:
            return level
    return split[-1][0]


def level_of(item: SourceText, seed: int) -> int:
    if item.star is not None:
        return clamp_level(item.star)
    if item.label is None:
        raise ValueError(f"{item.corpus} row {item.row} has neither rating nor label")
    u = unit_hash(seed, "level", item.corpus, item.row)
    return _pick(POSITIVE_SPLIT if item.label == 1 else NEGATIVE_SPLIT, u)


def is_positive(item: SourceText) -> bool:
    """Polarity for matching texts to providers: a rating of 4 or more, or label 1."""
    if item.star is not None:
        return clamp_level(item.star) >= 4
    return item.label == 1


def dimensions_of(item: SourceText) -> dict[str, int]:
    return {dim: clamp_level(value) for dim, value in item.dims.items()}
