"""The regulator's side as services: queue and scope, decisions, cases, sanctions, resident
reports, the overdue job, and the tamper-evident audit log."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import JSON, bindparam, text
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from haocha.accounts.models import Regulator, RegulatorRole
from haocha.core import clock
from haocha.moderation import audit, audit_cli, cases, flags, sanctions
from haocha.moderation.calendar import add_working_days
from haocha.moderation.jobs import flag_overdue_bad_reviews
from haocha.moderation.models import (
    AuditEntry,
    Case,
    CaseStatus,
    Flag,
    FlagKind,
    FlagStatus,
    SanctionKind,
)
from haocha.moderation.reports import BASE_RISK, PER_EXTRA_REPORTER, ReportReason
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.providers.service import ProviderNotFound
from haocha.reviews.models import Review, ReviewStatus
from haocha.scoring.service import stats_for
from tests.api.conftest import login
from tests.factories.accounts import make_resident
from tests.factories.moderation import make_case, make_flag, make_sanction
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

REASON = [{"zh": "文字与评分不符", "en": "Text and level disagree"}]


def _set_clock(when: datetime) -> None:
    clock.advance(when - clock.now())


def _china(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=clock.CHINA_TZ)


@pytest.fixture
def inspector(db: Session) -> Regulator:
    return make_regulator(db)  # elderly_care in 310101


@pytest.fixture
def scope(inspector: Regulator) -> Scope:
    return Scope.of(inspector)


@pytest.fixture
def provider(db: Session) -> Provider:
    return make_provider(db)


# --- the queue ---------------------------------------------------------------------------


def test_flags_outside_the_scope_are_invisible(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    mine = make_flag(db, provider)
    other_sector = make_flag(db, make_provider(db, sector_code="childcare"), risk=99)
    other_district = make_flag(db, make_provider(db, district_code="310104"), risk=99)

    items, total = flags.queue(db, scope)
    assert [f.id for f in items] == [mine.id]
    assert total == 1
    assert flags.get_flag(db, scope, mine.id or 0).id == mine.id
    for hidden in (other_sector, other_district):
        with pytest.raises(flags.FlagNotFound) as missing:
            flags.get_flag(db, scope, hidden.id or 0)
        # Out of scope reads exactly like a flag that does not exist.
        with pytest.raises(flags.FlagNotFound) as absent:
            flags.get_flag(db, scope, 10**9)
        assert missing.value.message_key == absent.value.message_key
        assert missing.value.status_code == 404
        with pytest.raises(flags.FlagNotFound):
            flags.dismiss(db, inspector, scope, hidden)
    admin = Scope.of(make_regulator(db, role=RegulatorRole.admin, sectors=(), districts=()))
    assert flags.queue(db, admin, kinds=[FlagKind.fake_review])[1] >= 3


def test_queue_order_and_filters(db: Session, scope: Scope, provider: Provider) -> None:
    now = clock.now()
    low = make_flag(db, provider, risk=30)
    high_new = make_flag(db, provider, risk=80, created_at=now - timedelta(hours=1))
    high_old = make_flag(
        db, provider, risk=80, kind=FlagKind.resident_report, created_at=now - timedelta(days=9)
    )
    make_flag(db, provider, risk=95, status=FlagStatus.dismissed)

    items, total = flags.queue(db, scope)
    assert [f.id for f in items] == [high_old.id, high_new.id, low.id]  # risk, then oldest
    assert total == 3
    page, total = flags.queue(db, scope, limit=1, offset=1)
    assert [f.id for f in page] == [high_new.id]
    assert total == 3
    assert [f.id for f in flags.queue(db, scope, kinds=[FlagKind.resident_report])[0]] == [
        high_old.id
    ]
    assert [f.id for f in flags.queue(db, scope, max_age_days=7)[0]] == [high_new.id, low.id]
    assert flags.queue(db, scope, district="310104")[1] == 0
    assert flags.queue(db, scope, sector="elderly_care")[1] == 3
    assert flags.queue(db, scope, status=None)[1] == 4


def test_a_second_signal_strengthens_the_open_flag(db: Session, provider: Provider) -> None:
    review = make_review(db, provider)
    first = flags.raise_flag(
        db,
        kind=FlagKind.fake_review,
        provider=provider,
        review=review,
        risk=40,
        reasons=REASON,
        evidence={"a": 1},
        source="test",
    )
    again = flags.raise_flag(
        db,
        kind=FlagKind.fake_review,
        provider=provider,
        review=review,
        risk=70,
        reasons=[*REASON, {"zh": "同一地址多人评价", "en": "Many residents, one address"}],
        evidence={"b": 2},
        source="test",
    )
    weaker = flags.raise_flag(
        db,
        kind=FlagKind.fake_review,
        provider=provider,
        review=review,
        risk=10,
        reasons=REASON,
        source="test",
    )
    assert first.id == again.id == weaker.id
    assert weaker.risk == 70
    assert len(weaker.reasons) == 2
    assert weaker.evidence == {"a": 1, "b": 2}
    count = db.exec(select(Flag).where(Flag.provider_id == provider.id)).all()
    assert len(count) == 1

    # Another target is another flag; a decided flag is not reopened by a new signal.
    provider_level = flags.raise_flag(
        db, kind=FlagKind.fake_review, provider=provider, risk=5, reasons=REASON, source="t"
    )
    assert provider_level.id != first.id
    inspector = make_regulator(db)
    flags.dismiss(db, inspector, Scope.of(inspector), first)
    fresh = flags.raise_flag(
        db,
        kind=FlagKind.fake_review,
        provider=provider,
        review=review,
        risk=20,
        reasons=REASON,
        source="t",
    )
    assert fresh.id not in (first.id, provider_level.id)
    assert fresh.risk == 20


# --- decisions ---------------------------------------------------------------------------


def test_confirming_a_fake_review_takes_it_out_of_the_scores(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    for _ in range(3):
        make_review(db, provider, level=2)
    honest = stats_for(db, provider.id or 0)
    honest_score, honest_total = honest.score, honest.total
    fake = make_review(db, provider, level=5, text="特别好！！！")
    assert stats_for(db, provider.id or 0).score != pytest.approx(honest_score)
    flag = make_flag(db, provider, review=fake)

    decided = flags.confirm(db, inspector, scope, flag, note="同一设备批量好评")

    assert decided.status == FlagStatus.confirmed
    assert decided.decided_by == inspector.id
    assert decided.decided_at is not None
    assert decided.decision_note == "同一设备批量好评"
    assert fake.status == ReviewStatus.removed
    after = stats_for(db, provider.id or 0)
    assert after.total == honest_total
    assert after.score == pytest.approx(honest_score)
    [entry] = audit.entries_for(db, "flag", flag.id)
    assert entry.action == "flag.confirm"
    assert entry.actor == inspector.username
    assert entry.before == {
        "status": "open",
        "risk": 50.0,
        "decided_by": None,
        "decision_note": "",
        "review_status": "published",
    }
    assert entry.after is not None
    assert entry.after["status"] == "confirmed"
    assert entry.after["review_status"] == "removed"


def test_dismiss_keeps_the_review_and_a_flag_is_decided_once(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    review = make_review(db, provider)
    flag = make_flag(db, provider, review=review)
    flags.dismiss(db, inspector, scope, flag, note="核实为真实消费")
    assert flag.status == FlagStatus.dismissed
    assert review.status == ReviewStatus.published
    with pytest.raises(flags.FlagDecided) as twice:
        flags.confirm(db, inspector, scope, flag)
    assert twice.value.status_code == 409
    with pytest.raises(flags.FlagDecided):
        flags.dismiss(db, inspector, scope, flag)
    assert review.status == ReviewStatus.published
    with pytest.raises(flags.NoteTooLong):
        flags.dismiss(db, inspector, scope, make_flag(db, provider), note="长" * 1001)


def test_confirming_a_provider_level_flag_removes_no_review(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    review = make_review(db, provider)
    flag = make_flag(
        db,
        provider,
        kind=FlagKind.prepaid_complaint,
        evidence={"review_ids": [review.id]},
    )
    flags.confirm(db, inspector, scope, flag)
    assert flag.status == FlagStatus.confirmed
    assert review.status == ReviewStatus.published


def test_evidence_shows_texts_related_accounts_and_timeline_without_identities(
    db: Session, provider: Provider
) -> None:
    author = make_resident(db)
    elsewhere = make_provider(db)
    make_review(db, elsewhere, author, level=5)
    make_review(db, make_provider(db), author, level=5)
    flagged = make_review(db, provider, author, level=5, text="五星好评", client_hash="h-1")
    neighbour = make_review(db, provider, level=5, client_hash="h-1")
    make_review(db, provider, level=3, client_hash="h-2")
    flag = make_flag(db, provider, review=flagged, evidence={"reporter_ids": [author.id]})

    evidence = flags.flag_evidence(db, flag)

    assert evidence["reasons"] == flag.reasons
    [shown] = evidence["reviews"]
    assert shown["text"] == "五星好评"
    assert shown["author_other_reviews"] == {
        "total": 2,
        "providers": 2,
        "this_provider": 0,
        "removed": 0,
    }
    assert shown["same_address_here"]["reviews"] == 1
    assert shown["same_address_here"]["residents"] == 1
    assert [r["id"] for r in shown["same_address_here"]["listed"]] == [neighbour.id]
    assert len(evidence["timeline"]) == 12
    assert evidence["timeline"][-1]["count"] == 3
    assert evidence["reporters"] == 1
    dumped = json.dumps(evidence, ensure_ascii=False)
    for secret in ("phone_hash", "resident_id", "reporter_ids", "client_hash", "h-1"):
        assert secret not in dumped
    assert author.phone_hash not in dumped


# --- cases -------------------------------------------------------------------------------


def test_opening_a_case_from_a_flag_and_working_it(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    flag = make_flag(db, provider)
    colleague = make_regulator(db)
    case = cases.open_case(
        db,
        inspector,
        scope,
        provider=provider,
        kind=FlagKind.fake_review,
        title="疑似刷单",
        flag=flag,
        assignee=colleague,
    )
    assert case.deadline == add_working_days(clock.today_local(), 10)
    assert case.assignee_id == colleague.id
    assert case.flag_id == flag.id
    assert flag.status == FlagStatus.case_opened
    with pytest.raises(flags.FlagDecided):
        cases.open_case(
            db, inspector, scope, provider=provider, kind=FlagKind.fake_review, title="x", flag=flag
        )

    outsider = make_regulator(db, districts=("310104",))
    with pytest.raises(cases.AssigneeOutOfScope):
        cases.assign(db, inspector, scope, case, outsider)
    with pytest.raises(cases.CaseTransitionRefused) as skipped:
        cases.set_status(db, inspector, scope, case, CaseStatus.resolved)
    assert skipped.value.status_code == 409
    cases.set_status(db, inspector, scope, case, CaseStatus.investigating)
    note = cases.add_note(db, inspector, scope, case, "已约谈机构负责人")
    cases.set_status(db, inspector, scope, case, CaseStatus.resolved)
    for later in (CaseStatus.investigating, CaseStatus.closed, CaseStatus.open):
        with pytest.raises(cases.CaseTransitionRefused):
            cases.set_status(db, inspector, scope, case, later)
    with pytest.raises(cases.CaseFinished):
        cases.assign(db, inspector, scope, case, inspector)
    assert [n.id for n in cases.case_notes(db, scope, case)] == [note.id]

    actions = [e.action for e in audit.entries_for(db, "case", case.id)]
    assert actions == ["case.open", "case.status", "case.note", "case.status"]
    [flag_entry] = audit.entries_for(db, "flag", flag.id)
    assert flag_entry.after is not None
    assert flag_entry.after["case_id"] == case.id


def test_case_rules(db: Session, inspector: Regulator, scope: Scope, provider: Provider) -> None:
    def open_(**extra: Any) -> Case:
        options: dict[str, Any] = {
            "provider": provider,
            "kind": FlagKind.resident_report,
            "title": "居民举报",
            **extra,
        }
        return cases.open_case(db, inspector, scope, **options)

    with pytest.raises(ProviderNotFound):
        open_(provider=make_provider(db, sector_code="fitness"))
    with pytest.raises(cases.CaseTitleInvalid):
        open_(title="  ")
    with pytest.raises(cases.CaseDeadlineInvalid):
        open_(working_days=0)
    with pytest.raises(cases.FlagProviderMismatch):
        open_(flag=make_flag(db, make_provider(db)))
    with pytest.raises(cases.CaseNotFound):
        cases.get_case(
            db, scope, make_case(db, make_provider(db, district_code="310104"), inspector).id or 0
        )
    plain = open_()
    assert plain.deadline == add_working_days(clock.today_local(), cases.OTHER_WORKING_DAYS)
    cases.set_status(db, inspector, scope, plain, CaseStatus.closed)  # open → closed is allowed
    with pytest.raises(flags.NoteEmpty):
        cases.add_note(db, inspector, scope, plain, " ")


def test_case_deadline_skips_the_golden_week(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    _set_clock(_china(2025, 9, 30))
    case = cases.open_case(
        db, inspector, scope, provider=provider, kind=FlagKind.flight_risk, title="疑似跑路"
    )
    # 9, 10, 11 (a make-up Saturday), 13, 14 October: 1-8 October are the holiday.
    assert case.deadline == date(2025, 10, 14)


def test_overdue_cases_escalate_to_a_supervisor_who_covers_them(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    make_regulator(db, role=RegulatorRole.supervisor, districts=("310104",))
    boss = make_regulator(db, role=RegulatorRole.supervisor)
    case = cases.open_case(
        db, inspector, scope, provider=provider, kind=FlagKind.flight_risk, title="t"
    )
    case.assignee_id = inspector.id
    finished = make_case(db, provider, inspector, status=CaseStatus.resolved)
    finished.deadline = clock.today_local() - timedelta(days=30)
    assert cases.escalate_overdue(db) == []
    assert cases.cases(db, scope, overdue_only=True)[1] == 0

    clock.advance(timedelta(days=(case.deadline - clock.today_local()).days + 1))
    assert cases.cases(db, scope, overdue_only=True)[0] == [case]
    escalated = cases.escalate_overdue(db)

    assert escalated == [case]
    assert case.escalated
    assert case.assignee_id == boss.id
    entry = audit.entries_for(db, "case", case.id)[-1]
    assert (entry.action, entry.actor, entry.actor_id) == ("case.escalate", "system", None)
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["assignee_id"], entry.after["assignee_id"]) == (inspector.id, boss.id)
    assert cases.escalate_overdue(db) == []  # once only
    assert not finished.escalated


def test_case_list_is_scoped(db: Session, inspector: Regulator, scope: Scope) -> None:
    mine = make_case(db, make_provider(db), inspector)
    make_case(db, make_provider(db, sector_code="beauty"), inspector)
    items, total = cases.cases(db, scope)
    assert [c.id for c in items] == [mine.id]
    assert total == 1
    assert cases.cases(db, scope, status=CaseStatus.closed)[1] == 0


# --- sanctions ---------------------------------------------------------------------------


def test_warnings_and_blacklist_entries(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    today = clock.today_local()
    warning = sanctions.publish_warning(
        db,
        inspector,
        scope,
        provider=provider,
        text="  该机构预付卡退费纠纷较多，请谨慎充值。 ",
        starts_on=today,
    )
    assert warning.text == "该机构预付卡退费纠纷较多，请谨慎充值。"
    supervisor = make_regulator(db, role=RegulatorRole.supervisor)
    with pytest.raises(sanctions.BlacklistRoleRequired):
        sanctions.publish_blacklist(
            db,
            inspector,
            scope,
            provider=provider,
            reason="失联",
            legal_basis="《单用途商业预付卡管理办法（试行）》第三十九条",
            starts_on=today,
            ends_on=None,
        )
    listed = sanctions.publish_blacklist(
        db,
        supervisor,
        Scope.of(supervisor),
        provider=provider,
        reason="收取预付款后停业失联",
        legal_basis="《单用途商业预付卡管理办法（试行）》第三十九条",
        starts_on=today,
        ends_on=today + timedelta(days=365),
    )
    assert [s.id for s in sanctions.active_sanctions(db, provider.id or 0)] == [
        listed.id,
        warning.id,
    ]
    assert sanctions.sanctions_for(db, scope, provider_id=provider.id)[1] == 2
    hidden = Scope.of(make_regulator(db, sectors=("beauty",)))
    assert sanctions.sanctions_for(db, hidden)[1] == 0
    with pytest.raises(sanctions.SanctionNotFound):
        sanctions.get_sanction(db, hidden, listed.id or 0)

    with pytest.raises(sanctions.BlacklistRoleRequired) as refused:
        sanctions.lift(db, inspector, scope, listed, "已退款")
    assert refused.value.status_code == 403
    sanctions.lift(db, supervisor, Scope.of(supervisor), listed, "已全额退款并恢复经营")
    sanctions.lift(db, inspector, scope, warning, "纠纷已处理")  # a warning: any inspector
    assert listed.lifted_by == supervisor.id
    assert sanctions.active_sanctions(db, provider.id or 0) == []
    with pytest.raises(sanctions.SanctionLifted) as again:
        sanctions.lift(db, inspector, scope, warning, "再次撤销")
    assert again.value.status_code == 409
    actions = [e.action for e in audit.entries_for(db, "sanction", listed.id)]
    assert actions == ["sanction.publish_blacklist", "sanction.lift"]


def test_sanction_validation(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> None:
    today = clock.today_local()
    with pytest.raises(sanctions.SanctionTextInvalid):
        sanctions.publish_warning(
            db, inspector, scope, provider=provider, text=" ", starts_on=today
        )
    with pytest.raises(sanctions.SanctionDatesInvalid):
        sanctions.publish_warning(
            db,
            inspector,
            scope,
            provider=provider,
            text="提示",
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    supervisor = make_regulator(db, role=RegulatorRole.supervisor)
    with pytest.raises(sanctions.LegalBasisRequired):
        sanctions.publish_blacklist(
            db,
            supervisor,
            Scope.of(supervisor),
            provider=provider,
            reason="失联",
            legal_basis="",
            starts_on=today,
            ends_on=None,
        )
    with pytest.raises(ProviderNotFound):
        sanctions.publish_warning(
            db,
            inspector,
            scope,
            provider=make_provider(db, district_code="310104"),
            text="提示",
            starts_on=today,
        )
    other_case = make_case(db, make_provider(db), inspector)
    with pytest.raises(sanctions.CaseProviderMismatch):
        sanctions.publish_warning(
            db, inspector, scope, provider=provider, text="提示", starts_on=today, case=other_case
        )
    with pytest.raises(sanctions.LiftReasonRequired):
        sanctions.lift(db, inspector, scope, make_sanction(db, provider, inspector), "")


def test_only_sanctions_in_force_are_active(
    db: Session, inspector: Regulator, provider: Provider
) -> None:
    day = date(2026, 3, 1)
    current = make_sanction(db, provider, inspector, starts_on=day, ends_on=day)
    make_sanction(db, provider, inspector, starts_on=day + timedelta(days=1))  # not yet
    make_sanction(
        db, provider, inspector, starts_on=day - timedelta(days=9), ends_on=day - timedelta(days=1)
    )
    lifted = make_sanction(db, provider, inspector, kind=SanctionKind.blacklist, starts_on=day)
    lifted.lifted_at = clock.now()
    assert [s.id for s in sanctions.active_sanctions(db, provider.id or 0, today=day)] == [
        current.id
    ]


# --- resident reports --------------------------------------------------------------------


def _report_flag(db: Session, provider: Provider) -> Flag:
    return db.exec(
        select(Flag).where(Flag.provider_id == provider.id, Flag.kind == FlagKind.resident_report)
    ).one()


def test_resident_reports_raise_one_flag_whose_risk_grows_with_reporters(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    provider = make_provider(db, sector_code="fitness", sells_prepaid=True)
    review = make_review(db, provider, level=1)
    first = login(client, outbox, "13800000001")
    body = {"provider_id": provider.id, "reason": "prepaid_problem", "text": "办卡后不给退款"}
    created = client.post("/api/v1/reports", json=body, headers=first)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "received"
    assert created.json()["id"]
    flag = _report_flag(db, provider)
    base = BASE_RISK[ReportReason.prepaid_problem]
    assert flag.risk == base
    assert (flag.sector_code, flag.district_code) == ("fitness", provider.district_code)

    # The same resident again: no more risk. Another resident: more.
    again = {**body, "reason": "fake_review", "review_id": review.id}
    assert client.post("/api/v1/reports", json=again, headers=first).status_code == 201
    db.refresh(flag)
    assert flag.risk == base
    second = login(client, outbox, "13800000002")
    assert client.post("/api/v1/reports", json=body, headers=second).status_code == 201
    db.refresh(flag)
    assert flag.risk == base + PER_EXTRA_REPORTER
    assert db.exec(select(Flag).where(Flag.provider_id == provider.id)).all() == [flag]
    assert len(flag.reasons) == 2
    assert "13800000001" not in json.dumps(flag.reasons, ensure_ascii=False)

    evidence = flags.flag_evidence(db, flag)
    assert evidence["reporters"] == 2
    assert [r["text"] for r in evidence["reports"]] == ["办卡后不给退款"] * 3
    assert [r["id"] for r in evidence["reviews"]] == [review.id]
    assert "reporter_ids" not in json.dumps(evidence)


def test_report_validation_and_limits(client: httpx.Client, outbox: Path, db: Session) -> None:
    provider = make_provider(db)
    other_review = make_review(db, make_provider(db))
    body = {"provider_id": provider.id, "reason": "other", "text": "电话一直打不通"}
    # A refused request rolls the shared session back to its last commit (a savepoint,
    # still undone after the test): the providers must outlive the refusals below.
    db.commit()
    assert client.post("/api/v1/reports", json=body).status_code == 401
    headers = login(client, outbox)

    bad_reason = client.post("/api/v1/reports", json={**body, "reason": "revenge"}, headers=headers)
    assert bad_reason.status_code == 422
    assert "举报原因" in bad_reason.json()["detail"]
    too_long = client.post("/api/v1/reports", json={**body, "text": "长" * 501}, headers=headers)
    assert too_long.status_code == 422
    assert "不能超过 500 个字" in too_long.json()["detail"]
    mismatch = client.post(
        "/api/v1/reports", json={**body, "review_id": other_review.id}, headers=headers
    )
    assert mismatch.status_code == 422, mismatch.text
    assert mismatch.json()["detail"] == "该评价不存在或不属于这家服务机构。"
    missing = client.post("/api/v1/reports", json={**body, "provider_id": 10**8}, headers=headers)
    assert missing.status_code == 404

    # Ten a day in all, then 429. Refused reports count (the last two above), malformed
    # bodies do not: they never reach the service.
    statuses = [
        client.post("/api/v1/reports", json=body, headers=headers).status_code for _ in range(10)
    ]
    assert statuses == [201] * 8 + [429] * 2


# --- the overdue job ---------------------------------------------------------------------


def test_bad_reviews_unanswered_past_their_deadline_are_flagged(
    db: Session, provider: Provider, inspector: Regulator, scope: Scope
) -> None:
    def bad(posted: datetime, **extra: Any) -> Review:
        return make_review(db, provider, level=1, created_at=posted.astimezone(UTC), **extra)

    due_fri = bad(_china(2025, 10, 14))  # due Friday 17 October
    due_thu = bad(_china(2025, 10, 13))  # due Thursday 16 October
    golden = bad(_china(2025, 9, 30, 23))  # due 11 October (holiday, then a make-up Saturday)
    bad(_china(2025, 10, 16))  # due Tuesday 21 October: not yet
    bad(_china(2025, 9, 1), source="demo")  # demo data never reaches the queue
    bad(_china(2025, 9, 1), status=ReviewStatus.removed)
    make_review(db, provider, level=3, created_at=_china(2025, 9, 1))  # not a bad review
    _set_clock(_china(2025, 10, 20))  # a Monday

    assert flag_overdue_bad_reviews(db) == 3
    raised = {
        f.review_id: f
        for f in db.exec(select(Flag).where(Flag.kind == FlagKind.overdue_bad_review)).all()
    }
    assert set(raised) == {due_fri.id, due_thu.id, golden.id}
    assert raised[due_fri.id].risk == 40  # one working day late
    assert raised[due_thu.id].risk == 50
    assert raised[golden.id].risk == 90  # six working days late: the cap
    assert raised[due_fri.id].evidence == {"due": "2025-10-17", "working_days_overdue": 1}
    assert raised[golden.id].source == "deadline"

    # Next working day: no new flags, but open ones grow; a dismissed one is not raised again.
    flags.dismiss(db, inspector, scope, raised[due_thu.id])
    _set_clock(_china(2025, 10, 21))
    assert flag_overdue_bad_reviews(db) == 0  # the review due today is not late yet
    db.expire_all()
    assert raised[due_fri.id].risk == 50
    assert raised[due_thu.id].status == FlagStatus.dismissed
    count = db.exec(select(Flag).where(Flag.kind == FlagKind.overdue_bad_review)).all()
    assert len(count) == 3


# --- the audit log -----------------------------------------------------------------------


@pytest.fixture
def actions(
    db: Session, inspector: Regulator, scope: Scope, provider: Provider
) -> list[AuditEntry]:
    """A morning's work in the console: six audited actions."""
    assert audit.verify(db).ok
    start = audit.count(db)
    flags.confirm(db, inspector, scope, make_flag(db, provider, review=make_review(db, provider)))
    flags.dismiss(db, inspector, scope, make_flag(db, provider))
    case = cases.open_case(
        db, inspector, scope, provider=provider, kind=FlagKind.fake_review, title="刷单"
    )
    cases.set_status(db, inspector, scope, case, CaseStatus.investigating)
    warning = sanctions.publish_warning(
        db, inspector, scope, provider=provider, text="提示", starts_on=clock.today_local()
    )
    sanctions.lift(db, inspector, scope, warning, "已整改")
    entries = db.exec(
        select(AuditEntry).where(col(AuditEntry.seq) > start).order_by(col(AuditEntry.seq))
    ).all()
    assert len(entries) == 6
    return list(entries)


