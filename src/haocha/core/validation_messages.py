"""Turns pydantic's validation errors into sentences a resident can act on, in zh or en."""

from collections.abc import Sequence
from typing import Any

from haocha.core.i18n import Locale, translate
from haocha.core.messages import CATALOGUE

_PROBLEM_BY_TYPE = {
    "missing": "problem.missing",
    "int_parsing": "problem.int",
    "int_type": "problem.int",
    "int_from_float": "problem.int",
    "float_parsing": "problem.number",
    "float_type": "problem.number",
    "decimal_parsing": "problem.number",
    "decimal_type": "problem.number",
    "finite_number": "problem.number",
    "bool_parsing": "problem.bool",
    "bool_type": "problem.bool",
    "string_type": "problem.string",
    "date_parsing": "problem.date",
    "date_type": "problem.date",
    "date_from_datetime_parsing": "problem.date",
    "date_from_datetime_inexact": "problem.date",
    "string_too_long": "problem.too_long",
    "string_too_short": "problem.too_short",
    "model_type": "problem.object",
    "model_attributes_type": "problem.object",
    "dict_type": "problem.object",
    "extra_forbidden": "problem.extra",
    "decimal_max_places": "problem.decimals",
    "decimal_max_digits": "problem.max",
}
_LOWER = {"greater_than_equal": "ge", "greater_than": "gt"}
_UPPER = {"less_than_equal": "le", "less_than": "lt"}
# Fields on the 1-5 scale get one sentence naming the whole range, whichever end was missed.
_FIVE_LEVEL = {"level", "attitude", "quality", "price", "environment"}


def _field(loc: Sequence[int | str]) -> tuple[str, list[str]]:
    """(dotted path for machines, the path's parts as catalogue keys where they have one)."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    keys = [f"field.{p}" if f"field.{p}" in CATALOGUE else p for p in parts or ["body"]]
    return ".".join(parts) or "body", keys


def describe(error: dict[str, Any], locale: Locale) -> dict[str, str]:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    path, label_keys = _field(error.get("loc", ()))
    label = " / ".join(translate(locale, k) for k in label_keys)
    last = path.rsplit(".", 1)[-1]
    if kind == "json_invalid":
        return {"field": "body", "message": translate(locale, "error.malformed_json")}
    if last in _FIVE_LEVEL and kind in {*_LOWER, *_UPPER, "int_parsing", "int_from_float"}:
        problem = translate(locale, "problem.range", min=1, max=5)
    elif kind in _LOWER:
        problem = translate(locale, "problem.min", min=ctx.get(_LOWER[kind]))
    elif kind in _UPPER:
        problem = translate(locale, "problem.max", max=ctx.get(_UPPER[kind]))
    elif kind == "string_too_long":
        problem = translate(locale, "problem.too_long", max=ctx.get("max_length"))
    elif kind == "decimal_max_digits":
        problem = translate(locale, "problem.max", max=1_000_000)
    else:
        problem = translate(locale, _PROBLEM_BY_TYPE.get(kind, "problem.invalid"))
    message = f"{label}{problem}" if locale == "zh" else f"{label[:1].upper()}{label[1:]} {problem}"
    return {"field": path, "message": message}
