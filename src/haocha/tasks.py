"""Background jobs: plain functions over a session and the settings of the process that
runs them (the arq worker, or the web process without Redis; see worker.py)."""

import logging

from sqlmodel import Session

from haocha.accounts.service import purge_expired_codes
from haocha.core.settings import Settings
from haocha.moderation.cases import escalate_overdue
from haocha.moderation.jobs import flag_overdue_bad_reviews
from haocha.opendata.snapshots import write_snapshot
from haocha.reviews.service import purge_idempotency_records
from haocha.scoring.rebuild import refresh_priors
from haocha.scoring.service import rescore_all

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL_SECONDS = 3600


def purge_expired(session: Session, _settings: Settings) -> dict[str, int]:
    """Drop expired login codes and idempotency records."""
    purged = {
        "login_codes": purge_expired_codes(session),
        "idempotency_records": purge_idempotency_records(session),
    }
    log.info("purged expired rows: %s", purged)
    return purged


def rescore_daily(session: Session, _settings: Settings) -> int:
    """Refresh the sector priors and rescore everyone as of today: with no new reviews a
    score still moves, as its reviews age against the prior."""
    refresh_priors(session)
    count = rescore_all(session)
    log.info("rescored %d providers", count)
    return count


def escalate_cases(session: Session, _settings: Settings) -> int:
    """Escalate open cases past their deadline to a supervisor (audited as "system")."""
    escalated = escalate_overdue(session)
    log.info("escalated %d overdue cases", len(escalated))
    return len(escalated)


def flag_overdue(session: Session, settings: Settings) -> int:
    """Put bad reviews left unanswered past their deadline in the regulators' queue."""
    return flag_overdue_bad_reviews(session, working_days=settings.bad_review_answer_working_days)


def snapshot_open_data(session: Session, settings: Settings) -> str:
    """Write today's dated open-data snapshot (kept as it is if it already exists)."""
    path = write_snapshot(
        session, settings.open_data_snapshot_dir, k=settings.open_data_min_reviews
    )
    log.info("open-data snapshot at %s", path)
    return str(path)
