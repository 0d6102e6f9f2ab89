"""Mainland China mobile numbers: parse what people type into the 11-digit form."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(raw: str) -> str | None:
    """`13812345678`, `138 1234 5678`, `+86 138-1234-5678`, `0086…` → `13812345678`;
    anything else → None. Full-width digits (from Chinese input methods) count too."""
    text = _SEPARATORS.sub("", raw.strip())
    # Full-width digits are what some Chinese input methods type; NFKC-style fold for 0-9 only.
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    text = text.replace("＋", "+")
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
            break
    return text if _MOBILE.fullmatch(text) else None
