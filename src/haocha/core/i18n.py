"""Two locales, zh (default) and en: negotiation and the message catalogue lookup."""

from typing import Literal

from haocha.core.messages import CATALOGUE

Locale = Literal["zh", "en"]
DEFAULT_LOCALE: Locale = "zh"


def parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Language ranges of an Accept-Language header, best first (RFC 9110 §12.5.4).

    Malformed parts are skipped rather than rejected: a browser's odd header must never
    turn into an error page."""
    ranges: list[tuple[int, str, float]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower()
        if not tag or len(tag) > 35 or not all(c.isalnum() or c in "-*" for c in tag):
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if not 0.0 < q <= 1.0:
            continue
        ranges.append((position, tag, q))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(tag, q) for _, tag, q in ranges]


def negotiate(header: str | None) -> Locale:
    for tag, _ in parse_accept_language(header or ""):
        primary = tag.split("-")[0]
        if primary == "zh":
            return "zh"
        if primary == "en":
            return "en"
    return DEFAULT_LOCALE


def as_locale(value: str | None) -> Locale | None:
    return value if value in ("zh", "en") else None  # type: ignore[return-value]


def translate(locale: Locale, key: str, **params: object) -> str:
    """The message for `key`; an unknown key falls back to the key itself, so a missing
    translation shows up in review instead of crashing a page."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[0] if locale == "zh" else entry[1]
    return text.format(**params) if params else text
