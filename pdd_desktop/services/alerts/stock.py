"""Rule: on-shelf SKUs out of stock (缺货) or at/below their own low-stock threshold (库存不足).

The threshold is per SKU (商品 → 成本/预警…, ``sku.low_stock_threshold``); only on-shelf SKUs of
on-shelf goods count, as on 工作台.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain.alerts import TARGET_SKUS, Severity
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext


def _names(rows: list[tuple[int, int, int, str, str]], n: int = 3) -> str:
    shown = "、".join(f"{name}（{spec}）" if spec else name for _id, _s, _t, name, spec in rows[:n])
    return shown + ("等" if len(rows) > n else "")


def evaluate(ctx: RuleContext) -> Iterator[Finding]:
    """缺货 (stock ≤ 0) and 库存不足 (0 < stock ≤ the SKU's threshold)."""
    for zero, key, severity, title, why in (
        (True, "stock_out", Severity.HIGH, "{n:,} 个在售规格已缺货",
         "库存为 0 仍在售，买家下单后将无法发货：{names}。"),
        (False, "stock_low", Severity.MEDIUM, "{n:,} 个在售规格库存不足",
         "库存不高于各自的预警值（可在 商品 → 成本/预警 修改）：{names}。"),
    ):  # fmt: skip
        rows = q.onsale_skus_at_or_below(zero=zero)
        if rows:
            yield Finding(
                key=key,
                kind=key,
                severity=severity,
                title=title.format(n=len(rows)),
                why=why.format(names=_names(rows)),
                count=len(rows),
                target=TARGET_SKUS,
                target_ids=tuple(r[0] for r in rows),
            )


RULE = Rule("stock", ("stock_out", "stock_low"), evaluate)