def test_audit_chain_verifies_and_names_an_edited_entry(
    db: Session, actions: list[AuditEntry]
) -> None:
    result = audit.verify(db)
    assert result.ok
    assert result.head == actions[-1].hash

    target = actions[2].seq
    db.execute(
        text('UPDATE audit_entry SET "after" = :after WHERE seq = :seq').bindparams(
            bindparam("after", type_=JSON)
        ),
        {"after": {"status": "dismissed", "note": "nothing to see"}, "seq": target},
    )
    db.expire_all()  # read the row as another process would
    broken = audit.verify(db)
    assert not broken.ok
    assert broken.broken_seq == target
    assert "changed" in broken.problem


def test_audit_chain_names_a_deleted_entry(db: Session, actions: list[AuditEntry]) -> None:
    target = actions[3].seq
    db.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": target})
    db.expire_all()
    broken = audit.verify(db)
    assert not broken.ok
    assert broken.broken_seq == target
    assert "missing" in broken.problem


@pytest.fixture
def cli_session(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    def test_session() -> Iterator[Session]:
        yield db

    monkeypatch.setattr(audit_cli, "session_scope", test_session)


@pytest.mark.usefixtures("cli_session")
def test_audit_verify_command(db: Session, actions: list[AuditEntry]) -> None:
    runner = CliRunner()
    ok = runner.invoke(audit_cli.audit_app, ["verify"])
    assert ok.exit_code == 0, ok.output
    assert actions[-1].hash in " ".join(ok.output.split())

    target = actions[1].seq
    db.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": target})
    db.expire_all()
    broken = runner.invoke(audit_cli.audit_app, ["verify"])
    assert broken.exit_code == 1
    assert f"broken at entry {target}:" in " ".join(broken.output.split())
