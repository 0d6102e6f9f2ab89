"""The ML module at runtime: assessments stored, flags raised, very likely fakes held out
of the scores until a regulator decides, flight risk read and flagged, rings found, and the
job dispatched after the commit (Redis, or in process when Redis refuses it).

The scorer here is a stand-in with fixed answers per text, so these tests check the
service's decisions; the shipped model is tested in tests/unit/test_ml_scorer.py."""

import time
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import timedelta

import pytest
import redis
from arq.connections import ArqRedis, RedisSettings, create_pool
from sqlmodel import Session, select

from haocha.core import clock
from haocha.core.cache import MemoryStore
from haocha.core.settings import Settings
from haocha.ml import dispatch
from haocha.ml.assessments import assess_review_by_id, assess_reviews, assess_unscored
from haocha.ml.contract import Reason, ReviewInput, ReviewScores
from haocha.ml.flight_risk import FLAG_THRESHOLD
from haocha.ml.models import ProviderRisk, ReviewAssessment
from haocha.ml.provider_risk import assess_provider, gather_signals
from haocha.ml.ring_scan import scan_rings
from haocha.moderation import flags
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.moderation.reports import ReportCreate, ReportReason, submit_report
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.reviews.models import ReviewStatus
from haocha.scoring.service import stats_for
from tests.factories.accounts import make_resident
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

MISMATCH = Reason("text_level_mismatch", "文字与评分不符", "Text and level disagree")
REFUND = Reason(
    "prepaid_refund_refused", "预付卡投诉：拒绝退款", "Prepaid complaint: refund refused"
)


class StandInScorer:
    """Answers by text: {text: (fake, prepaid, subtype)}; anything else is harmless."""

    version = "stand-in-1"

    def __init__(self, answers: dict[str, tuple[float, float, str | None]]) -> None:
        self.answers = answers
        self.seen: list[ReviewInput] = []

    def score_many(self, inputs: Sequence[ReviewInput]) -> list[ReviewScores]:
        self.seen.extend(inputs)
        out = []
        for item in inputs:
            fake, prepaid, subtype = self.answers.get(item.text, (0.05, 0.02, None))
            reasons: tuple[Reason, ...] = (MISMATCH,) if fake >= 0.5 else ()
            if prepaid >= 0.5:
                reasons += (REFUND,)
            out.append(ReviewScores(fake, prepaid, subtype, 0.2, reasons))
        return out


@pytest.fixture
def provider(db: Session) -> Provider:
    return make_provider(db, sells_prepaid=True)


def _flags(db: Session, provider: Provider, kind: FlagKind) -> list[Flag]:
    return list(
        db.exec(select(Flag).where(Flag.provider_id == provider.id, Flag.kind == kind)).all()
    )


def test_a_likely_fake_is_flagged_and_a_near_certain_one_held(
    db: Session, settings: Settings, provider: Provider
) -> None:
    likely = make_review(db, provider, text="likely fake")
    certain = make_review(db, provider, text="certain fake")
    honest = make_review(db, provider, text="honest")
    scorer = StandInScorer({"likely fake": (0.7, 0.0, None), "certain fake": (0.97, 0.0, None)})

    assess_reviews(db, settings=settings, scorer=scorer, reviews=[likely, certain, honest])

    fakes = {f.review_id: f for f in _flags(db, provider, FlagKind.fake_review)}
    assert set(fakes) == {likely.id, certain.id}
    assert fakes[certain.id].risk == 97.0
    assert fakes[certain.id].source == "ml"
    assert fakes[certain.id].reasons == [{"zh": MISMATCH.zh, "en": MISMATCH.en}]
    assert likely.status == ReviewStatus.published
    assert certain.status == ReviewStatus.held
    # The held review has left the counts: two of three reviews count.
    assert stats_for(db, provider.id or 0).total == 2
    stored = db.get(ReviewAssessment, certain.id)
    assert stored is not None
    assert stored.model_version == "stand-in-1"
    assert stored.fake_probability == 0.97


