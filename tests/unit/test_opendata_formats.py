"""Cursor encoding and the CSV writer of the open-data feed."""

import csv
import io

import pytest

from haocha.opendata.formats import csv_chunks
from haocha.opendata.service import CursorInvalid, decode_cursor, encode_cursor


def test_cursor_round_trip_and_resource_binding() -> None:
    cell_key = [str, str, str]
    cursor = encode_cursor("sector-district-month", ["fitness", "310101", "2026-03"])
    assert decode_cursor("sector-district-month", cursor, cell_key) == [
        "fitness",
        "310101",
        "2026-03",
    ]
    with pytest.raises(CursorInvalid):
        decode_cursor("providers", cursor, [int])
    with pytest.raises(CursorInvalid):
        decode_cursor("providers", "not a cursor!", [int])
    # Well-formed but of the wrong shape: refused, not a server error later on.
    with pytest.raises(CursorInvalid):
        decode_cursor("providers", encode_cursor("providers", ["7"]), [int])
    with pytest.raises(CursorInvalid):
        decode_cursor(
            "sector-district-month", encode_cursor("sector-district-month", [1]), cell_key
        )


def test_csv_writes_missing_as_empty_and_booleans_as_words() -> None:
    rows = [(1, None, True, 0.5), (2, '逗号,引号"', False, None)]
    text = b"".join(csv_chunks(["id", "a", "b", "c"], iter(rows), bom=False)).decode()
    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "a", "b", "c"],
        ["1", "", "true", "0.5"],
        ["2", '逗号,引号"', "false", ""],
    ]
    with_bom = b"".join(csv_chunks(["id"], iter([]), bom=True))
    assert with_bom.startswith("\ufeff".encode())
