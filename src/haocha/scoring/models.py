"""Per-provider review statistics, maintained incrementally as reviews land or leave."""

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


class ProviderStats(SQLModel, table=True):
    __tablename__ = "provider_stats"

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    count_1: int = 0
    count_2: int = 0
    count_3: int = 0
    count_4: int = 0
    count_5: int = 0
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
