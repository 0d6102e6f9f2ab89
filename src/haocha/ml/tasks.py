"""The ML jobs, as plain functions over a session and the settings (run by the arq worker,
or in the web process without Redis; see worker.py and dispatch.py)."""

import logging
from datetime import timedelta

from sqlmodel import Session

from haocha.core import clock
from haocha.core.settings import Settings
from haocha.ml.assessments import assess_review_by_id, assess_unscored
from haocha.ml.provider_risk import assess_provider, providers_to_reassess
from haocha.ml.ring_scan import scan_rings
from haocha.ml.scorer import load_scorer
from haocha.providers.models import Provider
from haocha.reviews.models import Review

log = logging.getLogger(__name__)

# The sweep looks back a little further than it runs, so a provider changed while the
# previous sweep was running is not missed.
SWEEP_INTERVAL_SECONDS = 60
SWEEP_LOOKBACK = timedelta(seconds=3 * SWEEP_INTERVAL_SECONDS)


def assess_review_task(session: Session, settings: Settings, review_id: int) -> bool:
    """Score one new review, then its provider's flight risk (the review may be the
    prepaid complaint that tips it)."""
    scorer = load_scorer(settings.ml_model_path)
    scored = assess_review_by_id(session, settings=settings, scorer=scorer, review_id=review_id)
    review = session.get(Review, review_id)
    if review is not None:
        provider = session.get(Provider, review.provider_id)
        if provider is not None:
            assess_provider(session, provider)
    return scored


def sweep_task(session: Session, settings: Settings) -> dict[str, int]:
    """Score reviews the per-review job missed, and re-read the providers that changed."""
    scorer = load_scorer(settings.ml_model_path)
    reviews = assess_unscored(session, settings=settings, scorer=scorer)
    providers = providers_to_reassess(session, clock.now() - SWEEP_LOOKBACK)
    for provider in providers:
        assess_provider(session, provider)
    done = {"reviews": reviews, "providers": len(providers)}
    if reviews or providers:
        log.info("ML sweep: %s", done)
    return done


RING_SCAN_INTERVAL_SECONDS = 600


def scan_rings_task(session: Session, _settings: Settings) -> int:
    """Look for review rings in the last 30 days of reviews."""
    return scan_rings(session)
