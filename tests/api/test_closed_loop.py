"""The bad-review closed loop (差评闭环) end to end, against the live server and database:
the deadline a 差评 gets, the provider's answer reaching the resident (inbox and text
message, with the number never stored in plain), the one re-rating, appeals decided in the
regulator's queue, escalation across the National Day holiday, and the on-time answer rate
on the provider page and in the open data.

The provider's actions call the loop's services directly; the portal's routes over them
are tested with the portal (tests/api/test_provider_portal.py)."""

import csv
import io
import json
import logging
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator, Resident
from haocha.accounts.service import issue_token
from haocha.accounts.sms import FileSender, SmsFailed
from haocha.core import clock, crypto
from haocha.core.settings import Settings
from haocha.deps import SESSION_COOKIE
from haocha.moderation import flags
from haocha.moderation.jobs import flag_overdue_bad_reviews
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.moderation.scope import Scope
from haocha.providers.accounts import ProviderUser
from haocha.providers.models import Provider
from haocha.reviews import appeals, inbox, replies
from haocha.reviews.loop import loop_summary
from haocha.reviews.models import (
    AppealStatus,
    Notification,
    NotificationKind,
    Review,
    ReviewStatus,
)
from haocha.reviews.replies import post_reply, reply_history
from haocha.scoring.service import stats_for
from haocha.tasks import flag_overdue
from tests.api.conftest import login
from tests.api.console_http import HTML, csrf_token
from tests.factories.accounts import make_resident
from tests.factories.loop import make_bad_review, make_staff
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

PHONE = "13912340001"
OTHER_PHONE = "13912340002"


class FailingSender:
    def send(self, phone: str, text: str) -> None:
        raise SmsFailed()


def _set_clock(when: datetime) -> None:
    clock.advance(when - clock.now())


def _china(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=clock.CHINA_TZ)


def _messages(outbox: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]


def _dump_database(db: Session) -> str:
    out = []
    for table in inspect(db.connection()).get_table_names():
        for row in db.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - names from the schema
            out.append(" ".join(str(v) for v in row))
    return "\n".join(out)


