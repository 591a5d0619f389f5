"""After-sales cases: ``after_sale`` and ``after_sale_event`` rows and the order's refund state."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.after_sales import DEFAULT_RESPONSE_HOURS, AfterSaleType
from pdd_desktop.services.demo_shop.constants import (
    _A_NONE,
    _CASE_TYPE_CUM,
    _CASE_TYPES,
    _OUTCOMES,
    _OUTCOMES_BEFORE_SHIPPING,
    _REFUND_STATUS_OF,
    _STEP_NOTES,
    _TERMINAL,
    _WAITING_ME,
    DAY,
    HOUR,
    MOVEMENT_WINDOW_S,
)


class _AfterSalesMixin:
    """The case picker and the case writer of the order loop."""

    def _pick_case(self, paid: int, ship: int | None) -> tuple | None:
        """Open an after-sales case on a paid order, or None when its moment is still to come.

        Returns:
            ``(type, status, created_at, before_shipping, sign_time_or_None)``.
        """
        rnd = self.rng.random
        now = self.now
        rt, r1, r2 = rnd(), rnd(), rnd()
        typ = _CASE_TYPES[bisect(_CASE_TYPE_CUM, rt)]
        if typ == AfterSaleType.REFUND_ONLY and (ship is None or r1 < 0.4):
            end = ship if ship is not None else now
            at = paid + 600 + int(r2 * max(1, end - paid - 600))
            pre, sign_hint, outcomes = True, None, _OUTCOMES_BEFORE_SHIPPING
        elif ship is not None:
            sign_hint = ship + 2 * DAY + int(r1 * 3 * DAY)
            if typ == AfterSaleType.REFUND_ONLY:
                at = ship + DAY + int(r2 * 5 * DAY)  # not received yet, broken, not as described
            elif typ == AfterSaleType.REPAIR:
                at = sign_hint + int(r2 * 20 * DAY)
            else:
                at = sign_hint + int(r2 * 6 * DAY)
            pre, outcomes = False, _OUTCOMES[typ]
        else:
            return None
        if at > now:
            return None
        age = now - at
        r3 = rnd()
        for limit, table in outcomes:
            if limit is None or age < limit:
                for share, code in table:
                    if r3 < share:
                        return (typ, code, at, pre, sign_hint)
                return (typ, table[-1][1], at, pre, sign_hint)
        return None

    def _case_writer(self) -> Callable[..., tuple[int, int, int, bool]]:
        """A function writing an after-sales case and its negotiation steps (stock returns included)."""
        rng = self.rng
        rnd = rng.random
        now = self.now
        ids = self.ids
        cases_out = self.out["after_sale"]
        events_out = self.out["after_sale_event"]
        movements = self.movements
        skt = self.sku_tuples
        couriers = cat.COURIERS
        track_serial = self.track_serial
        track_salt = self.track_salt
        return_cum = self.courier_cum[:4]  # buyers send returns with the big four
        return_top = return_cum[-1]
        courier_cum = self.courier_cum
        courier_top = courier_cum[-1]
        add_package = self._package_writer()
        case_base = 9_000_000_000 + rng.randrange(100_000_000)
        movement_window = now - MOVEMENT_WINDOW_S

        def write_case(oid, case, lines, pay_amount, goods_amount, dk) -> tuple[int, int, int, bool]:
            """Write a case; returns (order refund_status, status, last step time, refunded unshipped?)."""
            typ, code, at, pre, _sign = case
            ids["case"] += 1
            case_id = case_base + ids["case"] * 17 + int(rnd() * 17)  # unique, platform-looking ids
            path = cat.AFTER_SALE_PATHS[(typ, code)]
            if code in _TERMINAL:
                if typ == AfterSaleType.REFUND_ONLY:
                    span = 60 + int(rnd() * (6 * HOUR if pre else 3 * DAY))
                elif typ == AfterSaleType.REPAIR:
                    span = 5 * DAY + int(rnd() * 13 * DAY)
                elif typ == AfterSaleType.RESEND:
                    span = 3 * DAY + int(rnd() * 4 * DAY)
                else:
                    span = 3 * DAY + int(rnd() * 7 * DAY)
                end = closed = min(now, at + span)
            else:
                end = at + int((now - at) * (0.3 + 0.6 * rnd()))
                closed = None
            expire = at + DEFAULT_RESPONSE_HOURS * HOUR if code in _WAITING_ME else None
            s_line, q_line, p_line = lines[int(rnd() * len(lines))]
            sku = skt[s_line]
            if typ == AfterSaleType.REFUND_ONLY:
                full = pre or rnd() < 0.65
                refund = pay_amount if full else max(1, pay_amount * p_line * q_line // goods_amount // 2)
            elif typ == AfterSaleType.RETURN_REFUND:
                refund = max(1, pay_amount * p_line * q_line // goods_amount)
            else:
                refund = 0
            return_no = return_name = ""
            if typ == AfterSaleType.RETURN_REFUND and code in (27, 4, 10):
                rci = bisect(return_cum, rnd() * return_top)
                serial = track_serial[rci]
                track_serial[rci] = serial + 1
                return_no = cat.tracking_number(couriers[rci], serial, track_salt[rci])
                return_name = couriers[rci].name
            reasons = cat.AFTER_SALE_REASONS[typ]
            reason = reasons[int(rnd() * len(reasons))]
            remark = cat.AFTER_SALE_REMARKS[int(rnd() * len(cat.AFTER_SALE_REMARKS))]
            steps = len(path)
            eid = ids["case_event"]
            times = []
            for k, (actor, action, status_after) in enumerate(path):
                t = at + (end - at) * k // (steps - 1)
                times.append(t)
                eid += 1
                note = (reason + ("：" + remark if remark else "")) if k == 0 else _STEP_NOTES.get(action, "")
                events_out.append((eid, case_id, t, actor, action, status_after, note))
            ids["case_event"] = eid
            cases_out.append(
                (case_id, oid, int(typ), code, reason, remark, refund, sku[1], sku[0], q_line, return_no,
                 return_name, at, expire, closed, end)
            )  # fmt: skip
            if typ == AfterSaleType.RETURN_REFUND and code == 10 and end >= movement_window:
                movements.append((end, oid, s_line, q_line, "return", case_id))
            if typ in (AfterSaleType.EXCHANGE, AfterSaleType.RESEND) and code in (16, 18):
                sent = times[2 if typ == AfterSaleType.EXCHANGE else 1]
                got = end if code == 16 else sent + 2 * DAY + int(rnd() * DAY)
                ci = bisect(courier_cum, rnd() * courier_top)
                add_package((oid,), "resend", ci, sent, got, _A_NONE, dk)
            return _REFUND_STATUS_OF[code], code, end, pre and code == 10

        return write_case
