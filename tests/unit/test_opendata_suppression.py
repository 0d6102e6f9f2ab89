"""Small-cell and complementary suppression of the sector × district × month table."""

from hypothesis import given
from hypothesis import strategies as st

from haocha.opendata.suppression import Cell, suppress

K = 10


def cell(month: str, n: int, *, sector: str = "fitness", district: str = "310101") -> Cell:
    return Cell(sector, district, month, n, (0, 0, 0, 0, n), 5 * n, 0)


def hidden(cells: list[Cell]) -> dict[str, bool]:
    return {c.month: c.suppressed for c in cells}


def test_no_small_cell_hides_nothing() -> None:
    result = suppress([cell("2026-01", 10), cell("2026-02", 30)], K)
    assert not any(c.suppressed for c in result)


def test_a_lone_small_cell_takes_the_smallest_other_month_with_it() -> None:
    # Without the complement, 2026-02 = (published sector × district total) - 40 - 12.
    result = suppress([cell("2026-01", 40), cell("2026-02", 3), cell("2026-03", 12)], K)
    assert hidden(result) == {"2026-01": False, "2026-02": True, "2026-03": True}
    assert [c.primary for c in result] == [False, True, False]


def test_two_small_cells_whose_sum_is_below_k_take_a_third() -> None:
    # 2 + 3 hidden together would still be a hidden total of five reviews.
    result = suppress(
        [cell("2026-01", 2), cell("2026-02", 3), cell("2026-03", 50), cell("2026-04", 20)], K
    )
    assert hidden(result) == {
        "2026-01": True,
        "2026-02": True,
        "2026-03": False,
        "2026-04": True,
    }


def test_groups_are_independent() -> None:
    result = suppress(
        [cell("2026-01", 3), cell("2026-02", 30), cell("2026-01", 30, district="310104")], K
    )
    by_key = {(c.district, c.month): c.suppressed for c in result}
    assert by_key == {
        ("310101", "2026-01"): True,
        ("310101", "2026-02"): True,
        ("310104", "2026-01"): False,
    }


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=12))
def test_no_suppressed_cell_can_be_recovered_from_the_group_total(sizes: list[int]) -> None:
    cells = [cell(f"2026-{i + 1:02d}", n) for i, n in enumerate(sizes)]
    result = suppress(cells, K)
    suppressed = [c for c in result if c.suppressed]
    assert all(c.suppressed for c in result if c.n < K)
    if not suppressed:
        return
    if len(suppressed) < len(result):
        # Something is published next to what is hidden: the hidden part must be two or
        # more cells holding k or more reviews, so subtraction yields no single cell.
        assert len(suppressed) >= 2
        assert sum(c.n for c in suppressed) >= K
    else:
        # Everything hidden: only the group total (from the providers file) is known.
        assert len(result) == 1 or len(suppressed) >= 2
