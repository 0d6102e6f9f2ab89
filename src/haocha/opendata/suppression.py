"""Small-cell suppression of the sector × district × month table, with complementary
suppression.

Which totals are published? The table itself publishes no margins. But the providers
resource publishes every provider's counts per level, and every provider belongs to one
sector × district: summing them gives, for each sector × district, its all-time count per
level, i.e. the sum of that row of months. So that sum is a published total, and a lone
suppressed month in a sector × district could be recovered by subtraction. Within each
sector × district we therefore suppress either nothing or at least two months, and
together at least k reviews: subtraction then yields only the sum of two or more cells,
which itself hides at least k reviews.

Totals over several sector × district groups (a whole sector, a whole district) are sums
of these protected groups, so they reveal no single suppressed cell either. What cannot be
protected: a sector × district with fewer than k reviews in all its months — its total is
in the providers file, as on the public provider pages; its months are all suppressed, so
at least their split stays hidden."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Cell:
    sector: str
    district: str
    month: str  # YYYY-MM
    n: int
    counts: tuple[int, int, int, int, int]  # levels 1..5
    level_sum: int
    prepaid_complaints: int
    suppressed: bool = False
    primary: bool = False  # suppressed for its own size, not as a complement


def suppress(cells: Iterable[Cell], k: int) -> list[Cell]:
    """Mark cells with n < k (primary) and the complements each group needs; returns the
    cells ordered by (sector, district, month)."""
    groups: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for cell in cells:
        groups[(cell.sector, cell.district)].append(cell)
    result: list[Cell] = []
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda c: c.month)
        _suppress_group(group, k)
        result.extend(group)
    return result


def _suppress_group(group: list[Cell], k: int) -> None:
    for cell in group:
        if cell.n < k:
            cell.suppressed = cell.primary = True
    hidden = [c for c in group if c.suppressed]
    if not hidden:
        return
    # Add the smallest remaining months (earliest first on ties, so the choice is stable
    # from one export to the next) until two or more cells holding k or more reviews
    # are hidden: the least information lost that meets both conditions.
    candidates = sorted((c for c in group if not c.suppressed), key=lambda c: (c.n, c.month))
    for cell in candidates:
        if len(hidden) >= 2 and sum(c.n for c in hidden) >= k:
            break
        cell.suppressed = True
        hidden.append(cell)
