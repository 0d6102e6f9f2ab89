"""The audit log: append-only, each entry chained to the one before by SHA-256.

hash(n) = sha256(hash(n-1) + canonical JSON of entry n's fields). Editing a row, deleting
one, or inserting one breaks the chain at that row, and `verify` names it. What a chain
cannot show is the loss of the newest entries; the head hash is therefore printed by
`haocha audit verify` so it can be kept elsewhere (a printed daily digest, another system).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.moderation.models import AuditEntry

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> str:
    fields = {
        "seq": entry.seq,
        "at": clock.as_utc(entry.at).astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "before": entry.before,
        "after": entry.after,
    }
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _canonical(entry)).encode()).hexdigest()


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Dates, decimals and enums become strings now, so the stored JSON hashes the same way
    # when it is read back.
    return None if value is None else json.loads(json.dumps(value, default=str))


def record(
    session: Session,
    *,
    actor: Regulator | None,
    action: str,
    target_type: str,
    target_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction: the action and its record commit or
    roll back together."""
    last = session.exec(
        select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1).with_for_update()
    ).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=clock.now(),
        actor_id=actor.id if actor else None,
        actor=actor.username if actor else "system",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry.prev_hash, entry)
    session.add(entry)
    # Two writers reading the same last entry collide on the unique seq: one rolls back
    # rather than forking the chain.
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str
    broken_seq: int | None = None
    problem: str = ""


def verify(session: Session) -> Verification:
    """Walk the chain from the first entry; report the first entry that does not fit."""
    rows = session.exec(
        select(AuditEntry).order_by(col(AuditEntry.seq)).execution_options(yield_per=1000)
    )
    try:
        return _walk(rows)
    finally:
        rows.close()  # an early return must not leave the server-side cursor open


def _walk(entries: Iterable[AuditEntry]) -> Verification:
    expected_seq, prev = 1, GENESIS
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return Verification(
                False, count, prev, expected_seq, f"entry {expected_seq} is missing"
            )
        if entry.prev_hash != prev:
            return Verification(
                False, count, prev, entry.seq, "does not follow the entry before it"
            )
        if entry_hash(prev, entry) != entry.hash:
            return Verification(False, count, prev, entry.seq, "was changed after it was written")
        prev, expected_seq = entry.hash, expected_seq + 1
    return Verification(True, count, prev)


def entries_for(session: Session, target_type: str, target_id: object) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.target_type == target_type, AuditEntry.target_id == str(target_id))
            .order_by(col(AuditEntry.seq))
        )
    )


def count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AuditEntry)).one())
