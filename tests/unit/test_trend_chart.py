"""The monthly trend chart: well-formed, labelled, one bar a month, and text stays text."""

import xml.etree.ElementTree as ET

import pytest

from haocha.scoring.trend_chart import (
    LEVEL_BOTTOM,
    LEVEL_TOP,
    SVG_NS,
    render_trend_svg,
    short_month_label,
)
from haocha.scoring.trends import MonthPoint

pytestmark = pytest.mark.unit

NS = {"svg": SVG_NS}


def months(*data: tuple[int, float | None]) -> list[MonthPoint]:
    return [MonthPoint(f"2025-{i + 1:02d}", count, mean) for i, (count, mean) in enumerate(data)]


def parse(markup: str) -> ET.Element:
    # Raises if the markup is not well-formed XML. The input is the chart's own output.
    return ET.fromstring(markup)  # noqa: S314


def chart(points: list[MonthPoint], *, labels: list[str] | None = None) -> ET.Element:
    markup = render_trend_svg(
        points,
        title="近 12 个月",
        desc="每月评价",
        labels=labels if labels is not None else [str(i) for i in range(len(points))],
    )
    return parse(str(markup))


def test_chart_is_a_labelled_image() -> None:
    svg = chart(months((3, 4.0), (5, 3.2)))
    assert svg.tag == f"{{{SVG_NS}}}svg"
    assert svg.get("role") == "img"
    title = svg.find("svg:title", NS)
    desc = svg.find("svg:desc", NS)
    assert title is not None
    assert title.text == "近 12 个月"
    assert desc is not None
    assert desc.text == "每月评价"
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert svg.get("viewBox")
    assert svg.get("width") is None  # sized by CSS, so it follows the page's width


def test_one_bar_and_one_label_per_month() -> None:
    points = months((3, 4.0), (0, None), (12, 4.5), (1, 5.0))
    svg = chart(points, labels=["1月", "2月", "3月", "4月"])
    bars = svg.findall(".//svg:rect[@class='trend-bar']", NS)
    assert len(bars) == 4
    heights = [float(b.get("height", "nan")) for b in bars]
    assert heights[1] == 0
    assert heights[2] == max(heights)  # the busiest month has the tallest bar
    assert heights[3] < heights[0] < heights[2]
    labels = [t.text for t in svg.findall(".//svg:g[@class='trend-months']/svg:text", NS)]
    assert labels == ["1月", "2月", "3月", "4月"]  # room for every label
    assert len(svg.findall(".//svg:line[@class='trend-tick']", NS)) == 4
    counts = [t.text for t in svg.findall(".//svg:text[@class='trend-count']", NS)]
    assert counts == ["3", "12", "1"]  # no "0" over an empty month


def test_a_crowded_axis_labels_every_other_month_ending_at_the_newest() -> None:
    points = [MonthPoint(f"2025-{m:02d}", 1, 4.0) for m in range(1, 13)]
    svg = chart(points, labels=[f"{m}月" for m in range(1, 13)])
    labels = [t.text for t in svg.findall(".//svg:g[@class='trend-months']/svg:text", NS)]
    assert labels == ["2月", "4月", "6月", "8月", "10月", "12月"]
    assert len(svg.findall(".//svg:line[@class='trend-tick']", NS)) == 12


def test_months_without_reviews_have_no_dot_and_break_the_line() -> None:
    svg = chart(months((3, 4.0), (2, 3.0), (0, None), (4, 5.0), (1, 1.0)))
    dots = svg.findall(".//svg:circle[@class='trend-dot']", NS)
    assert len(dots) == 4
    lines = svg.findall(".//svg:polyline", NS)
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    # Level 5 is drawn at the top of the level panel, level 1 at its bottom.
    ys = [float(d.get("cy", "nan")) for d in dots]
    assert ys[2] == LEVEL_TOP
    assert ys[3] == LEVEL_BOTTOM


def test_a_lone_month_is_a_dot_without_a_line() -> None:
    svg = chart(months((0, None), (2, 4.5), (0, None)))
    assert len(svg.findall(".//svg:circle", NS)) == 1
    assert svg.findall(".//svg:polyline", NS) == []


def test_all_empty_months_and_no_months_still_draw_the_axes() -> None:
    empty = chart(months((0, None), (0, None), (0, None)))
    assert len(empty.findall(".//svg:rect[@class='trend-bar']", NS)) == 3
    assert all(r.get("height") == "0.0" for r in empty.findall(".//svg:rect", NS))
    assert empty.findall(".//svg:circle", NS) == []
    assert empty.findall(".//svg:text[@class='trend-count']", NS) == []

    none = chart([])
    assert none.findall(".//svg:rect", NS) == []
    axis = [t.text for t in none.findall(".//svg:g[@class='trend-grid']/svg:text", NS)]
    assert axis == ["1", "2", "3", "4", "5"]


def test_text_is_escaped_never_markup() -> None:
    hostile = '<script>alert("x")</script>&'
    markup = render_trend_svg(months((1, 3.0)), title=hostile, desc=hostile, labels=[hostile])
    assert "<script>" not in str(markup)
    assert "&lt;script&gt;" in str(markup)
    svg = parse(str(markup))
    assert svg.findall(".//svg:script", NS) == []
    label = svg.find(".//svg:g[@class='trend-months']/svg:text", NS)
    assert label is not None
    assert label.text == hostile  # shown as the characters it is


def test_labels_must_match_the_months() -> None:
    with pytest.raises(ValueError, match="one label per month"):
        render_trend_svg(months((1, 3.0), (2, 4.0)), title="t", desc="d", labels=["1月"])


@pytest.mark.parametrize(
    ("month", "locale", "label"),
    [("2025-03", "zh", "3月"), ("2025-12", "zh", "12月"), ("2025-03", "en", "Mar")],
)
def test_short_month_labels(month: str, locale: str, label: str) -> None:
    assert short_month_label(month, locale) == label
