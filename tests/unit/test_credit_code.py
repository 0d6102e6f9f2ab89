"""GB 32100 unified social credit codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.providers.credit_code import ALPHABET, check_character, is_valid

pytestmark = pytest.mark.unit

bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # published example codes
        "91110000802100433B",  # Bank of China
        "9131000013221158XC",  # Shanghai Jahwa (上海家化)
    ],
)
def test_real_codes_pass(code: str) -> None:
    assert is_valid(code)


@given(bodies)
def test_computed_check_character_validates(body: str) -> None:
    assert is_valid(body + check_character(body))


@given(bodies, st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_any_single_substitution_is_caught(body: str, position: int, replacement: str) -> None:
    code = body + check_character(body)
    if code[position] == replacement:
        return
    altered = code[:position] + replacement + code[position + 1 :]
    # Mod-31 weights are all coprime to 31, so one changed character always changes the sum.
    assert not is_valid(altered)


@pytest.mark.parametrize(
    "code", ["", "123", "91350100M000100Y4", "91350100M000100Y43X", "91350100I000100Y43"]
)
def test_malformed_codes_fail(code: str) -> None:
    assert not is_valid(code)


def test_lowercase_and_spaces_are_normalised() -> None:
    assert is_valid(" 91350100m000100y43 ")
