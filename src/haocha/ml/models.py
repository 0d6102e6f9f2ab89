"""What the ML module stores: one assessment per review (the scores of the model version
that made it) and one flight-risk reading per provider. Regulators see both; public pages
and open data never do."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field, SQLModel

from haocha.core import clock


class ReviewAssessment(SQLModel, table=True):
    __tablename__ = "review_assessment"

    review_id: int = Field(primary_key=True, foreign_key="review.id")
    model_version: str = Field(max_length=64)
    fake_probability: float
    prepaid_probability: float
    prepaid_subtype: str | None = Field(default=None, max_length=32)
    sentiment: float
    reasons: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    scored_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ProviderRisk(SQLModel, table=True):
    """The latest flight-risk reading (0-100) of a provider and what made it up."""

    __tablename__ = "provider_risk"

    provider_id: int = Field(primary_key=True, foreign_key="provider.id")
    score: float = Field(ge=0, le=100)
    # [{"code", "zh", "en", "points"}], largest contribution first
    reasons: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    signals: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
