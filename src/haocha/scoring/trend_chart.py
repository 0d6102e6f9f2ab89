"""A provider's monthly trend as a small inline SVG, drawn on the server.

Server-side so the chart needs no JavaScript and is there for every reader; the numbers it
shows are also in a table next to it, so nobody depends on seeing the picture.

Two panels share the month axis: on top the mean level (1-5) as a line with a dot per
month that had reviews, below it the number of reviews as bars. One scale per panel,
because a count drawn against the 1-5 axis would read as a level.

Built from the pieces in `haocha.core.svg_chart`: ElementTree escapes every text and
attribute value, so a label can never become markup. Colours come from CSS classes and
`currentColor`, so elder mode's stronger palette and larger type reach the chart without a
second drawing.
"""

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

from haocha.core.i18n import Locale, translate
from haocha.core.svg_chart import (
    SVG_NS,
    add_element,
    as_markup,
    chart_root,
    draw_baseline,
    draw_count_column,
    format_number,
    thinned_labels,
)
from haocha.scoring.trends import MonthPoint

# SVG_NS is the namespace of what the chart draws, so it is part of this module's API too.
__all__ = ["SVG_NS", "render_trend_svg", "short_month_label"]

# Geometry in user units. The viewBox is scaled to the page's width (width 100%), so at a
# 360 px phone one unit is about one CSS pixel; elder mode enlarges the text through CSS.
WIDTH = 320
LEFT = 26  # room for the 1-5 labels
RIGHT = 8
LEVEL_TOP = 14  # y of level 5
LEVEL_BOTTOM = 114  # y of level 1
COUNT_TOP = 140  # highest bar top; the count labels sit above it
COUNT_BOTTOM = 172
MONTH_LABEL_Y = 192
HEIGHT = 200
# Month labels closer than this would touch (a label like "12月" at the larger type elder
# mode uses is about 33 units wide): then only every second (third, ...) month is
# labelled, counting back from the newest, and a tick marks each month.
MIN_LABEL_SPACING = 40.0
LEVELS = (1, 2, 3, 4, 5)

_ENGLISH_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def short_month_label(month: str, locale: str) -> str:
    """'2025-03' as the chart's axis shows it: 3月, or Mar."""
    number = int(month[5:7])
    return f"{number}月" if locale == "zh" else _ENGLISH_MONTHS[number - 1]


def _level_y(level: float) -> float:
    return LEVEL_BOTTOM - (level - 1) * (LEVEL_BOTTOM - LEVEL_TOP) / 4


def render_trend_svg(
    points: Sequence[MonthPoint],
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    id_prefix: str = "trend",
) -> Markup:
    """The chart as safe inline SVG markup; `labels` names the months on the axis (all of
    them when there is room, else every second or third, ending at the newest).

    `id_prefix` keeps the title and description ids unique if a page holds two charts."""
    if len(labels) != len(points):
        raise ValueError("one label per month")
    svg = chart_root(
        css_class="trend-chart",
        width=WIDTH,
        height=HEIGHT,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
    )

    grid = add_element(svg, "g", **{"class": "trend-grid"})
    for level in LEVELS:
        y = format_number(_level_y(level))
        add_element(grid, "line", x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=y, y2=y)
        add_element(
            grid,
            "text",
            str(level),
            x=str(LEFT - 6),
            y=format_number(_level_y(level) + 4),
            text_anchor="end",
            **{"class": "trend-axis"},
        )
    draw_baseline(grid, x1=LEFT, x2=WIDTH - RIGHT, y=COUNT_BOTTOM)

    if points:
        _draw_months(svg, points, labels)
    return as_markup(svg)


def _draw_months(svg: ET.Element, points: Sequence[MonthPoint], labels: Sequence[str]) -> None:
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    most = max(p.count for p in points) or 1
    bars = add_element(svg, "g", **{"class": "trend-bars"})
    months = add_element(svg, "g", **{"class": "trend-months"})
    # Lines before dots, so each dot is drawn on top of the line through it.
    lines = add_element(svg, "g", **{"class": "trend-lines"})
    dots = add_element(svg, "g", **{"class": "trend-dots"})
    shown = thinned_labels(labels, slot=slot, min_spacing=MIN_LABEL_SPACING)
    run: list[str] = []  # the current stretch of consecutive months with a mean
    for i, (point, label) in enumerate(zip(points, shown, strict=True)):
        centre = LEFT + slot * (i + 0.5)
        draw_count_column(
            bars,
            months,
            count=point.count,
            most=most,
            centre=centre,
            slot=slot,
            top=COUNT_TOP,
            bottom=COUNT_BOTTOM,
            count_gap=3,
            label=label,
            label_y=MONTH_LABEL_Y,
        )
        if point.mean is None:
            # No reviews that month: no dot, and the line breaks rather than inventing one.
            _close_run(lines, run)
            run = []
            continue
        y = _level_y(point.mean)
        run.append(f"{format_number(centre)},{format_number(y)}")
        add_element(
            dots,
            "circle",
            cx=format_number(centre),
            cy=format_number(y),
            r="3.5",
            **{"class": "trend-dot"},
        )
    _close_run(lines, run)


def _close_run(parent: ET.Element, run: list[str]) -> None:
    if len(run) > 1:
        add_element(parent, "polyline", points=" ".join(run), **{"class": "trend-line"})


def localized_trend_svg(
    points: Sequence[MonthPoint], locale: Locale, *, id_prefix: str = "trend"
) -> Markup | None:
    """The chart with its title, description and month labels in `locale`, or None when the
    months hold no review (an empty chart says nothing)."""
    if not any(p.count for p in points):
        return None
    return render_trend_svg(
        points,
        title=translate(locale, "page.trend.title", months=len(points)),
        desc=translate(locale, "page.trend.desc", first=points[0].month, last=points[-1].month),
        labels=[short_month_label(p.month, locale) for p in points],
        id_prefix=id_prefix,
    )
