"""Reviews and idempotency records, and the review API schemas."""

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, DateTime, Index
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from haocha.core import clock

MAX_TEXT = 1000
DIMENSIONS = ("attitude", "quality", "price", "environment")


class Level(IntEnum):
    """The five levels of the national 好差评 practice."""

    very_dissatisfied = 1  # 非常不满意
    dissatisfied = 2  # 不满意
    basically_satisfied = 3  # 基本满意
    satisfied = 4  # 满意
    very_satisfied = 5  # 非常满意


LEVEL_NAMES: dict[int, tuple[str, str]] = {
    5: ("非常满意", "Very satisfied"),
    4: ("满意", "Satisfied"),
    3: ("基本满意", "Basically satisfied"),
    2: ("不满意", "Dissatisfied"),
    1: ("非常不满意", "Very dissatisfied"),
}


def is_good(level: int) -> bool:
    return level >= 4  # 好评


def is_bad(level: int) -> bool:
    return level <= 2  # 差评


class ReviewStatus(StrEnum):
    published = "published"
    held = "held"  # held out of scores until a regulator decides
    removed = "removed"  # removed by a regulator


class Review(SQLModel, table=True):
    __table_args__ = (
        # The repeat-review check and "my reviews" both walk a resident's reviews by time.
        Index("ix_review_resident_provider_created", "resident_id", "provider_id", "created_at"),
        Index("ix_review_provider_created", "provider_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    resident_id: int = Field(foreign_key="resident.id")
    level: int = Field(ge=1, le=5)
    dim_attitude: int | None = None
    dim_quality: int | None = None
    dim_price: int | None = None
    dim_environment: int | None = None
    text: str = Field(default="", max_length=MAX_TEXT)
    prepaid: bool = False
    prepaid_amount_cents: int | None = None
    service_date: date | None = None
    status: ReviewStatus = Field(
        default=ReviewStatus.published,
        sa_type=SAEnum(ReviewStatus, native_enum=False, length=16),
        index=True,
    )
    verified: bool = False
    # Keyed hash of the submitting address, kept for ring detection; never the address.
    client_hash: str | None = Field(default=None, max_length=64)
    source: str = Field(default="resident", max_length=32)
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

    @property
    def dimensions(self) -> dict[str, int]:
        values = {d: getattr(self, f"dim_{d}") for d in DIMENSIONS}
        return {k: v for k, v in values.items() if v is not None}


Score = Annotated[int, PydanticField(ge=1, le=5)]
TrimmedText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]


class Dimensions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attitude: Score | None = None
    quality: Score | None = None
    price: Score | None = None
    environment: Score | None = None


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_id: int = PydanticField(ge=1, le=2**31 - 1)
    level: Score
    dimensions: Dimensions = PydanticField(default_factory=Dimensions)
    text: TrimmedText = ""
    prepaid: bool = False
    prepaid_amount: Decimal | None = PydanticField(
        default=None, ge=0, le=1_000_000, max_digits=9, decimal_places=2
    )
    service_date: date | None = None

    @field_validator("dimensions", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class ReviewPublic(SQLModel):
    id: int
    provider_id: int
    level: int
    dimensions: dict[str, int]
    text: str
    prepaid: bool
    prepaid_amount: Decimal | None
    service_date: date | None
    verified: bool
    status: ReviewStatus
    created_at: datetime


class ReviewsPublic(SQLModel):
    items: list[ReviewPublic]
    total: int


class IdempotencyRecord(SQLModel, table=True):
    """The stored answer to a POST made with an Idempotency-Key, so a retry gets it again."""

    __tablename__ = "idempotency_record"
    __table_args__ = (Index("uq_idempotency_owner_key", "owner", "key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=80)  # e.g. "resident:42"; keys are scoped to their owner
    key: str = Field(max_length=100)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
