"""Everything a resident does works with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import Browser, expect

from haocha.core.settings import Settings
from tests.browser.conftest import Directory, log_in, new_context

pytestmark = pytest.mark.browser


def test_review_elder_mode_and_language_without_javascript(
    browser: Browser, base_url: str, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    context = new_context(browser, base_url, javascript=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="体育健身").click()
        page.get_by_role("link", name="浦东悦动健身工作室").click()
        expect(page).to_have_url(re.compile(rf"/providers/{directory.fitness}$"))

        page.get_by_role("button", name="大字版").click()
        expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))

        page.get_by_role("link", name="写评价").click()
        log_in(page, browser_settings, phone)
        page.get_by_role("radio", name="不满意", exact=True).check()
        page.get_by_label("评价内容").fill("不开 JavaScript 也能提交的评价。")
        page.get_by_label("这次消费涉及预付卡").check()
        page.get_by_label("预付金额").fill("1999.50")
        page.get_by_role("button", name="提交评价").click()

        expect(page).to_have_url(re.compile(rf"/providers/{directory.fitness}\?posted=1$"))
        newest = page.locator(".review").first
        expect(newest).to_contain_text("不开 JavaScript 也能提交的评价。")
        expect(newest).to_contain_text("涉及预付卡")
        expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))

        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", name="Recent reviews")).to_be_visible()

        page.get_by_role("link", name="My reviews").click()
        expect(page.locator(".review").first).to_contain_text("不开 JavaScript")
        page.get_by_role("button", name="Log out").click()
        page.goto("/me/reviews")
        expect(page).to_have_url(re.compile(r"/login\?next="))
    finally:
        context.close()
