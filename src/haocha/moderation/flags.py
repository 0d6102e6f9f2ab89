"""The regulator's queue: flags raised by the system, by residents and (later) by the ML
module; the evidence shown with each; and the decisions taken on a flag itself (confirm,
dismiss). Opening a case from a flag is in `haocha.moderation.cases`."""

from collections.abc import Collection, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import case, distinct, func
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.core.errors import DomainError, NotFound
from haocha.moderation import audit
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus
from haocha.reviews.service import set_review_status
from haocha.scoring.trends import monthly_trend

# Confirming one of these says "this review is fake" (or, upholding a provider's appeal,
# fake or abusive): the review leaves the scores. Other kinds are about the provider
# (prepaid complaints, flight risk, reports), where confirming records the finding and any
# action is a case or a sanction.
REMOVES_REVIEW = frozenset({FlagKind.fake_review, FlagKind.review_ring, FlagKind.provider_appeal})
MAX_NOTE = 1000
# Evidence keys the console never shows: who reported is kept only to count distinct
# reporters, so a provider cannot learn from a regulator's screen who complained.
PRIVATE_EVIDENCE = frozenset({"reporter_ids"})
EVIDENCE_REVIEWS = 20  # reviews shown with one flag; a ring's listing beyond that is noise
SAME_ADDRESS_LISTED = 10


class FlagNotFound(NotFound):
    message_key = "error.flag_not_found"


class FlagDecided(DomainError):
    status_code = 409
    message_key = "error.flag_decided"


class NoteTooLong(DomainError):
    status_code = 422
    message_key = "error.note_too_long"


class NoteEmpty(DomainError):
    status_code = 422
    message_key = "error.note_empty"


def checked_note(note: str, *, required: bool = False) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise NoteTooLong(max=MAX_NOTE)
    if required and not note:
        raise NoteEmpty()
    return note


def _clamp(risk: float) -> float:
    return max(0.0, min(100.0, float(risk)))


def _merge_reasons(
    old: Sequence[dict[str, str]], new: Sequence[dict[str, str]]
) -> list[dict[str, str]]:
    merged = [dict(r) for r in old]
    for reason in new:
        if not reason.get("zh") or not reason.get("en"):
            raise ValueError("a reason is {'zh': ..., 'en': ...}")
        if reason not in merged:
            merged.append({"zh": reason["zh"], "en": reason["en"]})
    return merged


def open_flag_for(
    session: Session, *, kind: FlagKind, provider_id: int, review_id: int | None
) -> Flag | None:
    """The open flag of this kind on this target, if any (there is at most one)."""
    target = col(Flag.review_id).is_(None) if review_id is None else Flag.review_id == review_id
    return session.exec(
        select(Flag)
        .where(Flag.kind == kind, Flag.provider_id == provider_id, target)
        .where(Flag.status == FlagStatus.open)
        .order_by(col(Flag.id))
        .limit(1)
        # A flag loaded earlier in this session may have been strengthened by another
        # transaction since; read what is committed now.
        .execution_options(populate_existing=True)
    ).first()


def raise_flag(
    session: Session,
    *,
    kind: FlagKind,
    provider: Provider,
    review: Review | None = None,
    risk: float,
    reasons: Sequence[dict[str, str]],
    evidence: dict[str, Any] | None = None,
    source: str,
) -> Flag:
    """Put something in the queue, or strengthen what is already there.

    While a flag on the same (kind, provider, review) is open, a new signal does not add a
    second row: the flag keeps the higher risk, gains any new reasons, and its evidence is
    updated key by key. A decided flag stays decided; a new signal after that opens a new one."""
    assert provider.id is not None  # noqa: S101 - a loaded provider has an id
    # Lock the provider's row: two signals about one target (two residents reporting at
    # once) then meet one after the other and update one flag instead of inserting two.
    session.exec(select(Provider.id).where(Provider.id == provider.id).with_for_update()).one()
    review_id = review.id if review is not None else None
    flag = open_flag_for(session, kind=kind, provider_id=provider.id, review_id=review_id)
    if flag is None:
        flag = Flag(
            kind=kind,
            provider_id=provider.id,
            review_id=review_id,
            sector_code=provider.sector_code,
            district_code=provider.district_code,
            risk=_clamp(risk),
            reasons=_merge_reasons([], reasons),
            evidence=dict(evidence or {}),
            source=source,
        )
    else:
        # New lists and dicts, not in-place edits: JSON columns notice only assignment.
        flag.risk = max(flag.risk, _clamp(risk))
        flag.reasons = _merge_reasons(flag.reasons, reasons)
        flag.evidence = {**flag.evidence, **(evidence or {})}
    session.add(flag)
    session.flush()
    return flag


