"""The alerts centre: evaluate the rules into the alert table, read it, snooze, raise by code.

One alert per cause key, updated in place; an alert of a rule resolves by itself when the rule
no longer finds its cause, one raised by code (:func:`raise_alert`) when :func:`clear_alert`
is called. A high-severity alert is handed out for a desktop notification once per opening
(``notified_at``), never on later evaluations, and goes into 站内信 (系统提醒) at the same time,
so the merchant keeps a record after the alert itself resolved.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import local_day_start
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.queries import alerts as q
from pdd_desktop.data.queries import messages as message_queries
from pdd_desktop.domain import alerts as d
from pdd_desktop.domain.alerts import Severity
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.messages import MessageCategory
from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext
from pdd_desktop.services.alerts.registry import RULES
from pdd_desktop.services.logistics import tracking_state
from pdd_desktop.services.settings import load_settings

log = logging.getLogger(__name__)

ALERT_CHANGES = Changes(alerts=True)
HOUR = 3600
DAY = 86400
#: Snooze choices: key → Chinese label (the panel's menu and the CLI).
SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (("1h", "1 小时"), ("today", "今天"), ("3d", "3 天"))


@dataclass(frozen=True)
class AlertRow:
    """One alert as the panel, the tray and the CLI show it."""

    key: str
    kind: str
    source: str
    severity: Severity
    title: str
    why: str
    count: int
    amount_fen: int
    target: str
    target_ids: tuple[int, ...]
    first_seen_at: int
    last_seen_at: int
    resolved_at: int | None
    snoozed_until: int | None
    notified_at: int | None

    def snoozed(self, now: int) -> bool:
        """Hidden by the merchant until later."""
        return self.snoozed_until is not None and self.snoozed_until > now


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation did.

    Attributes:
        changes: ``Changes(alerts=True)`` (and ``messages``) when an open alert appeared, changed
            or resolved; empty otherwise, so the pages do not reload every minute for nothing.
        notify: high-severity alerts opened since the last evaluation: show each once.
        failed_rules: names of rules that raised (their alerts were left as they were).
    """

    changes: Changes
    notify: tuple[AlertRow, ...]
    failed_rules: tuple[str, ...] = ()


def _row(r: tuple) -> AlertRow:
    return AlertRow(
        key=str(r[0]),
        kind=str(r[1]),
        source=str(r[2]),
        severity=Severity(int(r[3])),
        title=str(r[4]),
        why=str(r[5]),
        count=int(r[6]),
        amount_fen=int(r[7]),
        target=str(r[8]),
        target_ids=tuple(int(i) for i in json.loads(r[9] or "[]")),
        first_seen_at=int(r[10]),
        last_seen_at=int(r[11]),
        resolved_at=None if r[12] is None else int(r[12]),
        snoozed_until=None if r[13] is None else int(r[13]),
        notified_at=None if r[14] is None else int(r[14]),
    )


def _shown(rows: list[tuple]) -> set[tuple]:
    """What the panel shows of the open alerts (times of the last look left out)."""
    return {(r[0], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[13]) for r in rows}


def evaluate(
    now: int | None = None, *, rules: Sequence[Rule] | None = None, notify: bool = True
) -> Evaluation:
    """Run every rule, bring the alert table up to date, and hand out what to notify.

    The rules read first (no lock held), then one write transaction records the findings,
    resolves the causes that are gone and marks the new high-severity ones notified. With
    ``notify=False`` (the command line) nothing is handed out: the app notifies them later.
    """
    now = clock.now() if now is None else now
    ctx = RuleContext(now=now, settings=load_settings(), tracking=tracking_state())
    findings: dict[str, Finding] = {}
    owners: list[Rule] = []  # the rules that ran: their open alerts not found again resolve
    failed: list[str] = []
    for rule in RULES if rules is None else rules:
        try:
            found = list(rule.evaluate(ctx))
        except Exception:
            log.exception("alert rule %s failed", rule.name)
            failed.append(rule.name)
            continue
        owners.append(rule)
        for f in found:
            if not rule.owns(f.key):
                raise ValueError(f"rule {rule.name} found {f.key!r}, which is not one of its keys")
            findings[f.key] = f
    with write_transaction():
        before = _shown(q.open_alerts())
        snoozed = q.snoozed(now)
        for f in findings.values():
            q.upsert_seen(
                key=f.key,
                kind=f.kind,
                source=d.SOURCE_RULE,
                severity=int(f.severity),
                title=f.title,
                why=f.why,
                count=f.count,
                amount_fen=f.amount_fen,
                target=f.target,
                target_ids=f.target_ids,
                now=now,
            )
        # 稍后提醒 hides what the merchant saw, not new trouble: a snoozed alert that grew (more
        # orders, SKUs or cases, or a higher count) shows again (one key such as 即将超时 stays
        # open for days in a busy shop, so a 3-day snooze would hide every new one).
        for key, (count, ids) in snoozed.items():
            f = findings.get(key)
            if f is not None and (f.count > count or not set(f.target_ids) <= ids):
                q.set_snoozed(key, None)
        owned = {k for k in q.open_keys(d.SOURCE_RULE) if any(r.owns(k) for r in owners)}
        gone = sorted(owned - set(findings))
        q.resolve(gone, now)
        notified = _take_notifications(now) if notify else ()
        changed = before != _shown(q.open_alerts())
    changes = (ALERT_CHANGES if changed else Changes()) | (Changes(messages=True) if notified else Changes())
    return Evaluation(changes, notified, tuple(failed))