def test_dismissing_a_held_review_publishes_it_again(
    db: Session, settings: Settings, provider: Provider
) -> None:
    review = make_review(db, provider, text="certain fake")
    assess_reviews(
        db,
        settings=settings,
        scorer=StandInScorer({"certain fake": (0.99, 0, None)}),
        reviews=[review],
    )
    inspector = make_regulator(db)
    (flag,) = _flags(db, provider, FlagKind.fake_review)
    flags.dismiss(db, inspector, Scope.of(inspector), flag, note="核实为真实消费")
    assert review.status == ReviewStatus.published
    assert stats_for(db, provider.id or 0).total == 1


def test_confirming_a_held_review_removes_it(
    db: Session, settings: Settings, provider: Provider
) -> None:
    review = make_review(db, provider, text="certain fake")
    assess_reviews(
        db,
        settings=settings,
        scorer=StandInScorer({"certain fake": (0.99, 0, None)}),
        reviews=[review],
    )
    inspector = make_regulator(db)
    (flag,) = _flags(db, provider, FlagKind.fake_review)
    flags.confirm(db, inspector, Scope.of(inspector), flag)
    assert review.status == ReviewStatus.removed
    assert stats_for(db, provider.id or 0).total == 0


def test_a_prepaid_complaint_is_flagged_with_its_subtype(
    db: Session, settings: Settings, provider: Provider
) -> None:
    review = make_review(db, provider, level=1, text="退卡难")
    scorer = StandInScorer({"退卡难": (0.1, 0.93, "refund_refused")})
    assess_reviews(db, settings=settings, scorer=scorer, reviews=[review])
    (flag,) = _flags(db, provider, FlagKind.prepaid_complaint)
    assert flag.review_id == review.id
    assert flag.evidence["prepaid_subtype"] == "refund_refused"
    assert flag.reasons == [{"zh": REFUND.zh, "en": REFUND.en}]
    assert _flags(db, provider, FlagKind.fake_review) == []


def test_demo_reviews_are_scored_but_never_flagged(
    db: Session, settings: Settings, provider: Provider
) -> None:
    review = make_review(db, provider, text="certain fake", source="demo")
    assess_reviews(
        db,
        settings=settings,
        scorer=StandInScorer({"certain fake": (0.99, 0.9, None)}),
        reviews=[review],
    )
    assert db.get(ReviewAssessment, review.id) is not None
    assert review.status == ReviewStatus.published
    assert db.exec(select(Flag).where(Flag.provider_id == provider.id)).all() == []


def test_the_scorer_sees_the_history(db: Session, settings: Settings, provider: Provider) -> None:
    author = make_resident(db)
    for other in (make_provider(db), make_provider(db)):
        make_review(db, other, author, level=5, client_hash="device-1")
    review = make_review(db, provider, author, level=4, client_hash="device-1", prepaid=True)
    scorer = StandInScorer({})
    assess_reviews(db, settings=settings, scorer=scorer, reviews=[review])
    (seen,) = scorer.seen
    assert seen.author_review_count == 2
    assert seen.author_good_share == 1.0
    assert seen.same_client_recent == 2
    assert seen.prepaid is True
    assert seen.level == 4


def test_a_batch_sees_each_review_s_own_history(
    db: Session, settings: Settings, provider: Provider
) -> None:
    """The history is read for the whole batch in three queries; each review still sees only
    what came before it, and only its own address's good reviews of the last 24 hours."""
    now = clock.now()
    author, other_author = make_resident(db), make_resident(db)
    make_review(db, provider, author, level=1, created_at=now - timedelta(days=3))
    make_review(
        db, provider, other_author, level=5, client_hash="nat", created_at=now - timedelta(hours=25)
    )
    make_review(
        db, provider, other_author, level=3, client_hash="nat", created_at=now - timedelta(hours=2)
    )
    make_review(
        db, provider, other_author, level=4, client_hash="nat", created_at=now - timedelta(hours=1)
    )
    first = make_review(
        db, provider, author, level=5, client_hash="nat", created_at=now - timedelta(minutes=30)
    )
    second = make_review(db, provider, author, level=5, client_hash="nat", created_at=now)
    lone = make_review(db, make_provider(db), level=2, created_at=now)
    scorer = StandInScorer({})
    assess_reviews(db, settings=settings, scorer=scorer, reviews=[second, lone, first])
    later, alone, earlier = scorer.seen
    assert (earlier.author_review_count, earlier.author_good_share) == (1, 0.0)
    assert (later.author_review_count, later.author_good_share) == (2, 0.5)
    # The 25-hour-old review is outside the window and the level-3 one is not a 好评.
    assert (earlier.same_client_recent, later.same_client_recent) == (1, 2)
    assert (earlier.provider_review_count, later.provider_review_count) == (4, 5)
    assert (alone.author_review_count, alone.author_good_share) == (0, None)
    assert (alone.same_client_recent, alone.provider_review_count) == (0, 0)


