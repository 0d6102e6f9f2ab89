"""The dashboard's weekly bar chart: well-formed, labelled, bars in proportion, text stays
text."""

import xml.etree.ElementTree as ET

import pytest

from haocha.moderation.flag_chart import BAR_BOTTOM, BAR_TOP, SVG_NS, render_weekly_svg

pytestmark = pytest.mark.unit

NS = {"svg": SVG_NS}


def chart(counts: list[int], labels: list[str] | None = None) -> ET.Element:
    markup = render_weekly_svg(
        counts,
        title="近 12 周每周新增线索数",
        desc="每周新增线索",
        labels=labels if labels is not None else [f"1/{i + 1}" for i in range(len(counts))],
    )
    # Raises if the markup is not well-formed XML. The input is the chart's own output.
    return ET.fromstring(str(markup))  # noqa: S314


def test_chart_is_a_labelled_image() -> None:
    svg = chart([1, 2, 3])
    assert svg.get("role") == "img"
    title = svg.find("svg:title", NS)
    desc = svg.find("svg:desc", NS)
    assert title is not None
    assert desc is not None
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")


def test_bars_are_in_proportion_and_zero_weeks_keep_their_slot() -> None:
    svg = chart([0, 2, 4, 1])
    heights = [float(r.get("height", "")) for r in svg.iterfind(".//svg:rect", NS)]
    tallest = BAR_BOTTOM - BAR_TOP
    assert heights == [0.0, tallest / 2, tallest, tallest / 4]
    counts = [t.text for t in svg.iterfind(".//svg:text[@class='trend-count']", NS)]
    assert counts == ["2", "4", "1"]  # an empty week has no number over its bar


def test_twelve_weeks_label_every_second_week_ending_with_this_one() -> None:
    labels = [f"w{i}" for i in range(12)]
    svg = chart([1] * 12, labels)
    shown = [t.text for t in svg.iterfind(".//svg:text[@class='trend-axis trend-month']", NS)]
    assert shown[-1] == "w11"
    assert shown == labels[1::2]


def test_labels_are_escaped_and_must_match_the_weeks() -> None:
    svg = chart([1], ["<script>alert(1)</script>"])
    assert svg.find(".//svg:script", NS) is None
    with pytest.raises(ValueError, match="one label per week"):
        chart([1, 2], ["only one"])
