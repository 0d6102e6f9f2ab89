"""Resident factory."""

import itertools

from sqlmodel import Session

from haocha.accounts.models import Resident
from haocha.core.security import keyed_hash

_serial = itertools.count(1)


def make_resident(session: Session, *, phone_hash: str | None = None) -> Resident:
    resident = Resident(
        phone_hash=phone_hash or keyed_hash("factory", "phone", f"resident-{next(_serial)}")
    )
    session.add(resident)
    session.flush()
    return resident
