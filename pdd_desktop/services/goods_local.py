"""商品: what the merchant owns locally — cost price, low-stock threshold, promise hours, seller codes.

None of these go to the platform (no outbox op): the cost price and the threshold exist only
here; the promise-to-ship hours are the merchant's own planning value (the platform's
``shipment_limit_second`` is set in the merchant backend when listing); seller codes
(商家编码) are also kept by the platform, which has no API for them in pdd-open-api.md §6, so
a shop that syncs with the platform gets the backend's code back when the goods change there
(the edit dialog says so).

Every edit is one ``write_transaction()``: all the named SKUs / goods change or none does
(an unknown id or a bad value refuses the whole edit), with one audit row per changed entity.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, CostPriceHistory
from pdd_desktop.domain import export_columns as ec
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.money import format_yuan_plain
from pdd_desktop.services import cost_history

GOODS_CHANGES = Changes(goods=True)
#: A sanity bound for a cost price (1,000,000.00 元), as for prices typed here.
MAX_COST_FEN = 100_000_000
#: The platform's upper bound for a SKU's stock; a threshold above it never makes sense.
MAX_THRESHOLD = 9_999_999
#: Promise-to-ship hours accepted here: 1 h to 15 days (the app's sanity range, not a platform list).
MIN_PROMISE_HOURS, MAX_PROMISE_HOURS = 1, 360
#: Longest seller code accepted (the platform's backend field is short; 64 leaves room).
MAX_CODE_CHARS = 64
#: Most entities one bulk edit may name (a shop has a few thousand SKUs).
MAX_BULK = 20_000


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "Leave this field as it is" in a bulk edit.
UNSET: Any = _Unset()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(values: Sequence[int], label: str) -> list[int]:
    if isinstance(values, (str, bytes)) or not values:
        raise ValidationError(label, "请至少选择一个")
    out: list[int] = []
    for v in values:
        if not _is_int(v):
            raise ValidationError(label, f"编号应为整数，收到 {v!r}")
        if v not in out:
            out.append(v)
    if len(out) > MAX_BULK:
        raise ValidationError(label, f"一次最多修改 {MAX_BULK:,} 个")
    return out


def check_cost_price(fen: object) -> int | None:
    """A cost price in fen, or None (unknown); raises :class:`ValidationError` otherwise."""
    if fen is None:
        return None
    if not _is_int(fen):
        raise ValidationError("成本价", f"应为整数（分），收到 {fen!r}")
    if not 0 <= fen <= MAX_COST_FEN:  # type: ignore[operator]
        raise ValidationError(
            "成本价", f"应在 0 到 {format_yuan_plain(MAX_COST_FEN)} 元之间，收到 {format_yuan_plain(fen)} 元"
        )
    return fen  # type: ignore[return-value]


def check_threshold(value: object) -> int:
    """A low-stock threshold: a whole number 0 … 9,999,999."""
    if not _is_int(value):
        raise ValidationError("库存预警值", f"应为整数，收到 {value!r}")
    if not 0 <= value <= MAX_THRESHOLD:  # type: ignore[operator]
        raise ValidationError("库存预警值", f"应在 0 到 {MAX_THRESHOLD:,} 之间，收到 {value}")
    return value  # type: ignore[return-value]


def check_promise_hours(value: object) -> int:
    """Promise-to-ship hours: a whole number 1 … 360."""
    if not _is_int(value):
        raise ValidationError("承诺发货时间", f"应为整数小时，收到 {value!r}")
    if not MIN_PROMISE_HOURS <= value <= MAX_PROMISE_HOURS:  # type: ignore[operator]
        raise ValidationError(
            "承诺发货时间",
            f"应在 {MIN_PROMISE_HOURS} 到 {MAX_PROMISE_HOURS} 小时之间（最长 15 天），收到 {value}",
        )
    return value  # type: ignore[return-value]


def check_code(value: object, label: str = "商家编码") -> str:
    """A seller code: text without control characters, at most 64 characters; spaces trimmed."""
    if not isinstance(value, str):
        raise ValidationError(label, f"应为文字，收到 {value!r}")
    text = value.strip()
    try:
        ec.check_text(text)
    except ec.CellError as exc:
        raise ValidationError(label, str(exc)) from None
    if "\n" in text or "\r" in text or "\t" in text:
        raise ValidationError(label, "不能包含换行或制表符")
    if len(text) > MAX_CODE_CHARS:
        raise ValidationError(label, f"最长 {MAX_CODE_CHARS} 个字符，收到 {len(text)} 个")
    return text


def _audit(action: str, entity_type: str, entity_id: int, now: int, detail: dict[str, Any]) -> None:
    AuditLog.create(
        at=now,
        actor="user",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        detail_json=json.dumps(detail, ensure_ascii=False),
    )


def _rows(table: str, key: str, ids: list[int], columns: str) -> dict[int, tuple]:
    found: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        block = ids[start : start + 500]
        marks = ",".join("?" * len(block))
        for row in database.execute_sql(
            f"SELECT {key}, {columns} FROM {table} WHERE {key} IN ({marks})", block
        ).fetchall():
            found[int(row[0])] = tuple(row[1:])
    return found


def set_sku_local(
    *,
    sku_ids: Sequence[int],
    cost_price_fen: Any = UNSET,
    low_stock_threshold: Any = UNSET,
    outer_id: Any = UNSET,
) -> Changes:
    """Set the cost price (fen, None = unknown), the low-stock threshold and/or the seller code of SKUs.

    One transaction for all ``sku_ids``; an audit row ``set_sku_local`` per SKU whose cost or
    threshold changed (``set_sku_outer_id`` for the code), and a cost history row per changed
    cost (``services.cost_history``). A seller code names one SKU, so
    ``outer_id`` is refused when more than one SKU is named.

    Raises:
        ValidationError: no SKU, nothing to change, or a bad value (nothing written).
        NotAllowed: a SKU is not in the catalogue, or the code is another SKU's (nothing written).
    """
    ids = _ids(sku_ids, "规格")
    wanted: dict[str, Any] = {}
    if cost_price_fen is not UNSET:
        wanted["cost_price_fen"] = check_cost_price(cost_price_fen)
    if low_stock_threshold is not UNSET:
        wanted["low_stock_threshold"] = check_threshold(low_stock_threshold)
    code = None if outer_id is UNSET else check_code(outer_id)
    if code is not None and len(ids) > 1:
        raise ValidationError("商家编码", "商家编码只能逐个规格修改")
    if not wanted and code is None:
        raise ValidationError("修改内容", "没有要修改的项目")
    now = clock.now()
    changed = 0
    with write_transaction():
        if code is not None and _write_sku_code(ids[0], code, now):
            changed += 1
        have = _rows("sku", "sku_id", ids, "cost_price_fen, low_stock_threshold")
        missing = [i for i in ids if i not in have]
        if missing:
            shown = "、".join(str(i) for i in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise NotAllowed(f"规格不存在或已被删除（规格ID {shown}），没有修改任何规格")
        for sku_id in ids if wanted else ():
            before = dict(zip(("cost_price_fen", "low_stock_threshold"), have[sku_id], strict=True))
            diff = {k: v for k, v in wanted.items() if before[k] != v}
            if not diff:
                continue
            cols = sorted(diff)
            database.execute_sql(
                "UPDATE sku SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE sku_id = ?",
                (*(diff[c] for c in cols), sku_id),
            )
            if "cost_price_fen" in diff:
                cost_history.record_change(
                    sku_id, diff["cost_price_fen"], source=CostPriceHistory.SOURCE_EDIT, at=now
                )
            _audit("set_sku_local", "sku", sku_id, now, {c: {"from": before[c], "to": diff[c]} for c in cols})
            changed += 1
    return GOODS_CHANGES if changed else Changes()


def set_goods_skus_local(
    *, goods_ids: Sequence[int], cost_price_fen: Any = UNSET, low_stock_threshold: Any = UNSET
) -> Changes:
    """Set the cost price and/or the low-stock threshold of every SKU of the named goods.

    The bulk edit by a selection of goods: the SKUs are the goods' SKUs at the moment of the
    write (in the same transaction), then as :func:`set_sku_local`.

    Raises:
        ValidationError: no goods, nothing to change, a bad value, or goods without SKUs.
        NotAllowed: a goods is not in the catalogue (nothing written).
    """
    ids = _ids(goods_ids, "商品")
    with write_transaction():
        have = _rows("goods", "goods_id", ids, "promise_hours")
        missing = [i for i in ids if i not in have]
        if missing:
            shown = "、".join(str(i) for i in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise NotAllowed(f"商品不存在或已被删除（商品ID {shown}），没有修改任何商品")
        sku_ids: list[int] = []
        for start in range(0, len(ids), 500):
            block = ids[start : start + 500]
            marks = ",".join("?" * len(block))
            sku_ids += [
                int(r[0])
                for r in database.execute_sql(
                    f"SELECT sku_id FROM sku WHERE goods_id IN ({marks}) ORDER BY goods_id, sku_id", block
                ).fetchall()
            ]
        if not sku_ids:
            raise ValidationError("规格", "所选商品还没有规格")
        return set_sku_local(
            sku_ids=sku_ids, cost_price_fen=cost_price_fen, low_stock_threshold=low_stock_threshold
        )


def set_sku_outer_id(*, sku_id: int, outer_id: str) -> Changes:
    """Set one SKU's seller code (商家编码-规格维度); an empty code clears it.

    Raises:
        ValidationError: a bad code.
        NotAllowed: unknown SKU, or another SKU already has this code (codes find SKUs in
            sheets and stock takes, so they must be unique).
    """
    code = check_code(outer_id)
    now = clock.now()
    with write_transaction():
        changed = _write_sku_code(sku_id, code, now)
    return GOODS_CHANGES if changed else Changes()


def _write_sku_code(sku_id: int, code: str, now: int) -> bool:
    """Inside a write transaction: set a SKU's code (unique among SKUs); whether it changed."""
    row = database.execute_sql("SELECT outer_id FROM sku WHERE sku_id = ?", (sku_id,)).fetchone()
    if row is None:
        raise NotAllowed(f"规格不存在或已被删除（规格ID {sku_id}）")
    if row[0] == code:
        return False
    if code:
        other = database.execute_sql(
            "SELECT sku_id FROM sku WHERE outer_id = ? AND sku_id != ? LIMIT 1", (code, sku_id)
        ).fetchone()
        if other is not None:
            raise NotAllowed(f"商家编码「{code}」已被规格ID {other[0]} 使用，请换一个编码")
    database.execute_sql("UPDATE sku SET outer_id = ? WHERE sku_id = ?", (code, sku_id))
    _audit("set_sku_outer_id", "sku", sku_id, now, {"from": row[0], "to": code})
    return True


