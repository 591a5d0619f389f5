"""The simulated shop lives on: orders arrive and move through their lives between API calls.

Everything is driven by :meth:`Simulation.advance` to a platform time. Two sources of change,
merged in time order so the result does not depend on how time is cut into calls:

- **arrivals**: per clock hour, a Poisson stream of new orders at the demo's recent daily rate
  (the last 14 days before ``now0``) × the hour-of-day and weekday rhythm × ``speed``; the
  arrivals of hour ``h`` come from ``Random(f"{seed}:arr:{h}")``, so they are fixed;
- **scheduled events** (table ``sandbox_event``): pay → group formed (待发货 with a ship
  deadline) or never paid → cancelled; after a ship (API) pickup / transit / delivering /
  signed scans and 已签收; buyers opening after-sales (before shipping, or after signing),
  cancelling them, the platform deciding a case the merchant left to expire, refunds paid,
  returns sent. Each event draws from ``Random(f"{seed}:ev:{event id}")``.

Delays longer than a few minutes are divided by ``speed`` (at least 30 s), so a fast demo
shows parcels signed within the hour. Every change bumps ``updated_at`` to the event time
(minus the ``late_commit_s`` fault). The same seed, the same ``advance`` calls and the same API
writes give the same database.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from datetime import UTC, datetime
from typing import ClassVar

from pdd_desktop.domain.catalogue import COURIERS, tracking_number
from pdd_desktop.domain.orders import GroupStatus, OrderStatus, RefundStatus
from pdd_desktop.domain.privacy import mask_address

__all__ = ["SimRunner", "Simulation"]

HOUR = 3600
DAY = 86400
_BJ = 8 * HOUR
#: Relative orders per Beijing hour of day and per weekday (Monday first), as in the demo generator.
_HOUR_WEIGHTS = (
    2.2,
    1.2,
    0.6,
    0.35,
    0.3,
    0.35,
    0.7,
    1.6,
    3.0,
    4.4,
    5.8,
    6.4,
    5.6,
    4.6,
    4.4,
    4.6,
    4.5,
    4.3,
    4.6,
    5.6,
    7.0,
    7.6,
    7.2,
    4.6,
)
_HOUR_TOTAL = sum(_HOUR_WEIGHTS)
_WEEKDAY_WEIGHTS = (0.95, 0.93, 0.95, 0.97, 1.02, 1.10, 1.08)
#: Largest stretch of simulated time applied in one transaction.
_CHUNK_S = 6 * HOUR

_REFUND_REASONS = ("不想要了", "拍错/多拍", "未按约定时间发货", "地址填错了")
_RETURN_REASONS = ("尺码不合适", "质量问题", "颜色与图片不符", "七天无理由退货")


#: Shares of shipped parcels that go wrong, in draw order: never picked up (no scan at all),
#: stalled after the first transit scan, refused by the buyer and returned. The rest sign.
PARCEL_PROBLEMS: tuple[tuple[str, float], ...] = (("no_pickup", 0.04), ("stalled", 0.04), ("refused", 0.03))


def _parcel_problem(draw: float) -> str | None:
    """The problem of a parcel whose draw is ``draw`` (0..1), or None when it goes well."""
    acc = 0.0
    for name, share in PARCEL_PROBLEMS:
        acc += share
        if draw < acc:
            return name
    return None


def _bj_date(ts: int) -> str:
    return datetime.fromtimestamp(ts + _BJ, UTC).strftime("%y%m%d")


class Simulation:
    """The shop's life after ``now0``; all state is in the shop's database (meta + events)."""

    def __init__(self, shop) -> None:
        self.shop = shop
        self._hours: dict[int, list[int]] = {}
        self._skus: list[tuple[int, float]] | None = None
        self._daily: float | None = None

    # ------------------------------------------------------------------ public

    @property
    def speed(self) -> float:
        return max(0.001, float(self.shop.speed))

    @property
    def sim_at(self) -> int:
        return int(self.shop.meta("sim_at") or self.shop.now0)

    def advance(self, to: int) -> int:
        """Run the shop up to platform time ``to``; returns how many orders arrived."""
        shop = self.shop
        arrived = 0
        with shop.lock:
            at = self.sim_at
            if to <= at:
                return 0
            if shop.meta("sim_init") is None:
                with shop.tx() as c:
                    self._init_existing(c)
                    c.execute("INSERT OR REPLACE INTO sandbox_meta VALUES ('sim_init', '1')")
            while at < to:
                stop = min(to, at + _CHUNK_S)
                with shop.tx() as c:
                    arrived += self._run(c, stop)
                    c.execute("INSERT OR REPLACE INTO sandbox_meta VALUES ('sim_at', ?)", (str(stop),))
                at = stop
        return arrived

    def catch_up(self) -> int:
        """Advance to the platform's now (at start: from ``now0`` to now)."""
        return self.advance(self.shop.platform_now())

    # ------------------------------------------------------------------ helpers

    def _sc(self, seconds: float) -> int:
        """A long delay, compressed by the speed factor (never under 30 s)."""
        return max(30, int(seconds / self.speed))

    def _stamp(self, t: int) -> int:
        return t - self.shop.faults.late_commit_s

    def schedule(self, c: sqlite3.Connection, due_at: int, kind: str, ref: int, arg: str = "") -> None:
        c.execute(
            "INSERT INTO sandbox_event (due_at, kind, ref, arg) VALUES (?, ?, ?, ?)",
            (int(due_at), kind, ref, arg),
        )

    def _daily_rate(self, c: sqlite3.Connection) -> float:
        if self._daily is None:
            now0 = self.shop.now0
            n = c.execute(
                'SELECT COUNT(*) FROM "order" WHERE created_at >= ? AND created_at < ?',
                (now0 - 14 * DAY, now0),
            )
            self._daily = max(0.5, n.fetchone()[0] / 14)
        return self._daily

    def _hour_arrivals(self, c: sqlite3.Connection, h: int) -> list[int]:
        got = self._hours.get(h)
        if got is None:
            start = h * HOUR
            local = datetime.fromtimestamp(start + _BJ, UTC)
            lam = (
                self._daily_rate(c)
                * self.speed
                * _HOUR_WEIGHTS[local.hour]
                / _HOUR_TOTAL
                * _WEEKDAY_WEIGHTS[local.weekday()]
                / (sum(_WEEKDAY_WEIGHTS) / 7)
            )
            rng = random.Random(f"{self.shop.seed}:arr:{h}")
            got = []
            t = 0.0
            while True:
                t += rng.expovariate(lam / HOUR)
                if t >= HOUR:
                    break
                got.append(start + int(t))
            if len(self._hours) > 64:
                self._hours.clear()
            self._hours[h] = got
        return got

    def _next_arrival(self, c: sqlite3.Connection, cursor: list[int], to: int) -> int | None:
        """The next arrival time ≤ ``to`` at ``cursor`` ([hour, index]); skips empty hours."""
        while cursor[0] * HOUR <= to:
            times = self._hour_arrivals(c, cursor[0])
            if cursor[1] < len(times):
                t = times[cursor[1]]
                return t if t <= to else None
            cursor[0] += 1
            cursor[1] = 0
        return None

    def _run(self, c: sqlite3.Connection, to: int) -> int:
        meta = dict(
            c.execute("SELECT key, value FROM sandbox_meta WHERE key IN ('arr_h', 'arr_k')").fetchall()
        )
        if "arr_h" in meta:
            cursor = [int(meta["arr_h"]), int(meta["arr_k"])]
        else:
            now0 = self.shop.now0
            h = now0 // HOUR
            cursor = [h, sum(1 for t in self._hour_arrivals(c, h) if t <= now0)]
        arrived = 0
        while True:
            t_arr = self._next_arrival(c, cursor, to)
            ev = c.execute(
                "SELECT id, due_at, kind, ref, arg FROM sandbox_event WHERE done = 0 AND due_at <= ? "
                "ORDER BY due_at, id LIMIT 1",
                (to,),
            ).fetchone()
            if t_arr is None and ev is None:
                break
            if t_arr is not None and (ev is None or t_arr <= ev[1]):
                self._arrive(c, t_arr, random.Random(f"{self.shop.seed}:order:{cursor[0]}:{cursor[1]}"))
                cursor[1] += 1
                arrived += 1
            else:
                c.execute("UPDATE sandbox_event SET done = 1 WHERE id = ?", (ev[0],))
                handler = getattr(self, f"_ev_{ev[2]}")
                handler(c, ev[1], ev[3], ev[4], random.Random(f"{self.shop.seed}:ev:{ev[0]}"))
        c.executemany(
            "INSERT OR REPLACE INTO sandbox_meta VALUES (?, ?)",
            [("arr_h", str(cursor[0])), ("arr_k", str(cursor[1]))],
        )
        return arrived

    # ------------------------------------------------------------------ the existing demo history

    def _init_existing(self, c: sqlite3.Connection) -> None:
        """Give the demo's open situations their future: parcels in transit sign, open cases move on."""
        rng = random.Random(f"{self.shop.seed}:init")
        now0 = self.shop.now0
        for (pid,) in c.execute(
            "SELECT id FROM package WHERE signed_at IS NULL AND voided_at IS NULL AND is_exception = 0 "
            "AND first_scan_at IS NOT NULL ORDER BY id"
        ).fetchall():
            self.schedule(c, now0 + self._sc(HOUR + rng.random() * 3 * DAY), "sign", pid)
        for cid, status, expire in c.execute(
            "SELECT id, status, expire_at FROM after_sale WHERE status IN (2, 3, 4, 7, 27) ORDER BY id"
        ).fetchall():
            if status in (2, 3):
                self.schedule(c, max(now0 + 60, expire or now0 + self._sc(2 * DAY)), "case_expire", cid)
            elif status == 4:
                self.schedule(c, now0 + self._sc(600 + rng.random() * DAY), "refund_done", cid)
            elif status == 7:
                self.schedule(c, now0 + self._sc(HOUR + rng.random() * 2 * DAY), "buyer_return", cid)
            else:
                self.schedule(c, now0 + self._sc(2 * DAY + rng.random() * 5 * DAY), "return_auto_refund", cid)
        for (oid,) in c.execute(
            'SELECT id FROM "order" WHERE status = ? AND paid_at IS NULL ORDER BY id',
            (int(OrderStatus.UNPAID),),
        ).fetchall():
            if rng.random() < 0.8:
                self.schedule(c, now0 + 5 + int(rng.random() * 1800), "pay", oid)
            else:
                self.schedule(c, now0 + 1800, "cancel_unpaid", oid)

    # ------------------------------------------------------------------ arrivals

    def _sku_table(self, c: sqlite3.Connection) -> list[tuple[int, float]]:
        if self._skus is None:
            rows = c.execute(
                "SELECT i.sku_id, COUNT(*) FROM order_item i JOIN sku s ON s.sku_id = i.sku_id "
                "GROUP BY i.sku_id ORDER BY i.sku_id"
            ).fetchall()
            acc = 0.0
            table = []
            for sku_id, n in rows:
                acc += n
                table.append((sku_id, acc))
            self._skus = table
        return self._skus

    def _arrive(self, c: sqlite3.Connection, t: int, rng: random.Random) -> None:
        """A new 待支付 order at ``t``: a (possibly returning) buyer, one to three lines, stock held."""
        orders0 = max(1, self.shop.orders0)
        template = c.execute(
            'SELECT * FROM "order" WHERE id = ?', (1 + int(rng.random() * orders0),)
        ).fetchone()
        cols = [d[0] for d in c.execute('SELECT * FROM "order" LIMIT 0').description]
        row = dict(zip(cols, template, strict=True)) if template else None
        if row is None:
            return
        table = self._sku_table(c)
        top = table[-1][1]
        lines: list[tuple[tuple, int]] = []
        r = rng.random()
        for _ in range(1 if r < 0.87 else (2 if r < 0.975 else 3)):
            x = rng.random() * top
            sku_id = next(s for s, cum in table if cum >= x)
            q = 1 if rng.random() < 0.8 else 2
            sku = c.execute(
                "SELECT s.sku_id, s.goods_id, s.group_price_fen, s.stock, s.outer_id, g.name, "
                "g.outer_goods_id, s.spec, "
                "g.promise_hours FROM sku s JOIN goods g ON g.goods_id = s.goods_id "
                "WHERE s.sku_id = ? AND s.is_onsale = 1 AND g.is_onsale = 1",
                (sku_id,),
            ).fetchone()
            if sku is None or sku[3] < q or any(ln[0][0] == sku_id for ln in lines):
                continue
            lines.append((sku, q))
        if not lines:
            return  # the buyer found nothing in stock
        goods_amount = sum(s[2] * q for s, q in lines)
        platform_discount = (
            min((100, 200, 300)[int(rng.random() * 3)], goods_amount // 5) if rng.random() < 0.22 else 0
        )
        seller_discount = 300 if rng.random() < 0.15 and goods_amount >= 2000 else 0
        pay = goods_amount - platform_discount - seller_discount
        while True:
            sn = f"{_bj_date(t)}-{rng.randrange(10**14, 10**15):015d}"
            if c.execute('SELECT 1 FROM "order" WHERE order_sn = ?', (sn,)).fetchone() is None:
                break
        stamp = self._stamp(t)
        row.update(
            id=None,
            order_sn=sn,
            status=int(OrderStatus.UNPAID),
            confirm_status=0,
            group_status=int(GroupStatus.FORMING),
            refund_status=int(RefundStatus.NONE),
            after_sales_status=0,
            buyer_memo="",
            seller_memo="",
            flag=None,
            flag_name="",
            goods_amount_fen=goods_amount,
            postage_fen=0,
            platform_discount_fen=platform_discount,
            seller_discount_fen=seller_discount,
            change_amount_fen=0,
            pay_reduction_fen=0,
            pay_amount_fen=pay,
            merchant_receive_fen=pay + platform_discount,
            item_count=sum(q for _s, q in lines),
            created_at=t,
            paid_at=None,
            confirmed_at=None,
            group_formed_at=None,
            ship_deadline_at=None,
            shipped_at=None,
            signed_at=None,
            cancelled_at=None,
            print_count=0,
            last_printed_at=None,
            pending_ops=0,
            has_conflict=0,
            platform_updated_at=stamp,
            local_updated_at=stamp,
            remote_hash=None,
            remote_missing_since=None,
            source="sandbox",
        )
        if "address_mask" in row:
            row["address_mask"] = mask_address(row["address_detail"])
        names = [k for k in cols if k in row]
        cur = c.execute(
            f'INSERT INTO "order" ({",".join(chr(34) + k + chr(34) for k in names)}) '
            f"VALUES ({','.join('?' * len(names))})",
            [row[k] for k in names],
        )
        oid = int(cur.lastrowid)
        for sku, q in lines:
            c.execute(
                "INSERT INTO order_item (order_id, goods_id, sku_id, goods_name, spec, outer_id, "
                "outer_goods_id, "
                "quantity, unit_price_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    oid,
                    sku[1],
                    sku[0],
                    sku[5],
                    ",".join(p.partition(":")[2] for p in sku[7].split(",") if p),
                    sku[4],
                    sku[6],
                    q,
                    sku[2],
                ),
            )
            self._move_stock(c, sku[0], -q, t, oid, "sale")
        if rng.random() < 0.015:
            self.schedule(c, t + 1800, "cancel_unpaid", oid)
        else:
            rp = rng.random()
            self.schedule(c, t + 5 + int(rp * rp * rp * 1800), "pay", oid)

    def _move_stock(
        self, c: sqlite3.Connection, sku_id: int, delta: int, t: int, oid: int | None, kind: str
    ) -> None:
        stock = c.execute("SELECT stock FROM sku WHERE sku_id = ?", (sku_id,)).fetchone()[0]
        new = max(0, stock + delta)
        stamp = self._stamp(t)
        c.execute("UPDATE sku SET stock = ?, platform_updated_at = ? WHERE sku_id = ?", (new, stamp, sku_id))
        c.execute(
            "UPDATE goods SET platform_updated_at = ? WHERE goods_id = (SELECT goods_id FROM sku "
            "WHERE sku_id = ?)",
            (stamp, sku_id),
        )
        c.execute(
            "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, order_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sku_id, t, new - stock, new, kind, oid, "平台模拟"),
        )

    def _touch_order(self, c: sqlite3.Connection, oid: int, t: int, **sets: object) -> None:
        prev = c.execute('SELECT platform_updated_at FROM "order" WHERE id = ?', (oid,)).fetchone()[0]
        sets["platform_updated_at"] = self.shop.stamp(self._stamp(t), prev)
        names = ", ".join(f"{k} = ?" for k in sets)
        c.execute(f'UPDATE "order" SET {names} WHERE id = ?', (*sets.values(), oid))

    # ------------------------------------------------------------------ order events

    def _ev_cancel_unpaid(self, c, t, oid, _arg, _rng) -> None:
        row = c.execute('SELECT status, paid_at FROM "order" WHERE id = ?', (oid,)).fetchone()
        if row is None or row[0] != int(OrderStatus.UNPAID) or row[1] is not None:
            return
        self._touch_order(
            c,
            oid,
            t,
            status=int(OrderStatus.CANCELLED),
            confirm_status=2,
            group_status=int(GroupStatus.FAILED),
            cancelled_at=t,
        )
        for sku_id, q in c.execute(
            "SELECT sku_id, quantity FROM order_item WHERE order_id = ?", (oid,)
        ).fetchall():
            self._move_stock(c, sku_id, q, t, oid, "adjust")

    def _ev_pay(self, c, t, oid, _arg, rng) -> None:
        row = c.execute('SELECT status, paid_at FROM "order" WHERE id = ?', (oid,)).fetchone()
        if row is None or row[0] != int(OrderStatus.UNPAID) or row[1] is not None:
            return
        self._touch_order(c, oid, t, paid_at=t)
        rf = rng.random()
        if rf < 0.62:
            delay = int(rng.random() * 60)
        elif rf < 0.9:
            delay = 60 + int(rng.random() * 1800)
        else:
            delay = self._sc(1800 + rng.random() * 6 * HOUR)
        self.schedule(c, t + delay, "group", oid)

    def _ev_group(self, c, t, oid, _arg, rng) -> None:
        row = c.execute('SELECT status FROM "order" WHERE id = ?', (oid,)).fetchone()
        if row is None or row[0] != int(OrderStatus.UNPAID):
            return
        hours = c.execute(
            "SELECT MIN(COALESCE(NULLIF(g.promise_hours, 0), 48)) FROM order_item i JOIN goods g ON "
            "g.goods_id = i.goods_id "
            "WHERE i.order_id = ?",
            (oid,),
        ).fetchone()[0]
        self._touch_order(
            c,
            oid,
            t,
            status=int(OrderStatus.TO_SHIP),
            confirm_status=1,
            group_status=int(GroupStatus.FORMED),
            group_formed_at=t,
            confirmed_at=t,
            ship_deadline_at=t + int(hours or 48) * HOUR,
        )
        if rng.random() < 0.04:
            self.schedule(c, t + self._sc(600 + rng.random() * 6 * HOUR), "refund_request", oid)

    def _open_case(self, c, t, oid, typ: int, status: int, refund: int, reason: str, rng) -> int:
        item = c.execute(
            "SELECT goods_id, sku_id, quantity FROM order_item WHERE order_id = ? ORDER BY id LIMIT 1", (oid,)
        ).fetchone()
        last = c.execute("SELECT MAX(id) FROM after_sale").fetchone()[0] or 9_000_000_000
        cid = int(last) + 7 + int(rng.random() * 9)
        expire = t + self._sc(48 * HOUR)
        stamp = self._stamp(t)
        c.execute(
            "INSERT INTO after_sale (id, order_id, type, status, reason, buyer_remark, "
            "refund_amount_fen, goods_id, sku_id, "
            "quantity, return_tracking_number, return_shipping_name, created_at, expire_at, "
            "closed_at, platform_updated_at) "
            "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, '', '', ?, ?, NULL, ?)",
            (cid, oid, typ, status, reason, refund, item[0], item[1], item[2], t, expire, stamp),
        )
        c.execute(
            "INSERT INTO after_sale_event (after_sale_id, at, actor, action, status_after, note) "
            "VALUES (?, ?, 'buyer', ?, ?, ?)",
            (cid, t, "申请仅退款" if typ == 1 else "申请退货退款", status, reason),
        )
        self._touch_order(c, oid, t, refund_status=int(RefundStatus.IN_PROGRESS), after_sales_status=status)
        self.schedule(c, expire, "case_expire", cid)
        if rng.random() < 0.2:
            self.schedule(c, t + self._sc(HOUR + rng.random() * DAY), "case_cancel", cid)
        return cid

    def _ev_refund_request(self, c, t, oid, _arg, rng) -> None:
        row = c.execute(
            'SELECT status, refund_status, pay_amount_fen FROM "order" WHERE id = ?', (oid,)
        ).fetchone()
        if row is None or row[0] != int(OrderStatus.TO_SHIP) or row[1] != int(RefundStatus.NONE):
            return
        self._open_case(
            c, t, oid, 1, 2, row[2], _REFUND_REASONS[int(rng.random() * len(_REFUND_REASONS))], rng
        )

    def _ev_aftersale_request(self, c, t, oid, _arg, rng) -> None:
        row = c.execute(
            'SELECT status, refund_status, pay_amount_fen FROM "order" WHERE id = ?', (oid,)
        ).fetchone()
        if row is None or row[0] != int(OrderStatus.SIGNED) or row[1] != int(RefundStatus.NONE):
            return
        if rng.random() < 0.6:
            self._open_case(
                c, t, oid, 2, 3, row[2], _RETURN_REASONS[int(rng.random() * len(_RETURN_REASONS))], rng
            )
        else:
            self._open_case(c, t, oid, 1, 2, max(1, row[2] // 2), "商品破损/少件", rng)

    # ------------------------------------------------------------------ after-sales events

    def _case_status(self, c, cid: int) -> int | None:
        row = c.execute("SELECT status FROM after_sale WHERE id = ?", (cid,)).fetchone()
        return None if row is None else int(row[0])

    def _ev_case_expire(self, c, t, cid, _arg, rng) -> None:
        status = self._case_status(c, cid)
        if status == 2:
            self.shop.set_case_status(
                c, cid, 4, self._stamp(t), actor="system", action="商家逾期未处理，系统同意退款"
            )
            self.on_refund_agreed(c, cid, t)
        elif status == 3:
            self.shop.set_case_status(
                c, cid, 7, self._stamp(t), actor="system", action="商家逾期未处理，系统同意退货"
            )
            self.on_return_agreed(c, cid, t)

    def _ev_case_cancel(self, c, t, cid, _arg, _rng) -> None:
        if self._case_status(c, cid) in (2, 3, 7):
            self.shop.set_case_status(c, cid, 11, self._stamp(t), actor="buyer", action="撤销申请")

    def _ev_refund_done(self, c, t, cid, _arg, _rng) -> None:
        if self._case_status(c, cid) in (4, 5):
            self.shop.set_case_status(c, cid, 10, self._stamp(t), actor="system", action="退款成功")

    def _ev_buyer_return(self, c, t, cid, _arg, rng) -> None:
        if self._case_status(c, cid) != 7:
            return
        courier = COURIERS[int(rng.random() * 4)]
        number = tracking_number(courier, rng.randrange(10**8), rng.randrange(10**courier.digits))
        c.execute(
            "UPDATE after_sale SET return_tracking_number = ?, return_shipping_name = ? WHERE id = ?",
            (number, courier.name, cid),
        )
        self.shop.set_case_status(c, cid, 27, self._stamp(t), actor="buyer", action="填写退货物流")
        self.schedule(c, t + self._sc(7 * DAY), "return_auto_refund", cid)

    def _ev_return_auto_refund(self, c, t, cid, _arg, rng) -> None:
        if self._case_status(c, cid) == 27:
            self.shop.set_case_status(
                c, cid, 4, self._stamp(t), actor="system", action="商家逾期未确认收货，系统同意退款"
            )
            self.on_refund_agreed(c, cid, t)

    def on_refund_agreed(self, c: sqlite3.Connection, cid: int, t: int) -> None:
        """After a refund is agreed the money goes back within minutes."""
        rng = random.Random(f"{self.shop.seed}:refund:{cid}:{t}")
        self.schedule(c, t + self._sc(60 + rng.random() * 540), "refund_done", cid)

    def on_return_agreed(self, c: sqlite3.Connection, cid: int, t: int) -> None:
        """After a return is agreed the buyer sends the goods back (or gives up)."""
        rng = random.Random(f"{self.shop.seed}:return:{cid}:{t}")
        if rng.random() < 0.1:
            self.schedule(c, t + self._sc(HOUR + rng.random() * DAY), "case_cancel", cid)
        else:
            self.schedule(c, t + self._sc(HOUR + rng.random() * 2 * DAY), "buyer_return", cid)

    def on_exchange_shipped(self, c: sqlite3.Connection, cid: int, t: int) -> None:
        """After a 换货/补寄 parcel is sent the buyer confirms it within days."""
        rng = random.Random(f"{self.shop.seed}:exchange:{cid}:{t}")
        self.schedule(c, t + self._sc(DAY + rng.random() * 3 * DAY), "exchange_done", cid)

    def _ev_exchange_done(self, c, t, cid, _arg, _rng) -> None:
        if self._case_status(c, cid) == 18:
            self.shop.set_case_status(
                c, cid, 16, self._stamp(t), actor="buyer", action="确认收货，换货补寄成功"
            )

    # ------------------------------------------------------------------ parcels

    def on_shipped(self, c: sqlite3.Connection, pid: int, oid: int | None, t: int) -> None:
        """Schedule a new parcel's scans; ``oid`` (main parcels) gets 已签收 when it is signed.

        Some parcels go wrong as real ones do (shares in :data:`PARCEL_PROBLEMS`): never
        picked up, stalled after the first transit scan, or refused by the buyer and sent back
        (the courier's words in the trace).
        """
        rng = random.Random(f"{self.shop.seed}:ship:{pid}")
        pickup = t + self._sc(HOUR + rng.random() * 5 * HOUR)
        sign = t + self._sc(36 * HOUR + rng.random() * 3.5 * DAY)
        transit = pickup + max(1, (sign - pickup) // 3)
        delivering = pickup + max(2, (sign - pickup) * 5 // 6)
        problem = _parcel_problem(rng.random())
        if problem == "no_pickup":
            return
        self.schedule(c, pickup, "scan", pid, "pickup")
        self.schedule(c, transit, "scan", pid, "transit")
        if problem == "stalled":
            return
        self.schedule(c, delivering, "scan", pid, "delivering")
        if problem == "refused":
            self.schedule(c, sign, "problem", pid, "refused")
            self.schedule(c, sign + self._sc(DAY), "problem", pid, "returned")
            return
        self.schedule(c, sign, "sign", pid)

    def _package(self, c, pid: int) -> tuple | None:
        return c.execute(
            "SELECT p.kind, p.voided_at, p.signed_at, k.name FROM package p LEFT JOIN courier k ON "
            "k.id = p.courier_id "
            "WHERE p.id = ?",
            (pid,),
        ).fetchone()

    _SCAN_TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        "pickup": ("义乌市", "【义乌市】{courier}义乌稠城网点已揽收"),
        "transit": ("金华市", "【金华市】已发往 目的地转运中心"),
        "delivering": ("", "【{city}】派件员正在为您派件"),
    }

    def _ev_scan(self, c, t, pid, kind, _rng) -> None:
        pkg = self._package(c, pid)
        if pkg is None or pkg[1] is not None or pkg[2] is not None:
            return
        city = c.execute(
            'SELECT o.city FROM package_order po JOIN "order" o ON o.id = po.order_id WHERE '
            "po.package_id = ? LIMIT 1",
            (pid,),
        ).fetchone()
        where, text = self._SCAN_TEXT[kind]
        where = where or (city[0] if city else "")
        c.execute(
            "INSERT INTO tracking_event (package_id, at, kind, location, description) VALUES (?, ?, ?, ?, ?)",
            (pid, t, kind, where, text.format(courier=pkg[3] or "", city=where)),
        )
        c.execute(
            "UPDATE package SET first_scan_at = COALESCE(first_scan_at, ?), last_event_at = ? WHERE id = ?",
            (t, t, pid),
        )

    _PROBLEM_TEXT: ClassVar[dict[str, str]] = {
        "refused": "【{city}】收件人拒收，快件退回中",
        "returned": "【义乌市】快件已退回寄件网点，请联系{courier}处理",
    }

    def _ev_problem(self, c, t, pid, which, _rng) -> None:
        """A courier-reported problem: an exception scan with the courier's words."""
        pkg = self._package(c, pid)
        if pkg is None or pkg[1] is not None or pkg[2] is not None:
            return
        city = c.execute(
            'SELECT o.city FROM package_order po JOIN "order" o ON o.id = po.order_id WHERE '
            "po.package_id = ? LIMIT 1",
            (pid,),
        ).fetchone()
        where = (city[0] if city else "") if which == "refused" else "义乌市"
        text = self._PROBLEM_TEXT[which].format(city=where, courier=pkg[3] or "快递网点")
        c.execute(
            "INSERT INTO tracking_event (package_id, at, kind, location, description) VALUES (?, ?, "
            "'exception', ?, ?)",
            (pid, t, where, text),
        )
        c.execute(
            "UPDATE package SET first_scan_at = COALESCE(first_scan_at, ?), last_event_at = ?, "
            "is_exception = 1 WHERE id = ?",
            (t, t, pid),
        )

    def _ev_sign(self, c, t, pid, _arg, rng) -> None:
        pkg = self._package(c, pid)
        if pkg is None or pkg[1] is not None or pkg[2] is not None:
            return
        c.execute(
            "INSERT INTO tracking_event (package_id, at, kind, location, description) VALUES (?, ?, "
            "'signed', '', ?)",
            (pid, t, "已签收，签收人：本人"),
        )
        c.execute(
            "UPDATE package SET first_scan_at = COALESCE(first_scan_at, ?), last_event_at = ?, "
            "signed_at = ? WHERE id = ?",
            (t, t, t, pid),
        )
        if pkg[0] != "normal":
            return
        for (oid,) in c.execute(
            'SELECT o.id FROM package_order po JOIN "order" o ON o.id = po.order_id WHERE po.package_id = ? '
            "AND o.status = ? ORDER BY o.id",
            (pid, int(OrderStatus.SHIPPED)),
        ).fetchall():
            self._touch_order(c, oid, t, status=int(OrderStatus.SIGNED), signed_at=t)
            if rng.random() < 0.03:
                self.schedule(c, t + self._sc(DAY + rng.random() * 4 * DAY), "aftersale_request", oid)


class SimRunner:
    """A daemon thread that advances the simulation to the platform's now every ``interval_s``."""

    def __init__(self, sim: Simulation, interval_s: float = 1.0) -> None:
        self.sim = sim
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: BaseException | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="sandbox-sim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.sim.catch_up()
            except Exception as exc:  # keep the platform up; the error is visible to tests
                self.last_error = exc