def queue(
    session: Session,
    scope: Scope,
    *,
    kinds: Collection[FlagKind] | None = None,
    sector: str | None = None,
    district: str | None = None,
    max_age_days: int | None = None,
    status: FlagStatus | None = FlagStatus.open,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Flag], int]:
    """Flags in the regulator's scope, highest risk first, then the oldest (it has waited
    longest). `status=None` lists every status."""
    where = [scope.where(Flag)]
    if status is not None:
        where.append(col(Flag.status) == status)
    if kinds:
        where.append(col(Flag.kind).in_(list(kinds)))
    if sector:
        where.append(col(Flag.sector_code) == sector)
    if district:
        where.append(col(Flag.district_code) == district)
    if max_age_days is not None:
        where.append(col(Flag.created_at) >= clock.now() - timedelta(days=max_age_days))
    total = session.exec(select(func.count()).select_from(Flag).where(*where)).one()
    items = session.exec(
        select(Flag)
        .where(*where)
        .order_by(col(Flag.risk).desc(), col(Flag.created_at), col(Flag.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return list(items), int(total)


def get_flag(session: Session, scope: Scope, flag_id: int) -> Flag:
    """The flag, or FlagNotFound when it does not exist or lies outside the scope: the two
    must read the same, or a regulator could probe another district's queue."""
    flag = session.exec(select(Flag).where(Flag.id == flag_id, scope.where(Flag))).first()
    if flag is None:
        raise FlagNotFound()
    return flag


def lock_open_flag(session: Session, scope: Scope, flag: Flag) -> Flag:
    """The flag, locked for a decision: two regulators deciding at once are serialised, and
    the second sees the first's decision (FlagDecided) instead of overwriting it."""
    locked = session.exec(
        select(Flag)
        .where(Flag.id == flag.id, scope.where(Flag))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise FlagNotFound()
    if locked.status != FlagStatus.open:
        raise FlagDecided()
    return locked


def flag_state(flag: Flag) -> dict[str, Any]:
    """The fields a decision changes, for the audit log's before/after."""
    return {
        "status": flag.status.value,
        "risk": flag.risk,
        "decided_by": flag.decided_by,
        "decision_note": flag.decision_note,
    }


def close_flag(
    session: Session,
    regulator: Regulator,
    flag: Flag,
    *,
    status: FlagStatus,
    note: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Flag:
    """Record a decision on a flag already locked by `lock_open_flag`, with its audit entry
    (`before`/`after` add what else the decision changed, e.g. the review's status)."""
    state_before = {**flag_state(flag), **(before or {})}
    flag.status = status
    flag.decided_at = clock.now()
    flag.decided_by = regulator.id
    flag.decision_note = note
    session.add(flag)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action=action,
        target_type="flag",
        target_id=flag.id,
        before=state_before,
        after={**flag_state(flag), **(after or {})},
    )
    return flag


def confirm(
    session: Session, regulator: Regulator, scope: Scope, flag: Flag, *, note: str = ""
) -> Flag:
    """Confirm a flag. A fake-review flag on a review removes that review from the scores
    (the provider's score is recomputed at once); a review-ring flag removes every review of
    the ring at that provider. Their authors then see the review as not counted, with a
    neutral notice (`review.removed_notice`), never the reason."""
    note = checked_note(note)
    flag = lock_open_flag(session, scope, flag)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if flag.kind in REMOVES_REVIEW and flag.review_id is not None:
        reviews = _locked_reviews(session, flag, _ring_review_ids(flag))
        for review in reviews:
            if review.id == flag.review_id:
                before["review_status"] = review.status.value
            set_review_status(session, review, ReviewStatus.removed)
        after["review_status"] = ReviewStatus.removed.value
        if len(reviews) > 1:
            after["removed_review_ids"] = [r.id for r in reviews]
    flag = close_flag(
        session,
        regulator,
        flag,
        status=FlagStatus.confirmed,
        note=note,
        action="flag.confirm",
        before=before,
        after=after,
    )
    _after_decision(session, flag)
    return flag


def _locked_reviews(session: Session, flag: Flag, ids: list[int]) -> list[Review]:
    """The flag's provider's reviews among `ids`, locked and read fresh, by id."""
    return list(
        session.exec(
            select(Review)
            .where(col(Review.id).in_(ids), Review.provider_id == flag.provider_id)
            .order_by(col(Review.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    )


def _ring_review_ids(flag: Flag) -> list[int]:
    """The flag's review, and for a ring every member the ring scan listed."""
    assert flag.review_id is not None  # noqa: S101 - checked by the caller
    members = flag.evidence.get("review_ids", []) if flag.kind == FlagKind.review_ring else []
    return list(dict.fromkeys([flag.review_id, *(int(i) for i in members)]))


def dismiss(
    session: Session, regulator: Regulator, scope: Scope, flag: Flag, *, note: str = ""
) -> Flag:
    """Dismiss a flag: nothing to act on. The review (if any) keeps counting; one the ML
    module held out of the scores while it waited counts again."""
    note = checked_note(note)
    flag = lock_open_flag(session, scope, flag)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if flag.kind in REMOVES_REVIEW and flag.review_id is not None:
        (review,) = _locked_reviews(session, flag, [flag.review_id])
        if review.status == ReviewStatus.held:
            before["review_status"] = review.status.value
            set_review_status(session, review, ReviewStatus.published)
            after["review_status"] = review.status.value
    flag = close_flag(
        session,
        regulator,
        flag,
        status=FlagStatus.dismissed,
        note=note,
        action="flag.dismiss",
        before=before,
        after=after,
    )
    _after_decision(session, flag)
    return flag


def _after_decision(session: Session, flag: Flag) -> None:
    """A provider's appeal learns its outcome from its flag's decision."""
    # Imported here: reviews.appeals raises its flags through this module.
    from haocha.reviews.appeals import record_decision  # noqa: PLC0415 - import cycle

    record_decision(session, flag)


def flag_evidence(session: Session, flag: Flag) -> dict[str, Any]:
    """What a regulator needs to decide on a flag (one got through `get_flag`, so in
    scope), as plain JSON-ready data: the reviews concerned (texts), the reasons, related
    accounts (counts only: never phone hashes or resident ids), the residents' reports,
    and the provider's monthly review timeline."""
    provider = session.get(Provider, flag.provider_id)
    assert provider is not None  # noqa: S101 - flags reference existing providers
    reports = list(flag.evidence.get("reports", []))
    return {
        "flag": {
            "id": flag.id,
            "kind": flag.kind.value,
            "status": flag.status.value,
            "risk": flag.risk,
            "source": flag.source,
            "created_at": clock.as_utc(flag.created_at).isoformat(),
        },
        "provider": {
            "id": provider.id,
            "name": provider.name,
            "sector_code": provider.sector_code,
            "district_code": provider.district_code,
            "status": provider.status.value,
        },
        "reasons": list(flag.reasons),
        "reviews": [_review_evidence(session, r) for r in _evidence_reviews(session, flag)],
        "reports": reports,
        "reporters": len(set(flag.evidence.get("reporter_ids", []))),
        "details": {
            k: v for k, v in flag.evidence.items() if k not in PRIVATE_EVIDENCE | {"reports"}
        },
        "timeline": [
            {"month": p.month, "count": p.count, "mean": p.mean}
            for p in monthly_trend(session, flag.provider_id)
        ],
    }


def _evidence_reviews(session: Session, flag: Flag) -> list[Review]:
    ids: list[int] = [] if flag.review_id is None else [flag.review_id]
    ids += [int(i) for i in flag.evidence.get("review_ids", [])]
    ids += [int(r["review_id"]) for r in flag.evidence.get("reports", []) if r.get("review_id")]
    wanted = list(dict.fromkeys(ids))[:EVIDENCE_REVIEWS]
    if not wanted:
        return []
    # Only the provider's own reviews: evidence must not open a window on another provider.
    rows = session.exec(
        select(Review).where(col(Review.id).in_(wanted), Review.provider_id == flag.provider_id)
    ).all()
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in wanted if i in by_id]


def _review_evidence(session: Session, review: Review) -> dict[str, Any]:
    others = session.exec(
        select(
            func.count(),
            func.count(distinct(col(Review.provider_id))),
            func.coalesce(
                func.sum(case((col(Review.provider_id) == review.provider_id, 1), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((col(Review.status) == ReviewStatus.removed, 1), else_=0)), 0
            ),
        ).where(Review.resident_id == review.resident_id, Review.id != review.id)
    ).one()
    return {
        "id": review.id,
        "level": review.level,
        "text": review.text,
        "status": review.status.value,
        "verified": review.verified,
        "source": review.source,
        "created_at": clock.as_utc(review.created_at).isoformat(),
        "author_other_reviews": {
            "total": int(others[0]),
            "providers": int(others[1]),
            "this_provider": int(others[2]),
            "removed": int(others[3]),
        },
        "same_address_here": _same_address(session, review),
    }


def _same_address(session: Session, review: Review) -> dict[str, Any]:
    """Other reviews of this provider sent from the same network address (by its keyed
    hash): several residents behind one address is how a review ring usually shows."""
    if review.client_hash is None:
        return {"reviews": 0, "residents": 0, "listed": []}
    where = (
        Review.provider_id == review.provider_id,
        Review.client_hash == review.client_hash,
        Review.id != review.id,
    )
    count, residents = session.exec(
        select(func.count(), func.count(distinct(col(Review.resident_id)))).where(*where)
    ).one()
    listed = session.exec(
        select(Review).where(*where).order_by(col(Review.created_at)).limit(SAME_ADDRESS_LISTED)
    ).all()
    return {
        "reviews": int(count),
        "residents": int(residents),
        "listed": [
            {
                "id": r.id,
                "level": r.level,
                "status": r.status.value,
                "created_at": clock.as_utc(r.created_at).isoformat(),
            }
            for r in listed
        ],
    }
