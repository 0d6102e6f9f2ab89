"""A provider's monthly trend as a small inline SVG, drawn on the server.

Server-side so the chart needs no JavaScript and is there for every reader; the numbers it
shows are also in a table next to it, so nobody depends on seeing the picture.

Two panels share the month axis: on top the mean level (1-5) as a line with a dot per
month that had reviews, below it the number of reviews as bars. One scale per panel,
because a count drawn against the 1-5 axis would read as a level.

The tree is built with ElementTree, which escapes every text and attribute value, so a
label can never become markup. Colours come from CSS classes and `currentColor`, so
elder mode's stronger palette and larger type reach the chart without a second drawing.
"""

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

from haocha.scoring.service import MonthPoint

SVG_NS = "http://www.w3.org/2000/svg"

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


def _num(value: float) -> str:
    return f"{value:.1f}"


def _level_y(level: float) -> float:
    return LEVEL_BOTTOM - (level - 1) * (LEVEL_BOTTOM - LEVEL_TOP) / 4


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Attribute names with a dash (text-anchor) cannot be keywords; `_` stands in for it.
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


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
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "trend-chart",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-labelledby": title_id,
            "aria-describedby": desc_id,
            "focusable": "false",
        },
    )
    _add(svg, "title", title, id=title_id)
    _add(svg, "desc", desc, id=desc_id)

    grid = _add(svg, "g", **{"class": "trend-grid"})
    for level in LEVELS:
        y = _num(_level_y(level))
        _add(grid, "line", x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=y, y2=y)
        _add(
            grid,
            "text",
            str(level),
            x=str(LEFT - 6),
            y=_num(_level_y(level) + 4),
            text_anchor="end",
            **{"class": "trend-axis"},
        )
    _add(
        grid,
        "line",
        x1=str(LEFT),
        x2=str(WIDTH - RIGHT),
        y1=str(COUNT_BOTTOM),
        y2=str(COUNT_BOTTOM),
        **{"class": "trend-baseline"},
    )

    if points:
        _draw_months(svg, points, labels)
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 - built and escaped by ElementTree


def _draw_months(svg: ET.Element, points: Sequence[MonthPoint], labels: Sequence[str]) -> None:
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    label_every = math.ceil(MIN_LABEL_SPACING / slot)
    bar_width = slot * 0.6
    most = max(p.count for p in points) or 1
    bars = _add(svg, "g", **{"class": "trend-bars"})
    months = _add(svg, "g", **{"class": "trend-months"})
    # Lines before dots, so each dot is drawn on top of the line through it.
    lines = _add(svg, "g", **{"class": "trend-lines"})
    dots = _add(svg, "g", **{"class": "trend-dots"})
    run: list[str] = []  # the current stretch of consecutive months with a mean
    for i, (point, label) in enumerate(zip(points, labels, strict=True)):
        centre = LEFT + slot * (i + 0.5)
        height = (COUNT_BOTTOM - COUNT_TOP) * point.count / most
        # Every month gets its bar, an empty month a zero-height one, so the bars line up
        # with the month labels and the table whatever the data.
        _add(
            bars,
            "rect",
            x=_num(centre - bar_width / 2),
            y=_num(COUNT_BOTTOM - height),
            width=_num(bar_width),
            height=_num(height),
            **{"class": "trend-bar"},
        )
        if point.count:
            _add(
                bars,
                "text",
                str(point.count),
                x=_num(centre),
                y=_num(COUNT_BOTTOM - height - 3),
                text_anchor="middle",
                **{"class": "trend-count"},
            )
        _add(
            months,
            "line",
            x1=_num(centre),
            x2=_num(centre),
            y1=str(COUNT_BOTTOM),
            y2=str(COUNT_BOTTOM + 4),
            **{"class": "trend-tick"},
        )
        if (len(points) - 1 - i) % label_every == 0:
            _add(
                months,
                "text",
                label,
                x=_num(centre),
                y=str(MONTH_LABEL_Y),
                text_anchor="middle",
                **{"class": "trend-axis trend-month"},
            )
        if point.mean is None:
            # No reviews that month: no dot, and the line breaks rather than inventing one.
            _close_run(lines, run)
            run = []
            continue
        y = _level_y(point.mean)
        run.append(f"{_num(centre)},{_num(y)}")
        _add(dots, "circle", cx=_num(centre), cy=_num(y), r="3.5", **{"class": "trend-dot"})
    _close_run(lines, run)


def _close_run(parent: ET.Element, run: list[str]) -> None:
    if len(run) > 1:
        _add(parent, "polyline", points=" ".join(run), **{"class": "trend-line"})