def set_goods_local(
    *, goods_ids: Sequence[int], promise_hours: Any = UNSET, outer_goods_id: Any = UNSET
) -> Changes:
    """Set the promise-to-ship hours of goods and/or one goods' seller code.

    One transaction, an audit row per changed goods and field. ``outer_goods_id`` only with a
    single goods.

    Raises:
        ValidationError: no goods, nothing to change or a bad value (nothing written).
        NotAllowed: a goods is not in the catalogue (nothing written).
    """
    ids = _ids(goods_ids, "商品")
    hours = None if promise_hours is UNSET else check_promise_hours(promise_hours)
    code = None if outer_goods_id is UNSET else check_code(outer_goods_id)
    if code is not None and len(ids) > 1:
        raise ValidationError("商家编码", "商家编码只能逐个商品修改")
    if hours is None and code is None:
        raise ValidationError("修改内容", "没有要修改的项目")
    now = clock.now()
    changed = 0
    with write_transaction():
        have = _rows("goods", "goods_id", ids, "promise_hours")
        missing = [i for i in ids if i not in have]
        if missing:
            shown = "、".join(str(i) for i in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise NotAllowed(f"商品不存在或已被删除（商品ID {shown}），没有修改任何商品")
        if code is not None and _write_goods_code(ids[0], code, now):
            changed += 1
        for goods_id in ids if hours is not None else ():
            before = have[goods_id][0]
            if before == hours:
                continue
            database.execute_sql("UPDATE goods SET promise_hours = ? WHERE goods_id = ?", (hours, goods_id))
            _audit("set_promise_hours", "goods", goods_id, now, {"from": before, "to": hours})
            changed += 1
    return GOODS_CHANGES if changed else Changes()


def set_goods_outer_id(*, goods_id: int, outer_goods_id: str) -> Changes:
    """Set one goods' seller code (商家编码-商品维度); an empty code clears it.

    Raises:
        ValidationError: a bad code.
        NotAllowed: unknown goods.
    """
    code = check_code(outer_goods_id)
    now = clock.now()
    with write_transaction():
        changed = _write_goods_code(goods_id, code, now)
    return GOODS_CHANGES if changed else Changes()


def _write_goods_code(goods_id: int, code: str, now: int) -> bool:
    row = database.execute_sql("SELECT outer_goods_id FROM goods WHERE goods_id = ?", (goods_id,)).fetchone()
    if row is None:
        raise NotAllowed(f"商品不存在或已被删除（商品ID {goods_id}）")
    if row[0] == code:
        return False
    database.execute_sql("UPDATE goods SET outer_goods_id = ? WHERE goods_id = ?", (code, goods_id))
    _audit("set_goods_outer_id", "goods", goods_id, now, {"from": row[0], "to": code})
    return True