def _post_review(
    client: httpx.Client, db: Session, headers: dict[str, str], provider: Provider, level: int
) -> Review:
    response = client.post(
        "/api/v1/reviews",
        json={"provider_id": provider.id, "level": level, "text": "课程一再取消，退款无人理。"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    db.expire_all()
    review = db.get(Review, response.json()["id"])
    assert review is not None
    return review


def _browser(client: httpx.Client, settings: Settings, resident: Resident) -> None:
    client.cookies.set(SESSION_COOKIE, issue_token(settings, resident), domain="127.0.0.1")


@pytest.fixture
def provider(db: Session) -> Provider:
    return make_provider(db)  # elderly_care in 310101


@pytest.fixture
def staff(db: Session, settings: Settings, provider: Provider) -> ProviderUser:
    return make_staff(db, settings, provider)


@pytest.fixture
def inspector(db: Session) -> Regulator:
    return make_regulator(db)  # elderly_care in 310101


@pytest.fixture
def scope(inspector: Regulator) -> Scope:
    return Scope.of(inspector)


# --- the deadline -----------------------------------------------------------------------


def test_a_bad_review_posted_before_national_day_is_due_on_the_make_up_saturday(
    client: httpx.Client, db: Session, outbox: Path, provider: Provider
) -> None:
    _set_clock(_china(2026, 9, 30, 20))
    bad = _post_review(client, db, login(client, outbox, PHONE), provider, level=2)
    # 1-7 October are the holiday; 8 and 9 October and Saturday 10 October are worked.
    assert bad.answer_due == date(2026, 10, 10)
    assert bad.answered_at is None
    good = _post_review(client, db, login(client, outbox, OTHER_PHONE), provider, level=4)
    assert good.answer_due is None


# --- the answer -------------------------------------------------------------------------


def test_an_answer_reaches_the_inbox_and_the_phone_but_never_the_database(
    client: httpx.Client,
    db: Session,
    outbox: Path,
    settings: Settings,
    provider: Provider,
    staff: ProviderUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    _set_clock(_china(2026, 11, 23, 9))
    headers = login(client, outbox, PHONE)
    review = _post_review(client, db, headers, provider, level=1)
    resident = db.get(Resident, review.resident_id)
    assert resident is not None
    assert resident.phone_encrypted is not None
    assert crypto.decrypt(settings, resident.phone_encrypted) == PHONE  # stored at login
    sent_before = len(_messages(outbox))

    assert staff.id is not None
    first = "<b>已整改</b>：课程已恢复，退款已办理。"
    reply = post_reply(
        db, settings=settings, sms=FileSender(outbox), review=review, author_id=staff.id, text=first
    )
    assert _messages(outbox)[sent_before:] == []  # not before the answer is committed
    db.commit()
    assert review.answered_at is not None
    assert review.answered_on_time is True
    texts = _messages(outbox)[sent_before:]
    assert [m["phone"] for m in texts] == [PHONE]
    assert provider.name in texts[0]["text"]
    assert first not in texts[0]["text"]  # the answer itself stays off the lock screen

    mine = client.get("/api/v1/me/inbox", headers=headers).json()
    assert (mine["total"], mine["unread"]) == (1, 1)
    assert mine["items"][0]["kind"] == "reply"
    assert mine["items"][0]["review_id"] == review.id
    assert provider.name in mine["items"][0]["message"]
    english = client.get("/api/v1/me/inbox", headers={**headers, "Accept-Language": "en"})
    assert "has answered your bad review" in english.json()["items"][0]["message"]

    # An edit keeps the first text as history and tells nobody twice.
    _set_clock(_china(2026, 11, 24, 9))
    second = "课程已恢复，退款 2999 元已于今日退回原卡。"
    edited = post_reply(
        db,
        settings=settings,
        sms=FileSender(outbox),
        review=review,
        author_id=staff.id,
        text=second,
    )
    assert edited.id == reply.id
    assert edited.text == second
    assert edited.edited
    assert [v.text for v in reply_history(db, review.id or 0)] == [first, second]
    assert len(_messages(outbox)) == sent_before + 1
    assert inbox.unread_count(db, resident.id or 0) == 1
    assert clock.as_utc(review.answered_at) < clock.now()  # the first answer's time stands

    page = client.get(f"/providers/{provider.id}", headers=HTML)
    assert "课程已恢复，退款 2999 元" in page.text
    assert "&lt;b&gt;已整改&lt;/b&gt;" in page.text  # the first version, escaped
    assert "<b>已整改" not in page.text
    assert "已修改" in page.text

    db.expire_all()
    dump = _dump_database(db)
    assert resident.phone_hash in dump
    for form in (PHONE, PHONE[3:]):
        assert form not in dump
        assert form not in caplog.text


def test_a_failed_text_message_loses_neither_the_answer_nor_the_inbox_entry(
    db: Session,
    settings: Settings,
    provider: Provider,
    staff: ProviderUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    resident = make_resident(db)
    resident.phone_encrypted = crypto.encrypt(settings, PHONE)
    review = make_bad_review(db, provider, resident, posted=clock.now())
    assert staff.id is not None
    with caplog.at_level(logging.WARNING, logger="haocha.reviews.loop"):
        post_reply(
            db,
            settings=settings,
            sms=FailingSender(),
            review=review,
            author_id=staff.id,
            text="已处理",
        )
        db.commit()  # the text message goes out after the commit, and fails there
    assert review.answered_at is not None
    notes = db.exec(select(Notification).where(Notification.resident_id == resident.id)).all()
    assert [n.kind for n in notes] == [NotificationKind.reply]
    assert "could not text resident" in caplog.text
    assert "SmsFailed" in caplog.text
    assert PHONE not in caplog.text


def test_replies_are_checked_and_a_removed_review_cannot_be_answered(
    client: httpx.Client, db: Session, settings: Settings, provider: Provider, staff: ProviderUser
) -> None:
    review = make_bad_review(db, provider, posted=clock.now())
    assert staff.id is not None
    sms = FailingSender()
    with pytest.raises(replies.ReplyEmpty):
        post_reply(db, settings=settings, sms=sms, review=review, author_id=staff.id, text="  ")
    with pytest.raises(replies.ReplyTooLong):
        post_reply(
            db, settings=settings, sms=sms, review=review, author_id=staff.id, text="长" * 1001
        )
    assert review.answered_at is None
    review.status = ReviewStatus.removed
    with pytest.raises(replies.ReviewRemoved):
        post_reply(db, settings=settings, sms=sms, review=review, author_id=staff.id, text="好的")


# --- the re-rating ----------------------------------------------------------------------


def test_the_resident_re_rates_once_and_only_after_the_answer(
    client: httpx.Client,
    db: Session,
    outbox: Path,
    settings: Settings,
    provider: Provider,
    staff: ProviderUser,
) -> None:
    headers = login(client, outbox, PHONE)
    review = _post_review(client, db, headers, provider, level=1)
    other = login(client, outbox, OTHER_PHONE)
    path = f"/api/v1/me/reviews/{review.id}/rerate"

    not_mine = client.post(path, json={"level": 5}, headers=other)
    assert not_mine.status_code == 403
    assert not_mine.json()["detail"] == "只能重新评价您自己写的评价。"
    early = client.post(path, json={"level": 5}, headers=headers)
    assert early.status_code == 409
    assert early.json()["detail"].startswith("机构答复后才能重新评价")
    assert client.post(path, json={"level": 6}, headers=headers).status_code == 422
    assert (
        client.post(
            "/api/v1/me/reviews/999999999/rerate", json={"level": 5}, headers=headers
        ).status_code
        == 404
    )

    assert staff.id is not None
    post_reply(
        db,
        settings=settings,
        sms=FileSender(outbox),
        review=review,
        author_id=staff.id,
        text="已退款",
    )
    resident = db.get(Resident, review.resident_id)
    assert resident is not None
    _browser(client, settings, resident)
    mine = client.get("/me/reviews", headers=HTML)
    assert f'action="/me/reviews/{review.id}/rerate"' in mine.text
    assert "已退款" in mine.text  # the answer, under the review

    refused = client.post(f"/me/reviews/{review.id}/rerate", data={"level": "4"}, headers=HTML)
    assert refused.status_code == 403  # no form token
    done = client.post(
        f"/me/reviews/{review.id}/rerate",
        data={"level": "4", "csrf_token": csrf_token(client)},
        headers=HTML,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    db.expire_all()
    assert (review.level, review.original_level) == (4, 1)
    stats = stats_for(db, provider.id or 0)
    assert stats is not None
    assert (stats.count_1, stats.count_4) == (0, 1)

    twice = client.post(path, json={"level": 5}, headers=headers)
    assert twice.status_code == 409
    assert twice.json()["detail"].startswith("每条评价只能重新评价一次")
    after = client.get("/me/reviews", headers=HTML)
    assert "原评价：非常不满意" in after.text
    assert f'action="/me/reviews/{review.id}/rerate"' not in after.text


# --- the inbox ---------------------------------------------------------------------------


def test_the_inbox_badge_and_marking_messages_read(
    client: httpx.Client, db: Session, settings: Settings, provider: Provider, staff: ProviderUser
) -> None:
    resident = make_resident(db)
    reviews = [make_bad_review(db, provider, resident, posted=clock.now()) for _ in range(2)]
    assert staff.id is not None
    for review in reviews:
        post_reply(
            db,
            settings=settings,
            sms=FailingSender(),
            review=review,
            author_id=staff.id,
            text="已处理",
        )
    assert 'href="/me/inbox"' not in client.get("/", headers=HTML).text  # not signed in

    _browser(client, settings, resident)
    home = client.get("/", headers=HTML)
    assert 'href="/me/inbox"' in home.text
    assert '<span class="badge">2' in home.text
    page = client.get("/me/inbox", headers=HTML)
    assert page.text.count(provider.name) == 2
    first = db.exec(select(Notification).where(Notification.resident_id == resident.id)).first()
    assert first is not None

    stranger = make_resident(db)
    _browser(client, settings, stranger)
    token = csrf_token(client)
    foreign = client.post(
        "/me/inbox/read", data={"notification_id": str(first.id), "csrf_token": token}, headers=HTML
    )
    assert foreign.status_code == 404

    _browser(client, settings, resident)
    one = client.post(
        "/me/inbox/read",
        data={"notification_id": str(first.id), "csrf_token": csrf_token(client)},
        headers=HTML,
        follow_redirects=False,
    )
    assert one.status_code == 303
    assert '<span class="badge">1' in client.get("/", headers=HTML).text
    client.post("/me/inbox/read", data={"csrf_token": csrf_token(client)}, headers=HTML)
    assert 'class="badge"' not in client.get("/", headers=HTML).text
    assert inbox.unread_count(db, resident.id or 0) == 0


# --- appeals -----------------------------------------------------------------------------


def test_an_appeal_goes_to_the_regulator_and_both_sides_see_the_outcome(
    client: httpx.Client,
    db: Session,
    settings: Settings,
    provider: Provider,
    staff: ProviderUser,
    inspector: Regulator,
    scope: Scope,
) -> None:
    author, other = make_resident(db), make_resident(db)
    fake = make_bad_review(db, provider, author, posted=clock.now())
    rude = make_bad_review(db, provider, other, posted=clock.now())
    assert staff.id is not None
    reasons = "该账号从未到店消费，系统中无此订单。"

    appeal = appeals.file_appeal(
        db, review=fake, author_id=staff.id, grounds="fake", reasons=reasons
    )
    assert appeal.status == AppealStatus.open
    with pytest.raises(appeals.AppealAlreadyOpen):
        appeals.file_appeal(db, review=fake, author_id=staff.id, grounds="fake", reasons="再次申诉")
    with pytest.raises(appeals.AppealGroundsInvalid):
        appeals.file_appeal(db, review=rude, author_id=staff.id, grounds="unfair", reasons=reasons)
    with pytest.raises(appeals.AppealReasonsMissing):
        appeals.file_appeal(db, review=rude, author_id=staff.id, grounds="abusive", reasons="  ")

    queued, _ = flags.queue(db, scope, kinds=[FlagKind.provider_appeal])
    assert [f.review_id for f in queued] == [fake.id]
    assert queued[0].id == appeal.flag_id
    assert queued[0].evidence["appeal_reasons"] == reasons
    before = stats_for(db, provider.id or 0)
    assert before is not None
    assert before.count_1 == 2

    flags.confirm(db, inspector, scope, queued[0], note="核实无消费记录")
    upheld = appeals.appeal_for(db, fake.id or 0)
    assert upheld is not None
    assert upheld.status == AppealStatus.upheld
    assert upheld.decided_at is not None
    db.refresh(fake)
    assert fake.status == ReviewStatus.removed
    after = stats_for(db, provider.id or 0)
    assert after is not None
    assert after.count_1 == 1
    with pytest.raises(appeals.AppealReviewRemoved):
        appeals.file_appeal(db, review=fake, author_id=staff.id, grounds="fake", reasons=reasons)

    rejected = appeals.file_appeal(
        db, review=rude, author_id=staff.id, grounds="abusive", reasons="言辞侮辱员工。"
    )
    flag = db.get(Flag, rejected.flag_id)
    assert flag is not None
    flags.dismiss(db, inspector, scope, flag)
    assert rejected.status == AppealStatus.rejected
    assert rude.status == ReviewStatus.published

    told = {
        n.resident_id: n.kind
        for n in db.exec(
            select(Notification).where(col(Notification.review_id).in_([fake.id, rude.id]))
        ).all()
    }
    assert told == {
        author.id: NotificationKind.appeal_upheld,
        other.id: NotificationKind.appeal_rejected,
    }
    _browser(client, settings, author)
    assert "申诉经行业主管部门核查成立" in client.get("/me/reviews", headers=HTML).text
    _browser(client, settings, other)
    page = client.get("/me/reviews", headers=HTML)
    assert "申诉经行业主管部门核查未获支持" in page.text
    assert (
        "申诉成立"
        in client.get(
            "/api/v1/me/inbox", headers={"Authorization": f"Bearer {issue_token(settings, author)}"}
        ).text
    )


# --- escalation ---------------------------------------------------------------------------


def test_unanswered_bad_reviews_escalate_once_across_national_day(
    db: Session,
    settings: Settings,
    provider: Provider,
    staff: ProviderUser,
    inspector: Regulator,
    scope: Scope,
) -> None:
    posted = _china(2026, 9, 30, 21)
    late = make_bad_review(db, provider, posted=posted)
    answered = make_bad_review(db, provider, posted=posted)
    held = make_bad_review(db, provider, posted=posted, status=ReviewStatus.held)
    make_bad_review(db, provider, posted=posted, source="demo")
    assert late.answer_due == date(2026, 10, 10)
    assert staff.id is not None
    _set_clock(_china(2026, 10, 9, 15))
    post_reply(
        db,
        settings=settings,
        sms=FailingSender(),
        review=answered,
        author_id=staff.id,
        text="已处理",
    )

    _set_clock(_china(2026, 10, 10, 23))  # the make-up Saturday: due today, not late
    assert flag_overdue_bad_reviews(db) == 0
    _set_clock(_china(2026, 10, 12, 9))  # Sunday the 11th is off: one working day late
    assert flag_overdue(db, settings) == 1
    assert flag_overdue(db, settings) == 0  # once
    queued, _ = flags.queue(db, scope, kinds=[FlagKind.overdue_bad_review])
    assert [f.review_id for f in queued] == [late.id]
    flag = queued[0]
    assert flag.evidence == {"due": "2026-10-10", "working_days_overdue": 1}
    assert flag.risk == 40
    assert held.id not in {f.review_id for f in queued}

    # A late answer: the flag stays for the regulator, with the answer on it, and its risk
    # stops growing.
    _set_clock(_china(2026, 10, 13, 9))
    post_reply(
        db,
        settings=settings,
        sms=FailingSender(),
        review=late,
        author_id=staff.id,
        text="抱歉，已处理",
    )
    db.refresh(flag)
    assert flag.status == FlagStatus.open
    assert flag.evidence["answered_on"] == "2026-10-13"
    assert flag.evidence["working_days_overdue"] == 2
    assert any("逾期答复" in r["zh"] for r in flag.reasons)
    assert late.answered_on_time is False
    _set_clock(_china(2026, 10, 20, 9))
    assert flag_overdue_bad_reviews(db) == 0
    db.refresh(flag)
    assert flag.risk == 40


def test_the_setting_sets_the_deadline_of_reviews_stored_without_one(
    db: Session, settings: Settings, provider: Provider
) -> None:
    # Stored before the loop existed: no deadline of its own.
    make_review(db, provider, level=2, created_at=_china(2026, 11, 16))
    _set_clock(_china(2026, 11, 20))  # Friday: 4 working days after Monday the 16th
    five = settings.model_copy(update={"bad_review_answer_working_days": 5})
    assert flag_overdue(db, five) == 0
    assert flag_overdue(db, settings) == 1


# --- the answer rate ------------------------------------------------------------------------


def test_the_on_time_answer_rate_on_the_page_and_in_the_open_data(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    shop = make_provider(db, sector_code="fitness", district_code="310104")
    few = make_provider(db, sector_code="fitness", district_code="310104")
    staff = make_staff(db, settings, shop)
    assert staff.id is not None
    monday = _china(2026, 11, 16)  # due Thursday 19 November
    on_time, late, _ = (make_bad_review(db, shop, posted=monday) for _ in range(3))
    make_bad_review(db, shop, posted=_china(2026, 11, 23))  # due 26 November: still open
    for _ in range(6):
        make_review(db, shop, level=5, created_at=monday)
    for review, when in ((on_time, _china(2026, 11, 19, 18)), (late, _china(2026, 11, 20))):
        _set_clock(when)
        post_reply(
            db,
            settings=settings,
            sms=FailingSender(),
            review=review,
            author_id=staff.id,
            text="已处理",
        )
    answered_few = make_bad_review(db, few, posted=monday)
    post_reply(
        db,
        settings=settings,
        sms=FailingSender(),
        review=answered_few,
        author_id=staff.id,
        text="好",
    )
    _set_clock(_china(2026, 11, 23, 12))

    summary = loop_summary(db, shop.id or 0)
    assert (summary.open_bad, summary.overdue, summary.answered, summary.answered_on_time) == (
        1,
        1,
        2,
        1,
    )
    assert summary.on_time_rate == 0.3333
    page = client.get(f"/providers/{shop.id}", headers=HTML)
    assert '<strong id="answer-rate">33%</strong>' in page.text
    assert "1 条差评仍在答复期内" in page.text

    query = {"sector": "fitness", "district": "310104"}
    rows = {p["id"]: p for p in client.get("/open/v1/providers.json", params=query).json()["items"]}
    assert rows[shop.id]["bad_review_answer_rate"] == 0.3333
    assert rows[few.id]["bad_review_answer_rate"] is None  # one review: below k, withheld
    table = {
        int(r["id"]): r
        for r in csv.DictReader(
            io.StringIO(client.get("/open/v1/providers.csv", params=query).text)
        )
    }
    assert float(table[shop.id or 0]["bad_review_answer_rate"]) == pytest.approx(0.3333)
    assert table[few.id or 0]["bad_review_answer_rate"] == ""


def test_an_answer_changes_the_open_data_version(
    client: httpx.Client, db: Session, settings: Settings, provider: Provider, staff: ProviderUser
) -> None:
    review = make_bad_review(db, provider, posted=clock.now())
    before = client.get("/open/v1/providers.json").headers["etag"]
    assert staff.id is not None
    post_reply(
        db, settings=settings, sms=FailingSender(), review=review, author_id=staff.id, text="已处理"
    )
    assert client.get("/open/v1/providers.json").headers["etag"] != before
