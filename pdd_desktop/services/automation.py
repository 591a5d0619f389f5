"""Automation rules (自动化): what each rule would do now, running the rules, the action log.

Every rule acts through the service a manual action uses, inside one transaction with its log
row (the service's own transaction nests as a savepoint), so the outbox op and the audit row are
the ones a click would write; the audit row's actor is the rule (``auto:<rule>``):

- 自动同意仅退款 → ``after_sales.agree_refund`` (op ``refund_agree``);
- 标记可合并发货 and 按买家留言备注 → ``orders.set_seller_memo`` (op ``set_memo``);
- 定时打印面单 → ``printing.render_documents`` + ``printing.record_print_job`` (a PDF; nothing ships);
- 风险订单暂停发货 → ``holds.hold_order`` (local only: the platform has no hold).

No rule touches an order with an unresolved conflict or an op still waiting for the platform
(``pending_ops``): the preview lists those as skipped, and the check is repeated inside the
action's transaction. A run of a rule that raises counts as a failure; two in a row switch the
rule off and raise an urgent alert in the alerts centre (:func:`raise_alert`), cleared when the
merchant switches the rule on again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.common.timefmt import format_ts, local_day_start
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain import automation as rules
from pdd_desktop.domain.after_sales import AfterSaleType
from pdd_desktop.domain.automation import RuleKind
from pdd_desktop.domain.errors import DomainError, NotAllowed
from pdd_desktop.domain.orders import Flag, OrderStatus
from pdd_desktop.domain.shipping import ship_block_reason
from pdd_desktop.domain.sync_rules import OPEN_STATES
from pdd_desktop.services import after_sales, alerts, holds, orders, printing, shipping

log = logging.getLogger(__name__)

RULE_CHANGES = Changes(settings=True)
#: The audit actor of each rule (``audit_log.actor`` holds 16 characters).
ACTORS = {
    RuleKind.REFUND: "auto:refund",
    RuleKind.MERGE: "auto:merge",
    RuleKind.PRINT: "auto:print",
    RuleKind.MEMO: "auto:memo",
    RuleKind.HOLD: "auto:hold",
}
#: The folder (beside the shop's database) where timed print batches go unless one is set.
PRINT_FOLDER = "自动打印"
#: A preview lists at most this many orders (the count is always complete).
PREVIEW_LIMIT = 2000
_REFUND_PENDING = 2  #: after-sales status 买家申请退款，待商家处理


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Target:
    """One order (or an order's after-sales case) a rule would act on."""

    order_id: int
    order_sn: str
    what: str  #: why it matches, in the merchant's words
    case_id: int | None = None


@dataclass(frozen=True)
class Preview:
    """What a rule would do if it ran now."""

    kind: RuleKind
    #: matching orders it may act on, in acting order: the first :data:`PREVIEW_LIMIT` of them
    targets: tuple[Target, ...]
    #: how many it acts on in one run (a daily cap, a batch size or :data:`PREVIEW_LIMIT` may stop it)
    acting: int
    skipped: tuple[Target, ...]  #: matching orders it leaves alone (conflict, op waiting), ``what`` = why
    note: str = ""  #: the cap or schedule, when one applies
    #: every matching order it may act on (``targets`` holds at most :data:`PREVIEW_LIMIT`)
    matched: int = 0
    #: how many of them the rule's own cap (daily count, batch size) lets it act on now
    allowed: int = 0
    #: every matching order it leaves alone (``skipped`` holds at most :data:`PREVIEW_LIMIT`)
    skipped_count: int = 0

    @property
    def order_ids(self) -> tuple[int, ...]:
        """The orders it would act on now."""
        return tuple(t.order_id for t in self.targets[: self.acting])


@dataclass(frozen=True)
class RuleRow:
    """A rule in the list: what it is, whether it is on, its settings and last run."""

    kind: RuleKind
    title: str
    summary: str
    enabled: bool
    params: dict[str, Any]
    description: str
    fail_count: int
    last_error: str
    last_run_at: int | None
    done_today: int


@dataclass(frozen=True)
class ActionRow:
    """One line of the action log."""

    id: int
    at: int
    kind: RuleKind
    rule_title: str
    order_id: int | None
    entity_id: str
    action: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class RuleOutcome:
    """What one rule did in a run."""

    kind: RuleKind
    done: int = 0
    refused: int = 0
    error: str = ""
    switched_off: bool = False


@dataclass(frozen=True)
class RunReport:
    """What a run of the rules did, and the changes to broadcast."""

    outcomes: tuple[RuleOutcome, ...] = ()
    changes: Changes = field(default_factory=Changes)

    @property
    def done(self) -> int:
        """Actions taken in all."""
        return sum(o.done for o in self.outcomes)


# ---------------------------------------------------------------------------------- rule rows


def _load(
    kind: RuleKind,
) -> tuple[int | None, bool, dict[str, Any], int, str, int | None, int | None, int | None]:
    row = database.execute_sql(
        "SELECT id, enabled, params_json, fail_count, last_error, last_run_at, last_batch_at, enabled_at "
        "FROM automation_rule WHERE kind = ?",
        (kind.value,),
    ).fetchone()
    if row is None:
        return None, False, rules.default_params(kind), 0, "", None, None, None
    try:
        params = rules.check_params(kind, json.loads(row[2]))
    except (ValueError, DomainError):
        params = rules.default_params(kind)
    return row[0], bool(row[1]), params, row[3], row[4], row[5], row[6], row[7]


def _kind(kind: str | RuleKind) -> RuleKind:
    try:
        return RuleKind(kind)
    except ValueError:
        raise NotAllowed(f"没有这种自动化规则（{kind}）") from None


def _done_today(rule_id: int | None, now: int, action: str | None = None) -> int:
    if rule_id is None:
        return 0
    sql = "SELECT COUNT(*) FROM automation_action WHERE rule_id = ? AND at >= ? AND outcome = 'done'"
    args: list[Any] = [rule_id, local_day_start(now)]
    if action:
        sql += " AND action = ?"
        args.append(action)
    return database.execute_sql(sql, args).fetchone()[0]


def list_rules(*, now: int | None = None) -> list[RuleRow]:
    """Every rule kind, in catalogue order, with its settings (defaults for one never touched)."""
    now = clock.now() if now is None else now
    out = []
    for info in rules.RULES:
        rule_id, enabled, params, fails, error, last_run, _batch, _on = _load(info.kind)
        out.append(
            RuleRow(
                info.kind,
                info.title,
                info.summary,
                enabled,
                params,
                rules.describe(info.kind, params),
                fails,
                error,
                last_run,
                _done_today(rule_id, now),
            )
        )
    return out


def _upsert(kind: RuleKind, now: int, **values: Any) -> int:
    """Write the rule row (created on first use); returns its id. Inside a transaction."""
    row = database.execute_sql("SELECT id FROM automation_rule WHERE kind = ?", (kind.value,)).fetchone()
    if row is None:
        rule_id = database.execute_sql(
            "INSERT INTO automation_rule (kind, enabled, params_json, fail_count, last_error, updated_at) "
            "VALUES (?, 0, ?, 0, '', ?)",
            (kind.value, json.dumps(rules.default_params(kind), ensure_ascii=False), now),
        ).lastrowid
    else:
        rule_id = row[0]
    if values:
        sets = ", ".join(f"{k} = ?" for k in values)
        database.execute_sql(
            f"UPDATE automation_rule SET {sets}, updated_at = ? WHERE id = ?",
            (*values.values(), now, rule_id),
        )
    return rule_id


def _audit_rule(now: int, action: str, kind: RuleKind, detail: dict[str, Any]) -> None:
    database.execute_sql(
        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail_json, order_id) "
        "VALUES (?, 'user', ?, 'automation', ?, ?, NULL)",
        (now, action, kind.value, json.dumps(detail, ensure_ascii=False)),
    )


