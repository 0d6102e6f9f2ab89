"""Scores on the pages: a sector's ranking, its not-ranked list, and a provider's score,
rank, trend chart and schema.org description, in both text sizes."""

import json
import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from haocha.core.settings import Settings
from haocha.scoring.service import MIN_RANKED_REVIEWS
from tests.browser.conftest import Directory, log_in
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def number(text: str) -> float:
    found = re.search(r"\d+(\.\d+)?", text)
    assert found, text
    return float(found.group())


def card_ranks(cards: Locator) -> list[int]:
    return [int(number(t)) for t in cards.locator(".rank").all_inner_texts()]


def card_scores(cards: Locator) -> list[float]:
    return [number(t) for t in cards.locator(".score strong").all_inner_texts()]


def card_ids(cards: Locator) -> list[int]:
    hrefs = [a.get_attribute("href") or "" for a in cards.locator(".card-title a").all()]
    return [int(h.rsplit("/", 1)[1]) for h in hrefs]


def structured_data(page: Page) -> dict[str, Any]:
    scripts = page.locator('script[type="application/ld+json"]')
    expect(scripts).to_have_count(1)
    data: dict[str, Any] = json.loads(scripts.text_content() or "")
    return data


def test_sector_page_ranks_providers_by_score_across_pages(
    page: Page, directory: Directory
) -> None:
    page.goto("/sectors/elderly_care")
    cards = page.locator(".ranking .card")
    expect(cards).to_have_count(4)  # the test settings' page size
    assert card_ranks(cards) == [1, 2, 3, 4]
    first_page = card_scores(cards)
    ids = card_ids(cards)
    expect(cards.first).to_contain_text("静安颐康护理站")
    expect(cards.first.get_by_role("heading")).to_contain_text("第 1 名")
    expect(cards.first).to_contain_text(re.compile(r"得分 \d\.\d / 5"))
    expect(cards.first).to_contain_text(re.compile(r"区间 \d\.\d–\d\.\d"))
    expect(cards.first).to_contain_text("好评率 100%")
    expect(cards.first).to_contain_text("6 条评价")

    page.get_by_role("navigation", name="翻页").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    assert card_ranks(cards)[0] == 5  # ranks run on from the previous page
    scores = first_page + card_scores(cards)
    ids += card_ids(cards)
    assert scores == sorted(scores, reverse=True)
    # The seeded order holds, whatever other tests' reviews placed between them.
    assert [i for i in ids if i in directory.ranked_elderly] == list(directory.ranked_elderly)
    assert directory.unranked_elderly not in ids

    # The page describes its ranking as a schema.org ItemList with the ranks as positions.
    data = structured_data(page)
    assert data["@type"] == "ItemList"
    assert data["itemListElement"][0]["position"] == 5
    assert data["itemListElement"][0]["url"].endswith(f"/providers/{ids[4]}")


def test_sector_ranking_by_district(page: Page, directory: Directory) -> None:
    page.goto("/sectors/elderly_care")
    page.get_by_label("区县").select_option(label="上海市 · 静安区")
    page.get_by_role("button", name="筛选").click()
    cards = page.locator(".ranking .card")
    expect(cards).to_have_count(2)
    assert card_ranks(cards) == [1, 2]  # ranked within the district
    assert card_ids(cards) == [directory.ranked_elderly[0], directory.elder_care]
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^2 家机构参与排名"))