def _take_notifications(now: int) -> tuple[AlertRow, ...]:
    """The high-severity openings not notified yet, marked notified and put into 站内信."""
    rows = [_row(r) for r in q.to_notify(int(Severity.HIGH), now)]
    q.mark_notified([r.key for r in rows], now)
    for r in rows:
        remote_id = f"app:alert:{r.key}:{r.first_seen_at}"
        # Code that raised the alert may have put its own 系统提醒 in as ``<key>:<time raised>``
        # (messages.add_system_alert stores ``app:<that>``; code keys are ``app:…`` already).
        own = f"{r.key}:{r.first_seen_at}"
        if message_queries.existing_remote_ids([remote_id, own]):
            continue
        message_queries.insert(
            remote_id=remote_id,
            category=int(MessageCategory.APP_ALERT),
            title=r.title[: d.MAX_TITLE],
            body=r.why,
            created_at=now,
            is_important=True,
        )
    return tuple(rows)


def open_alerts(now: int | None = None, *, include_snoozed: bool = False) -> list[AlertRow]:
    """The open alerts, most severe first; snoozed ones only with ``include_snoozed``."""
    now = clock.now() if now is None else now
    rows = [_row(r) for r in q.open_alerts()]
    return rows if include_snoozed else [r for r in rows if not r.snoozed(now)]


def get_alert(key: str) -> AlertRow | None:
    """One alert by key, open or resolved."""
    r = q.alert(key)
    return None if r is None else _row(r)


def snooze_until(choice: str, now: int) -> int:
    """The end of a snooze choice (``1h``, ``today`` = the next Beijing midnight, ``3d``)."""
    if choice == "1h":
        return now + HOUR
    if choice == "today":
        return local_day_start(now) + DAY
    if choice == "3d":
        return now + 3 * DAY
    raise ValidationError("稍后提醒", f"应为 {'、'.join(label for _k, label in SNOOZE_CHOICES)} 之一")


def snooze(*, key: str, choice: str, now: int | None = None) -> Changes:
    """Hide the open alert ``key`` until the end of ``choice``; it shows again after that.

    Raises:
        ValidationError: an unknown choice.
        NotAllowed: no open alert has that key (resolved meanwhile).
    """
    now = clock.now() if now is None else now
    until = snooze_until(choice, now)
    with write_transaction():
        if not q.set_snoozed(key, until):
            raise NotAllowed("这条提醒已经消除，无需稍后提醒")
    return ALERT_CHANGES


def unsnooze(*, key: str) -> Changes:
    """Show a snoozed alert again now (no error when it resolved meanwhile)."""
    with write_transaction():
        q.set_snoozed(key, None)
    return ALERT_CHANGES


def unsnooze_all(now: int | None = None) -> Changes:
    """Show every snoozed open alert again now."""
    now = clock.now() if now is None else now
    with write_transaction():
        q.clear_snoozes(now)
    return ALERT_CHANGES


def _check_text(value: str, name: str, limit: int) -> str:
    value = " ".join(value.split()) if name != "提醒说明" else value.strip()
    if not value and name != "提醒说明":
        raise ValidationError(name, "不能为空")
    if len(value) > limit:
        raise ValidationError(name, f"不能超过 {limit} 个字")
    return value


def raise_alert(
    key: str,
    kind: str,
    severity: Severity | int,
    title: str,
    why: str = "",
    *,
    count: int = 1,
    target: str = d.TARGET_NONE,
    target_ids: Sequence[int] = (),
    amount_fen: int = 0,
    now: int | None = None,
) -> Changes:
    """Raise (or update) an alert from code, e.g. an automation rule that switched itself off.

    It stays open until :func:`clear_alert` with the same key; no rule resolves it. The key is
    stored as ``app:<key>`` so it can never take a rule's key. A caller that also puts its own
    系统提醒 into 站内信 keys it ``<key>:<first seen>`` (``messages.add_system_alert``): the
    notification then adds no second message.

    Raises:
        ValidationError: an empty or too long key or title, a bad severity, target or count.
    """
    now = clock.now() if now is None else now
    key = _check_text(key, "提醒标识", d.MAX_KEY - 4)
    title = _check_text(title, "提醒标题", d.MAX_TITLE)
    why = _check_text(why, "提醒说明", d.MAX_WHY)
    try:
        sev = Severity(int(severity))
    except ValueError:
        raise ValidationError("提醒级别", f"应为 1、2 或 3，收到 {severity!r}") from None
    if target not in d.TARGETS:
        raise ValidationError("提醒打开的列表", f"未知的类型 {target!r}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError("提醒数量", f"应为不小于 0 的整数，收到 {count!r}")
    if any(isinstance(i, bool) or not isinstance(i, int) for i in target_ids):
        raise ValidationError("提醒打开的列表", "编号应为整数")
    with write_transaction():
        q.upsert_seen(
            key=f"app:{key}",
            kind=kind or "app",
            source=d.SOURCE_CODE,
            severity=int(sev),
            title=title,
            why=why,
            count=count,
            amount_fen=amount_fen,
            target=target,
            target_ids=tuple(target_ids),
            now=now,
        )
    return ALERT_CHANGES


def clear_alert(key: str, *, now: int | None = None) -> Changes:
    """Resolve the alert raised by code as ``key``; nothing when it is not open."""
    now = clock.now() if now is None else now
    with write_transaction():
        resolved = q.resolve([f"app:{key}"], now)
    return ALERT_CHANGES if resolved else Changes()
