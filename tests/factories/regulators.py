"""Regulator factory. Pass `password` to get a real argon2 hash (slower); otherwise the
account cannot log in with a password, which most service tests do not need."""

import itertools
from collections.abc import Sequence

from sqlmodel import Session

from haocha.accounts.models import Regulator, RegulatorRole

_serial = itertools.count(1)


def make_regulator(
    session: Session,
    *,
    role: RegulatorRole = RegulatorRole.inspector,
    sectors: Sequence[str] = ("elderly_care",),
    districts: Sequence[str] = ("310101",),
    username: str | None = None,
    password: str | None = None,
) -> Regulator:
    n = next(_serial)
    password_hash = "!"  # matches no password
    if password is not None:
        from argon2 import PasswordHasher  # noqa: PLC0415

        password_hash = PasswordHasher().hash(password)
    regulator = Regulator(
        username=username or f"inspector{n}",
        display_name=f"检查员{n}",
        password_hash=password_hash,
        role=role,
        sectors=list(sectors),
        districts=list(districts),
    )
    session.add(regulator)
    session.flush()
    return regulator
