"""A regulator's scope, and the one place where queries are filtered by it.

Every table a regulator reads (flags, cases, sanctions, providers) carries sector_code
and district_code; `Scope.where` turns the scope into conditions on them, and
`Scope.allows` checks a single row. Out of scope reads as "not found", never as
"forbidden": a regulator must not learn what exists in another patch."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import col

from haocha.accounts.models import Regulator, RegulatorRole


@dataclass(frozen=True)
class Scope:
    role: RegulatorRole
    sectors: frozenset[str]
    districts: frozenset[str]

    @classmethod
    def of(cls, regulator: Regulator) -> "Scope":
        return cls(regulator.role, frozenset(regulator.sectors), frozenset(regulator.districts))

    @property
    def unrestricted(self) -> bool:
        return self.role == RegulatorRole.admin

    def allows(self, sector_code: str, district_code: str) -> bool:
        return self.unrestricted or (
            sector_code in self.sectors and district_code in self.districts
        )

    def where(self, model: Any) -> ColumnElement[bool]:
        """Condition for `select(model)`: rows in this scope only."""
        if self.unrestricted:
            return true()
        return col(model.sector_code).in_(sorted(self.sectors)) & col(model.district_code).in_(
            sorted(self.districts)
        )

    def filter_codes(self, sectors: Iterable[str], districts: Iterable[str]) -> "Scope":
        """This scope narrowed to the given sectors and districts (filters in the queue)."""
        return Scope(
            RegulatorRole.inspector,
            frozenset(sectors) & self.sectors if not self.unrestricted else frozenset(sectors),
            frozenset(districts) & self.districts
            if not self.unrestricted
            else frozenset(districts),
        )