def save_params(*, kind: str | RuleKind, params: dict[str, Any]) -> Changes:
    """Store a rule's settings (checked first; a bad value changes nothing). On or off stays as it is.

    Raises:
        ValidationError: a value out of range or of the wrong type (the field named).
    """
    kind = _kind(kind)
    checked = rules.check_params(kind, params)
    now = clock.now()
    with write_transaction():
        _upsert(kind, now, params_json=json.dumps(checked, ensure_ascii=False))
        _audit_rule(now, "automation_params", kind, checked)
    return RULE_CHANGES


def enable_rule(*, kind: str | RuleKind, params: dict[str, Any]) -> Changes:
    """Switch a rule on with ``params`` (the settings its preview was shown for); failures reset.

    The alert that the rule switched itself off (if any) is cleared with it.

    The window switches a rule on only from its preview (the merchant has seen what it would do).

    Raises:
        ValidationError: a bad setting; nothing changes.
    """
    kind = _kind(kind)
    checked = rules.check_params(kind, params)
    now = clock.now()
    with write_transaction():
        _upsert(
            kind,
            now,
            enabled=1,
            params_json=json.dumps(checked, ensure_ascii=False),
            fail_count=0,
            last_error="",
            enabled_at=now,
        )
        _audit_rule(now, "automation_on", kind, checked)
        cleared = alerts.clear_alert(alert_key(kind), now=now)  # "switched itself off" is over
    return RULE_CHANGES | cleared


