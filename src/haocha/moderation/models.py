"""The regulator's side: flags in the queue, cases, sanctions, and the audit log."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from haocha.core import clock


def _enum(kind: type[StrEnum]) -> Any:
    return SAEnum(kind, native_enum=False, length=24)


def _timestamp() -> Any:
    return Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def _optional_timestamp() -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class FlagKind(StrEnum):
    fake_review = "fake_review"
    review_ring = "review_ring"
    prepaid_complaint = "prepaid_complaint"
    flight_risk = "flight_risk"
    resident_report = "resident_report"
    provider_appeal = "provider_appeal"
    overdue_bad_review = "overdue_bad_review"


class FlagStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"  # e.g. a fake review confirmed: it leaves the scores
    dismissed = "dismissed"
    case_opened = "case_opened"


class Flag(SQLModel, table=True):
    """Something a regulator should look at. Sector and district are copied from the
    provider so that every queue query is filtered by scope without a join."""

    __table_args__ = (
        Index("ix_flag_scope_queue", "status", "sector_code", "district_code", "risk"),
        # One open flag per kind and target: a second signal raises the risk instead.
        Index("ix_flag_target", "kind", "provider_id", "review_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: FlagKind = Field(sa_type=_enum(FlagKind))
    status: FlagStatus = Field(default=FlagStatus.open, sa_type=_enum(FlagStatus))
    provider_id: int = Field(foreign_key="provider.id", index=True)
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)
    sector_code: str = Field(max_length=32)
    district_code: str = Field(max_length=6)
    risk: float = Field(default=0.0, ge=0, le=100)
    reasons: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # [{"zh": …, "en": …}]
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    source: str = Field(default="system", max_length=32)  # "ml", "resident", "deadline", …
    created_at: datetime = _timestamp()
    decided_at: datetime | None = _optional_timestamp()
    decided_by: int | None = Field(default=None, foreign_key="regulator.id")
    decision_note: str = Field(default="", max_length=1000)


class CaseStatus(StrEnum):
    open = "open"
    investigating = "investigating"
    resolved = "resolved"
    closed = "closed"


class Case(SQLModel, table=True):
    __tablename__ = "case_file"  # "case" is an SQL keyword
    __table_args__ = (Index("ix_case_scope", "status", "sector_code", "district_code"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: FlagKind = Field(sa_type=_enum(FlagKind))
    status: CaseStatus = Field(default=CaseStatus.open, sa_type=_enum(CaseStatus))
    provider_id: int = Field(foreign_key="provider.id", index=True)
    flag_id: int | None = Field(default=None, foreign_key="flag.id")
    sector_code: str = Field(max_length=32)
    district_code: str = Field(max_length=6)
    title: str = Field(max_length=200)
    deadline: date  # counted in working days from opening (Chinese calendar)
    assignee_id: int | None = Field(default=None, foreign_key="regulator.id")
    escalated: bool = False
    created_by: int = Field(foreign_key="regulator.id")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class CaseNote(SQLModel, table=True):
    __tablename__ = "case_note"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    author_id: int = Field(foreign_key="regulator.id")
    text: str = Field(max_length=2000)
    created_at: datetime = _timestamp()


class SanctionKind(StrEnum):
    warning = "warning"  # 消费提示
    blacklist = "blacklist"  # 黑名单


class Sanction(SQLModel, table=True):
    """Published on the provider's page and in open data while in force."""

    id: int | None = Field(default=None, primary_key=True)
    kind: SanctionKind = Field(sa_type=_enum(SanctionKind))
    provider_id: int = Field(foreign_key="provider.id", index=True)
    sector_code: str = Field(max_length=32)
    district_code: str = Field(max_length=6)
    text: str = Field(max_length=1000)  # the warning, or the blacklist reason
    legal_basis: str = Field(default="", max_length=500)
    starts_on: date
    ends_on: date | None = None
    lifted_at: datetime | None = _optional_timestamp()
    lifted_by: int | None = Field(default=None, foreign_key="regulator.id")
    lift_reason: str = Field(default="", max_length=1000)
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    created_by: int = Field(foreign_key="regulator.id")
    created_at: datetime = _timestamp()


class AuditEntry(SQLModel, table=True):
    """One regulator action. `seq` counts from 1 without gaps and `hash` covers this entry
    and the previous entry's hash, so an edited, inserted or deleted row breaks the chain
    at that point (`haocha audit verify`)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    at: datetime = _timestamp()
    actor_id: int | None = Field(default=None)  # no FK: the log outlives accounts
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
