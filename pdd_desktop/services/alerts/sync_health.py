"""Rules: local actions the platform keeps refusing (outbox), and sync that stopped succeeding.

- 上传失败: outbox ops in ``failed_permanent`` (the platform refused them; they wait for the
  merchant in the 同步 window) or retried ``ATTENTION_ATTEMPTS`` times already (the outbox panel
  marks the same ops 多次失败).
- 同步中断: runs keep failing (not offline, not cancelled) and nothing succeeded for
  ``max(30 min, 3 × the sync interval)``. Offline is the computer's state, shown in the status
  bar, not an alert; a shop that never synced has nothing to lose yet.
"""

from __future__ import annotations

from collections.abc import Iterator

from pdd_desktop.data.queries import alerts as q
from pdd_desktop.domain import sync_rules
from pdd_desktop.domain.alerts import TARGET_SYNC, Severity
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext

MINUTE = 60
#: Never "stopped" sooner than this after the last success.
MIN_STOPPED_S = 30 * MINUTE
#: Why a run ended, in the merchant's words.
_OUTCOMES = {
    "failed": "同步失败",
    "auth_needed": "授权已失效，需要重新授权",
    "rate_limited": "平台限流",
    "aborted": "同步中断",
}


def evaluate_outbox(ctx: RuleContext) -> Iterator[Finding]:
    """上传失败."""
    ops = q.failing_outbox_ops(
        sync_rules.FAILED, (sync_rules.PENDING, sync_rules.UNKNOWN), sync_rules.ATTENTION_ATTEMPTS
    )
    if ops:
        error = next((e for _i, _t, e in reversed(ops) if e), "")
        yield Finding(
            key="outbox_failed",
            kind="outbox_failed",
            severity=Severity.HIGH,
            title=f"{len(ops):,} 个本地操作上传平台失败",
            why="平台拒绝或多次没有接受这些操作，平台上的订单或商品与本机不一致。"
            + (f"最近的原因：{error[:200]}" if error else "")
            + "请在 同步 窗口中重试或放弃。",
            count=len(ops),
            target=TARGET_SYNC,
            target_ids=tuple(i for i, _t, _e in ops),
        )


def evaluate_sync(ctx: RuleContext) -> Iterator[Finding]:
    """同步中断."""
    last_ok, latest, failed = q.sync_run_summary()
    if latest is None or failed == 0:
        return
    outcome, _finished, detail = latest
    if outcome not in _OUTCOMES:
        return  # the latest run succeeded, was offline or cancelled
    limit = max(MIN_STOPPED_S, 3 * ctx.settings.sync_interval_minutes * MINUTE)
    if last_ok is not None and ctx.now - last_ok < limit:
        return
    since = "从未成功同步" if last_ok is None else f"已有 {(ctx.now - last_ok) // MINUTE:,} 分钟没有成功同步"
    yield Finding(
        key="sync_stopped",
        kind="sync_stopped",
        severity=Severity.HIGH,
        title="与平台的同步已中断",
        why=f"{since}，其间 {failed:,} 次同步没有完成（{_OUTCOMES[outcome]}"
        + (f"：{detail[:200]}" if detail else "")
        + "）。新订单和售后可能没有显示。",
        count=failed,
        target=TARGET_SYNC,
    )


OUTBOX_RULE = Rule("outbox", ("outbox_failed",), evaluate_outbox)
SYNC_RULE = Rule("sync", ("sync_stopped",), evaluate_sync)
