"""Directory tables: sectors, districts and providers, and their API schemas."""

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import Column, DateTime
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from haocha.core import clock
from haocha.providers import credit_code


class Sector(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32)
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=64)
    regulator_zh: str = Field(max_length=64)
    regulator_en: str = Field(max_length=128)
    prepaid_risk: bool = False
    sort_order: int = 0


class SectorPublic(SQLModel):
    code: str
    name_zh: str
    name_en: str
    regulator_zh: str
    regulator_en: str


class SectorsPublic(SQLModel):
    items: list[SectorPublic]
    total: int


class District(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=6)
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=64)
    city_zh: str = Field(max_length=16)
    city_en: str = Field(max_length=32)


class DistrictPublic(SQLModel):
    code: str
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str


class DistrictsPublic(SQLModel):
    items: list[DistrictPublic]
    total: int


class ProviderStatus(StrEnum):
    active = "active"
    suspended = "suspended"  # ordered to stop trading for now
    closed = "closed"


class ProviderBase(SQLModel):
    name: str = Field(min_length=2, max_length=100, index=True)
    sector_code: str = Field(foreign_key="sector.code", index=True, max_length=32)
    district_code: str = Field(foreign_key="district.code", index=True, max_length=6)
    address: str = Field(max_length=200)
    credit_code: str = Field(min_length=18, max_length=18, unique=True)
    sells_prepaid: bool = False

    @field_validator("credit_code")
    @classmethod
    def _check_credit_code(cls, value: str) -> str:
        value = credit_code.normalise(value)
        if not credit_code.is_valid(value):
            raise ValueError("not a valid unified social credit code (GB 32100 check failed)")
        return value


class ProviderCreate(ProviderBase):
    is_demo: bool = False


class Provider(ProviderBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    status: ProviderStatus = Field(
        default=ProviderStatus.active, sa_type=SAEnum(ProviderStatus, native_enum=False, length=16)
    )
    is_demo: bool = False
    # The listing's registered phone (the number on file with the business registration),
    # where the code to claim the listing is sent: a keyed hash for lookups and a Fernet
    # copy to send the text (haocha.core.crypto), never the plain number.
    phone_hash: str | None = Field(default=None, max_length=64, index=True)
    phone_encrypted: str | None = Field(default=None, max_length=255)
    claimed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=clock.now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ProviderPublic(SQLModel):
    id: int
    name: str
    sector_code: str
    district_code: str
    address: str
    credit_code: str
    status: ProviderStatus
    sells_prepaid: bool
    is_demo: bool
    review_count: int = 0
    level_counts: dict[str, int] = Field(default_factory=dict)
    good_rate: float | None = None
    bad_rate: float | None = None
    score: float | None = None
    score_low: float | None = None
    score_high: float | None = None
    ranked: bool = False
    rank: int | None = None


class ProvidersPublic(SQLModel):
    items: list[ProviderPublic]
    total: int
