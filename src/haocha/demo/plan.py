"""The shape of the demo data set: how many providers and reviews each sector gets.

Review budgets follow how much people review each kind of service online (restaurants and
hotels far more than care homes) and, for the sparse sectors, how many close texts exist;
see docs/demo-data.md. Changing a number here changes the extract, so rebuild it after.
"""

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from haocha.core.clock import CHINA_TZ

SEED = 20261031
REFERENCE_DATE = date(2026, 10, 31)
# Reviews fall in the 24 months before the reference date, in China's local time.
WINDOW_END = datetime(2026, 10, 31, tzinfo=CHINA_TZ)
WINDOW_DAYS = 730
WINDOW_START = WINDOW_END - timedelta(days=WINDOW_DAYS)
RESIDENTS = 6000
CLOSED_SHARE = 0.02


class SectorPlan(NamedTuple):
    providers: int
    reviews: int
    prepaid_share: float  # share of providers that sell prepaid cards
    prepaid_yuan: tuple[int, int]  # typical card amount range


PLAN: dict[str, SectorPlan] = {
    "elderly_care": SectorPlan(160, 700, 0.10, (1000, 10000)),
    "childcare": SectorPlan(140, 900, 0.60, (3000, 15000)),
    "housekeeping": SectorPlan(200, 1500, 0.50, (500, 5000)),
    "fitness": SectorPlan(200, 1100, 0.85, (1000, 8000)),
    "culture": SectorPlan(130, 1400, 0.15, (200, 2000)),
    "tourism": SectorPlan(200, 3400, 0.05, (500, 3000)),
    "health": SectorPlan(180, 1100, 0.30, (500, 5000)),
    "property": SectorPlan(130, 1300, 0.0, (0, 0)),
    "catering": SectorPlan(380, 9000, 0.30, (200, 2000)),
    "convenience": SectorPlan(220, 2800, 0.10, (100, 1000)),
    "education": SectorPlan(220, 1600, 0.80, (2000, 20000)),
    "beauty": SectorPlan(240, 3000, 0.80, (500, 6000)),
}

# Rounded 2020 census resident populations (10,000s), used only as weights for where
# providers are: more in Pudong than in Chongming, and every district some.
DISTRICT_WEIGHTS: dict[str, int] = {
    "310101": 66, "310104": 111, "310105": 69, "310106": 98, "310107": 124, "310109": 76,
    "310110": 124, "310112": 265, "310113": 224, "310114": 183, "310115": 568, "310116": 82,
    "310117": 191, "310118": 127, "310120": 114, "310151": 64,
    "320612": 125, "320613": 124, "320614": 107, "320623": 88, "320681": 97, "320682": 124,
    "320685": 87,
}  # fmt: skip


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
