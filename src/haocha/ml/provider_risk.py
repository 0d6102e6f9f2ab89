"""The flight-risk reading of a provider from what the database holds: its reviews and
their assessments, overdue bad reviews, residents' closure reports and sanctions in force.
The arithmetic is in `flight_risk.assess`; this module gathers the signals, stores the
reading and flags a provider whose risk reaches the threshold."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.ml.discounts import is_deep
from haocha.ml.flight_risk import FLAG_THRESHOLD, RiskReading, RiskSignals, assess
from haocha.ml.models import ProviderRisk, ReviewAssessment
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import Flag, FlagKind, FlagStatus, Sanction, SanctionKind
from haocha.moderation.reports import ReportReason
from haocha.moderation.sanctions import active_sanctions
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus

RECENT_DAYS = 90
BASELINE_DAYS = 365
DISCOUNT_DAYS = 180
PREPAID_COMPLAINT = 0.5  # assessment probability from which a review counts as one
CLOSED_SUBTYPE = "closed_unreachable"


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, clock.CHINA_TZ)


def _window(
    session: Session, provider_id: int, since: date, until: date
) -> tuple[int, int, float | None]:
    """(reviews, prepaid complaints, mean level) of counted reviews posted in [since, until)."""
    complaint = or_(
        col(ReviewAssessment.prepaid_probability) >= PREPAID_COMPLAINT,
        and_(col(Review.prepaid), col(Review.level) <= 2),
    )
    count, complaints, mean = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((complaint, 1), else_=0)), 0),
            func.avg(Review.level),
        )
        .select_from(Review)
        .outerjoin(ReviewAssessment, col(ReviewAssessment.review_id) == Review.id)
        .where(
            Review.provider_id == provider_id,
            Review.status == ReviewStatus.published,
            col(Review.created_at) >= _start(since),
            col(Review.created_at) < _start(until),
        )
    ).one()
    return int(count), int(complaints), None if mean is None else float(mean)


def _closure_reports(session: Session, provider_id: int, since: date) -> int:
    flags = session.exec(
        select(Flag).where(
            Flag.kind == FlagKind.resident_report,
            Flag.provider_id == provider_id,
            col(Flag.status).in_([FlagStatus.open, FlagStatus.confirmed, FlagStatus.case_opened]),
        )
    ).all()
    cutoff = _start(since).isoformat()
    total = 0
    for flag in flags:
        closure = [
            r
            for r in flag.evidence.get("reports", [])
            if r.get("reason") == ReportReason.closed_or_unreachable
            and str(r.get("at", "")) >= cutoff
        ]
        # Reports count per resident: one person repeating it is still one voice.
        total += min(len(closure), len(set(flag.evidence.get("reporter_ids", []))))
    return total


def gather_signals(session: Session, provider_id: int, today: date | None = None) -> RiskSignals:
    day = today or clock.today_local()
    tomorrow = day + timedelta(days=1)
    recent_since = tomorrow - timedelta(days=RECENT_DAYS)
    earlier_since = recent_since - timedelta(days=RECENT_DAYS)
    baseline_since = recent_since - timedelta(days=BASELINE_DAYS)
    recent, recent_complaints, recent_mean = _window(session, provider_id, recent_since, tomorrow)
    earlier, earlier_complaints, _ = _window(session, provider_id, earlier_since, recent_since)
    baseline, _, baseline_mean = _window(session, provider_id, baseline_since, recent_since)
    texts = session.exec(
        select(Review.text, ReviewAssessment.prepaid_subtype)
        .outerjoin(ReviewAssessment, col(ReviewAssessment.review_id) == Review.id)
        .where(
            Review.provider_id == provider_id,
            Review.status == ReviewStatus.published,
            col(Review.created_at) >= _start(tomorrow - timedelta(days=DISCOUNT_DAYS)),
        )
    ).all()
    overdue = session.exec(
        select(func.count()).where(
            Flag.kind == FlagKind.overdue_bad_review,
            Flag.provider_id == provider_id,
            Flag.status == FlagStatus.open,
        )
    ).one()
    sanctions = active_sanctions(session, provider_id, day)
    return RiskSignals(
        recent_reviews=recent,
        recent_prepaid_complaints=recent_complaints,
        earlier_reviews=earlier,
        earlier_prepaid_complaints=earlier_complaints,
        recent_mean=recent_mean,
        baseline_mean=baseline_mean,
        baseline_reviews=baseline,
        overdue_bad_reviews=int(overdue),
        deep_discount_mentions=sum(1 for text, _ in texts if text and is_deep(text)),
        closure_reporters=_closure_reports(session, provider_id, recent_since),
        closure_texts=sum(1 for _, subtype in texts if subtype == CLOSED_SUBTYPE),
        warnings_in_force=sum(1 for s in sanctions if s.kind == SanctionKind.warning),
        blacklisted=any(s.kind == SanctionKind.blacklist for s in sanctions),
    )


def assess_provider(
    session: Session, provider: Provider, today: date | None = None
) -> ProviderRisk:
    """Store the provider's current reading; flag it when the risk reaches the threshold
    (a second reading while the flag is open raises the flag's risk, never adds a row)."""
    assert provider.id is not None  # noqa: S101 - a loaded provider has an id
    signals = gather_signals(session, provider.id, today)
    reading = assess(signals)
    row = session.get(ProviderRisk, provider.id) or ProviderRisk(provider_id=provider.id, score=0)
    row.score = reading.score
    row.reasons = [p.as_dict() for p in reading.parts]
    row.signals = _signals_dict(signals)
    row.computed_at = clock.now()
    session.add(row)
    session.flush()
    if reading.score >= FLAG_THRESHOLD:
        _flag(session, provider, reading)
    return row


def _flag(session: Session, provider: Provider, reading: RiskReading) -> None:
    raise_flag(
        session,
        kind=FlagKind.flight_risk,
        provider=provider,
        risk=reading.score,
        reasons=[{"zh": p["zh"], "en": p["en"]} for p in reading.top_reasons()],
        evidence={"flight_risk": reading.score, "parts": reading.top_reasons(len(reading.parts))},
        source="ml",
    )


def _signals_dict(signals: RiskSignals) -> dict[str, object]:
    return {name: getattr(signals, name) for name in RiskSignals.__slots__}


def providers_to_reassess(session: Session, since: datetime) -> list[Provider]:
    """Providers with something new since `since`: a review, a flag, a sanction."""
    ids = set(
        session.exec(
            select(Review.provider_id).where(col(Review.created_at) >= since).distinct()
        ).all()
    )
    ids |= set(
        session.exec(select(Flag.provider_id).where(col(Flag.created_at) >= since).distinct()).all()
    )
    ids |= set(
        session.exec(
            select(Sanction.provider_id).where(col(Sanction.created_at) >= since).distinct()
        ).all()
    )
    if not ids:
        return []
    return list(session.exec(select(Provider).where(col(Provider.id).in_(ids))).all())
