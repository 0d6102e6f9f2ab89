"""New flags per week as a small inline SVG bar chart, drawn on the server.

The same approach as the provider page's chart (`haocha.scoring.trend_chart`), through the
same pieces (`haocha.core.svg_chart`); the page puts the numbers in a table beside it."""

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

from haocha.core.svg_chart import (
    SVG_NS,
    add_element,
    as_markup,
    chart_root,
    draw_baseline,
    draw_count_column,
    thinned_labels,
)

# SVG_NS is the namespace of what the chart draws, so it is part of this module's API too.
__all__ = ["SVG_NS", "render_weekly_svg"]

WIDTH = 320
LEFT = 8
RIGHT = 8
BAR_TOP = 22  # the tallest bar's top; its count label sits above it
BAR_BOTTOM = 150
LABEL_Y = 170
HEIGHT = 180
# A week label ("3/10", "12/29") at elder mode's type is about 36 units wide: closer than
# this, only every second (third, ...) week is labelled, counting back from this week.
MIN_LABEL_SPACING = 42.0


def render_weekly_svg(
    counts: Sequence[int],
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    id_prefix: str = "weekly",
) -> Markup:
    """One bar per week, its count above it; `labels` name the weeks on the axis."""
    if len(labels) != len(counts):
        raise ValueError("one label per week")
    svg = chart_root(
        css_class="trend-chart weekly-chart",
        width=WIDTH,
        height=HEIGHT,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
    )
    grid = add_element(svg, "g", **{"class": "trend-grid"})
    draw_baseline(grid, x1=LEFT, x2=WIDTH - RIGHT, y=BAR_BOTTOM)
    if counts:
        _draw_weeks(svg, counts, labels)
    return as_markup(svg)


def _draw_weeks(svg: ET.Element, counts: Sequence[int], labels: Sequence[str]) -> None:
    slot = (WIDTH - LEFT - RIGHT) / len(counts)
    most = max(counts) or 1
    bars = add_element(svg, "g", **{"class": "trend-bars"})
    weeks = add_element(svg, "g", **{"class": "trend-months"})
    shown = thinned_labels(labels, slot=slot, min_spacing=MIN_LABEL_SPACING)
    for i, (count, label) in enumerate(zip(counts, shown, strict=True)):
        draw_count_column(
            bars,
            weeks,
            count=count,
            most=most,
            centre=LEFT + slot * (i + 0.5),
            slot=slot,
            top=BAR_TOP,
            bottom=BAR_BOTTOM,
            count_gap=4,
            label=label,
            label_y=LABEL_Y,
        )