def test_not_ranked_note_leads_to_the_unranked_list(page: Page, directory: Directory) -> None:
    page.goto("/sectors/elderly_care")
    note = page.locator(".unranked-note")
    expect(note).to_contain_text(f"评价不足 {MIN_RANKED_REVIEWS} 条的机构暂不排名")
    count = int(number(note.inner_text().split("共")[1]))
    note.get_by_role("link", name="查看暂不排名的机构").click()

    expect(page).to_have_url(re.compile(r"\?view=unranked$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("养老：暂不排名的机构")
    expect(page).to_have_title(re.compile("^暂不排名的机构 · 养老"))
    cards = page.locator(".card")
    expect(cards).to_have_count(count)
    expect(cards.locator(".rank")).to_have_count(0)
    silver = cards.filter(has_text="长宁银发日间照料中心")
    expect(silver).to_contain_text("2 条评价")
    expect(silver).to_contain_text(re.compile(r"得分 \d\.\d / 5"))

    # Filtering keeps the not-ranked view.
    page.get_by_label("区县").select_option(label="上海市 · 长宁区")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"view=unranked&district=310105"))
    expect(cards).to_have_count(1)
    cards.get_by_role("link", name="长宁银发日间照料中心").click()
    expect(page).to_have_url(re.compile(rf"/providers/{directory.unranked_elderly}$"))

    page.go_back()
    page.get_by_role("link", name="返回排名").click()
    expect(page).to_have_url(re.compile(r"/sectors/elderly_care\?district=310105$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("养老")


def test_ranked_provider_shows_score_interval_rank_chart_and_description(
    page: Page, directory: Directory
) -> None:
    best = directory.ranked_elderly[0]
    page.goto(f"/providers/{best}")
    score = number(page.locator("#score").inner_text())
    expect(page.locator(".headline .out-of")).to_have_text("/ 5")
    interval = page.locator("#score-interval")
    expect(interval).to_have_text(re.compile(r"^95% 可信区间 \d\.\d–\d\.\d$"))
    low, high = (float(x) for x in re.findall(r"\d\.\d", interval.inner_text()))
    assert low <= score <= high
    rank = page.locator("#rank").get_by_role("link")
    expect(rank).to_have_text(re.compile(r"^养老第 1 名（共 [5-9] 家）$"))
    expect(page.get_by_role("table", name="评价分布")).to_be_visible()

    chart = page.locator('svg[role="img"]')
    expect(chart).to_have_count(1)
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text("近 12 个月每月的平均等级和评价条数")
    expect(chart).to_have_accessible_name("近 12 个月每月的平均等级和评价条数")
    expect(chart.locator("rect.trend-bar")).to_have_count(12)

    # The same numbers as text: twelve months, and all six seeded reviews are in them.
    table = page.get_by_role("table", name="每月评价")
    expect(table).to_be_hidden()
    page.get_by_text("查看每月数字").click()
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(12)
    counts = [int(c) for c in rows.locator("td:nth-child(2)").all_inner_texts()]
    assert sum(counts) == 6
    means = [m for m in rows.locator("td:nth-child(3)").all_inner_texts() if m != "无"]
    assert means
    assert set(means) == {"5.0"}

    data = structured_data(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "静安颐康护理站"
    assert data["url"].endswith(f"/providers/{best}")
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["addressLocality"] == "静安区"
    assert data["address"]["addressRegion"] == "上海市"
    assert data["address"]["addressCountry"] == "CN"
    expect(page.locator(".facts .code")).to_have_text(data["identifier"])
    rating = data["aggregateRating"]
    assert rating["@type"] == "AggregateRating"
    assert rating["ratingValue"] == score
    assert (rating["bestRating"], rating["worstRating"], rating["ratingCount"]) == (5, 1, 6)

    page.goto(f"/providers/{best}?lang=en")
    expect(page.locator("#score-interval")).to_have_text(
        re.compile(r"^95% credible interval \d\.\d–\d\.\d$")
    )
    expect(page.locator("#rank").get_by_role("link")).to_have_text(
        re.compile(r"^No\. 1 of [5-9] in Elderly care$")
    )


def test_unranked_and_unreviewed_providers_say_so(page: Page, directory: Directory) -> None:
    page.goto(f"/providers/{directory.unranked_elderly}")
    expect(page.locator("#rank")).to_have_text(f"评价不足 {MIN_RANKED_REVIEWS} 条，暂不排名")
    expect(page.locator("#rank").get_by_role("link")).to_have_count(0)
    expect(page.locator("#score")).to_have_text(re.compile(r"^\d\.\d$"))
    assert structured_data(page)["aggregateRating"]["ratingCount"] == 2

    page.goto(f"/providers/{directory.unreviewed}")
    expect(page.get_by_text("还没有人评价")).to_have_count(2)  # the score panel and the list
    expect(page.locator("#score")).to_have_count(0)
    expect(page.locator('svg[role="img"]')).to_have_count(0)
    data = structured_data(page)
    assert data["@type"] == "LocalBusiness"
    assert "aggregateRating" not in data  # no reviews: the sector prior is not a rating


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_score_pages_pass_axe(
    context: BrowserContext, page: Page, base_url: str, directory: Directory, elder: bool
) -> None:
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": base_url}])
    for path in (
        "/sectors/elderly_care",
        "/sectors/elderly_care?page=2",
        "/sectors/elderly_care?view=unranked",
        f"/providers/{directory.ranked_elderly[0]}",
        f"/providers/{directory.unranked_elderly}",
    ):
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/providers/{directory.elder_care}")
    page.get_by_text("查看每月数字").click()
    page.get_by_text("得分怎么算？").click()
    assert_accessible(page)

    chart = page.locator('svg[role="img"]')
    expect(chart).to_be_visible()
    width = chart.bounding_box()
    assert width is not None
    assert width["width"] <= 360  # fits the phone, no sideways scrolling
    # Elder mode's larger type reaches the text inside the chart too.
    label_size = chart.locator("text.trend-month").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert label_size == (15 if elder else 12)
    expect(chart.locator("text.trend-month")).to_have_count(6)  # every other month: room


def test_a_posted_review_moves_count_score_and_rank(
    page: Page, browser_settings: Settings, directory: Directory, phone: str
) -> None:
    provider = directory.almost_ranked
    page.goto(f"/providers/{provider}")
    expect(page.locator("#review-count")).to_have_text("4 条评价")
    before = number(page.locator("#score").inner_text())
    expect(page.locator("#rank")).to_have_text(f"评价不足 {MIN_RANKED_REVIEWS} 条，暂不排名")

    page.get_by_role("link", name="写评价").click()
    log_in(page, browser_settings, phone)
    page.get_by_role("radio", name="非常满意").check()
    page.get_by_role("button", name="提交评价").click()

    expect(page).to_have_url(re.compile(rf"/providers/{provider}\?posted=1$"))
    expect(page.locator("#review-count")).to_have_text("5 条评价")
    after = number(page.locator("#score").inner_text())
    assert after > before
    expect(page.locator("#rank").get_by_role("link")).to_have_text(
        re.compile(r"^养老第 \d+ 名（共 \d+ 家）$")
    )
    rating = structured_data(page)["aggregateRating"]
    assert (rating["ratingValue"], rating["ratingCount"]) == (after, 5)
    chart_rows = page.locator(".trend-table tbody tr")  # in the closed <details>
    counts = [int(c) for c in chart_rows.locator("td:nth-child(2)").all_text_contents()]
    assert sum(counts) == 5

    # The ranking's cached pages were invalidated: the provider is ranked there now.
    rank = int(number(page.locator("#rank").inner_text()))
    page.get_by_role("link", name=re.compile("^养老第")).click()
    expect(page).to_have_url(re.compile(r"/sectors/elderly_care$"))
    if rank > 4:
        page.goto("/sectors/elderly_care?page=2")
    card = page.locator(".ranking .card", has_text="黄浦暖心助老服务社")
    expect(card.locator(".rank")).to_have_text(f"第 {rank} 名")
    expect(card).to_contain_text(f"得分 {after:.1f} / 5")