def disable_rule(*, kind: str | RuleKind) -> Changes:
    """Switch a rule off (its settings and log stay)."""
    kind = _kind(kind)
    now = clock.now()
    with write_transaction():
        _upsert(kind, now, enabled=0)
        _audit_rule(now, "automation_off", kind, {})
    return RULE_CHANGES


# ---------------------------------------------------------------------------------- matching

_OPEN = ",".join(f"'{s}'" for s in OPEN_STATES)


def _split(rows: list[tuple], make: Callable[[tuple], Target]) -> tuple[list[Target], list[Target]]:
    """Rows ``(…, pending_ops, has_conflict)`` last → (may act, skipped with the reason)."""
    ok, skipped = [], []
    for row in rows:
        target = make(row)
        pending, conflict = row[-2], row[-1]
        if conflict:
            skipped.append(Target(target.order_id, target.order_sn, "有未解决的同步冲突", target.case_id))
        elif pending:
            skipped.append(Target(target.order_id, target.order_sn, "有改动还在等待上传平台", target.case_id))
        else:
            ok.append(target)
    return ok, skipped


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def _refund_matches(params: dict[str, Any]) -> tuple[list[Target], list[Target]]:
    rows = database.execute_sql(
        "SELECT a.id, o.id, o.order_sn, a.refund_amount_fen, "
        "o.pending_ops + EXISTS (SELECT 1 FROM outbox x WHERE x.entity_type = 'after_sale' "
        f"AND x.entity_remote_id = CAST(a.id AS TEXT) AND x.state IN ({_OPEN})), "
        "o.has_conflict + EXISTS (SELECT 1 FROM sync_conflict c WHERE c.resolved_at IS NULL AND "
        "c.entity_type = 'after_sale' AND c.entity_remote_id = CAST(a.id AS TEXT)) "
        'FROM after_sale a JOIN "order" o ON o.id = a.order_id '
        "WHERE a.status = ? AND a.type = ? AND o.status = ? AND a.refund_amount_fen <= ? "
        "ORDER BY COALESCE(a.expire_at, a.created_at), a.id",
        (_REFUND_PENDING, int(AfterSaleType.REFUND_ONLY), int(OrderStatus.TO_SHIP), params["max_fen"]),
    ).fetchall()
    return _split(rows, lambda r: Target(r[1], r[2], f"仅退款 {_yuan(r[3])}，订单未发货", case_id=r[0]))


def _to_ship(columns: str, where: str = "", args: Sequence[Any] = ()) -> list[tuple]:
    return database.execute_sql(
        f'SELECT o.id, o.order_sn, {columns}, o.pending_ops, o.has_conflict FROM "order" o '
        f"WHERE o.status = ? {where} ORDER BY o.ship_deadline_at, o.id",
        (int(OrderStatus.TO_SHIP), *args),
    ).fetchall()


