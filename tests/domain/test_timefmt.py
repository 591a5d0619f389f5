"""Beijing wall time: the fixed-offset fast path gives exactly what the zone database gives."""

from __future__ import annotations

import random

from pdd_desktop.common.timefmt import SHANGHAI, format_ts, to_local


def test_fixed_offset_matches_the_zone_database():
    rnd = random.Random(18)
    stamps = [0, 517_000_000, 684_999_999, 685_000_000, 1_795_430_100, 4_102_444_800]
    stamps += [rnd.randrange(0, 4_102_444_800) for _ in range(2_000)]
    for ts in stamps:
        for fmt in ("%Y-%m-%d %H:%M:%S", "%m-%d %H:%M", "%Y年%m月%d日"):
            assert format_ts(ts, fmt) == to_local(ts).strftime(fmt), (ts, fmt)
    assert format_ts(None) == ""
    # 1990's summer still had daylight saving (UTC+9): the zone database decides there
    assert to_local(645_000_000).utcoffset().total_seconds() == 9 * 3600
    assert SHANGHAI.key == "Asia/Shanghai"
