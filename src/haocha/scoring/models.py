"""Scoring tables: per-day sums, per-provider moments and score, sector priors.

Everything a score needs is kept as sums, so a review landing or leaving updates one
day row and one provider row; rankings read an index over the stored scores."""

from datetime import datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field, SQLModel

from haocha.core import clock


class ProviderDayStats(SQLModel, table=True):
    """Counted reviews of one provider on one day (China time), split by verification."""

    __tablename__ = "provider_day_stats"

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    day: int = Field(primary_key=True)  # proleptic ordinal (date.toordinal())
    n: int = 0
    sx: float = 0.0
    sx2: float = 0.0
    n_verified: int = 0
    sx_verified: float = 0.0
    sx2_verified: float = 0.0


class ProviderStats(SQLModel, table=True):
    __tablename__ = "provider_stats"
    __table_args__ = (
        # Rankings walk these backwards: best score first, a page at a time.
        Index("ix_provider_stats_sector_rank", "sector_code", "ranked", "score", "provider_id"),
        Index(
            "ix_provider_stats_sector_district_rank",
            "sector_code",
            "district_code",
            "ranked",
            "score",
            "provider_id",
        ),
    )

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    # Copied from the provider so a ranking is one index range, without a join.
    sector_code: str = Field(default="", max_length=32)
    district_code: str = Field(default="", max_length=6)
    count_1: int = 0
    count_2: int = 0
    count_3: int = 0
    count_4: int = 0
    count_5: int = 0
    w: float = 0.0
    wx: float = 0.0
    wx2: float = 0.0
    w2: float = 0.0
    score: float | None = None
    score_low: float | None = None
    score_high: float | None = None
    scored_on: int | None = None  # the as-of day of the stored score
    ranked: bool = False
    last_review_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )

    @property
    def total(self) -> int:
        return self.count_1 + self.count_2 + self.count_3 + self.count_4 + self.count_5

    @property
    def level_counts(self) -> dict[str, int]:
        return {str(level): getattr(self, f"count_{level}") for level in range(5, 0, -1)}

    @property
    def good_rate(self) -> float | None:
        return (self.count_4 + self.count_5) / self.total if self.total else None

    @property
    def bad_rate(self) -> float | None:
        return (self.count_1 + self.count_2) / self.total if self.total else None


class SectorPrior(SQLModel, table=True):
    """The sector's mean and variance of levels that every provider is shrunk towards.

    Refreshed as a whole (`haocha scoring rebuild --refresh-priors`, and the daily job),
    not per review: one review moving the prior would move every score in the sector."""

    __tablename__ = "sector_prior"

    sector_code: str = Field(foreign_key="sector.code", primary_key=True, max_length=32)
    mean: float = 3.8
    var: float = 1.5
    n: int = 0
    computed_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