def _merge_matches(params: dict[str, Any]) -> tuple[list[Target], list[Target]]:
    groups = shipping.merge_suggestions()
    member_of = {oid: len(g.order_ids) for g in groups for oid in g.order_ids}
    if not member_of:
        return [], []
    rows = []
    ids = list(member_of)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        rows += database.execute_sql(
            f'SELECT id, order_sn, seller_memo, flag, pending_ops, has_conflict FROM "order" '
            f"WHERE id IN ({marks}) ORDER BY ship_deadline_at, id",
            part,
        ).fetchall()
    order = {oid: i for i, oid in enumerate(oid for g in groups for oid in g.order_ids)}
    rows.sort(key=lambda r: order[r[0]])
    marked = [r for r in rows if not (params["memo"] in (r[2] or "") and r[3] == params["flag"])]
    return _split(marked, lambda r: Target(r[0], r[1], f"同一买家同一地址共 {member_of[r[0]]} 单"))


def _print_matches(params: dict[str, Any]) -> tuple[list[Target], list[Target]]:
    rows = _to_ship(
        "o.refund_status, o.after_sales_status",
        "AND o.print_count = 0 AND NOT EXISTS (SELECT 1 FROM order_hold h WHERE h.order_id = o.id "
        "AND h.released_at IS NULL)",
    )
    printable = [r for r in rows if ship_block_reason(int(OrderStatus.TO_SHIP), r[2], r[3]).allowed]
    return _split(printable, lambda r: Target(r[0], r[1], "待发货，还没打印面单"))


def _memo_matches(params: dict[str, Any]) -> tuple[list[Target], list[Target]]:
    rows = _to_ship("o.buyer_memo, o.seller_memo, o.flag", "AND o.buyer_memo != ''")
    found = []
    for r in rows:
        word = rules.matched_word(r[2], params["keywords"])
        if word is None:
            continue
        memo_done = not params["memo"] or params["memo"] in (r[3] or "")
        flag_done = params["flag"] is None or r[4] == params["flag"]
        if not (memo_done and flag_done):
            found.append((r[0], r[1], word, r[-2], r[-1]))
    return _split(found, lambda r: Target(r[0], r[1], f"买家留言含「{r[2]}」"))


def _hold_reason(params: dict[str, Any], address: str, buyer_memo: str) -> str | None:
    word = rules.matched_word(address, params["address_words"])
    if word is not None:
        return f"收货地址含「{word}」"
    word = rules.matched_word(buyer_memo, params["memo_words"])
    if word is not None:
        return f"买家留言含「{word}」"
    return None


def _hold_matches(params: dict[str, Any]) -> tuple[list[Target], list[Target]]:
    # Encrypted receivers (API shops, ``~…~``) only match on province, city and district.
    rows = _to_ship(
        "o.province || o.city || o.district || o.town || o.address_detail, o.buyer_memo",
        # never again an order the merchant released (or one held already)
        "AND NOT EXISTS (SELECT 1 FROM order_hold h WHERE h.order_id = o.id)",
    )
    found = []
    for r in rows:
        reason = _hold_reason(params, r[2], r[3])
        if reason is not None:
            found.append((r[0], r[1], reason, r[-2], r[-1]))
    return _split(found, lambda r: Target(r[0], r[1], r[2]))


_MATCHERS: dict[RuleKind, Callable[[dict[str, Any]], tuple[list[Target], list[Target]]]] = {
    RuleKind.REFUND: _refund_matches,
    RuleKind.MERGE: _merge_matches,
    RuleKind.PRINT: _print_matches,
    RuleKind.MEMO: _memo_matches,
    RuleKind.HOLD: _hold_matches,
}


def preview(*, kind: str | RuleKind, params: dict[str, Any] | None = None, now: int | None = None) -> Preview:
    """What the rule would act on if it ran now, with ``params`` (default: its stored settings).

    Raises:
        ValidationError: ``params`` has a bad value.
    """
    kind = _kind(kind)
    now = clock.now() if now is None else now
    rule_id, _on, stored, _f, _e, _r, last_batch, enabled_at = _load(kind)
    params = stored if params is None else rules.check_params(kind, params)
    ok, skipped = _MATCHERS[kind](params)
    acting, note = len(ok), ""
    if kind == RuleKind.REFUND:
        left = max(0, params["daily_cap"] - _done_today(rule_id, now, "refund_agree"))
        acting = min(acting, left)
        note = f"每天最多自动同意 {params['daily_cap']} 单，今天还可以 {left} 单"
    elif kind == RuleKind.PRINT:
        acting = min(acting, params["batch_max"])
        slot = rules.batch_due(
            now=now, times=params["times"], last_batch_at=last_batch, enabled_at=enabled_at
        )
        when = "现在到点" if slot is not None and _on else f"每天 {'、'.join(params['times'])}"
        note = f"{when}打印一批，每批最多 {params['batch_max']} 单，保存为 PDF"
    # The matchers read every matching row (no LIMIT in their queries), so len() is the true
    # count; only the lists handed out, and one run's work, stop at PREVIEW_LIMIT.
    return Preview(
        kind,
        tuple(ok[:PREVIEW_LIMIT]),
        min(acting, PREVIEW_LIMIT),
        tuple(skipped[:PREVIEW_LIMIT]),
        note,
        matched=len(ok),
        allowed=acting,
        skipped_count=len(skipped),
    )


