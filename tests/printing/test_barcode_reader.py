"""The self-test's Code128 reader: what the encoder draws, read back from pixels."""

import random

import pytest

from pdd_desktop.printing.barcode_reader import read_code128
from pdd_desktop.printing.barcodes import code128_bars


def _row(value: str, px_per_module: float, *, quiet: int = 10, noise: int = 0, seed: int = 1) -> bytes:
    """One scan line of ``value``'s bars at a (possibly fractional) pixel pitch, grey noise added."""
    bars, modules = code128_bars(value)
    width = round((modules + 2 * quiet) * px_per_module)
    pixels = [235] * width
    for start, n in bars:
        a = round((start + quiet) * px_per_module)
        b = round((start + n + quiet) * px_per_module)
        for x in range(a, b):
            pixels[x] = 20
    rng = random.Random(seed)
    return bytes(max(0, min(255, p + rng.randint(-noise, noise))) for p in pixels)


@pytest.mark.parametrize(
    "value",
    ["73591241548866", "SF1234567890123", "YT7512345678901", "JT0001234567890", "A1-b2_c3", "1"],
)
@pytest.mark.parametrize("pitch", [2.0, 3.0, 3.4, 5.0])
def test_reads_back_what_the_label_encoder_draws(value, pitch):
    assert read_code128([_row(value, pitch, noise=60)]) == [value]


def test_a_damaged_symbol_is_not_misread():
    row = bytearray(_row("73591241548866", 3.0))
    # Paint over part of the data: the checksum or the patterns no longer agree.
    mid = len(row) // 2
    row[mid : mid + 12] = bytes([20]) * 12
    assert read_code128([bytes(row)]) == []


def test_rows_without_a_barcode_read_nothing_and_repeats_count_once():
    blank = bytes([255]) * 400
    stripes = bytes((0 if (x // 3) % 2 else 255) for x in range(400))
    good = _row("SF1234567890123", 3.0)
    assert read_code128([blank, stripes]) == []
    rows = [good, blank, good, _row("YT7512345678901", 2.5)]
    assert read_code128(rows) == ["SF1234567890123", "YT7512345678901"]
