"""The shop's platform messages and invoice requests."""

from __future__ import annotations

import random
from bisect import bisect
from datetime import datetime

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.domain.orders import OrderStatus
from pdd_desktop.services.demo_shop.constants import (
    _BEIJING,
    _COMPANY_KINDS,
    _COMPANY_WORDS,
    _TAX_CHARS,
    DAY,
    HOUR,
)


class _ExtrasMixin:
    """Messages and invoice requests, written after the order loop."""

    def _write_messages(self) -> None:
        """150 notices of the last 90 days in the seven platform categories; 20 unread, 2 pinned."""
        rng = self.rng
        rnd = rng.random
        now = self.now
        templates = cat.MESSAGE_TEMPLATES
        categories = [c for c in MessageCategory if c in templates]
        cum = []
        acc = 0
        for weight in (10, 25, 15, 15, 40, 25, 20)[: len(categories)]:
            acc += weight
            cum.append(acc)
        goods_names = [g[2] for g in self.goods_rows]
        drafts = []
        for serial in range(150):
            category = categories[bisect(cum, rnd() * acc)]
            title_t, body_t = templates[category][int(rnd() * len(templates[category]))]
            at = now - int(rnd() * 90 * DAY)
            values = {
                "shop": self.shop_name,
                "date": datetime.fromtimestamp(at + 7 * DAY, _BEIJING).strftime("%Y-%m-%d"),
                "month": datetime.fromtimestamp(at - 20 * DAY, _BEIJING).strftime("%Y年%m月"),
                "amount": (50, 100, 200, 300, 500, 1000, 2000)[int(rnd() * 7)],
                "count": 2 + int(rnd() * 9),
                "goods": goods_names[int(rnd() * len(goods_names))],
                "rule": cat.GROWTH_TASKS[int(rnd() * len(cat.GROWTH_TASKS))],
                "activity": cat.ACTIVITIES[int(rnd() * len(cat.ACTIVITIES))],
            }
            title = cat.fill_message(title_t, **values)
            body = cat.fill_message(body_t, **values)
            drafts.append((at, serial, int(category), title, body))
        drafts.sort()
        newest = len(drafts) - 14
        unread = set(range(newest, len(drafts)))
        unread.update(rng.sample(range(newest), min(6, newest)))
        important = int(MessageCategory.IMPORTANT)
        pinned = set([k for k, d in enumerate(drafts) if d[2] == important][-2:])
        rows = []
        for k, (at, serial, category, title, body) in enumerate(drafts):
            read_at = None if k in unread else min(now, at + int(rnd() * 2 * DAY))
            rows.append((k + 1, f"msg-{at}-{serial:03d}", category, title, body, at, read_at,
                         1 if category == important else 0, 1 if k in pinned else 0))  # fmt: skip
        self._insert("message", rows)
        self.counts["messages"] = len(rows)

    def _write_invoice_requests(self) -> None:
        """About 1 % of the paid orders carry the buyer's invoice request (订单开票).

        Mostly 待开票, some 已开票 / 已上传 (numbered, without a PDF: the demo renders none);
        four in ten for a company with an 18-character tax number. A generator of its own
        (seeded from ``seed``) keeps every other table exactly as it was before invoices existed.
        """
        rng = random.Random(self.rng_seed * 7_919 + 104_729)
        rnd = rng.random
        now = self.now
        picks = sorted(rng.sample(range(1, self.n + 1), min(self.n, max(3, self.n // 80))))
        rows = []
        per_day: dict[str, int] = {}
        statuses: list[str] = []
        for lo in range(0, len(picks), 900):
            chunk = picks[lo : lo + 900]
            marks = ",".join("?" * len(chunk))
            found = self.conn.execute(
                'SELECT id, pay_amount_fen, paid_at, receiver_name, province FROM "order" '
                f"WHERE id IN ({marks}) AND paid_at IS NOT NULL AND status != ? AND pay_amount_fen > 0 "
                "ORDER BY id",
                (*chunk, int(OrderStatus.CANCELLED)),
            ).fetchall()
            for oid, pay, paid, receiver, province in found:
                company = rnd() < 0.4
                if company:
                    city = province.removesuffix("省").removesuffix("市")[:2]
                    word = _COMPANY_WORDS[int(rnd() * len(_COMPANY_WORDS))]
                    title = city + word + _COMPANY_KINDS[int(rnd() * len(_COMPANY_KINDS))]
                    region = str(110_000 + int(rnd() * 540_000))
                    tax_no = "91" + region + "".join(_TAX_CHARS[int(rnd() * 31)] for _ in range(10))
                else:
                    title, tax_no = receiver, ""
                mailbox = ("qq.com", "163.com", "126.com")[int(rnd() * 3)]
                email = f"{10_000_000 + int(rnd() * 90_000_000)}@{mailbox}"
                requested = paid + int(rnd() * min(5 * DAY, now - paid))
                r = rnd()
                if r < 0.65 or now - requested < HOUR:
                    status = "requested"
                else:
                    status = "issued" if r < 0.8 else "uploaded"
                statuses.append(status)
                kind = "company" if company else "personal"
                rows.append(
                    [len(rows) + 1, oid, kind, title, tax_no, email, pay, status, None, requested, None, None]
                )
        # Even a small demo shows each step: the oldest requests are the ones worked on.
        for want in ("issued", "uploaded"):
            if want not in statuses:
                for row in sorted(rows, key=lambda x: (x[9], x[0])):
                    if row[7] == "requested" and now - row[9] >= HOUR:
                        row[7] = want
                        break
        for row in rows:
            if row[7] == "requested":
                continue
            requested = row[9]
            issued = requested + int(rnd() * min(2 * DAY, now - requested))
            day = datetime.fromtimestamp(issued, _BEIJING).strftime("%Y%m%d")
            per_day[day] = per_day.get(day, 0) + 1
            row[8] = f"PDD{day}{per_day[day]:04d}"
            row[10] = issued
            if row[7] == "uploaded":
                row[11] = issued + int(rnd() * min(DAY, now - issued))
        self._insert("invoice_request", [tuple(row) for row in rows])
        self.counts["invoice_requests"] = len(rows)
