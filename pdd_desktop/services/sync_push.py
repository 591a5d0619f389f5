"""The outbox worker (sync.md "Push via outbox"): send local actions to the platform exactly once.

- At the start of every push, ``in_flight`` ops become ``unknown`` (the process died mid-send).
- Per-entity FIFO: only the oldest open op of an entity is considered; later ones wait.
- ``unknown`` ops are reconciled by reading the remote state before anything is resent.
- An op is marked ``in_flight`` with its attempt counted, and committed, before it is sent.
- The outcome is classified in one short transaction (see :meth:`Pusher._send`).

Back-off deadlines are kept twice: on the injected monotonic clock for this process, and as
wall-clock epoch seconds in ``outbox.next_attempt_at`` so they survive a restart (a deadline
further ahead than the cap plus an hour is taken as a clock jump and ignored).

Test hook: the environment variable ``PDD_SYNC_CRASH_AT`` names a point where the process kills
itself with SIGKILL (tests/services/test_sync_reliability.py runs the engine in a subprocess
that way): ``before_in_flight_commit`` (the op's ``in_flight`` update is written but not
committed), ``after_send`` (the request went out and the platform answered, the answer is not
read; called by the test's HTTP transport through :func:`crash_point`) and
``before_result_commit`` (the answer is read, the op's outcome is written but not committed).
Unset (always, outside those tests) it does nothing.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.platform.client import PlatformClient
from pdd_desktop.platform.errors import (
    AuthExpired,
    AuthRejected,
    BusinessError,
    PlatformError,
    RateLimited,
    RequestRejected,
    ServerError,
    SignatureRejected,
    TransportError,
    Unavailable,
)
from pdd_desktop.platform.records import RecordError

log = logging.getLogger(__name__)

_OP_COLS = (
    "id, op_id, op_type, entity_type, entity_remote_id, payload_json, base_json, state, attempts, "
    "next_attempt_at, result_json"
)
#: A stored deadline further ahead than this is a wall-clock jump: ignore it.
_MAX_AHEAD_S = rules.BACKOFF_CAP_S + 3600

#: Test hook (see the module docstring): the crash point named by the environment, or None.
_CRASH_POINT = os.environ.get("PDD_SYNC_CRASH_AT") or None


def crash_point(name: str) -> None:
    """Test hook: SIGKILL this process when ``PDD_SYNC_CRASH_AT`` names ``name``; else nothing."""
    if _CRASH_POINT is not None and _CRASH_POINT == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class _Op:
    id: int
    op_id: str
    op_type: str
    entity_type: str
    entity_remote_id: str
    payload: dict[str, Any]
    base: dict[str, Any]
    state: str
    attempts: int
    next_attempt_at: float | None
    result: dict[str, Any]

    @classmethod
    def from_row(cls, r: tuple) -> _Op:
        def load(text: str) -> dict[str, Any]:
            try:
                value = json.loads(text or "{}")
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}

        return cls(r[0], r[1], r[2], r[3], r[4], load(r[5]), load(r[6]), r[7], r[8], r[9], load(r[10]))


class StopPush(Exception):
    """The whole queue stops: ``outcome`` is auth_needed / rate_limited / offline."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


@dataclass
class PushCounts:
    """What one outbox pass did."""

    sent: int = 0
    succeeded: int = 0
    failed: int = 0
    conflicts: int = 0
    goods: bool = False  #: a goods / SKU op was handled (the goods pages refresh)
    after_sales: bool = False  #: an after-sales decision was handled


GONE_MESSAGE = "平台上已找不到这个商品规格（可能已删除），本条未上传；请核对后放弃"


def _value_text(field: str, value: Any) -> str:
    """A stock or price value as the conflict list shows it: ``12 件``, ``拼单价 ¥9.90 · 单买价 ¥12.90``."""
    if field == "stock":
        return "—" if value is None else f"{value} 件"
    group, single = ([*value, None, None] if isinstance(value, list | tuple) else [None, None])[:2]
    pairs = (("拼单价", group), ("单买价", single))
    parts = [f"{label} {format_yuan(int(fen))}" for label, fen in pairs if fen is not None]
    return " · ".join(parts) or "—"


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


