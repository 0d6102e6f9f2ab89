"""New flags per week as a small inline SVG bar chart, drawn on the server.

The same approach as the provider page's chart (`haocha.scoring.trend_chart`): no
JavaScript, ElementTree escapes every label, colours and text sizes come from the same CSS
classes (so elder mode reaches it), and the page puts the numbers in a table beside it."""

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"

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


def _num(value: float) -> str:
    return f"{value:.1f}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


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
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "trend-chart weekly-chart",
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
    _add(
        grid,
        "line",
        x1=str(LEFT),
        x2=str(WIDTH - RIGHT),
        y1=str(BAR_BOTTOM),
        y2=str(BAR_BOTTOM),
        **{"class": "trend-baseline"},
    )
    if counts:
        _draw_weeks(svg, counts, labels)
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 - built and escaped by ElementTree


def _draw_weeks(svg: ET.Element, counts: Sequence[int], labels: Sequence[str]) -> None:
    slot = (WIDTH - LEFT - RIGHT) / len(counts)
    label_every = math.ceil(MIN_LABEL_SPACING / slot)
    most = max(counts) or 1
    bars = _add(svg, "g", **{"class": "trend-bars"})
    weeks = _add(svg, "g", **{"class": "trend-months"})
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        centre = LEFT + slot * (i + 0.5)
        height = (BAR_BOTTOM - BAR_TOP) * count / most
        _add(
            bars,
            "rect",
            x=_num(centre - slot * 0.3),
            y=_num(BAR_BOTTOM - height),
            width=_num(slot * 0.6),
            height=_num(height),
            **{"class": "trend-bar"},
        )
        if count:
            _add(
                bars,
                "text",
                str(count),
                x=_num(centre),
                y=_num(BAR_BOTTOM - height - 4),
                text_anchor="middle",
                **{"class": "trend-count"},
            )
        _add(
            weeks,
            "line",
            x1=_num(centre),
            x2=_num(centre),
            y1=str(BAR_BOTTOM),
            y2=str(BAR_BOTTOM + 4),
            **{"class": "trend-tick"},
        )
        if (len(counts) - 1 - i) % label_every == 0:
            _add(
                weeks,
                "text",
                label,
                x=_num(centre),
                y=str(LABEL_Y),
                text_anchor="middle",
                **{"class": "trend-axis trend-month"},
            )
