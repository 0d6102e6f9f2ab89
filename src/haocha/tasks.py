"""Background jobs. Each is a plain function over a session; the runners below call them."""

import logging

from sqlmodel import Session

from haocha.accounts.service import purge_expired_codes
from haocha.moderation.cases import escalate_overdue
from haocha.moderation.jobs import flag_overdue_bad_reviews
from haocha.reviews.service import purge_idempotency_records
from haocha.scoring.rebuild import refresh_priors
from haocha.scoring.service import rescore_all

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL_SECONDS = 3600


def purge_expired(session: Session) -> dict[str, int]:
    """Drop expired login codes and idempotency records."""
    purged = {
        "login_codes": purge_expired_codes(session),
        "idempotency_records": purge_idempotency_records(session),
    }
    log.info("purged expired rows: %s", purged)
    return purged


def rescore_daily(session: Session) -> int:
    """Refresh the sector priors and rescore everyone as of today: with no new reviews a
    score still moves, as its reviews age against the prior."""
    refresh_priors(session)
    count = rescore_all(session)
    log.info("rescored %d providers", count)
    return count


def escalate_cases(session: Session) -> int:
    """Escalate open cases past their deadline to a supervisor (audited as "system")."""
    escalated = escalate_overdue(session)
    log.info("escalated %d overdue cases", len(escalated))
    return len(escalated)


def flag_overdue(session: Session) -> int:
    """Put bad reviews left unanswered past their deadline in the regulators' queue."""
    return flag_overdue_bad_reviews(session)
