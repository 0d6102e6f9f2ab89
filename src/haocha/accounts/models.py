"""Residents (one-time SMS codes; no phone number is ever stored in plain text) and
regulators (passwords, roles, scope)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, DateTime
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from haocha.core import clock


class Resident(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # HMAC-SHA256 of the normalised number with the hash key: enough to find the resident
    # again at the next login, useless to anyone who copies the table.
    phone_hash: str = Field(max_length=64, unique=True)
    is_demo: bool = False
    # Fernet copy of the number (haocha.core.crypto), refreshed at each login: the one
    # place the bad-review loop can text a resident that their 差评 was answered.
    phone_encrypted: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    last_login_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class LoginCode(SQLModel, table=True):
    __tablename__ = "login_code"

    id: int | None = Field(default=None, primary_key=True)
    phone_hash: str = Field(max_length=64, index=True)
    code_hash: str = Field(max_length=64)
    attempts: int = 0
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class CodeRequest(SQLModel):
    phone: str = Field(max_length=32)


class CodeSent(SQLModel):
    sent: bool = True
    expires_in: int


class TokenRequest(SQLModel):
    phone: str = Field(max_length=32)
    code: str = Field(max_length=16)


class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class RegulatorRole(StrEnum):
    admin = "admin"  # manages accounts; sees every sector and district
    supervisor = "supervisor"  # takes escalations, lifts sanctions, within scope
    inspector = "inspector"  # works the queue and cases, within scope


class Regulator(SQLModel, table=True):
    """A regulator's account (行业主管部门). Scope: the sectors and districts it may see."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=200)  # argon2id, with its parameters
    role: RegulatorRole = Field(sa_type=SAEnum(RegulatorRole, native_enum=False, length=16))
    sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    totp_secret: str | None = Field(default=None, max_length=64)
    failed_logins: int = 0
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    is_active: bool = True
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class RegulatorSession(SQLModel, table=True):
    """A console login. The cookie holds a random token; only its hash is stored, so a
    copy of this table cannot be replayed. Logging out deletes the row."""

    __tablename__ = "regulator_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    regulator_id: int = Field(foreign_key="regulator.id", index=True)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
