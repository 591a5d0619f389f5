"""The order loop: every order with its items, parcels and after-sales, batch by batch."""

from __future__ import annotations

from bisect import bisect
from datetime import datetime

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.after_sales import AfterSaleType
from pdd_desktop.domain.orders import GroupStatus, OrderStatus, RefundStatus, ship_deadline
from pdd_desktop.services.demo_shop import constants
from pdd_desktop.services.demo_shop.constants import (
    _A_EXCEPTION,
    _A_NO_PICKUP,
    _A_NONE,
    _A_STALLED,
    _BEIJING,
    _BJ,
    DAY,
    HOUR,
    MOVEMENT_WINDOW_S,
)


class _OrdersMixin:
    """The order loop (``order`` and ``order_item`` rows; parcels and cases through their writers)."""

    # ------------------------------------------------------------------ the order loop

    def _generate_orders(self) -> None:
        """Generate every order with its items, parcels, tracking events and after-sales, batch by batch.

        One loop on purpose: at a million orders every function call per order costs a second,
        so the common path (the ``order`` row) is inline, rare paths are the writers of their tables
        (:mod:`.parcels`, :mod:`.after_sales`), and ``order_item`` rows are built once per batch
        (:meth:`_item_rows`); sale stock movements are logged here and written by :mod:`.stock`.
        """
        rng = self.rng
        rnd = rng.random
        now = self.now
        n = self.n
        task = self.task
        created = self.created
        buyer_seq = self.buyer_seq
        buyer_left = self.buyer_left
        merge = self.merge
        unpaid = self.unpaid
        peak_days = self.peak_days
        first_day = self.first_day
        skt = self.sku_tuples
        sku_cum = self.sku_cum
        sku_top = sku_cum[-1]
        courier_cum = self.courier_cum
        courier_top = courier_cum[-1]
        make_buyer = self._buyer_factory()
        add_package = self._package_writer()
        write_case = self._case_writer()
        buyer_cache: dict[int, tuple] = {}
        out = self.out
        orders_out = out["order"]
        order_lines: list[list[tuple[int, int, int]]] = []  # per order of the batch: (sku, quantity, price)
        links_out = out["package_order"]
        movements = self.movements
        unpaid_lines = self.unpaid_lines
        movement_window = now - MOVEMENT_WINDOW_S

        # Targets for situations a small demo must show even when chance would skip them.
        t_overdue = 2 + n // 100_000
        t_near = 3 + n // 50_000
        t_expiring = 2 + n // 200_000
        t_anomaly = 2 + n // 200_000
        n_overdue = n_near = n_expiring = 0
        n_anomaly = [0, 0, 0, 0]

        flag_labels = ("", "红旗", "黄旗", "绿旗", "蓝旗", "紫旗")
        buyer_memos = cat.BUYER_MEMOS
        seller_memos = cat.SELLER_MEMOS
        s_to_ship, s_shipped = int(OrderStatus.TO_SHIP), int(OrderStatus.SHIPPED)
        s_signed, s_cancelled = int(OrderStatus.SIGNED), int(OrderStatus.CANCELLED)
        s_unpaid = int(OrderStatus.UNPAID)
        g_forming, g_formed, g_failed = (
            int(GroupStatus.FORMING),
            int(GroupStatus.FORMED),
            int(GroupStatus.FAILED),
        )
        r_none = int(RefundStatus.NONE)
        sn_mult = 7_319_562_247_013  # coprime to 10: the 15 digits are a bijection of the order index
        sn_salt = rng.randrange(10**15)
        sn_mod = 10**15

        prev_pkg: tuple | None = None  # (package id, shipped, signed, buyer) of the previous order
        cur_day = -1
        day_prefix = ""
        is_peak = False

        for lo in range(0, n, constants.CHUNK):
            hi = min(n, lo + constants.CHUNK)
            for i in range(lo, hi):
                oid = i + 1
                c = created[i]
                day = (c - first_day) // DAY
                if day != cur_day:
                    cur_day = day
                    day_prefix = datetime.fromtimestamp(c, _BEIJING).strftime("%y%m%d")
                    is_peak = day in peak_days
                order_sn = f"{day_prefix}-{(i * sn_mult + sn_salt) % sn_mod:015d}"

                # --- buyer and receiver (cached while the buyer has orders to come)
                b = buyer_seq[i]
                buyer = buyer_cache.get(b)
                if buyer is None:
                    buyer = make_buyer(b)
                    if buyer_left[b] > 1:
                        buyer_cache[b] = buyer
                elif buyer_left[b] == 1:
                    del buyer_cache[b]
                buyer_left[b] -= 1

                # --- items: mostly one line of one unit; hot SKUs by popularity
                r = rnd()
                n_lines = 1 if r < 0.87 else (2 if r < 0.975 else 3)
                single_buy = rnd() < 0.05
                lines = []
                goods_amount = item_count = 0
                hours = 999
                for _ in range(n_lines):
                    s = bisect(sku_cum, rnd() * sku_top)
                    if lines and any(ln[0] == s for ln in lines):
                        continue
                    sk = skt[s]
                    rq = rnd()
                    q = 1 if rq < 0.8 else (2 if rq < 0.94 else (3 if rq < 0.98 else 5))
                    price = sk[7] if single_buy else sk[6]
                    lines.append((s, q, price))
                    goods_amount += price * q
                    item_count += q
                    if sk[8] < hours:
                        hours = sk[8]

                # --- money (fen)
                platform_discount = seller_discount = postage = 0
                boost = 1.6 if is_peak else 1.0
                if rnd() < 0.22 * boost:
                    platform_discount = min((100, 200, 300, 500)[int(rnd() * 4)], goods_amount // 5)
                if rnd() < 0.15 * boost and goods_amount >= 2000:
                    seller_discount = 1000 if goods_amount >= 9900 else (500 if goods_amount >= 4900 else 300)
                if buyer[12] and rnd() < 0.6:
                    postage = (800, 1000, 1200, 1500)[int(rnd() * 4)]  # 偏远地区邮费
                pay_amount = goods_amount - platform_discount - seller_discount + postage
                merchant_receive = pay_amount + platform_discount

                # --- memos
                buyer_memo = buyer_memos[int(rnd() * len(buyer_memos))] if rnd() < 0.05 else ""
                seller_memo = flag_name = ""
                flag = None
                if rnd() < 0.03:
                    seller_memo, flag = seller_memos[int(rnd() * len(seller_memos))]
                    flag_name = flag_labels[flag]

                # --- timeline
                rp = rnd()
                paid = min(now, c + 5 + int(rp * rp * rp * 1800))
                rf = rnd()
                if rf < 0.62:
                    formed = paid + int(rnd() * 60)
                elif rf < 0.9:
                    formed = paid + 60 + int(rnd() * 1800)
                else:
                    formed = paid + 1800 + int(rnd() * 6 * HOUR)
                if formed > now:
                    formed = now
                rc = rnd()
                status = s_to_ship
                confirm = 1
                group = g_formed
                ship = sign = cancelled_at = deadline = printed_at = None
                refund_status = r_none
                as_status = print_count = 0

                if i in unpaid:
                    status, confirm, group = s_unpaid, 0, g_forming
                    paid = formed = None
                    updated = c
                    unpaid_lines.extend(lines)
                elif rc < 0.012 and c + 5400 <= now:
                    # Never paid: the platform closed it after the payment window.
                    status, confirm, group = s_cancelled, 2, g_failed
                    paid = formed = None
                    cancelled_at = updated = c + 1800 + int(rnd() * 3600)
                elif rc < 0.02 and paid + DAY <= now:
                    # Paid, but the group never filled: cancelled and refunded after 24 h.
                    status, confirm, group = s_cancelled, 2, g_failed
                    formed = None
                    cancelled_at = updated = paid + DAY
                else:
                    forced = False
                    if c >= now - 5 * DAY and (n_overdue < t_overdue or n_near < t_near):
                        # A slow group (up to 20 h) puts the deadline where the demo needs one.
                        overdue = n_overdue < t_overdue
                        target = (
                            now - 1800 - int(rnd() * 18 * HOUR)
                            if overdue
                            else now + 1800 + int(rnd() * 5 * HOUR)
                        )
                        f2 = target - hours * HOUR
                        if paid <= f2 <= paid + 20 * HOUR:
                            formed = f2
                            forced = True
                            if overdue:
                                n_overdue += 1
                            else:
                                n_near += 1
                    deadline = ship_deadline(formed, hours)
                    updated = formed
                    if not forced:
                        # The courier picks up once a day (16–18 h Beijing); packing closes at 15 h.
                        t0 = formed + 1800 + int(rnd() * HOUR)
                        lt = (t0 + _BJ) % DAY
                        ship = t0 - lt + 16 * HOUR + int(rnd() * 2 * HOUR)
                        if lt > 15 * HOUR:
                            ship += DAY
                        if rnd() < 0.4:
                            ship += DAY  # out of stock, or a busy day
                        if rnd() < 0.03:
                            ship = deadline + 1800 + int(rnd() * 18 * HOUR)  # shipped late
                        elif ship > deadline - 600:
                            ship = max(formed + 1800, deadline - HOUR - int(rnd() * 2 * HOUR))
                        if ship > now:
                            ship = None

                    # --- after-sales, decided before the parcel: an open refund stops the shipment
                    case = None
                    if not forced:
                        if rnd() < 0.045:
                            case = self._pick_case(paid, ship)
                        elif (
                            n_expiring < t_expiring
                            and ship is not None
                            and now - 12 * DAY <= ship <= now - 50 * HOUR
                        ):
                            # Waiting for me, with the platform's deadline less than 12 h away.
                            case = (
                                AfterSaleType.REFUND_ONLY,
                                2,
                                now - 36 * HOUR - int(rnd() * 11 * HOUR),
                                False,
                                None,
                            )
                            n_expiring += 1
                    if case is not None and case[3] and case[1] != 11:
                        ship = None  # refund asked before shipping: held, or refunded and cancelled

                    # --- the parcel: merged with the previous order of the same buyer, or its own
                    if ship is not None:
                        if (
                            merge[i]
                            and prev_pkg is not None
                            and prev_pkg[3] == b
                            and case is None
                            and formed + 1800 <= prev_pkg[1] <= now
                        ):
                            ship, sign = prev_pkg[1], prev_pkg[2]
                            links_out.append((prev_pkg[0], oid))
                            prev_pkg = None
                        else:
                            if case is not None and case[4] is not None:
                                planned_sign = case[4]  # the buyer signed before asking for a return
                            else:
                                planned_sign = (
                                    ship
                                    + 36 * HOUR
                                    + int(rnd() * 3.5 * DAY)
                                    + (36 * HOUR if buyer[12] else 0)
                                )
                            anomaly = _A_NONE
                            age_ship = now - ship
                            if age_ship < 15 * DAY and case is None:
                                rx = rnd()
                                if DAY < age_ship < 4 * DAY and (rx < 0.008 or n_anomaly[1] < t_anomaly):
                                    anomaly = _A_NO_PICKUP
                                elif 3 * DAY < age_ship < 12 * DAY and (
                                    rx < 0.01 or n_anomaly[2] < t_anomaly
                                ):
                                    anomaly = _A_STALLED
                                elif DAY < age_ship < 10 * DAY and (rx > 0.996 or n_anomaly[3] < t_anomaly):
                                    anomaly = _A_EXCEPTION
                                n_anomaly[anomaly] += 1
                            ci = bisect(courier_cum, rnd() * courier_top)
                            pid, sign = add_package(
                                (oid,), "normal", ci, ship, planned_sign, anomaly, buyer[13]
                            )
                            if item_count > 1 and rnd() < 0.03:  # 分包: a second parcel
                                extra_ship = min(now, ship + int(rnd() * 2 * HOUR))
                                add_package((oid,), "extra", ci, extra_ship, planned_sign, _A_NONE, buyer[13])
                            prev_pkg = (pid, ship, sign, b)
                        status = s_shipped if sign is None else s_signed
                        updated = ship if sign is None else sign
                        print_count = 1 if rnd() < 0.97 else 2
                        printed_at = max(formed + 60, ship - 600 - int(rnd() * 3 * HOUR))
                        if ship >= movement_window:
                            for s, q, _p in lines:
                                movements.append((ship, oid, s, -q, "sale", None))
                    else:
                        prev_pkg = None
                        if case is None and now - formed > 3 * HOUR and rnd() < 0.35:
                            print_count = 1  # label printed, waiting for the courier
                            printed_at = formed + int(rnd() * (now - formed))

                    if case is not None:
                        refund_status, as_status, end, refunded_unshipped = write_case(
                            oid, case, lines, pay_amount, goods_amount, buyer[13]
                        )
                        if end > updated:
                            updated = end
                        if refunded_unshipped:
                            status = s_cancelled  # 未发货，退款成功
                            cancelled_at = end

                orders_out.append((
                    oid, order_sn, status, confirm, group, refund_status, as_status, buyer[0], buyer[1],
                    buyer_memo, seller_memo, flag, flag_name, goods_amount, postage, platform_discount,
                    seller_discount, pay_amount, merchant_receive, item_count, c, paid, formed, deadline,
                    ship, sign, cancelled_at, buyer[2], buyer[3], buyer[4], buyer[5], buyer[6], buyer[7],
                    buyer[8], buyer[9], buyer[10], buyer[11], print_count, printed_at, updated,
                ))  # fmt: skip
                order_lines.append(lines)

            self._item_rows(order_lines, lo + 1)
            order_lines.clear()
            self._flush()
            task.report(hi, self.progress_total, "生成订单")
            task.raise_if_cancelled()

    def _item_rows(self, order_lines: list[list[tuple[int, int, int]]], first_order_id: int) -> None:
        """Buffer the ``order_item`` rows of one batch: each order's lines, item ids in order.

        Once per batch, not per order: the loop only keeps each order's lines.
        """
        skt = self.sku_tuples
        items_out = self.out["order_item"]
        iid = self.ids["item"]
        for oid, lines in enumerate(order_lines, start=first_order_id):
            for s, q, p in lines:
                iid += 1
                sk = skt[s]
                items_out.append((iid, oid, sk[1], sk[0], sk[2], sk[3], sk[4], sk[5], q, p))
        self.ids["item"] = iid
