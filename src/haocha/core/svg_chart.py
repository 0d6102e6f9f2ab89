"""What the server-drawn inline SVG charts share: the labelled root, adding escaped
elements, number formatting, and a count-bar column with its axis tick and label.

The charts (`haocha.scoring.trend_chart`, `haocha.moderation.flag_chart`) need no
JavaScript. ElementTree escapes every text and attribute value, so a label can never become
markup; colours and text sizes come from the `trend-*` CSS classes, so elder mode's
stronger palette and larger type reach every chart without a second drawing."""

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
BAR_SHARE = 0.6  # of a period's slot; the rest is the gap between bars


def format_number(value: float) -> str:
    return f"{value:.1f}"


def add_element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Attribute names with a dash (text-anchor) cannot be keywords; `_` stands in for it.
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def chart_root(
    *, css_class: str, width: int, height: int, title: str, desc: str, id_prefix: str
) -> ET.Element:
    """An `<svg>` that reads as one labelled image: its title and description are what a
    screen reader announces. `id_prefix` keeps their ids unique if a page holds two charts."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": css_class,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": title_id,
            "aria-describedby": desc_id,
            "focusable": "false",
        },
    )
    add_element(svg, "title", title, id=title_id)
    add_element(svg, "desc", desc, id=desc_id)
    return svg


def as_markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 - built and escaped by ElementTree


def draw_baseline(grid: ET.Element, *, x1: int, x2: int, y: int) -> None:
    """The line the count bars stand on, the `bottom` of `draw_count_column`."""
    add_element(
        grid, "line", x1=str(x1), x2=str(x2), y1=str(y), y2=str(y), **{"class": "trend-baseline"}
    )


def thinned_labels(labels: Sequence[str], *, slot: float, min_spacing: float) -> list[str | None]:
    """The axis labels to draw, None for those left out: when `slot`s are narrower than a
    label needs (`min_spacing`), only every second (third, ...) period is labelled,
    counting back from the newest, so the latest period always has its label."""
    every = math.ceil(min_spacing / slot)
    last = len(labels) - 1
    return [label if (last - i) % every == 0 else None for i, label in enumerate(labels)]


def draw_count_column(
    bars: ET.Element,
    axis: ET.Element,
    *,
    count: int,
    most: int,
    centre: float,
    slot: float,
    top: int,
    bottom: int,
    count_gap: int,
    label: str | None,
    label_y: int,
) -> None:
    """One period's bar (the tallest, `most`, reaching `top`) and its count above it into
    `bars`; its tick below `bottom` and its label, if it has one, into `axis`.

    A period with no count still gets its zero-height bar and its tick, so the bars line up
    with the axis labels and the table beside the chart whatever the data."""
    height = (bottom - top) * count / most
    width = slot * BAR_SHARE
    add_element(
        bars,
        "rect",
        x=format_number(centre - width / 2),
        y=format_number(bottom - height),
        width=format_number(width),
        height=format_number(height),
        **{"class": "trend-bar"},
    )
    if count:
        add_element(
            bars,
            "text",
            str(count),
            x=format_number(centre),
            y=format_number(bottom - height - count_gap),
            text_anchor="middle",
            **{"class": "trend-count"},
        )
    add_element(
        axis,
        "line",
        x1=format_number(centre),
        x2=format_number(centre),
        y1=str(bottom),
        y2=str(bottom + 4),
        **{"class": "trend-tick"},
    )
    if label is not None:
        add_element(
            axis,
            "text",
            label,
            x=format_number(centre),
            y=str(label_y),
            text_anchor="middle",
            **{"class": "trend-axis trend-month"},
        )
