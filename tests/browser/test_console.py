"""The regulators' console in Chromium: an inspector logs in, confirms a suspected fake
review and publishes a consumer warning, and residents see both on the public page; an
inspector of another sector can neither see nor decide that flag; axe finds no serious
problem on the console's pages."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session

from haocha.moderation.models import Flag, FlagStatus
from tests.browser.conftest import (
    ConsoleSeed,
    console_log_in,
)
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def public_numbers(page: Page, provider_id: int) -> tuple[str, str]:
    page.goto(f"/providers/{provider_id}")
    return page.locator("#score").inner_text(), page.locator("#review-count").inner_text()


def flag_status(engine: Engine, flag_id: int) -> FlagStatus:
    with Session(engine) as session:
        flag = session.get(Flag, flag_id)
        assert flag is not None
        return flag.status


# `console_seed` comes first in each test's arguments: seeded before the server starts
# (when this module runs first), it cannot meet the server's start-up jobs writing to the
# same SQLite file.


def test_inspector_confirms_a_fake_review_and_warns_the_public(
    console_seed: ConsoleSeed, console_engine: Engine, desk: Page
) -> None:
    page = desk
    score_before, count_before = public_numbers(page, console_seed.provider)
    assert count_before == "6 条评价"

    console_log_in(page, console_seed.inspector, "/regulator/queue")
    expect(page).to_have_url(re.compile(r"/regulator/queue$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("线索队列")
    row = page.locator(f'tr[data-flag="{console_seed.flag_to_confirm}"]')
    expect(row).to_contain_text(console_seed.provider_name)
    expect(row).to_contain_text("85")
    row.get_by_role("link", name=re.compile("疑似虚假评价")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("疑似虚假评价")
    expect(page.get_by_text("阿姨特别好！！！五星推荐！！！")).to_be_visible()
    expect(page.get_by_text("同一网络地址短时间内多条五星好评")).to_be_visible()
    confirm = page.get_by_role("group", name="确认")
    confirm.get_by_label("备注").fill("与同地址其他好评为同一批次")
    confirm.get_by_role("button", name="确认线索").click()
    expect(page.get_by_role("status")).to_have_text("已确认该线索。")
    expect(page.locator("#flag-status")).to_have_text("已确认")
    assert flag_status(console_engine, console_seed.flag_to_confirm) == FlagStatus.confirmed

    score_after, count_after = public_numbers(page, console_seed.provider)
    assert count_after == "5 条评价"
    assert score_after != score_before  # a five-star review left a mostly poor record
    expect(page.get_by_text("阿姨特别好！！！五星推荐！！！")).to_have_count(0)

    # A consumer warning, from the provider's console page to its public page.
    page.goto(f"/regulator/providers/{console_seed.provider}")
    form = page.get_by_role("group", name="发布消费提示")
    warning = "该机构近期多条好评经核查为虚假评价，请谨慎参考，办卡前核实资质。"
    form.get_by_label("提示内容").fill(warning)
    form.get_by_role("button", name="发布消费提示").click()
    expect(page.get_by_role("status")).to_contain_text("消费提示已发布")

    page.goto(f"/providers/{console_seed.provider}")
    box = page.get_by_role("region", name="消费提示").filter(has_text=warning)
    expect(box).to_contain_text(warning)
    expect(box).to_contain_text("商务委员会")  # the housekeeping sector's regulator
    # It comes before the score, where a resident looks first.
    assert box.evaluate(
        "(box) => box.compareDocumentPosition(document.querySelector('#score-heading')) & 4"
    )


def test_an_inspector_of_another_sector_can_neither_see_nor_decide_the_flag(
    console_seed: ConsoleSeed, console_engine: Engine, desk: Page
) -> None:
    page = desk
    console_log_in(page, console_seed.outsider, "/regulator/queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("线索队列")
    expect(page.get_by_text(console_seed.provider_name)).to_have_count(0)
    for flag_id in (console_seed.flag_left_open, console_seed.flag_to_confirm):
        expect(page.locator(f'tr[data-flag="{flag_id}"]')).to_have_count(0)

    response = page.goto(f"/regulator/flags/{console_seed.flag_left_open}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("找不到该线索")).to_be_visible()
    response = page.goto(f"/regulator/providers/{console_seed.provider}")
    assert response is not None
    assert response.status == 404

    # A decision forged with this browser's own valid form token is refused all the same.
    page.goto("/regulator")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    for action in ("confirm", "dismiss", "case"):
        answer = page.request.post(
            f"/regulator/flags/{console_seed.flag_left_open}/{action}",
            form={"csrf_token": token, "note": "越权", "title": "越权"},
        )
        assert answer.status == 404, action
    warn = page.request.post(
        f"/regulator/providers/{console_seed.provider}/warnings",
        form={"csrf_token": token, "text": "越权提示", "starts_on": "2026-01-01"},
    )
    assert warn.status == 404
    assert flag_status(console_engine, console_seed.flag_left_open) == FlagStatus.open
    page.goto(f"/providers/{console_seed.provider}")
    expect(page.get_by_text("越权提示")).to_have_count(0)


def test_console_pages_pass_axe(console_seed: ConsoleSeed, page: Page) -> None:
    """At phone width, where the tables must scroll in their own boxes."""
    console_log_in(page, console_seed.inspector)
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    for path in (
        "/regulator",
        "/regulator/queue",
        f"/regulator/flags/{console_seed.flag_left_open}",
        f"/regulator/providers/{console_seed.provider}",
        "/regulator/cases",
    ):
        page.goto(path)
        assert_accessible(page)
        # Nothing but the tables' own boxes is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_public_sanctions_are_accessible_in_both_text_sizes(
    console_seed: ConsoleSeed, context: BrowserContext, page: Page, base_url: str, elder: bool
) -> None:
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": base_url}])
    page.goto(f"/providers/{console_seed.sanctioned}")
    blacklist = page.get_by_role("region", name="黑名单")
    expect(blacklist).to_contain_text("测试依据")  # the legal basis
    expect(blacklist).to_contain_text("撤销为止")
    expect(page.get_by_role("region", name="消费提示")).to_contain_text("测试提示")
    assert_accessible(page)