# ---------------------------------------------------------------------------------- acting


def _log(rule_id: int, now: int, target: Target, action: str, outcome: str, detail: str) -> None:
    database.execute_sql(
        "INSERT INTO automation_action (rule_id, at, order_id, entity_id, action, outcome, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            rule_id,
            now,
            target.order_id or None,
            str(target.case_id) if target.case_id is not None else target.order_sn,
            action,
            outcome,
            detail[:500],
        ),
    )


def _order_state(order_id: int) -> tuple | None:
    return database.execute_sql(
        'SELECT pending_ops, has_conflict, seller_memo, flag, buyer_memo, status FROM "order" WHERE id = ?',
        (order_id,),
    ).fetchone()


def _act(rule_id: int, now: int, target: Target, action: str, do: Callable[[tuple], str]) -> bool:
    """Act on one target in one transaction with its log row; a refusal is logged on its own.

    ``do(state)`` gets the order's current row, calls the service and returns the log's detail;
    it raises ``DomainError`` to refuse. Returns whether it acted.
    """
    try:
        with write_transaction():
            state = _order_state(target.order_id)
            if state is None:
                raise NotAllowed("订单已不存在")
            if state[1]:
                raise NotAllowed("有未解决的同步冲突")
            if state[0]:
                raise NotAllowed("有改动还在等待上传平台")
            detail = do(state)
            _log(rule_id, now, target, action, "done", detail)
        return True
    except DomainError as exc:
        with write_transaction():
            _log(rule_id, now, target, action, "refused", str(exc))
        return False


def _run_refund(rule_id: int, params: dict[str, Any], now: int, p: Preview, actor: str) -> tuple[int, int]:
    done = refused = 0
    for t in p.targets[: p.acting]:

        def do(_state: tuple, t: Target = t) -> str:
            amount = database.execute_sql(
                "SELECT refund_amount_fen FROM after_sale WHERE id = ?", (t.case_id,)
            ).fetchone()
            if amount is None or amount[0] > params["max_fen"]:
                raise NotAllowed("退款金额已超过上限")
            after_sales.agree_refund(
                after_sale_id=t.case_id or 0, note="自动同意（未发货仅退款）", actor=actor
            )
            return f"{t.what}，已同意退款"

        if _act(rule_id, now, t, "refund_agree", do):
            done += 1
        else:
            refused += 1
    return done, refused


def _run_memo_like(
    kind: RuleKind, rule_id: int, params: dict[str, Any], now: int, p: Preview, actor: str
) -> tuple[int, int]:
    """标记可合并发货 and 按买家留言备注: the memo text appended, the flag set, through set_seller_memo."""
    memo, flag = params["memo"], params["flag"]
    parts = [f"备注「{memo}」"] if memo else []
    if flag is not None:
        parts.append(f"插{Flag(flag).label}")
    mergeable = (
        {oid for g in shipping.merge_suggestions() for oid in g.order_ids}
        if kind == RuleKind.MERGE
        else set()
    )
    done = refused = 0
    for t in p.targets[: p.acting]:

        def do(state: tuple, t: Target = t) -> str:
            if state[5] != OrderStatus.TO_SHIP:
                raise NotAllowed("订单已不是待发货")
            if kind == RuleKind.MEMO:
                word = rules.matched_word(state[4] or "", params["keywords"])
                if word is None:
                    raise NotAllowed("买家留言已不含关键词")
                reason = f"买家留言含「{word}」"
            else:
                if t.order_id not in mergeable:
                    raise NotAllowed("已不能与其他订单合并发货")
                reason = t.what
            new_memo = rules.append_memo(state[2], memo, orders.MEMO_MAX) if memo else (state[2] or "")
            new_flag = flag if flag is not None else state[3]
            orders.set_seller_memo(order_id=t.order_id, memo=new_memo, flag=new_flag, actor=actor)
            return f"{reason}：{'，'.join(parts)}"

        if _act(rule_id, now, t, "set_memo", do):
            done += 1
        else:
            refused += 1
    return done, refused


