import pytest

from pdd_desktop.printing import chinese_capital, yuan


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (1000, "10.00"),
        (12345, "123.45"),
        (10_000_000_101, "100,000,001.01"),
        (-250, "-2.50"),
    ],
)
def test_yuan(fen, text):
    assert yuan(fen) == text


def test_yuan_symbol_and_types():
    assert yuan(199, symbol=True) == "¥1.99"
    with pytest.raises(TypeError):
        yuan(1.5)
    with pytest.raises(TypeError):
        yuan(True)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角整"),
        (15, "壹角伍分"),
        (100, "壹元整"),
        (105, "壹元零伍分"),
        (150, "壹元伍角整"),
        (1000, "壹拾元整"),
        (1050, "壹拾元伍角整"),
        (12345, "壹佰贰拾叁元肆角伍分"),
        (100100, "壹仟零壹元整"),
        (1001000, "壹万零壹拾元整"),
        (10000000, "壹拾万元整"),
        (1000100000, "壹仟万零壹仟元整"),
        (10_000_000_101, "壹亿零壹元零壹分"),
        (10_001_000_000, "壹亿零壹万元整"),
        (10_000_000_000, "壹亿元整"),
        (123_456_789_012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        (100_000_000_000_000, "壹万亿元整"),
        (-12345, "负壹佰贰拾叁元肆角伍分"),
    ],
)
def test_chinese_capital(fen, text):
    assert chinese_capital(fen) == text


def test_chinese_capital_rejects_floats_and_huge():
    with pytest.raises(TypeError):
        chinese_capital(1.0)
    with pytest.raises(ValueError):
        chinese_capital(10**18 * 100)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (1_230_500_000, "壹仟贰佰叁拾万零伍仟元整"),
        (1_234_500_000, "壹仟贰佰叁拾肆万伍仟元整"),
        (11_000_000_000, "壹亿壹仟万元整"),
    ],
)
def test_chinese_capital_zero_gaps(fen, text):
    assert chinese_capital(fen) == text
