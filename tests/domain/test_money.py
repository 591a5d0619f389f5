from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdd_desktop.domain.money import MoneyError, format_yuan, format_yuan_plain, yuan_to_fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("0", 0),
        ("12.3", 1230),
        ("12.30", 1230),
        ("0.01", 1),
        ("-4.50", -450),
        (" 7 ", 700),
        ("1234567.89", 123456789),
    ],
)
def test_parse_yuan_text(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("bad", ["12.345", "1e3", "abc", "", "12,5", "1.2.3", "¥5", "nan"])
def test_bad_yuan_text_is_rejected(bad):
    with pytest.raises(MoneyError):
        yuan_to_fen(bad)


def test_float_is_refused_even_when_it_looks_exact():
    with pytest.raises(MoneyError):
        yuan_to_fen(0.1)  # type: ignore[arg-type]


def test_decimal_and_int_inputs():
    assert yuan_to_fen(Decimal("4.5")) == 450
    assert yuan_to_fen(3) == 300
    with pytest.raises(MoneyError):
        yuan_to_fen(Decimal("0.005"))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_parse_round_trip(fen):
    assert yuan_to_fen(format_yuan_plain(fen)) == fen
    assert yuan_to_fen(format_yuan(fen, symbol=False).replace(",", "")) == fen


@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=50))
def test_sum_of_parsed_strings_is_exact(values):
    texts = [format_yuan_plain(v) for v in values]
    assert sum(yuan_to_fen(t) for t in texts) == sum(values)
    assert sum(Decimal(t) for t in texts) * 100 == sum(values)
