"""The resident's pages of the bad-review loop in Chromium, in both text sizes: the inbox
with its badge, the answer under the review, the one re-rating, all free of serious axe
violations. (The provider portal's browser test walks the whole loop from the QR code on;
this one is about the resident's pages.)"""

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from haocha.accounts.models import Resident
from haocha.accounts.sms import FileSender
from haocha.core import clock
from haocha.core.db import make_engine
from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.reviews.models import Review
from haocha.reviews.replies import post_reply
from tests.browser.conftest import Directory, log_in
from tests.browser.test_accessibility import assert_accessible
from tests.factories.loop import make_bad_review, make_staff
from tests.factories.providers import make_provider

pytestmark = pytest.mark.browser

ANSWER = "非常抱歉！已为您补上课时，并安排店长当面致歉。"


def _answered_bad_review(settings: Settings, phone: str) -> tuple[int, int]:
    """A 差评 of the signed-in resident at a provider of its own (a sector no other browser
    test counts), answered by the provider; (provider id, review id), committed."""
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        phone_hash = keyed_hash(settings.hash_key.get_secret_value(), "phone", phone)
        resident = session.exec(select(Resident).where(Resident.phone_hash == phone_hash)).one()
        provider = make_provider(session, sector_code="beauty", district_code="310106")
        review = make_bad_review(session, provider, resident, posted=clock.now())
        staff = make_staff(session, settings, provider)
        assert staff.id is not None
        post_reply(
            session,
            settings=settings,
            sms=FileSender(settings.sms_outbox),
            review=review,
            author_id=staff.id,
            text=ANSWER,
        )
        session.commit()
        ids = (provider.id or 0, review.id or 0)
    engine.dispose()
    return ids


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_inbox_answer_and_re_rating(
    context: BrowserContext,
    page: Page,
    base_url: str,
    browser_settings: Settings,
    directory: Directory,
    phone: str,
    elder: bool,
) -> None:
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": base_url}])
    page.goto("/login?next=/me/reviews")
    log_in(page, browser_settings, phone)
    provider_id, review_id = _answered_bad_review(browser_settings, phone)

    page.goto("/")
    badge = page.locator(".inbox-link .badge")
    expect(badge).to_contain_text("1")
    page.locator(".inbox-link").click()
    expect(page.get_by_role("heading", name="我的消息")).to_be_visible()
    expect(page.locator(".inbox-unread")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="标为已读", exact=True).click()
    expect(page.locator(".inbox-unread")).to_have_count(0)
    expect(page.locator(".inbox-link .badge")).to_have_count(0)

    page.get_by_role("link", name="查看这条评价").click()
    item = page.locator(f"#review-{review_id}")
    expect(item.locator(".reply")).to_contain_text(ANSWER)
    assert_accessible(page)
    item.get_by_role("radio", name="基本满意").check()
    item.get_by_role("button", name="提交重新评价").click()
    expect(item.get_by_text("原评价：非常不满意")).to_be_visible()
    expect(item.get_by_role("button", name="提交重新评价")).to_have_count(0)
    assert_accessible(page)

    page.goto(f"/providers/{provider_id}")
    expect(page.locator(".reply").first).to_contain_text(ANSWER)
    expect(page.locator("#answer-rate")).to_have_text("100%")
    assert_accessible(page)

    engine = make_engine(browser_settings.database_url)
    with Session(engine) as session:
        review = session.get(Review, review_id)
        assert review is not None
        assert (review.level, review.original_level) == (3, 1)
    engine.dispose()
