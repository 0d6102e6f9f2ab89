"""Reviews and idempotency records, and the review API schemas."""

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, DateTime, Index
from sqlalchemy import Enum as SAEnum
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel

from haocha.core import clock

MAX_TEXT = 1000
DEMO_SOURCE = "demo"  # Review.source of the demo extract's reviews
# Demo reviews are old corpus texts under made-up providers: nobody will answer their 差评
# and they are no campaign, so no job flags them (they would bury the real queue).
UNFLAGGED_SOURCES = (DEMO_SOURCE,)
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
        # The scorer's "several good reviews from one address in a day" looks reviews up by
        # address hash and time; without it every scored review scanned the table.
        Index("ix_review_client_created", "client_hash", "created_at"),
        # The bad-review loop's counts per provider (the page, the open data's answer rate)
        # read only this index: the 差评 under the loop, with every column they use.
        Index(
            "ix_review_loop",
            "provider_id",
            "status",
            "answer_due",
            "answered_at",
            "answered_on_time",
            sqlite_where=sql_text("answer_due IS NOT NULL"),
            postgresql_where=sql_text("answer_due IS NOT NULL"),
        ),
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
    # The bad-review loop (reviews/loop.py): a 差评 gets the last day of its answer period
    # when it is stored; `answered_at` is the provider's first reply, and whether it came
    # by that day is kept with it, so the open data can count on-time answers in SQL.
    answer_due: date | None = None
    answered_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    answered_on_time: bool | None = None
    # A resident may re-rate once after the answer; the level first given is kept here.
    original_level: int | None = Field(default=None, ge=1, le=5)
    rerated_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
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
    # The token of a provider's QR invitation (haocha.providers.invitations): the review is
    # then stored as verified, and the invitation is used up.
    invitation: str | None = PydanticField(default=None, min_length=1, max_length=300)

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


# -- the bad-review loop: replies, the residents' inbox, appeals ---------------------------

MAX_REPLY = 1000
MAX_APPEAL_REASONS = 1000


def _timestamp() -> Any:
    return Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def _optional_timestamp() -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class ReviewReply(SQLModel, table=True):
    """The provider's one public reply to a review; the current text. Every text it ever
    had, the first included, is a ReviewReplyVersion, so an edit never erases what a
    resident was first told."""

    __tablename__ = "review_reply"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    # The provider staff account that wrote the latest version (providers' ProviderUser).
    author_id: int = Field(foreign_key="provider_user.id")
    text: str = Field(max_length=MAX_REPLY)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()

    @property
    def edited(self) -> bool:
        return clock.as_utc(self.updated_at) > clock.as_utc(self.created_at)


class ReviewReplyVersion(SQLModel, table=True):
    __tablename__ = "review_reply_version"

    id: int | None = Field(default=None, primary_key=True)
    reply_id: int = Field(foreign_key="review_reply.id", index=True)
    author_id: int = Field(foreign_key="provider_user.id")
    text: str = Field(max_length=MAX_REPLY)
    created_at: datetime = _timestamp()


class ReplyVersionPublic(SQLModel):
    text: str
    created_at: datetime


class ReplyPublic(SQLModel):
    """A reply as the public page shows it: no author (which staff member wrote it is the
    provider's business; the reply speaks for the provider). `history` lists every version,
    oldest first, when the reply was edited."""

    review_id: int
    text: str
    created_at: datetime
    updated_at: datetime
    edited: bool
    history: list[ReplyVersionPublic] = Field(default_factory=list)


class NotificationKind(StrEnum):
    reply = "reply"  # the provider answered the resident's 差评
    appeal_upheld = "appeal_upheld"  # the resident's review was removed on appeal
    appeal_rejected = "appeal_rejected"  # the provider's appeal against it was rejected


class Notification(SQLModel, table=True):
    """One entry of a resident's in-page inbox. The words are a catalogue key and its
    parameters, so the entry reads in whichever language the resident uses that day."""

    __table_args__ = (Index("ix_notification_resident_read", "resident_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id")
    kind: NotificationKind = Field(sa_type=SAEnum(NotificationKind, native_enum=False, length=24))
    review_id: int | None = Field(default=None, foreign_key="review.id")
    message_key: str = Field(max_length=64)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _timestamp()
    read_at: datetime | None = _optional_timestamp()


class AppealGrounds(StrEnum):
    fake = "fake"  # not a real customer, or a competitor's review
    abusive = "abusive"  # insults, threats, personal data of staff


class AppealStatus(StrEnum):
    open = "open"
    upheld = "upheld"  # the regulator confirmed: the review left the scores
    rejected = "rejected"


class Appeal(SQLModel, table=True):
    """A provider's appeal against one review, decided by the sector's regulator through
    the flag it raises (FlagKind.provider_appeal)."""

    __table_args__ = (
        # One open appeal per review: a double submit cannot queue the same appeal twice.
        Index(
            "uq_appeal_open_review",
            "review_id",
            unique=True,
            sqlite_where=sql_text("status = 'open'"),
            postgresql_where=sql_text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    author_id: int = Field(foreign_key="provider_user.id")
    grounds: AppealGrounds = Field(sa_type=SAEnum(AppealGrounds, native_enum=False, length=16))
    reasons: str = Field(max_length=MAX_APPEAL_REASONS)
    status: AppealStatus = Field(
        default=AppealStatus.open, sa_type=SAEnum(AppealStatus, native_enum=False, length=16)
    )
    flag_id: int | None = Field(default=None, foreign_key="flag.id")
    created_at: datetime = _timestamp()
    decided_at: datetime | None = _optional_timestamp()
