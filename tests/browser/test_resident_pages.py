"""A resident finds a provider, logs in with the texted code, reviews it and sees the review."""

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from haocha.core.settings import Settings
from tests.browser.conftest import Directory, log_in

pytestmark = pytest.mark.browser


def review_count(page: Page) -> int:
    text = page.locator("#review-count").inner_text()
    found = re.search(r"\d+", text)
    assert found, text
    return int(found.group())


def test_resident_logs_in_posts_a_review_and_finds_it_again(
    page: Page, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    text = f"阿姨做饭很用心，老人吃得很开心。（{phone}）"
    page.goto(f"/providers/{directory.elder_care}")
    before = review_count(page)

    page.get_by_role("link", name="写评价").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    log_in(page, browser_settings, phone)
    expect(page).to_have_url(re.compile(rf"/providers/{directory.elder_care}/review$"))

    page.get_by_role("radio", name="满意", exact=True).check()
    page.get_by_label("评价内容").fill(text)
    page.get_by_role("button", name="提交评价").click()

    expect(page).to_have_url(re.compile(rf"/providers/{directory.elder_care}\?posted=1$"))
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    newest = page.locator(".review").first
    expect(newest.locator(".review-text")).to_have_text(text)
    expect(newest.locator(".level")).to_contain_text("满意")
    assert review_count(page) == before + 1

    page.get_by_role("link", name="我的评价").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的评价")
    mine = page.locator(".review").first
    expect(mine).to_contain_text(text)
    expect(mine).to_contain_text("已发布")
    mine.get_by_role("link", name="静安乐龄居家养老服务中心").click()
    expect(page).to_have_url(re.compile(rf"/providers/{directory.elder_care}$"))


def test_a_rejected_form_keeps_what_the_resident_typed(
    page: Page, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    page.goto(f"/login?next=/providers/{directory.fitness}/review")
    log_in(page, browser_settings, phone)
    page.get_by_role("radio", name="非常不满意").check()
    page.get_by_label("评价内容").fill("教练天天换人，课也约不上。")
    page.get_by_label("预付金额").fill("2000")  # without ticking the prepaid box
    page.get_by_role("button", name="提交评价").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("未勾选预付卡时不能填写预付金额")
    expect(page).to_have_title(re.compile("^有错误"))
    expect(page.get_by_label("评价内容")).to_have_value("教练天天换人，课也约不上。")
    expect(page.get_by_role("radio", name="非常不满意")).to_be_checked()
    expect(page.get_by_label("预付金额")).to_have_value("2000")
    expect(page.get_by_label("预付金额")).to_have_attribute("aria-invalid", "true")

    summary.get_by_role("link").click()  # the summary leads to the field
    expect(page.get_by_label("预付金额")).to_be_focused()
    page.get_by_label("这次消费涉及预付卡").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page).to_have_url(re.compile(rf"/providers/{directory.fitness}\?posted=1$"))
    expect(page.locator(".review").first).to_contain_text("涉及预付卡")


def test_review_text_is_shown_as_text_never_run(
    page: Page, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    payload = "<script>alert(1)</script><b>粗体</b>"
    page.goto(f"/login?next=/providers/{directory.childcare}/review")
    log_in(page, browser_settings, phone)
    page.get_by_role("radio", name="基本满意").check()
    page.get_by_label("评价内容").fill(payload)
    page.get_by_role("button", name="提交评价").click()

    expect(page.locator(".review-text").first).to_have_text(payload)
    # The only script on the page is its inert schema.org description (JSON-LD).
    assert page.locator("main script:not([type='application/ld+json'])").count() == 0
    assert page.locator("main .review-text b").count() == 0
    assert dialogs == []


def test_sector_list_filters_by_district_and_links_to_providers(
    page: Page, directory: Directory
) -> None:
    page.goto("/")
    page.get_by_role("link", name="养老").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("养老")
    page.get_by_label("区县").select_option(label="上海市 · 浦东新区")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"district=310115"))
    expect(page.get_by_text("这个区县暂时没有该行业的机构")).to_be_visible()

    page.get_by_label("区县").select_option(label="上海市 · 静安区")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_label("区县")).to_have_value("310106")
    card = page.locator(".card", has_text="静安乐龄居家养老服务中心")
    expect(card).to_contain_text("好评率")
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/providers/{directory.elder_care}$"))


def test_provider_page_shows_the_spread_and_facts(page: Page, directory: Directory) -> None:
    page.goto(f"/providers/{directory.closed}")
    expect(page.get_by_role("heading", level=1)).to_have_text("徐汇美发沙龙")
    expect(page.get_by_text("该机构发售预付卡")).to_be_visible()
    spread = page.get_by_role("table", name="评价分布")
    expect(spread.get_by_role("row")).to_have_count(6)  # header + five levels
    expect(spread.get_by_role("row", name=re.compile("^非常不满意"))).to_contain_text("100%")
    expect(page.get_by_text("统一社会信用代码")).to_be_visible()
    expect(page.locator(".review").first).to_contain_text("涉及预付卡")
    expect(page.locator(".demo-banner")).to_contain_text("评价文字是真实的")


def test_search_from_the_header(page: Page, directory: Directory) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="搜索机构名称或地址").fill("托育")
    page.get_by_role("searchbox", name="搜索机构名称或地址").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    page.locator(".card").get_by_role("link", name="崇川小太阳托育园").click()
    expect(page).to_have_url(re.compile(rf"/providers/{directory.childcare}$"))


def test_a_closed_provider_cannot_be_reviewed(
    page: Page, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    page.goto(f"/providers/{directory.closed}")
    expect(page.get_by_text("该机构已停业，不能再评价")).to_be_visible()
    expect(page.get_by_role("link", name="写评价")).to_have_count(0)
    page.goto(f"/login?next=/providers/{directory.closed}/review")
    log_in(page, browser_settings, phone)
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    expect(page.get_by_text("该服务机构已停业")).to_be_visible()


def test_review_pages_need_a_login(page: Page, directory: Directory) -> None:
    page.goto("/me/reviews")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fme%2Freviews$"))
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入 11 位中国大陆手机号码")
    expect(page.get_by_label("手机号")).to_have_value("12345")


def test_recent_reviews_page_through(page: Page, directory: Directory) -> None:
    page.goto(f"/providers/{directory.elder_care}")
    reviews = page.locator("#reviews .review")
    expect(reviews).to_have_count(4)  # the test settings' page size
    first_page = reviews.all_inner_texts()
    pager = page.get_by_role("navigation", name="翻页")
    expect(pager).to_contain_text("第 1 /")
    expect(pager.get_by_role("link", name="上一页")).to_have_count(0)

    pager.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"\?page=2#reviews$"))
    expect(pager).to_contain_text("第 2 /")
    expect(reviews).to_have_count(4)
    assert not set(reviews.all_inner_texts()) & set(first_page)
    pager.get_by_role("link", name="上一页").click()
    expect(page).to_have_url(re.compile(r"\?page=1#reviews$"))
