"""Parsing what residents type as a phone number."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.accounts.phone import normalise_phone

pytestmark = pytest.mark.unit

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "0086 13812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        "(138) 1234-5678",
    ],
)
def test_common_spellings(raw: str) -> None:
    assert normalise_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1381234567",
        "138123456789",
        "12812345678",
        "23812345678",
        "1381234567a",
        "+1 138 1234 5678",
        "021-12345678",
    ],
)
def test_rejects_non_mobiles(raw: str) -> None:
    assert normalise_phone(raw) is None


@given(mobiles, st.sampled_from(["", "+86", "0086", "86", "+86 "]), st.sampled_from([" ", "-", ""]))
def test_formatting_never_changes_the_number(number: str, prefix: str, sep: str) -> None:
    spaced = sep.join([number[:3], number[3:7], number[7:]])
    assert normalise_phone(prefix + spaced) == number


@given(st.text(max_size=40))
def test_never_crashes_and_only_returns_mobiles(raw: str) -> None:
    result = normalise_phone(raw)
    assert result is None or (len(result) == 11 and result.isdigit() and result[0] == "1")
