"""Elder mode (大字版) and the language switch: on every page, remembered, safe redirects."""

import re
import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Directory

pytestmark = pytest.mark.browser


def root_font_px(page: Page) -> float:
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    return float(str(size).removesuffix("px"))


def test_elder_mode_switches_on_persists_and_switches_off(
    context: BrowserContext, page: Page, directory: Directory
) -> None:
    page.goto("/")
    html = page.locator("html")
    expect(html).not_to_have_class(re.compile("elder"))
    normal = root_font_px(page)
    expect(page.get_by_text("怎么评价")).to_be_visible()

    page.get_by_role("button", name="大字版").click()
    expect(html).to_have_class(re.compile(r"\belder\b"))
    assert root_font_px(page) >= normal * 1.3
    expect(page).to_have_url(re.compile(r"/$"))  # came back to the page it was switched on
    expect(page.get_by_text("怎么评价")).to_be_hidden()  # secondary content goes

    page.goto(f"/providers/{directory.elder_care}")
    expect(html).to_have_class(re.compile(r"\belder\b"))
    expect(page.get_by_text("统一社会信用代码")).to_be_hidden()
    another = context.new_page()
    another.goto("/sectors/elderly_care")
    expect(another.locator("html")).to_have_class(re.compile(r"\belder\b"))
    cookie = next(c for c in context.cookies() if c["name"] == "elder")
    assert cookie["value"] == "1"
    assert cookie["expires"] > time.time() + 300 * 24 * 3600  # remembered for a year
    assert cookie["sameSite"] == "Lax"

    another.get_by_role("button", name="标准版").click()
    expect(another).to_have_url(re.compile(r"/sectors/elderly_care$"))
    expect(another.locator("html")).not_to_have_class(re.compile("elder"))
    page.reload()
    expect(html).not_to_have_class(re.compile("elder"))
    assert root_font_px(page) == normal


def test_language_switch_to_english_and_back(page: Page, directory: Directory) -> None:
    page.goto(f"/providers/{directory.elder_care}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(rf"/providers/{directory.elder_care}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Write a review")).to_be_visible()
    expect(page.get_by_role("heading", name="Recent reviews")).to_be_visible()
    expect(page.locator(".demo-banner")).to_contain_text("review texts are real")
    # exact: the rank ("No. 3 in Elderly care") links to the sector too
    expect(page.get_by_role("link", name="Elderly care", exact=True)).to_be_visible()

    page.get_by_role("link", name="Haocha").click()  # remembered on the next page
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate your community services")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("社区生活服务好差评")


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\t/evil.example/", ""],
)
def test_preference_redirects_stay_on_this_site(
    context: BrowserContext, page: Page, target: str
) -> None:
    page.goto("/")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = context.request.post(
        "/prefs/elder",
        form={"csrf_token": str(token), "elder": "1", "next": target},
        max_redirects=0,
    )
    assert response.status == 303
    assert response.headers["location"] == "/"


def test_preference_forms_need_the_csrf_token(context: BrowserContext, page: Page) -> None:
    page.goto("/")
    response = context.request.post(
        "/prefs/lang", form={"lang": "en", "next": "/"}, max_redirects=0
    )
    assert response.status == 403
    assert not any(c["name"] == "lang" for c in context.cookies())