class Pusher:
    """Sends the outbox of the bound shop database through one client."""

    def __init__(
        self,
        client: PlatformClient,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.monotonic = monotonic
        self.wall = wall
        self.rng = rng or random.Random()
        #: op_id → monotonic deadline (this process).
        self._due: dict[str, float] = {}
        #: The whole queue waits until this monotonic time (rate limit).
        self.paused_until = 0.0

    # ------------------------------------------------------------------ queue

    def recover(self) -> int:
        """``in_flight`` → ``unknown``: a send whose outcome this process never saw."""
        with write_transaction():
            return database.execute_sql(
                "UPDATE outbox SET state = 'unknown', "
                "last_error = '上次发送时程序中断，结果未知，将先核对平台' "
                "WHERE state = 'in_flight'"
            ).rowcount

    def _candidates(self) -> list[_Op]:
        marks = ",".join("?" * len(rules.OPEN_STATES))
        rows = database.execute_sql(
            f"SELECT {_OP_COLS} FROM outbox o WHERE o.state IN ('pending', 'unknown') AND NOT EXISTS ("
            "SELECT 1 FROM outbox p WHERE p.entity_type = o.entity_type "
            "AND p.entity_remote_id = o.entity_remote_id "
            f"AND p.id < o.id AND p.state IN ({marks})) ORDER BY o.id",
            rules.OPEN_STATES,
        ).fetchall()
        return [_Op.from_row(r) for r in rows]

    def is_due(self, op: _Op) -> bool:
        mono = self._due.get(op.op_id)
        if mono is not None:
            return self.monotonic() >= mono
        if op.next_attempt_at is None:
            return True
        ahead = op.next_attempt_at - self.wall()
        return ahead <= 0 or ahead > _MAX_AHEAD_S

    def waiting_count(self) -> int:
        return database.execute_sql(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight', 'unknown')"
        ).fetchone()[0]

    def run(self, task: TaskContext | None = None) -> PushCounts:
        """Send every due op once (at most); raises :class:`StopPush` when the queue must stop."""
        counts = PushCounts()
        self.recover()
        if self.monotonic() < self.paused_until:
            raise StopPush("rate_limited", "平台限流，稍后继续上传")
        tried: set[str] = set()
        while True:
            if task is not None:
                task.raise_if_cancelled()
            ops = [op for op in self._candidates() if op.op_id not in tried and self.is_due(op)]
            if not ops:
                return counts
            if task is not None:
                task.report(len(tried), len(tried) + len(ops), f"上传本地操作（剩余 {len(ops)} 条）")
            op = ops[0]
            tried.add(op.op_id)
            self.process(op, counts)

    # ------------------------------------------------------------------ one op

    def process(self, op: _Op, counts: PushCounts) -> None:
        if op.op_type in ("set_stock", "set_price", "set_onsale"):
            counts.goods = True
        elif op.op_type in rules.MONEY_OP_TYPES:
            counts.after_sales = True
        if op.state == rules.UNKNOWN:
            verdict = self._reconcile(op)
            if verdict == "present":
                self._succeed(op, {"reconciled": True})
                counts.succeeded += 1
                return
            if verdict == "other":
                self._fail(op, "平台上该订单已用其他运单号发货，本条未上传；请核对后放弃或修改发货")
                counts.failed += 1
                return
            if verdict == "conflict":
                counts.conflicts += 1
                return
            if verdict == "wait":
                return
            if verdict == "gone":
                self._fail(op, GONE_MESSAGE)
                counts.failed += 1
                return
            # absent: the earlier send did not apply; sending again is safe now
        elif op.op_type in ("set_memo", "set_stock", "set_price") or self._no_logistics(op):
            verdict = self._reconcile(op)  # compare-and-set: read before writing
            if verdict == "present":
                self._succeed(op, {"already": True})
                counts.succeeded += 1
                return
            if verdict == "conflict":
                counts.conflicts += 1
                return
            if verdict == "wait":
                return
            if verdict == "gone":
                self._fail(op, GONE_MESSAGE)
                counts.failed += 1
                return
        if self._no_logistics(op):
            self._fail(op, rules.NO_LOGISTICS_MESSAGE)
            counts.failed += 1
            return
        if not self._mark_in_flight(op):
            return
        counts.sent += 1
        try:
            result = self._send(op)
        except (AuthExpired, AuthRejected, SignatureRejected) as exc:
            self._back_to_pending(op, str(exc), count_attempt=False, delay=None)
            raise StopPush("auth_needed", f"需要重新授权店铺：{exc}") from None
        except RateLimited as exc:
            wait = (
                exc.retry_after_s
                if exc.retry_after_s is not None
                else rules.backoff_delay(op.attempts + 1, self.rng)
            )
            self.paused_until = self.monotonic() + wait
            self._back_to_pending(op, str(exc), count_attempt=False, delay=wait)
            raise StopPush("rate_limited", f"平台限流，{wait:.0f} 秒后继续上传") from None
        except TransportError as exc:
            if not exc.sent:
                self._back_to_pending(op, str(exc), count_attempt=True, delay=self._backoff(op))
                raise StopPush("offline", f"无法连接平台：{exc}") from None
            self._unknown(op, str(exc))
            return
        except Unavailable as exc:
            self._back_to_pending(op, str(exc), count_attempt=True, delay=self._backoff(op))
            return
        except ServerError as exc:
            self._unknown(op, str(exc))
            return
        except BusinessError as exc:
            # "Already done" answers (shipped with this number, refund already agreed) end well:
            # read the remote state back and decide on what is there.
            try:
                verdict = self._reconcile(op, conflicts=False)
            except StopPush:
                verdict = "absent"
            if verdict == "present":
                self._succeed(op, {"already": True, "message": str(exc)})
                counts.succeeded += 1
            else:
                self._fail(op, str(exc))
                counts.failed += 1
            return
        except (RequestRejected, PlatformError, ValueError, RecordError) as exc:
            self._fail(op, str(exc))
            counts.failed += 1
            return
        self._succeed(op, result)
        counts.succeeded += 1

    @staticmethod
    def _no_logistics(op: _Op) -> bool:
        return op.op_type == "ship_order" and bool(op.payload.get("no_logistics"))

    def _backoff(self, op: _Op) -> float:
        return rules.backoff_delay(op.attempts + 1, self.rng)

    # ------------------------------------------------------------------ sending

    def _send(self, op: _Op) -> dict[str, Any]:
        p, c = op.payload, self.client
        sn = op.entity_remote_id
        if op.op_type in ("ship_order", "modify_shipment"):
            redelivery = 2 if op.op_type == "modify_shipment" else int(p.get("redelivery_type") or 1)
            res = c.ship(
                str(p.get("order_sn") or sn),
                int(p["logistics_id"]),
                str(p["tracking_number"]),
                redelivery_type=redelivery,
            )
        elif op.op_type == "extra_logistics":
            tracks = [
                (int(t["shipping_id"]), str(t["tracking_number"])) for t in p.get("extra_track_list") or []
            ]
            res = c.ship_extra(str(p.get("order_sn") or sn), tracks, int(p.get("extra_track_type") or 1))
        elif op.op_type == "set_memo":
            tag = p.get("tag")
            res = c.update_note(sn, str(p.get("note") or ""), tag, p.get("tag_name") or None)
        elif op.op_type == "set_stock":
            res = c.update_stock(int(p["goods_id"]), int(p["sku_id"]), int(p["quantity"]))
        elif op.op_type == "set_price":
            res = c.update_sku_price(
                int(p["goods_id"]),
                int(p["sku_id"]),
                group_price_fen=int(p["group_price_fen"]),
                single_price_fen=int(p["single_price_fen"]),
            )
        elif op.op_type == "set_onsale":
            res = c.set_sale_status(int(p["goods_id"]), bool(p["is_onsale"]))
        elif op.op_type == "refund_agree":
            res = c.refund_agree(int(p["after_sales_id"]), str(p["order_sn"]), p.get("operate_desc") or None)
        elif op.op_type == "return_goods_agree":
            res = c.return_goods_agree(
                int(p["after_sales_id"]),
                str(p["order_sn"]),
                int(p["return_address_id"]),
                str(p.get("operate_desc") or ""),
            )
        else:
            raise ValueError(f"未知的操作类型：{op.op_type}")
        return {"api": res.api, "commit_id": res.commit_id} if res.commit_id else {"api": res.api}

    # ------------------------------------------------------------------ reconcile

    def _reconcile(self, op: _Op, *, conflicts: bool = True) -> str:
        """Read the remote state: ``present`` / ``absent`` / ``other`` / ``conflict`` / ``gone``.

        Read failures leave the op as it is (with a back-off) and raise :class:`StopPush` for
        auth and connection problems; other read errors keep the op and answer ``"wait"``.
        """
        try:
            return self._reconcile_read(op, conflicts=conflicts)
        except (AuthExpired, AuthRejected, SignatureRejected) as exc:
            raise StopPush("auth_needed", f"需要重新授权店铺：{exc}") from None
        except RateLimited as exc:
            wait = exc.retry_after_s if exc.retry_after_s is not None else 30.0
            self.paused_until = self.monotonic() + wait
            self._delay(op, wait, str(exc))
            raise StopPush("rate_limited", f"平台限流，{wait:.0f} 秒后继续上传") from None
        except TransportError as exc:
            self._delay(op, self._backoff(op), str(exc))
            if not exc.sent:
                raise StopPush("offline", f"无法连接平台：{exc}") from None
            return "wait"
        except (ServerError, Unavailable, RecordError) as exc:
            self._delay(op, self._backoff(op), str(exc))
            return "wait"
        except (PlatformError, ValueError, KeyError) as exc:
            self._delay(op, self._backoff(op), f"核对平台状态失败：{exc}")
            return "wait"

    def _reconcile_read(self, op: _Op, *, conflicts: bool) -> str:
        p, c = op.payload, self.client
        if op.op_type in ("ship_order", "modify_shipment"):
            rec = c.order_detail(str(p.get("order_sn") or op.entity_remote_id))
            if self._no_logistics(op):
                return "present" if rec.order_status in (2, 3) else "absent"
            return rules.ship_effect(p, rec.order_status, rec.logistics_id, rec.tracking_number)
        if op.op_type == "extra_logistics":
            rec = c.order_detail(str(p.get("order_sn") or op.entity_remote_id))
            numbers = {d.tracking_number for d in rec.deliveries}
            return "present" if rules.extra_effect(p, numbers) else "absent"
        if op.op_type == "set_memo":
            rec = c.order_detail(op.entity_remote_id)
            verdict = rules.memo_state(p, op.base, rec.seller_memo, rec.flag)
            if verdict == "conflict":
                if not conflicts:
                    return "absent"
                self._conflict(
                    op,
                    "seller_memo",
                    rules.memo_text(op.base.get("note"), op.base.get("tag")),
                    rules.memo_text(p.get("note"), p.get("tag")),
                    rules.memo_text(rec.seller_memo, rec.flag),
                    {"note": rec.seller_memo, "tag": rec.flag, "tag_name": rec.flag_name},
                )
            return "absent" if verdict == "send" else verdict
        if op.op_type in ("set_stock", "set_price"):
            goods = c.goods_detail(int(p["goods_id"]))
            sku = next((s for s in goods.skus if s.sku_id == int(p["sku_id"])), None)
            if sku is None:
                return "gone"
            if op.op_type == "set_stock":
                field, target, base, remote = (
                    "stock",
                    p.get("quantity"),
                    op.base.get("quantity"),
                    sku.quantity,
                )
            else:
                field = "price"
                target = [p.get("group_price_fen"), p.get("single_price_fen")]
                base = [op.base.get("group_price_fen"), op.base.get("single_price_fen")]
                remote = [sku.group_price_fen, sku.single_price_fen]
            verdict = rules.cas_state(target, base, remote)
            if verdict == "conflict":
                if not conflicts:
                    return "absent"
                self._conflict(
                    op, field, _value_text(field, base), _value_text(field, target),
                    _value_text(field, remote), {"value": remote},
                )  # fmt: skip
            return "absent" if verdict == "send" else verdict
        if op.op_type in rules.MONEY_OP_TYPES:
            case = c.refund_detail(int(p["after_sales_id"]), str(p["order_sn"]))
            return "present" if rules.refund_effect(op.op_type, case.status) else "absent"
        if op.op_type == "set_onsale":
            goods = c.goods_detail(int(p["goods_id"]))
            return "present" if goods.is_onsale == bool(p["is_onsale"]) else "absent"
        return "absent"

    # ------------------------------------------------------------------ state changes

    def _mark_in_flight(self, op: _Op) -> bool:
        now = clock.now()
        with write_transaction():
            n = database.execute_sql(
                "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, sent_at = ? "
                "WHERE id = ? AND state IN ('pending', 'unknown')",
                (now, op.id),
            ).rowcount
            crash_point("before_in_flight_commit")
        if n:
            op.attempts += 1
        return bool(n)

    def _decrement_order(self, op: _Op) -> None:
        if op.entity_type == "order":
            database.execute_sql(
                'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?',
                (op.entity_remote_id,),
            )

    def _succeed(self, op: _Op, result: dict[str, Any]) -> None:
        now = clock.now()
        with write_transaction():
            n = database.execute_sql(
                "UPDATE outbox SET state = 'succeeded', completed_at = ?, result_json = ?, last_error = '', "
                "next_attempt_at = NULL WHERE id = ? AND state NOT IN ('succeeded', 'cancelled')",
                (now, _dumps(result), op.id),
            ).rowcount
            if n:
                self._decrement_order(op)
            crash_point("before_result_commit")
        self._due.pop(op.op_id, None)

    def _fail(self, op: _Op, message: str) -> None:
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET state = 'failed_permanent', last_error = ?, next_attempt_at = NULL "
                "WHERE id = ? AND state NOT IN ('succeeded', 'cancelled')",
                (message[:500], op.id),
            )
        self._due.pop(op.op_id, None)
        if op.op_type in rules.MONEY_OP_TYPES:
            self._restore_case(op)

    def _restore_case(self, op: _Op) -> None:
        """A refused after-sales decision: show the case as the platform has it again.

        The decision was shown locally at once (the case moved on); the platform did not take
        it, and an unchanged case never comes back through the increment pull. Best effort: a
        failed read leaves the case until the platform next changes it.
        """
        from pdd_desktop.services.sync_pull import apply_cases  # the pull's own merge

        p = op.payload
        try:
            case = self.client.refund_detail(int(p["after_sales_id"]), str(p["order_sn"]))
        except Exception as exc:  # best effort, logged
            log.info("case %s not re-read after a refused decision: %s", p.get("after_sales_id"), exc)
            return
        with write_transaction():
            # Same version as stored: forget the stored content so the merge applies it again.
            database.execute_sql("UPDATE after_sale SET remote_hash = NULL WHERE id = ?", (case.id,))
            apply_cases([case], {case.id: case})

    def _unknown(self, op: _Op, message: str) -> None:
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET state = 'unknown', last_error = ?, next_attempt_at = NULL WHERE id = ? "
                "AND state = 'in_flight'",
                (f"结果未知，将先核对平台：{message}"[:500], op.id),
            )
        self._due.pop(op.op_id, None)

    def _back_to_pending(self, op: _Op, message: str, *, count_attempt: bool, delay: float | None) -> None:
        wall = None if delay is None else self.wall() + delay
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ?, "
                "attempts = MAX(0, attempts - ?) WHERE id = ? AND state = 'in_flight'",
                (message[:500], wall, 0 if count_attempt else 1, op.id),
            )
        if not count_attempt:
            op.attempts = max(0, op.attempts - 1)
        if delay is None:
            self._due.pop(op.op_id, None)
        else:
            self._due[op.op_id] = self.monotonic() + delay

    def _delay(self, op: _Op, delay: float, message: str) -> None:
        """Keep the op's state, retry after ``delay`` (a failed reconcile read)."""
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                (self.wall() + delay, message[:500], op.id),
            )
        self._due[op.op_id] = self.monotonic() + delay

    def _conflict(
        self, op: _Op, field: str, base: str, local: str, remote: str, remote_values: dict[str, Any]
    ) -> None:
        now = clock.now()
        with write_transaction():
            n = database.execute_sql(
                "UPDATE outbox SET state = 'conflict', result_json = ?, last_error = ? WHERE id = ? "
                "AND state IN ('pending', 'unknown')",
                (_dumps({"remote": remote_values}), "平台上的值已被修改，需要选择保留哪一边", op.id),
            ).rowcount
            if not n:
                return
            database.execute_sql(
                "INSERT INTO sync_conflict (entity_type, entity_remote_id, field, base_value, local_value, "
                "remote_value, op_id, detected_at, resolution, resolved_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (op.entity_type, op.entity_remote_id, field, base, local, remote, op.op_id, now),
            )
            if op.entity_type == "order":
                database.execute_sql(
                    'UPDATE "order" SET has_conflict = 1 WHERE order_sn = ?', (op.entity_remote_id,)
                )
        self._due.pop(op.op_id, None)
