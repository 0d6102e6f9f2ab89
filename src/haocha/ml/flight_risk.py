"""Flight-risk warning (跑路预警): how likely a provider is to close and leave with its
customers' prepaid money, 0-100, with the reasons that make up the number.

An additive score with documented caps, not a learned model: no public record of which
community-service operators ran off exists to learn from, and a regulator must be able to
read off why a provider is on the list. Every part is non-decreasing in its signal (more
complaints never lower the risk; property-tested). Shown to regulators only."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RiskSignals:
    # Reviews in the last 90 days, and prepaid-card complaints among them (the ML model's
    # judgement, or the resident's own prepaid tick on a 差评); the same for the 90 days before.
    recent_reviews: int = 0
    recent_prepaid_complaints: int = 0
    earlier_reviews: int = 0
    earlier_prepaid_complaints: int = 0
    # Mean level in the last 90 days against the year before it.
    recent_mean: float | None = None
    baseline_mean: float | None = None
    baseline_reviews: int = 0
    overdue_bad_reviews: int = 0  # 差评 past their answer deadline, unanswered
    deep_discount_mentions: int = 0  # reviews (180 days) mentioning ≥ 30% off a card
    closure_reporters: int = 0  # residents reporting it closed or unreachable (90 days)
    closure_texts: int = 0  # reviews the model reads as "closed, unreachable" complaints
    warnings_in_force: int = 0
    blacklisted: bool = False


@dataclass(frozen=True, slots=True)
class RiskPart:
    code: str
    zh: str
    en: str
    points: float

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "points": round(self.points, 1)}


@dataclass(frozen=True, slots=True)
class RiskReading:
    score: float
    parts: tuple[RiskPart, ...] = field(default_factory=tuple)

    def top_reasons(self, n: int = 3) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.parts[:n]]


# The caps say how much each signal can weigh at most; together they exceed 100 on purpose,
# so that two strong signals (say closure reports and a wave of prepaid complaints) reach
# the top of the queue. Closure reports weigh most: they are the event itself.
PREPAID_SHARE_CAP = 30.0
PREPAID_SHARE_FULL = 0.3  # a 30% share of prepaid complaints among recent reviews is the cap
PREPAID_SMOOTHING = 3  # pseudo-reviews, so one complaint among one review is not 100%
PREPAID_RISE_CAP = 10.0
PREPAID_RISE_FULL = 0.2  # share up 20 points against the 90 days before
SCORE_DROP_CAP = 15.0
SCORE_DROP_FULL = 1.5  # levels
MIN_RECENT_FOR_DROP = 3
MIN_BASELINE_FOR_DROP = 5
OVERDUE_POINTS = 5.0
OVERDUE_CAP = 15.0
DISCOUNT_POINTS = 5.0
DISCOUNT_CAP = 10.0
CLOSURE_REPORTER_POINTS = 15.0
CLOSURE_TEXT_POINTS = 10.0
CLOSURE_CAP = 25.0
WARNING_POINTS = 8.0
SANCTION_CAP = 15.0
FLAG_THRESHOLD = 60.0  # at or above: a flight-risk flag in the regulators' queue


def _share(complaints: int, reviews: int) -> float:
    return complaints / (max(reviews, complaints) + PREPAID_SMOOTHING)


def assess(s: RiskSignals) -> RiskReading:
    parts: list[RiskPart] = []

    recent_share = _share(s.recent_prepaid_complaints, s.recent_reviews)
    if s.recent_prepaid_complaints:
        points = PREPAID_SHARE_CAP * min(1.0, recent_share / PREPAID_SHARE_FULL)
        parts.append(
            RiskPart(
                "prepaid_share",
                f"近 90 天预付卡投诉 {s.recent_prepaid_complaints} 条",
                f"{s.recent_prepaid_complaints} prepaid-card complaints in 90 days",
                points,
            )
        )
    rise = recent_share - _share(s.earlier_prepaid_complaints, s.earlier_reviews)
    if s.recent_prepaid_complaints >= 2 and rise > 0:
        parts.append(
            RiskPart(
                "prepaid_rising",
                "预付卡投诉占比上升",
                "Prepaid-card complaints rising",
                PREPAID_RISE_CAP * min(1.0, rise / PREPAID_RISE_FULL),
            )
        )
    if (
        s.recent_mean is not None
        and s.baseline_mean is not None
        and s.recent_reviews >= MIN_RECENT_FOR_DROP
        and s.baseline_reviews >= MIN_BASELINE_FOR_DROP
        and s.baseline_mean > s.recent_mean
    ):
        drop = s.baseline_mean - s.recent_mean
        parts.append(
            RiskPart(
                "score_falling",
                f"评分下降 {drop:.1f} 级",
                f"Ratings down {drop:.1f} levels",
                SCORE_DROP_CAP * min(1.0, drop / SCORE_DROP_FULL),
            )
        )
    if s.overdue_bad_reviews:
        parts.append(
            RiskPart(
                "unanswered_bad_reviews",
                f"{s.overdue_bad_reviews} 条差评逾期未答复",
                f"{s.overdue_bad_reviews} bad reviews unanswered past deadline",
                min(OVERDUE_CAP, OVERDUE_POINTS * s.overdue_bad_reviews),
            )
        )
    if s.deep_discount_mentions:
        parts.append(
            RiskPart(
                "deep_top_up_discounts",
                "评价提到大幅充值优惠",
                "Reviews mention deep top-up discounts",
                min(DISCOUNT_CAP, DISCOUNT_POINTS * s.deep_discount_mentions),
            )
        )
    if s.closure_reporters or s.closure_texts:
        parts.append(
            RiskPart(
                "closure_reports",
                "居民反映停业或联系不上",
                "Residents report it closed or unreachable",
                min(
                    CLOSURE_CAP,
                    CLOSURE_REPORTER_POINTS * s.closure_reporters
                    + CLOSURE_TEXT_POINTS * s.closure_texts,
                ),
            )
        )
    if s.blacklisted or s.warnings_in_force:
        points = SANCTION_CAP if s.blacklisted else WARNING_POINTS * s.warnings_in_force
        parts.append(
            RiskPart(
                "sanctions",
                "已被列入黑名单" if s.blacklisted else "有生效中的消费提示",
                "Blacklisted" if s.blacklisted else "Consumer warning in force",
                min(SANCTION_CAP, points),
            )
        )
    parts.sort(key=lambda p: -p.points)
    score = min(100.0, sum(p.points for p in parts))
    return RiskReading(score=round(score, 1), parts=tuple(parts))