def test_a_retried_job_does_not_score_twice_and_the_sweep_catches_missed_reviews(
    db: Session, settings: Settings, provider: Provider
) -> None:
    first, missed = make_review(db, provider, text="a"), make_review(db, provider, text="b")
    scorer = StandInScorer({})
    assert assess_review_by_id(db, settings=settings, scorer=scorer, review_id=first.id or 0)
    assert not assess_review_by_id(db, settings=settings, scorer=scorer, review_id=first.id or 0)
    assert assess_unscored(db, settings=settings, scorer=scorer) >= 1
    assert db.get(ReviewAssessment, missed.id) is not None
    assert [s.text for s in scorer.seen].count("a") == 1


def test_flight_risk_rises_with_complaints_and_closure_reports(
    db: Session, settings: Settings, provider: Provider
) -> None:
    calm = assess_provider(db, provider)
    assert calm.score == 0
    for text in ("退卡难1", "退卡难2", "退卡难3", "老板跑路了，充一千送一千的卡作废"):
        make_review(db, provider, level=1, text=text)
    scorer = StandInScorer(
        dict.fromkeys(("退卡难1", "退卡难2", "退卡难3"), (0.1, 0.9, "closed_unreachable"))
    )
    assess_unscored(db, settings=settings, scorer=scorer)
    for _ in range(2):
        submit_report(
            db,
            store=MemoryStore(),
            resident=make_resident(db),
            data=ReportCreate(
                provider_id=provider.id or 0, reason=ReportReason.closed_or_unreachable
            ),
        )
    signals = gather_signals(db, provider.id or 0)
    assert signals.recent_prepaid_complaints >= 3
    assert signals.deep_discount_mentions == 1
    assert signals.closure_reporters == 2
    assert signals.closure_texts == 3
    risk = assess_provider(db, provider)
    assert risk.score >= FLAG_THRESHOLD
    assert {p["code"] for p in risk.reasons} >= {
        "prepaid_share",
        "closure_reports",
        "deep_top_up_discounts",
    }
    (flag,) = _flags(db, provider, FlagKind.flight_risk)
    assert flag.risk == risk.score
    assert db.get(ProviderRisk, provider.id) is risk


def test_a_copied_text_burst_is_one_ring_flag(db: Session, provider: Provider) -> None:
    start = clock.now() - timedelta(hours=2)
    template = "这家养老院服务特别周到，护工阿姨非常耐心细致，饭菜可口，强烈推荐给大家！"
    ring = []
    for i in range(8):
        review = make_review(
            db, provider, level=5, text=template.replace("强烈", "强烈" * (i % 2 + 1))
        )
        review.created_at = start + timedelta(minutes=5 * i)
        ring.append(review)
    honest = make_review(db, make_provider(db), level=5, text="环境一般，价格还可以。")
    db.flush()
    assert scan_rings(db) == 1
    (flag,) = _flags(db, provider, FlagKind.review_ring)
    assert flag.review_id == ring[0].id
    assert set(flag.evidence["review_ids"]) == {r.id for r in ring}
    assert honest.id not in flag.evidence["review_ids"]
    # Found again on the next run: the same flag, not a second one.
    scan_rings(db)
    assert len(_flags(db, provider, FlagKind.review_ring)) == 1


