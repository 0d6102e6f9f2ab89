"""Resident reports (举报): a resident tells the regulator about a provider, optionally
naming one of its reviews. Reports about one provider gather in one open resident_report
flag, whose risk grows with the number of distinct residents reporting it."""

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as PydanticField
from sqlmodel import Session, select

from haocha.accounts.models import Resident
from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.core.errors import DomainError
from haocha.core.ratelimit import enforce
from haocha.moderation.flags import open_flag_for, raise_flag
from haocha.moderation.models import FlagKind
from haocha.providers.models import Provider
from haocha.providers.service import get_provider
from haocha.reviews.models import Review

MAX_REPORT_TEXT = 500
# Ten a day is more than any resident with real grievances sends, and too few to push a
# provider up the queue by one person's persistence (distinct reporters count, not reports).
REPORT_LIMIT = (10, 24 * 3600)
KEPT_REPORTS = 50  # the newest reports kept as evidence on one flag

MAX_DB_INT = 2**31 - 1


class ReportReason(StrEnum):
    fake_review = "fake_review"
    prepaid_problem = "prepaid_problem"
    closed_or_unreachable = "closed_or_unreachable"
    other = "other"


# Risk of a first report, by reason: a provider reported closed or unreachable may already
# have left with its customers' prepaid money (跑路), a prepaid problem may be the start of
# it; a fake review harms ratings but no one's savings.
BASE_RISK: dict[ReportReason, float] = {
    ReportReason.closed_or_unreachable: 60,
    ReportReason.prepaid_problem: 50,
    ReportReason.fake_review: 35,
    ReportReason.other: 25,
}
# Each further resident reporting the same provider adds this much: independent reports are
# the strongest signal a resident channel gives.
PER_EXTRA_REPORTER = 10
MAX_REPORT_RISK = 95.0

REASON_TEXT: dict[ReportReason, dict[str, str]] = {
    ReportReason.fake_review: {
        "zh": "居民举报：疑似虚假评价",
        "en": "Resident report: suspected fake review",
    },
    ReportReason.prepaid_problem: {
        "zh": "居民举报：预付卡问题",
        "en": "Resident report: prepaid card problem",
    },
    ReportReason.closed_or_unreachable: {
        "zh": "居民举报：机构停业或联系不上",
        "en": "Resident report: provider closed or unreachable",
    },
    ReportReason.other: {"zh": "居民举报：其他问题", "en": "Resident report: other problem"},
}


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_id: int = PydanticField(ge=1, le=MAX_DB_INT)
    review_id: int | None = PydanticField(default=None, ge=1, le=MAX_DB_INT)
    reason: ReportReason
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_REPORT_TEXT)] = ""


class ReportReceived(BaseModel):
    id: str
    status: Literal["received"] = "received"


class ReportReviewMismatch(DomainError):
    status_code = 422
    message_key = "error.report_review_mismatch"


def report_risk(reasons: set[ReportReason], reporters: int) -> float:
    base = max(BASE_RISK[r] for r in reasons)
    return min(MAX_REPORT_RISK, base + PER_EXTRA_REPORTER * max(0, reporters - 1))


def submit_report(
    session: Session, *, store: KeyValueStore, resident: Resident, data: ReportCreate
) -> str:
    """Record a report in the provider's resident_report flag; return the report's id.

    The resident's id is kept in the flag's evidence only to count distinct reporters
    (`reporter_ids`, never shown); the reasons and report texts carry no reporter."""
    assert resident.id is not None  # noqa: S101 - a loaded resident has an id
    enforce(store, "report-resident", str(resident.id), REPORT_LIMIT)
    provider = get_provider(session, data.provider_id)
    if data.review_id is not None:
        review = session.get(Review, data.review_id)
        if review is None or review.provider_id != provider.id:
            raise ReportReviewMismatch()
    # Lock the provider before reading the flag's evidence: two reports at once must both
    # land in the list and in the count (raise_flag takes the same lock again).
    session.exec(select(Provider.id).where(Provider.id == provider.id).with_for_update()).one()
    flag = open_flag_for(
        session, kind=FlagKind.resident_report, provider_id=provider.id or 0, review_id=None
    )
    evidence = dict(flag.evidence) if flag is not None else {}
    reporters = {int(i) for i in evidence.get("reporter_ids", [])} | {resident.id}
    report_id = uuid.uuid4().hex
    reports = [
        *evidence.get("reports", []),
        {
            "id": report_id,
            "reason": data.reason.value,
            "text": data.text,
            "review_id": data.review_id,
            "at": clock.now().isoformat(),
        },
    ][-KEPT_REPORTS:]
    raise_flag(
        session,
        kind=FlagKind.resident_report,
        provider=provider,
        risk=report_risk({ReportReason(r["reason"]) for r in reports}, len(reporters)),
        reasons=[REASON_TEXT[data.reason]],
        evidence={"reporter_ids": sorted(reporters), "reports": reports},
        source="resident",
    )
    return report_id
