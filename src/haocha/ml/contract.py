"""What goes into and comes out of the review scorer: plain data, no model code, so the
service, the CLI and the training code agree on one shape."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Reason:
    """One human-readable reason for a score, in both languages."""

    code: str  # stable, e.g. "text_level_mismatch"
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class ReviewInput:
    """One review as the scorer sees it. Everything but the text is optional: the CLI gets
    only what a JSON line carries, the service fills in the history from the database."""

    text: str
    level: int | None = None  # 1-5
    # attitude, quality, price, environment
    dimensions: Mapping[str, int] = field(default_factory=dict)
    amount: float | None = None  # yuan spent (or prepaid)
    photos: int = 0
    likes: int = 0
    replied: bool = False
    created_at: datetime | None = None
    verified: bool = False  # made through the provider's QR invitation
    prepaid: bool = False  # the resident ticked "involves a prepaid card"
    resident: str | None = None  # an opaque id; only used to group history
    provider: str | None = None
    # History, as far as the caller knows it (the service reads it from the database).
    author_review_count: int = 0  # the author's earlier reviews, anywhere
    author_good_share: float | None = None  # share of 好评 among them
    same_client_recent: int = 0  # reviews from the same address hash in the last 24 h
    provider_review_count: int = 0


@dataclass(frozen=True, slots=True)
class ReviewScores:
    fake_probability: float
    prepaid_complaint_probability: float
    prepaid_subtype: str | None  # refund_refused, closed_unreachable, transfer_voided,
    # usage_restricted, misleading_sale; None when not a prepaid complaint
    sentiment: float  # probability that the text is positive
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "fake_probability": round(self.fake_probability, 4),
            "prepaid_complaint_probability": round(self.prepaid_complaint_probability, 4),
            "prepaid_subtype": self.prepaid_subtype,
            "sentiment": round(self.sentiment, 4),
            "reasons": [r.as_dict() for r in self.reasons],
        }
