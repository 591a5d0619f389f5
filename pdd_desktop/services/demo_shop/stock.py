"""Goods, SKUs, the stock log and the e-waybill accounts with their number pools."""

from __future__ import annotations

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.services.demo_shop.constants import DAY, HOUR, MOVEMENT_WINDOW_S, WAYBILL_POOL


class _StockMixin:
    """Goods, SKUs, stock movements and waybill pools, written after the order loop."""

    # ------------------------------------------------------------------ goods, stock, pools, messages

    def _write_goods_and_stock(self) -> None:
        """Goods, SKUs and the stock log; each SKU's stock equals its last movement's ``stock_after``.

        The log holds an opening balance at the start of the year, a stocktake row 30 days ago
        that sums up the older sales and restocks, then every sale and return since. Final stocks
        are drawn first (some at or below the low-stock threshold) and the log is walked back from
        them, so no running total ever goes below zero.
        """
        rnd = self.rng.random
        now = self.now
        skus = self.skus
        n_sku = len(skus)
        reserve = [0] * n_sku  # held for 待支付 orders
        for s_idx, quantity, _price in self.unpaid_lines:
            reserve[s_idx] += quantity
        movements = sorted(self.movements, key=lambda m: (m[0], m[1], m[2], m[4]))
        total = [0] * n_sku
        lowest = [0] * n_sku
        for _at, _order, s_idx, delta, _kind, _case in movements:
            total[s_idx] += delta
            lowest[s_idx] = min(lowest[s_idx], total[s_idx])
        final = []
        for s_idx, sku in enumerate(skus):
            threshold = sku["threshold"]
            if not sku["onsale"]:
                target = int(rnd() * 20)
            elif rnd() < 0.08:
                target = int(rnd() * (threshold + 1))  # 库存不足
            else:
                target = threshold + 1 + int(rnd() * 400)
            final.append(max(target, total[s_idx] - lowest[s_idx]))
        running = [final[k] - total[k] for k in range(n_sku)]  # stock at the stocktake

        rows = []
        mv_id = 0
        opening = [100 + int(rnd() * 900) for _ in skus]
        for s_idx, sku in enumerate(skus):
            mv_id += 1
            first = opening[s_idx]
            rows.append(
                (mv_id, sku["sku_id"], self.year_start, first, first, "import", None, None, "期初库存导入")
            )
        stocktake_at = now - MOVEMENT_WINDOW_S - HOUR
        for s_idx, sku in enumerate(skus):
            mv_id += 1
            delta = running[s_idx] - opening[s_idx]
            rows.append((mv_id, sku["sku_id"], stocktake_at, delta, running[s_idx], "adjust", None, None,
                         "盘点调整（汇总此前的销售与补货）"))  # fmt: skip
        for at, order_id, s_idx, delta, kind, case_id in movements:
            running[s_idx] += delta
            mv_id += 1
            note = "退货入库" if kind == "return" else ""
            rows.append(
                (mv_id, skus[s_idx]["sku_id"], at, delta, running[s_idx], kind, order_id, case_id, note)
            )

        sku_rows = [
            (sku["sku_id"], sku["goods_id"], sku["spec"], sku["outer_id"], sku["single"], sku["group"],
             sku["cost"], running[s_idx], reserve[s_idx], sku["threshold"], sku["weight"], sku["onsale"],
             now - int(rnd() * 20 * DAY))
            for s_idx, sku in enumerate(skus)
        ]  # fmt: skip
        self._insert("goods", self.goods_rows)
        self._insert("sku", sku_rows)
        self._insert("stock_movement", rows)
        # The cost history starts with each SKU's cost as of the opening stock import.
        self._insert(
            "cost_price_history",
            [(n, sku["sku_id"], self.year_start, sku["cost"], "initial", "期初成本")
             for n, sku in enumerate((s for s in skus if s["cost"] is not None), start=1)],
        )  # fmt: skip
        self.counts.update(goods=len(self.goods_rows), skus=len(sku_rows), stock_movements=len(rows))

    def _write_waybill_pools(self) -> None:
        """Three e-waybill accounts (中通 default, 圆通, 韵达), each with a pool of free numbers."""
        code_to_index = {c.code: k for k, c in enumerate(cat.COURIERS)}
        created = self.year_start - 30 * DAY
        accounts = []
        numbers = []
        for a_id, (code, (branch_code, branch_name)) in enumerate(
            zip(("ZTO", "YTO", "YUNDA"), cat.BRANCHES, strict=True), start=1
        ):
            ci = code_to_index[code]
            is_default = 1 if a_id == 1 else 0
            accounts.append(
                (a_id, cat.COURIERS[ci].id, branch_code, branch_name, 1, WAYBILL_POOL, is_default, created)
            )
            for _ in range(WAYBILL_POOL):
                numbers.append((len(numbers) + 1, a_id, self._next_tracking(ci), "free", None, None))
        self._insert("waybill_account", accounts)
        self._insert("waybill_number", numbers)
        self.counts["waybill_numbers"] = len(numbers)