def test_dispatch_queues_the_job_on_redis(settings: Settings) -> None:
    if not settings.redis_url:
        pytest.skip("the SQLite pass runs without Redis")
    queued = settings.model_copy(update={"ml_dispatch": True})
    review_id, created_at = 987_654_321, clock.now()
    dispatch.dispatch_review(queued, review_id, created_at)
    client = redis.Redis.from_url(settings.redis_url)
    job = dispatch.job_id(review_id, created_at)
    job_key = f"arq:job:{job}"
    for _ in range(50):
        if client.exists(job_key):
            break
        time.sleep(0.05)
    try:
        assert client.exists(job_key)
        assert client.zscore("arq:queue", job) is not None
    finally:
        client.delete(job_key)
        client.zrem("arq:queue", job)
        client.close()
        dispatch.close_enqueuers()


def test_concurrent_enqueues_share_one_pool_and_close_cleanly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reviews posted together must not each open an arq pool (all but one leaked, and a
    leaked connection fails the run as an unclosed-resource warning)."""
    if not settings.redis_url:
        pytest.skip("the SQLite pass runs without Redis")
    opened: list[object] = []

    async def counting_pool(redis_settings: RedisSettings) -> ArqRedis:
        pool = await create_pool(redis_settings)
        opened.append(pool)
        return pool

    monkeypatch.setattr(dispatch, "create_pool", counting_pool)
    enqueuer = dispatch.ArqEnqueuer(settings.redis_url)
    jobs = [f"test-concurrent:{i}:{time.time_ns()}" for i in range(8)]
    client = redis.Redis.from_url(settings.redis_url)
    try:
        futures = [enqueuer.submit("no_such_job", job_id=job) for job in jobs]
        for future in futures:
            future.result(timeout=10)
        assert len(opened) == 1
        enqueuer.close()
        # After close a job is refused at once, so the caller's fallback takes it.
        with pytest.raises(RuntimeError, match="closed"):
            enqueuer.submit("no_such_job", job_id="after-close").result(timeout=1)
    finally:
        enqueuer.close()  # a second close does nothing
        for job in jobs:
            client.delete(f"arq:job:{job}")
            client.zrem("arq:queue", job)
        client.close()


def test_dispatch_falls_back_to_this_process_when_redis_refuses(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[int] = []

    def run_here(_settings: Settings, review_id: int) -> Future[object]:
        ran.append(review_id)
        done: Future[object] = Future()
        done.set_result(True)
        return done

    monkeypatch.setattr(dispatch, "run_locally", run_here)
    unreachable = settings.model_copy(
        update={"ml_dispatch": True, "redis_url": "redis://127.0.0.1:1/0"}
    )
    try:
        dispatch.dispatch_review(unreachable, 42, clock.now())
        for _ in range(100):
            if ran:
                break
            time.sleep(0.05)
        assert ran == [42]
    finally:
        dispatch.close_enqueuers()


def test_confirming_a_ring_removes_all_its_reviews(db: Session, provider: Provider) -> None:
    start = clock.now() - timedelta(hours=3)
    template = "这家健身房教练专业，器械齐全，环境干净整洁，性价比很高，推荐办卡！"
    ring = []
    for i in range(6):
        review = make_review(db, provider, level=5, text=template + "!" * i)
        review.created_at = start + timedelta(minutes=7 * i)
        ring.append(review)
    db.flush()
    scan_rings(db)
    (flag,) = _flags(db, provider, FlagKind.review_ring)
    inspector = make_regulator(db)
    flags.confirm(db, inspector, Scope.of(inspector), flag)
    assert {r.status for r in ring} == {ReviewStatus.removed}
    assert stats_for(db, provider.id or 0).total == 0
    assert flag.status == FlagStatus.confirmed


def test_a_bad_review_is_flagged_only_when_very_likely_and_never_held(
    db: Session, settings: Settings, provider: Provider
) -> None:
    doubtful = make_review(db, provider, level=1, text="likely fake complaint")
    very = make_review(db, provider, level=2, text="near-certain fake complaint")
    scorer = StandInScorer(
        {"likely fake complaint": (0.7, 0, None), "near-certain fake complaint": (0.97, 0, None)}
    )
    assess_reviews(db, settings=settings, scorer=scorer, reviews=[doubtful, very])
    assert [f.review_id for f in _flags(db, provider, FlagKind.fake_review)] == [very.id]
    assert very.status == ReviewStatus.published  # the regulator decides; it keeps counting
