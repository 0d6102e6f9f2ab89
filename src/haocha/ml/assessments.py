"""Scoring stored reviews: build the scorer's input with the author's and provider's
history, keep the assessment, and act on it — a flag in the regulators' queue above one
threshold, the review held out of the scores above a higher one, until a regulator decides
(confirm removes it, dismiss publishes it again). A 差评 needs a higher probability to be
flagged and is never held by the model alone (see Settings.ml_flag_threshold_bad)."""

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.core.settings import Settings
from haocha.ml.contract import Reason, ReviewInput, ReviewScores
from haocha.ml.models import ReviewAssessment
from haocha.ml.scorer import GOOD_LEVEL
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import FlagKind
from haocha.providers.models import Provider
from haocha.reviews.models import UNFLAGGED_SOURCES, Review, ReviewStatus, is_bad
from haocha.reviews.service import set_review_status

log = logging.getLogger(__name__)

DEVICE_WINDOW = timedelta(hours=24)
SWEEP_BATCH = 500


class Scorer(Protocol):
    """What the service needs from a model (haocha.ml.scorer.ReviewScorer)."""

    @property
    def version(self) -> str: ...

    def score_many(self, inputs: Sequence[ReviewInput]) -> list[ReviewScores]: ...


def _earlier_reviews(
    session: Session, ids: Sequence[int], same: Literal["resident_id", "provider_id"]
) -> dict[int, tuple[int, int]]:
    """For each review, the reviews before it by the same author or of the same provider
    (`same`): (how many, how many were good). Reviews with none are absent."""
    earlier = aliased(Review)
    rows = session.exec(
        select(
            Review.id,
            func.count(),
            func.sum(case((col(earlier.level) >= GOOD_LEVEL, 1), else_=0)),
        )
        .join(
            earlier,
            and_(
                col(getattr(earlier, same)) == col(getattr(Review, same)),
                col(earlier.created_at) < Review.created_at,
            ),
        )
        .where(col(Review.id).in_(ids))
        .group_by(col(Review.id))
    ).all()
    return {i: (int(count), int(good or 0)) for i, count, good in rows if i is not None}


def _same_client_good(session: Session, reviews: Sequence[Review]) -> dict[int, int]:
    """For each review, the *other* good reviews from its address hash in the DEVICE_WINDOW
    up to its time. One query for the batch's hashes over the batch's time span, counted
    here: the window's arithmetic on timestamps is not portable between SQLite and
    PostgreSQL, and the rows are few (an address hash rarely posts much)."""
    hashed = [r for r in reviews if r.client_hash]
    if not hashed:
        return {}
    times = [clock.as_utc(r.created_at) for r in hashed]
    rows = session.exec(
        select(Review.id, Review.client_hash, Review.created_at).where(
            col(Review.client_hash).in_({r.client_hash for r in hashed}),
            col(Review.level) >= GOOD_LEVEL,
            col(Review.created_at) >= min(times) - DEVICE_WINDOW,
            col(Review.created_at) <= max(times),
        )
    ).all()
    by_hash: dict[str | None, list[tuple[datetime, int | None]]] = defaultdict(list)
    for other_id, client_hash, created in rows:
        by_hash[client_hash].append((clock.as_utc(created), other_id))
    counts: dict[int, int] = {}
    for review, created in zip(hashed, times, strict=True):
        counts[review.id or 0] = sum(
            1
            for when, other_id in by_hash[review.client_hash]
            if other_id != review.id and created - DEVICE_WINDOW <= when <= created
        )
    return counts


def review_inputs(session: Session, reviews: Sequence[Review]) -> list[ReviewInput]:
    """The reviews with what the database knows around each, as of the review's own time:
    three queries for the whole batch, not three per review (the sweep scores 500)."""
    ids = [r.id for r in reviews if r.id is not None]
    authors = _earlier_reviews(session, ids, "resident_id")
    providers = _earlier_reviews(session, ids, "provider_id")
    same_client = _same_client_good(session, reviews)
    inputs = []
    for review in reviews:
        key = review.id or 0
        author_count, author_good = authors.get(key, (0, 0))
        amount = review.prepaid_amount_cents
        inputs.append(
            ReviewInput(
                text=review.text,
                level=review.level,
                dimensions=review.dimensions,
                amount=None if amount is None else amount / 100,
                created_at=clock.as_utc(review.created_at),
                verified=review.verified,
                prepaid=review.prepaid,
                resident=str(review.resident_id),
                provider=str(review.provider_id),
                author_review_count=author_count,
                author_good_share=author_good / author_count if author_count else None,
                same_client_recent=same_client.get(key, 0),
                provider_review_count=providers.get(key, (0, 0))[0],
            )
        )
    return inputs


def _flag_reasons(reasons: Sequence[Reason], fallback: Reason) -> list[dict[str, str]]:
    chosen = list(reasons) or [fallback]
    return [{"zh": r.zh, "en": r.en} for r in chosen]


