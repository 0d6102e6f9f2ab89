"""Residents and their one-time login codes. No phone number is ever stored in plain text."""

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from haocha.core import clock


class Resident(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # HMAC-SHA256 of the normalised number with the hash key: enough to find the resident
    # again at the next login, useless to anyone who copies the table.
    phone_hash: str = Field(max_length=64, unique=True)
    is_demo: bool = False
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
