"""The sandbox's 站内信: the demo's notices, and new ones published while the sandbox runs.

**Sandbox only.** The open platform has no API for merchant notices (pdd-open-api.md §7: none
in the doc index; ``pdd.mall.notification.type.show.check`` only tells whether a notice type is
shown). So the sandbox serves them under a name that is plainly not a platform API,
``sandbox.message.list.get`` (declared in ``services/sync/areas/messages.py``), and the app
calls it only for a demo shop.

The sandbox database is a copy of the demo shop, so its ``message`` table already holds the
demo's notices (same ``remote_id`` s as the app's copy). New notices are published on a fixed
schedule of platform time: slot ``k`` covers ``[now0 + k·interval, now0 + (k+1)·interval)``,
with ``interval`` = :data:`INTERVAL_S` / speed (at least a minute); slot ``k``'s notice (time
in the slot, category, template, values) comes from ``Random(f"{seed}:msg:{k}")``, so the same
seed publishes the same notices whatever the calls. They are written when a list call (or
:meth:`MessageService.publish_until`) reaches their time.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import UTC, datetime, timedelta

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.messages import PLATFORM_CATEGORIES, MessageCategory

#: A new notice about every 3 hours of platform time at speed 1 (the demo's 150 in 90 days is one
#: every 14 h; a shop in a busy season gets more) [I].
INTERVAL_S = 3 * 3600
#: Category weights, as the demo generator's (services/demo_shop/extras.py).
_WEIGHTS = (10, 25, 15, 15, 40, 25, 20)
_BEIJING = timedelta(hours=8)


class MessageService:
    """Publishing and listing the sandbox shop's notices (under the shop's lock)."""

    def __init__(self, shop) -> None:
        self.shop = shop

    @property
    def interval_s(self) -> int:
        """Platform seconds between two new notices."""
        return max(60, int(INTERVAL_S / max(0.001, float(self.shop.speed))))

    def _slot_notice(self, k: int, goods_names: list[str]) -> tuple:
        rng = random.Random(f"{self.shop.seed}:msg:{k}")
        at = self.shop.now0 + k * self.interval_s + int(rng.random() * self.interval_s)
        cum: list[int] = []
        acc = 0
        for w in _WEIGHTS:
            acc += w
            cum.append(acc)
        category = PLATFORM_CATEGORIES[bisect(cum, rng.random() * acc)]
        title_t, body_t = rng.choice(cat.MESSAGE_TEMPLATES[category])
        local = datetime.fromtimestamp(at, UTC) + _BEIJING
        values = {
            "shop": self.shop.credentials.mall_name,
            "date": (local + timedelta(days=7)).strftime("%Y-%m-%d"),
            "month": (local - timedelta(days=20)).strftime("%Y年%m月"),
            "amount": rng.choice((50, 100, 200, 300, 500, 1000, 2000)),
            "count": 2 + rng.randrange(9),
            "goods": rng.choice(goods_names) if goods_names else "",
            "rule": rng.choice(cat.GROWTH_TASKS),
            "activity": rng.choice(cat.ACTIVITIES),
        }
        return (
            f"sb-msg-{self.shop.seed}-{k}",
            int(category),
            cat.fill_message(title_t, **values),
            cat.fill_message(body_t, **values),
            at,
            1 if category == MessageCategory.IMPORTANT else 0,
        )

    def publish_until(self, to: int) -> int:
        """Write the notices of every slot that started by platform time ``to``; returns how many."""
        shop = self.shop
        with shop.lock:
            done = int(shop.meta("msg_slot") or -1)
            last = (int(to) - shop.now0) // self.interval_s
            if last <= done:
                return 0
            goods = [r[0] for r in shop.query("SELECT name FROM goods ORDER BY goods_id LIMIT 50")]
            written = 0
            with shop.tx() as c:
                for k in range(done + 1, last + 1):
                    notice = self._slot_notice(k, goods)
                    if notice[4] > to:  # the slot started, its notice is later in it
                        last = k - 1
                        break
                    c.execute(
                        "INSERT OR IGNORE INTO message (remote_id, category, title, body, created_at, "
                        "read_at, is_important, is_pinned) VALUES (?, ?, ?, ?, ?, NULL, ?, 0)",
                        notice,
                    )
                    written += 1
                c.execute("INSERT OR REPLACE INTO sandbox_meta VALUES ('msg_slot', ?)", (str(last),))
        return written

    def page(self, *, start: int, end: int, page: int, page_size: int) -> tuple[list[dict], int]:
        """Notices published in ``[start, end]`` (oldest first) and how many there are."""
        self.publish_until(min(end, self.shop.platform_now()))
        where = "WHERE created_at >= ? AND created_at <= ? AND remote_id IS NOT NULL"
        total = self.shop.query(f"SELECT COUNT(*) FROM message {where}", (start, end))[0][0]
        rows = self.shop.query(
            f"SELECT remote_id, category, title, body, created_at, is_important FROM message {where} "
            "ORDER BY created_at, id LIMIT ? OFFSET ?",
            (start, end, page_size, (page - 1) * page_size),
        )
        items = [
            {
                "msg_id": r[0],
                "type": int(r[1]),
                "title": r[2],
                "content": r[3],
                "send_time": int(r[4]),
                "is_important": int(r[5]),
            }
            for r in rows
        ]
        return items, int(total)