def _run_hold(rule_id: int, params: dict[str, Any], now: int, p: Preview, actor: str) -> tuple[int, int]:
    done = refused = 0
    for t in p.targets[: p.acting]:

        def do(_state: tuple, t: Target = t) -> str:
            holds.hold_order(order_id=t.order_id, reason=t.what, rule_id=rule_id, actor=actor)
            return f"{t.what}，已暂停发货"

        if _act(rule_id, now, t, "hold", do):
            done += 1
        else:
            refused += 1
    return done, refused


def print_folder(params: dict[str, Any]) -> Path:
    """Where a print batch's PDF goes: the rule's folder, else 自动打印 beside the shop's data."""
    if params.get("folder"):
        return Path(params["folder"])
    return Path(database.database).parent / PRINT_FOLDER


def _run_print(rule_id: int, params: dict[str, Any], now: int, p: Preview, actor: str) -> tuple[int, int]:
    ids = list(p.order_ids)
    if not ids:
        return 0, 0
    folder = print_folder(params)
    folder.mkdir(parents=True, exist_ok=True)  # OSError: the run fails (counted)
    out = folder / f"自动打印-面单-{format_ts(now, '%Y%m%d-%H%M%S')}.pdf"
    doc = printing.render_documents(doc_type="label", order_ids=ids, out=out)
    by_id = {t.order_id: t for t in p.targets}
    refused = 0
    if doc.skipped:
        with write_transaction():
            for s in doc.skipped:
                target = by_id.get(s.order_id, Target(s.order_id, s.order_sn, ""))
                _log(rule_id, now, target, "print_label", "refused", s.reason)
                refused += 1
    if doc.pages <= 0:
        return 0, refused
    numbers = dict(doc.tracking_numbers)
    with write_transaction():
        printing.record_print_job(doc=doc, printer=f"PDF:{out}", actor=actor)
        for oid in dict.fromkeys(doc.order_ids):
            target = by_id.get(oid, Target(oid, "", ""))
            _log(
                rule_id, now, target, "print_label", "done", f"面单 {numbers.get(oid, '')} 已存入 {out.name}"
            )
    return len(set(doc.order_ids)), refused


def alert_key(kind: RuleKind) -> str:
    """The alerts centre's key of "this rule switched itself off" (one per rule)."""
    return f"automation-off:{kind.value}"


def raise_alert(*, kind: RuleKind, error: str, now: int | None = None) -> Changes:
    """The one place a rule that switched itself off tells the merchant: an urgent alert.

    It goes to the alerts centre (工作台 → 预警提醒, its button opens 设置 → 自动化 on the rule)
    and stays until the merchant switches the rule on again (:func:`enable_rule` clears it), and
    a 系统提醒 goes into 站内信 at once (also when no window is open to notify). The message is
    keyed ``<alert key>:<time raised>``, which the centre recognises, so its notification adds
    no second message.
    """
    from pdd_desktop.domain.alerts import TARGET_AUTOMATION, Severity
    from pdd_desktop.services import messages

    now = clock.now() if now is None else now
    title = f"自动化规则「{rules.INFO[kind].title}」连续失败 {rules.MAX_FAILURES} 次，已自动停用"
    why = f"最后一次失败的原因：{error[:500]}\n请在 设置 → 自动化 中查看执行记录，处理后重新启用。"
    with write_transaction():
        changes = alerts.raise_alert(
            alert_key(kind), "automation_off", Severity.HIGH, title, why, target=TARGET_AUTOMATION, now=now
        )
        opened = alerts.get_alert(f"app:{alert_key(kind)}")
        since = now if opened is None else opened.first_seen_at
        changes |= messages.add_system_alert(
            title=title, body=why, key=f"{alert_key(kind)}:{since}", important=True
        )
    return changes