FAKE_FALLBACK = Reason("fake_model", "模型判断疑似虚假评价", "The model suspects a fake review")
PREPAID_FALLBACK = Reason(
    "prepaid_model", "文字疑似预付卡投诉", "The text reads as a prepaid-card complaint"
)


def store_assessment(
    session: Session, review: Review, scores: ReviewScores, model_version: str
) -> ReviewAssessment:
    assert review.id is not None  # noqa: S101 - a stored review has an id
    row = session.get(ReviewAssessment, review.id) or ReviewAssessment(
        review_id=review.id,
        model_version=model_version,
        fake_probability=0.0,
        prepaid_probability=0.0,
        sentiment=0.5,
    )
    row.model_version = model_version
    row.fake_probability = scores.fake_probability
    row.prepaid_probability = scores.prepaid_complaint_probability
    row.prepaid_subtype = scores.prepaid_subtype
    row.sentiment = scores.sentiment
    row.reasons = [r.as_dict() for r in scores.reasons]
    row.scored_at = clock.now()
    session.add(row)
    session.flush()
    return row


def act_on(
    session: Session, *, settings: Settings, review: Review, scores: ReviewScores
) -> list[str]:
    """Raise the flags the scores call for and hold a review that is very likely fake.
    Returns what was done, for the job's log."""
    # Scored all the same: the flight-risk reading uses the prepaid judgement.
    if review.source in UNFLAGGED_SOURCES or review.status == ReviewStatus.removed:
        return []
    provider = session.get(Provider, review.provider_id)
    assert provider is not None  # noqa: S101 - reviews reference existing providers
    done: list[str] = []
    fake = scores.fake_probability
    bad = is_bad(review.level)
    if fake >= (settings.ml_flag_threshold_bad if bad else settings.ml_flag_threshold):
        fake_reasons = [r for r in scores.reasons if not r.code.startswith("prepaid")]
        raise_flag(
            session,
            kind=FlagKind.fake_review,
            provider=provider,
            review=review,
            risk=round(100 * fake, 1),
            reasons=_flag_reasons(fake_reasons, FAKE_FALLBACK),
            evidence={"fake_probability": round(fake, 4)},
            source="ml",
        )
        done.append("flag:fake_review")
        holdable = not bad and review.status == ReviewStatus.published
        if fake >= settings.ml_hold_threshold and holdable:
            set_review_status(session, review, ReviewStatus.held)
            done.append("held")
    prepaid = scores.prepaid_complaint_probability
    if prepaid >= settings.ml_prepaid_threshold:
        prepaid_reasons = [r for r in scores.reasons if r.code.startswith("prepaid")]
        raise_flag(
            session,
            kind=FlagKind.prepaid_complaint,
            provider=provider,
            review=review,
            # A prepaid complaint is about residents' money: it ranks with a suspected
            # fake review of the same confidence, a little above.
            risk=round(min(100.0, 100 * prepaid), 1),
            reasons=_flag_reasons(prepaid_reasons, PREPAID_FALLBACK),
            evidence={
                "prepaid_probability": round(prepaid, 4),
                "prepaid_subtype": scores.prepaid_subtype,
            },
            source="ml",
        )
        done.append("flag:prepaid_complaint")
    return done


def assess_reviews(
    session: Session, *, settings: Settings, scorer: Scorer, reviews: Sequence[Review]
) -> int:
    """Score the reviews (one model call for the batch), store and act on each."""
    if not reviews:
        return 0
    inputs = review_inputs(session, reviews)
    for review, scores in zip(reviews, scorer.score_many(inputs), strict=True):
        store_assessment(session, review, scores, scorer.version)
        done = act_on(session, settings=settings, review=review, scores=scores)
        if done:
            log.info("review %s: %s", review.id, ", ".join(done))
    return len(reviews)


def assess_review_by_id(
    session: Session, *, settings: Settings, scorer: Scorer, review_id: int
) -> bool:
    """The job run for each new review. Already scored by this model: nothing to do (a job
    retried after a worker died must not raise a second flag's worth of risk)."""
    review = session.get(Review, review_id)
    if review is None:
        return False
    existing = session.get(ReviewAssessment, review_id)
    if existing is not None and existing.model_version == scorer.version:
        return False
    assess_reviews(session, settings=settings, scorer=scorer, reviews=[review])
    return True


def assess_unscored(
    session: Session, *, settings: Settings, scorer: Scorer, limit: int = SWEEP_BATCH
) -> int:
    """Score reviews that have no assessment yet, newest first: the safety net behind the
    per-review job (Redis down when the review came in, a worker killed mid-job)."""
    scored = select(ReviewAssessment.review_id).where(ReviewAssessment.review_id == Review.id)
    reviews = session.exec(
        select(Review)
        .where(~scored.exists())
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
    ).all()
    return assess_reviews(session, settings=settings, scorer=scorer, reviews=list(reviews))
