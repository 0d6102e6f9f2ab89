"""Provider accounts: the people who answer for a listing (its owner, who claimed it, and the
staff the owner adds) and their portal sessions. Phones are kept as the residents' are: a
keyed hash to find the account at login, and a Fernet copy only because a later text message
(a login code) needs the number; never the plain number."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from haocha.core import clock


class ProviderRole(StrEnum):
    owner = "owner"  # claimed the listing with its registered phone; manages staff
    staff = "staff"  # added by the owner; answers reviews, issues invitations


class ProviderUser(SQLModel, table=True):
    """One person's login to one provider's portal.

    A removed staff member keeps the row (replies and invitations name their author), with
    `removed_at` set; logins and sessions look only at rows without it. At most one active
    account per phone (the service checks it under the provider's row lock), so a login by
    phone needs no choice of provider."""

    __tablename__ = "provider_user"

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    role: ProviderRole = Field(sa_type=SAEnum(ProviderRole, native_enum=False, length=16))
    phone_hash: str = Field(max_length=64, index=True)
    phone_encrypted: str = Field(max_length=255)
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    last_login_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    removed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )

    @property
    def is_owner(self) -> bool:
        return self.role == ProviderRole.owner


class ProviderSession(SQLModel, table=True):
    """A portal login, as the regulators' console sessions: the cookie holds a random token
    and only its hash is stored, so a copy of this table cannot be replayed."""

    __tablename__ = "provider_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="provider_user.id", index=True)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