def run_rules(
    *, kinds: Sequence[str | RuleKind] | None = None, now: int | None = None, force_print: bool = False
) -> RunReport:
    """Run the rules that are on (``kinds``: only those), each over what it matches now.

    The timed print batch runs when a set time has passed since the last batch (``force_print``:
    now). A rule that raises counts a failure; at :data:`MAX_FAILURES` in a row it is switched
    off and :func:`raise_alert` tells the merchant. Call it off the UI thread.
    """
    now = clock.now() if now is None else now
    wanted = {_kind(k) for k in kinds} if kinds is not None else set(RuleKind)
    outcomes: list[RuleOutcome] = []
    changes = Changes()
    for info in rules.RULES:
        kind = info.kind
        rule_id, enabled, params, fails, _err, _last, last_batch, enabled_at = _load(kind)
        if kind not in wanted or not enabled or rule_id is None:
            continue
        actor = ACTORS[kind]
        try:
            if kind == RuleKind.PRINT:
                slot = rules.batch_due(
                    now=now, times=params["times"], last_batch_at=last_batch, enabled_at=enabled_at
                )
                if slot is None and not force_print:
                    continue
                p = preview(kind=kind, params=params, now=now)
                done, refused = _run_print(rule_id, params, now, p, actor)
                with write_transaction():
                    _upsert(kind, now, last_batch_at=slot if slot is not None else now)
            else:
                p = preview(kind=kind, params=params, now=now)
                if kind == RuleKind.REFUND:
                    done, refused = _run_refund(rule_id, params, now, p, actor)
                elif kind == RuleKind.HOLD:
                    done, refused = _run_hold(rule_id, params, now, p, actor)
                else:
                    done, refused = _run_memo_like(kind, rule_id, params, now, p, actor)
        except Exception as exc:  # any failure of a rule counts; the reason is kept
            log.warning("automation rule %s failed", kind.value, exc_info=True)
            error = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            off = fails + 1 >= rules.MAX_FAILURES
            with write_transaction():
                _upsert(
                    kind,
                    now,
                    fail_count=fails + 1,
                    last_error=error[:500],
                    last_run_at=now,
                    **({"enabled": 0} if off else {}),
                )
                if off:
                    _log(rule_id, now, Target(0, "", ""), "switched_off", "failed", error)
            if off:
                changes |= raise_alert(kind=kind, error=error, now=now)
            outcomes.append(RuleOutcome(kind, error=error, switched_off=off))
            if off:
                changes |= RULE_CHANGES
            continue
        with write_transaction():
            _upsert(kind, now, fail_count=0, last_error="", last_run_at=now)
        outcomes.append(RuleOutcome(kind, done, refused))
        if done:
            changes |= Changes(orders=True, after_sales=kind == RuleKind.REFUND)
    return RunReport(tuple(outcomes), changes)


# ---------------------------------------------------------------------------------- the log


def action_log(*, kind: str | RuleKind | None = None, limit: int = 500) -> list[ActionRow]:
    """The action log, newest first (``kind``: one rule's)."""
    where, args = "", []
    if kind is not None:
        where, args = "WHERE r.kind = ?", [_kind(kind).value]
    rows = database.execute_sql(
        "SELECT a.id, a.at, r.kind, a.order_id, a.entity_id, a.action, a.outcome, a.detail "
        f"FROM automation_action a JOIN automation_rule r ON r.id = a.rule_id {where} "
        "ORDER BY a.at DESC, a.id DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    out = []
    for r in rows:
        kind_ = RuleKind(r[2])
        out.append(
            ActionRow(
                r[0],
                r[1],
                kind_,
                rules.INFO[kind_].title,
                r[3],
                r[4],
                rules.ACTION_LABELS.get(r[5], r[5]),
                rules.OUTCOME_LABELS.get(r[6], r[6]),
                r[7],
            )
        )
    return out


__all__ = [
    "ACTORS",
    "ActionRow",
    "Preview",
    "RuleOutcome",
    "RuleRow",
    "RunReport",
    "Target",
    "action_log",
    "alert_key",
    "disable_rule",
    "enable_rule",
    "list_rules",
    "preview",
    "print_folder",
    "raise_alert",
    "run_rules",
    "save_params",
]
