"""The whole bad-review loop (差评闭环) in Chromium, as issue 8's "done when" describes it:

1. a resident scans the provider's poster, logs in and posts a 差评, stored verified;
2. the provider's owner logs in to the portal by SMS code and answers it;
3. the resident finds the answer in the inbox and re-rates once;
4. a second 差评, posted on 2026-09-30 just before the National Day holiday and left
   unanswered, is not escalated on its deadline (the holiday does not count), and lands in
   the sector regulator's queue once the test clock passes it.

The server runs in this process, so moving `haocha.core.clock` moves its clock too."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from haocha.accounts.models import RegulatorRole
from haocha.accounts.regulators import create_regulator
from haocha.core import clock
from haocha.core.settings import Settings
from haocha.moderation.jobs import flag_overdue_bad_reviews
from haocha.moderation.models import Flag, FlagKind
from haocha.providers import invitations
from haocha.reviews.models import Review
from tests.browser.conftest import (
    CONSOLE_PASSWORD,
    console_log_in,
    log_in,
    new_context,
    new_phone,
    read_code,
)
from tests.factories.provider_accounts import make_provider_user
from tests.factories.providers import make_provider

pytestmark = pytest.mark.slow

NAME = "静安文化活动中心（闭环测试）"
SECTOR, DISTRICT = "culture", "310106"  # a sector no other browser test visits
BEFORE_HOLIDAY = datetime(2026, 9, 30, 10, 0, tzinfo=clock.CHINA_TZ)
REGULATOR = "culture.inspector"


@dataclass(frozen=True)
class LoopSeed:
    provider_id: int
    owner_phone: str


@pytest.fixture(scope="module")
def loop_seed(console_engine: Engine, browser_settings: Settings) -> LoopSeed:
    owner_phone = new_phone()
    with Session(console_engine) as session:
        provider = make_provider(
            session,
            settings=browser_settings,
            name=NAME,
            sector_code=SECTOR,
            district_code=DISTRICT,
            address="上海市静安区延安中路 1000 号",
        )
        make_provider_user(session, browser_settings, provider, phone=owner_phone)
        create_regulator(
            session,
            username=REGULATOR,
            display_name="赵检查",
            password=CONSOLE_PASSWORD,
            role=RegulatorRole.inspector,
            sectors=[SECTOR],
            districts=[DISTRICT],
        )
        session.commit()
        return LoopSeed(provider_id=provider.id or 0, owner_phone=owner_phone)


def post_bad_review(page: Page, settings: Settings, seed: LoopSeed, text: str) -> None:
    """Scan the poster (its QR code's address), log in, post a 非常不满意 review."""
    page.goto(invitations.scan_path(settings, seed.provider_id))
    # Not logged in: the login page first, then back to the form with the invitation.
    log_in(page, settings, new_phone())
    expect(page.get_by_text("本次评价将标记为“已核实”")).to_be_visible()
    page.get_by_role("radio", name="非常不满意").check()
    page.get_by_label("评价内容").fill(text)
    page.get_by_role("button", name="提交评价").click()
    expect(page).to_have_url(re.compile(rf"/providers/{seed.provider_id}\?posted=1$"))


def review_with(engine: Engine, text: str) -> Review:
    with Session(engine) as session:
        return session.exec(select(Review).where(Review.text == text)).one()


def provider_answers(desk: Page, settings: Settings, seed: LoopSeed, review_id: int) -> str:
    """The owner logs in to the portal by phone and answers from the overview."""
    desk.goto("/provider/login")
    desk.get_by_label("手机号").fill(seed.owner_phone)
    desk.get_by_role("button", name="获取验证码").click()
    desk.get_by_label("短信验证码").fill(read_code(settings.sms_outbox, seed.owner_phone))
    desk.get_by_role("button", name="确认").click()
    expect(desk.get_by_role("heading", name="待答复的差评（逾期的在前）")).to_be_visible()
    desk.get_by_role("link", name=f"查看并答复（第 {review_id} 号）").click()
    answer = "已向您致歉，今后活动变动将提前一天短信通知所有报名者。"
    desk.get_by_label("公开回复").fill(answer)
    desk.get_by_role("button", name="发布回复").click()
    expect(desk.get_by_role("status")).to_have_text("回复已发布。")
    expect(desk.locator("#loop-state")).to_have_text("已答复")
    return answer


def resident_rerates(page: Page, answer: str) -> None:
    """The resident is told, reads the answer and re-rates once (满意)."""
    page.goto("/me/inbox")
    expect(page.get_by_text(NAME).first).to_be_visible()
    page.goto("/me/reviews")
    expect(page.get_by_text(answer)).to_be_visible()
    page.locator(".rerate-form").get_by_role("radio", name="满意", exact=True).check()
    page.get_by_role("button", name="提交重新评价").click()
    expect(page.locator(".rerate-form")).to_have_count(0)


def move_clock_to(day: date) -> None:
    clock.advance(datetime.combine(day, datetime.min.time(), clock.CHINA_TZ) - clock.now())


def escalate(engine: Engine, settings: Settings) -> None:
    """The hourly job, run once for the clock's day."""
    with Session(engine) as session:
        flag_overdue_bad_reviews(
            session, clock.today_local(), working_days=settings.bad_review_answer_working_days
        )
        session.commit()


def test_the_bad_review_loop_from_scan_to_escalation(
    browser: Browser,
    base_url: str,
    browser_settings: Settings,
    console_engine: Engine,
    loop_seed: LoopSeed,
) -> None:
    resident = new_context(browser, base_url)
    provider = new_context(browser, base_url)
    neighbour = new_context(browser, base_url)  # the second 差评's author
    console = new_context(browser, base_url)
    try:
        page = resident.new_page()
        first_text = "活动临时取消也没人通知，白跑一趟。"
        post_bad_review(page, browser_settings, loop_seed, first_text)
        first = review_with(console_engine, first_text)
        assert first.verified
        assert first.source == "invitation"
        assert first.answer_due is not None

        answer = provider_answers(provider.new_page(), browser_settings, loop_seed, first.id or 0)
        resident_rerates(page, answer)
        rerated = review_with(console_engine, first_text)
        assert rerated.level == 4
        assert rerated.original_level == 1

        # A second 差评, on the eve of the National Day holiday, left unanswered.
        clock.advance(BEFORE_HOLIDAY - clock.now())
        second_text = "节前报名的课程被取消，押金至今未退。"
        post_bad_review(neighbour.new_page(), browser_settings, loop_seed, second_text)
        second = review_with(console_engine, second_text)
        assert second.answer_due is not None
        # Three working days after 09-30 fall after the holiday (10-01 to 10-07).
        assert second.answer_due > date(2026, 10, 7)
        # Three calendar days later, and on the deadline itself, it is still in time.
        for day in (date(2026, 10, 3), second.answer_due):
            move_clock_to(day)
            escalate(console_engine, browser_settings)
            assert not _overdue_flag(console_engine, second.id or 0), day
        move_clock_to(second.answer_due + timedelta(days=1))
        escalate(console_engine, browser_settings)
        assert _overdue_flag(console_engine, second.id or 0)
        assert not _overdue_flag(console_engine, first.id or 0)  # answered: never escalated

        # The sector regulator sees it in the queue.
        queue = console.new_page()
        console_log_in(queue, REGULATOR, "/regulator/queue")
        row = queue.locator(".queue-row").filter(has_text=NAME)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("差评逾期未回复")
    finally:
        for context in (resident, provider, neighbour, console):
            context.close()


def _overdue_flag(engine: Engine, review_id: int) -> bool:
    with Session(engine) as session:
        return (
            session.exec(
                select(Flag).where(
                    Flag.kind == FlagKind.overdue_bad_review, Flag.review_id == review_id
                )
            ).first()
            is not None
        )
