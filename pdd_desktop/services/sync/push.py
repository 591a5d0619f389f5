"""The outbox worker (sync.md "Push via outbox"): send local actions to the platform exactly once.

What an op type sends and how it reads its effect back is its :class:`~.plugin.PushOp` in the
registry (``services/sync/areas``); this module is the queue and the outcome classification.

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

import logging
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.task import TaskContext
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import sync_rules as rules
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
from pdd_desktop.services.sync.plugin import (
    ABSENT,
    CONFLICT,
    GONE,
    OTHER,
    PRESENT,
    WAIT,
    OutboxOp,
    PushOp,
    Registry,
    dumps,
)

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient

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
    #: The flags of the op types handled (e.g. goods pages refresh).
    changes: Changes = field(default_factory=Changes)


class Pusher:
    """Sends the outbox of the bound shop database through one client."""

    def __init__(
        self,
        client: PlatformClient,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        registry: Registry | None = None,
    ) -> None:
        if registry is None:
            from pdd_desktop.services.sync.registry import DEFAULT as registry
        self.client = client
        self.registry = registry
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

    def _candidates(self) -> list[OutboxOp]:
        marks = ",".join("?" * len(rules.OPEN_STATES))
        rows = database.execute_sql(
            f"SELECT {_OP_COLS} FROM outbox o WHERE o.state IN ('pending', 'unknown') AND NOT EXISTS ("
            "SELECT 1 FROM outbox p WHERE p.entity_type = o.entity_type "
            "AND p.entity_remote_id = o.entity_remote_id "
            f"AND p.id < o.id AND p.state IN ({marks})) ORDER BY o.id",
            rules.OPEN_STATES,
        ).fetchall()
        return [OutboxOp.from_row(r) for r in rows]

    def is_due(self, op: OutboxOp) -> bool:
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

    def _settle(
        self,
        op: OutboxOp,
        verdict: str,
        counts: PushCounts,
        spec: PushOp | None,
        done: dict[str, Any],
        *,
        other: bool,
    ) -> bool:
        """Finish ``op`` on a reconcile verdict before any send; False when it still must be sent.

        ``other``: an :data:`OTHER` verdict (a different effect is there) fails the op; without
        it that verdict is left to the send.
        """
        if verdict == PRESENT:
            self._succeed(op, done)
            counts.succeeded += 1
            return True
        if verdict == OTHER and other:
            self._fail(op, (spec.other_message if spec else "") or "平台上的结果与本条不同，本条未上传")
            counts.failed += 1
            return True
        if verdict == CONFLICT:
            counts.conflicts += 1
            return True
        if verdict == WAIT:
            return True
        if verdict == GONE:
            self._fail(op, (spec.gone_message if spec else "") or "平台上已找不到该对象，本条未上传")
            counts.failed += 1
            return True
        return False

    def process(self, op: OutboxOp, counts: PushCounts) -> None:
        """Reconcile, send and classify one op (see the module docstring)."""
        spec = self.registry.ops.get(op.op_type)
        if spec is not None:
            counts.changes = counts.changes | spec.changes
        if op.state == rules.UNKNOWN:
            # absent: the earlier send did not apply; sending again is safe now
            if self._settle(op, self._reconcile(op), counts, spec, {"reconciled": True}, other=True):
                return
        elif spec is not None and spec.read_first(op):
            # compare-and-set: read before writing (a different remote value is a conflict)
            if self._settle(op, self._reconcile(op), counts, spec, {"already": True}, other=False):
                return
        refused = spec.refuse(op) if spec is not None else ""
        if refused:
            self._fail(op, refused)
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
                verdict = ABSENT
            if verdict == PRESENT:
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

    def _backoff(self, op: OutboxOp) -> float:
        return rules.backoff_delay(op.attempts + 1, self.rng)

    # ------------------------------------------------------------------ sending

    def _send(self, op: OutboxOp) -> dict[str, Any]:
        spec = self.registry.ops.get(op.op_type)
        if spec is None:
            raise ValueError(f"未知的操作类型：{op.op_type}")
        res = spec.send(self.client, op)
        return {"api": res.api, "commit_id": res.commit_id} if res.commit_id else {"api": res.api}

    # ------------------------------------------------------------------ reconcile

    def _reconcile(self, op: OutboxOp, *, conflicts: bool = True) -> str:
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
            return WAIT
        except (ServerError, Unavailable, RecordError) as exc:
            self._delay(op, self._backoff(op), str(exc))
            return WAIT
        except (PlatformError, ValueError, KeyError) as exc:
            self._delay(op, self._backoff(op), f"核对平台状态失败：{exc}")
            return WAIT

    def _reconcile_read(self, op: OutboxOp, *, conflicts: bool) -> str:
        spec = self.registry.ops.get(op.op_type)
        if spec is None:
            return ABSENT
        return spec.reconcile(self, op, conflicts)

    # ------------------------------------------------------------------ state changes

    def _mark_in_flight(self, op: OutboxOp) -> bool:
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

    def _decrement_order(self, op: OutboxOp) -> None:
        if op.entity_type == "order":
            database.execute_sql(
                'UPDATE "order" SET pending_ops = MAX(0, pending_ops - 1) WHERE order_sn = ?',
                (op.entity_remote_id,),
            )

    def _succeed(self, op: OutboxOp, result: dict[str, Any]) -> None:
        now = clock.now()
        with write_transaction():
            n = database.execute_sql(
                "UPDATE outbox SET state = 'succeeded', completed_at = ?, result_json = ?, last_error = '', "
                "next_attempt_at = NULL WHERE id = ? AND state NOT IN ('succeeded', 'cancelled')",
                (now, dumps(result), op.id),
            ).rowcount
            if n:
                self._decrement_order(op)
            crash_point("before_result_commit")
        self._due.pop(op.op_id, None)

    def _fail(self, op: OutboxOp, message: str) -> None:
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET state = 'failed_permanent', last_error = ?, next_attempt_at = NULL "
                "WHERE id = ? AND state NOT IN ('succeeded', 'cancelled')",
                (message[:500], op.id),
            )
        self._due.pop(op.op_id, None)
        spec = self.registry.ops.get(op.op_type)
        if spec is not None and spec.on_failed is not None:
            spec.on_failed(self, op)

    def _unknown(self, op: OutboxOp, message: str) -> None:
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET state = 'unknown', last_error = ?, next_attempt_at = NULL WHERE id = ? "
                "AND state = 'in_flight'",
                (f"结果未知，将先核对平台：{message}"[:500], op.id),
            )
        self._due.pop(op.op_id, None)

    def _back_to_pending(
        self, op: OutboxOp, message: str, *, count_attempt: bool, delay: float | None
    ) -> None:
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

    def _delay(self, op: OutboxOp, delay: float, message: str) -> None:
        """Keep the op's state, retry after ``delay`` (a failed reconcile read)."""
        with write_transaction():
            database.execute_sql(
                "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                (self.wall() + delay, message[:500], op.id),
            )
        self._due[op.op_id] = self.monotonic() + delay

    def conflict(
        self, op: OutboxOp, field: str, base: str, local: str, remote: str, remote_values: dict[str, Any]
    ) -> None:
        """Record that ``field`` moved on the platform since the user saw it (the op waits for them).

        ``base`` / ``local`` / ``remote`` are display texts; ``remote_values`` is kept in the op's
        result for ``resolve_conflict``.
        """
        now = clock.now()
        with write_transaction():
            n = database.execute_sql(
                "UPDATE outbox SET state = 'conflict', result_json = ?, last_error = ? WHERE id = ? "
                "AND state IN ('pending', 'unknown')",
                (dumps({"remote": remote_values}), "平台上的值已被修改，需要选择保留哪一边", op.id),
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
