"""客服 (issue 21): reply-rate figures against targets, the alerts, and the quick-reply library.

Figures come from the imported exports (:mod:`pdd_desktop.services.cs_import`; the open platform
has no API for them). Daily figures are the day's row; a rolling figure over N days pools the
days exactly: a rate from counts is Σ(replied) ÷ Σ(needing a human reply); a rate the export only
printed is weighted by the day's 需要人工回复的咨询人数 (a plain mean when that is missing too).

Quick replies are text with ``{变量}`` placeholders filled from the selected order
(:func:`order_variables`); every reply is checked by :mod:`pdd_desktop.domain.reply_safety`
before it is saved and before it is copied.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from pdd_desktop.common import clock, timefmt
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.data.models import AuditLog, Setting
from pdd_desktop.data.queries import cs as q
from pdd_desktop.domain import cs_metrics as m
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.privacy import mask_phone
from pdd_desktop.domain.reply_safety import Finding, Rule, check_reply, describe

CS_CHANGES = Changes(cs=True)
SHOP = ""  #: the ``agent`` of the shop's own rows
ROLLING_DAYS = 30
_TARGET_KEYS = {"r3": "cs_target_r3", "r30": "cs_target_r30"}
_TARGET_DEFAULTS = {"r3": m.DEFAULT_TARGET_R3, "r30": m.DEFAULT_TARGET_R30}

# ------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The merchant's targets (fractions of 1)."""

    r3: Fraction  #: 3分钟人工回复率
    r30: Fraction  #: 30秒应答率


def targets() -> Targets:
    """The saved targets, or the defaults (80 % and 60 %)."""
    out = dict(_TARGET_DEFAULTS)
    for name, key in _TARGET_KEYS.items():
        row = Setting.get_or_none(Setting.key == key)
        if row is not None:
            out[name] = Fraction(json.loads(row.value_json))
    return Targets(**out)


def set_targets(*, r3: object, r30: object) -> Changes:
    """Save both targets (percent text such as ``"80"`` or ``"82.5%"``), with an audit entry.

    Raises:
        ValidationError: a target that is not a percentage between 1 and 100 (nothing saved).
    """
    checked = {"r3": m.check_target(r3, "3分钟人工回复率目标"), "r30": m.check_target(r30, "30秒应答率目标")}
    now = clock.now()
    with write_transaction():
        for name, value in checked.items():
            Setting.insert(
                key=_TARGET_KEYS[name], value_json=json.dumps(str(value)), updated_at=now
            ).on_conflict_replace().execute()
        AuditLog.create(
            at=now,
            actor="user",
            action="set_cs_targets",
            entity_type="setting",
            entity_id=",".join(_TARGET_KEYS.values()),
            detail_json=json.dumps({k: str(v) for k, v in checked.items()}),
        )
    return CS_CHANGES


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One agent's (or the shop's) figures over one day or a rolling window."""

    agent: str  #: '' = the shop
    first_day: int
    last_day: int
    days: int  #: days with data in the window
    consult_users: int | None
    need_human: int | None
    r3: Fraction | None  #: 3分钟人工回复率 (8-23点)
    r30: Fraction | None  #: 30秒应答率 (8-23点)
    r3_all: Fraction | None  #: 3分钟人工回复率 (全天)
    r30_all: Fraction | None  #: 30秒应答率 (全天)
    avg_response_ms: int | None  #: weighted by 人工接待人数 over several days
    conversion: Fraction | None  #: 询单转化率 = 最终成团人数 ÷ 询单人数
    sales_fen: int | None

    @property
    def who(self) -> str:
        """客服账号, or 全店 for the shop's rows."""
        return self.agent or "全店"


@dataclass(frozen=True)
class CsOverview:
    """The 客服 page's figures: the latest day and the rolling window, per agent, with targets."""

    latest_day: int | None
    daily: tuple[Figures, ...]  #: the latest day: the shop first, then agents by name
    rolling: tuple[Figures, ...]  #: the rolling window ending on the latest day, same order
    targets: Targets
    hours: tuple[HourLoss, ...]  #: the window's hours, most replies lost first
    rolling_days: int = ROLLING_DAYS


@dataclass(frozen=True)
class HourLoss:
    """One hour of the day over the window: consultations needing a human, and those lost."""

    hour: int
    need_human: int
    unreplied_3m: int
    unanswered_30s: int

    @property
    def r3(self) -> Fraction | None:
        """The hour's 3-minute rate."""
        return Fraction(self.need_human - self.unreplied_3m, self.need_human) if self.need_human else None


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _pool(rows: list[dict], name: str) -> Fraction | None:
    """The rate ``name`` over several days (see the module docstring)."""
    if (
        name == "r3"
        and rows
        and all(r["need_human"] is not None and r["unreplied_3m"] is not None for r in rows)
    ):
        need = sum(r["need_human"] for r in rows)
        return Fraction(need - sum(r["unreplied_3m"] for r in rows), need) if need else None
    rated = [(m.as_fraction(r[f"{name}_num"], r[f"{name}_den"]), r["need_human"]) for r in rows]
    rated = [(rate, w) for rate, w in rated if rate is not None]
    if not rated:
        return None
    if all(w for _, w in rated):
        return sum((rate * w for rate, w in rated), Fraction(0)) / sum(w for _, w in rated)
    return sum((rate for rate, _ in rated), Fraction(0)) / len(rated)


def _figures(agent: str, first_day: int, last_day: int, rows: list[dict]) -> Figures:
    received = [(r["avg_response_ms"], r["received"] or 0) for r in rows if r["avg_response_ms"] is not None]
    if received and all(w for _, w in received):
        avg_ms = round(Fraction(sum(ms * w for ms, w in received), sum(w for _, w in received)))
    elif received:
        avg_ms = round(Fraction(sum(ms for ms, _ in received), len(received)))
    else:
        avg_ms = None
    inquiry = _sum([r["inquiry_users"] for r in rows])
    ordered = _sum([r["order_users"] for r in rows])
    return Figures(
        agent=agent,
        first_day=first_day,
        last_day=last_day,
        days=len(rows),
        consult_users=_sum([r["consult_users"] for r in rows]),
        need_human=_sum([r["need_human"] for r in rows]),
        r3=_pool(rows, "r3"),
        r30=_pool(rows, "r30"),
        r3_all=_pool(rows, "r3_all"),
        r30_all=_pool(rows, "r30_all"),
        avg_response_ms=avg_ms,
        conversion=Fraction(ordered, inquiry) if inquiry and ordered is not None else None,
        sales_fen=_sum([r["sales_fen"] for r in rows]),
    )


def _by_agent(first_day: int, last_day: int) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for raw in q.days(first_day, last_day):
        row = dict(zip(q.DAY_COLUMNS, raw, strict=True))
        out.setdefault(row["agent"], []).append(row)
    return out


def figures(first_day: int, last_day: int) -> tuple[Figures, ...]:
    """Every agent's figures (the shop's first) pooled over the days ``first_day..last_day``."""
    grouped = _by_agent(first_day, last_day)
    return tuple(_figures(agent, first_day, last_day, rows) for agent, rows in sorted(grouped.items()))


def hour_losses(first_day: int, last_day: int) -> tuple[HourLoss, ...]:
    """The hours of the window, the most replies lost within 3 minutes first."""
    found = [
        HourLoss(h, need or 0, lost or 0, slow or 0) for h, need, lost, slow in q.hours(first_day, last_day)
    ]
    return tuple(sorted(found, key=lambda h: (-h.unreplied_3m, -h.unanswered_30s, h.hour)))


def overview(*, days: int = ROLLING_DAYS) -> CsOverview:
    """The latest day with figures and the ``days`` ending on it."""
    latest = q.latest_day()
    if latest is None:
        return CsOverview(None, (), (), targets(), (), days)
    first = latest - days + 1
    return CsOverview(
        latest_day=latest,
        daily=figures(latest, latest),
        rolling=figures(first, latest),
        targets=targets(),
        hours=hour_losses(first, latest),
        rolling_days=days,
    )


def today_number(now: int) -> int:
    """The Beijing day number of ``now``."""
    return (now + 8 * 3600) // 86400


# ------------------------------------------------------------------------------------------
# Alerts (the alerts centre calls this)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyRateAlert:
    """A rolling figure under target: ``key`` stays the same while the finding lasts."""

    key: str
    title: str
    body: str
    agent: str  #: '' = the shop
    metric: str  #: "r3" / "r30"
    value: Fraction
    target: Fraction


def reply_rate_alerts(now: int) -> tuple[ReplyRateAlert, ...]:
    """Below-target findings: the 30-day rolling 8–23 h rates (ending yesterday) per agent and shop.

    Only days before ``now``'s Beijing day count (today's figures are not exported yet); nothing
    is found without figures in the window.
    """
    last = today_number(now) - 1
    first = last - ROLLING_DAYS + 1
    goal = targets()
    out: list[ReplyRateAlert] = []
    for fig in figures(first, last):
        for metric, label, target in (("r3", "3分钟人工回复率", goal.r3), ("r30", "30秒应答率", goal.r30)):
            value = getattr(fig, metric)
            if value is None or value >= target:
                continue
            who = f"客服「{fig.agent}」" if fig.agent else "店铺"
            out.append(
                ReplyRateAlert(
                    key=f"cs:{metric}:{fig.agent or '*'}",
                    title=f"{who}近 {ROLLING_DAYS} 天{label} {m.rate_text(value)}，"
                    f"低于目标 {m.rate_text(target)}",
                    body=(
                        f"{who}近 {ROLLING_DAYS} 天（8–23 点）{label}为 {m.rate_text(value)}，目标 "
                        f"{m.rate_text(target)}。回复率不达标的店铺不能报名平台活动；在「客服」页查看"
                        "哪些时段漏回最多。"
                    ),
                    agent=fig.agent,
                    metric=metric,
                    value=value,
                    target=target,
                )
            )
    return tuple(out)


# ------------------------------------------------------------------------------------------
# Quick replies
# ------------------------------------------------------------------------------------------

#: Variables a quick reply may use, with what fills them (shown in 插入变量).
VARIABLES: dict[str, str] = {
    "订单号": "所选订单的订单号",
    "商品": "订单里的商品和规格",
    "订单状态": "订单状态（待发货、已发货…）",
    "快递公司": "发货的快递公司",
    "快递单号": "快递单号",
    "最新物流": "最新一条物流轨迹",
    "发货截止": "承诺发货截止时间",
    "退款状态": "售后或退款状态",
    "退货地址": "默认退货地址（不含电话）",
    "新发货日期": "延迟发货时新的发货日期（复制前填写）",
}
#: Why a variable of the selected order has no value, and what to do (shown when copying is refused).
MISSING_HINTS: dict[str, str] = {
    "快递公司": "这张订单还没有发货",
    "快递单号": "这张订单还没有发货",
    "最新物流": "还没有物流轨迹，可以删掉这句再复制",
    "发货截止": "这张订单没有承诺发货时间",
    "退货地址": "店铺还没有退货地址：同步店铺信息，或在「售后」同意退货时新增",
    "新发货日期": "请选择新发货日期",
}
#: The variables the UI treats specially: the date the merchant picks, the order's number.
NEW_DATE_VAR = "新发货日期"
ORDER_SN_VAR = "订单号"


def variable_list(names: tuple[str, ...] | list[str]) -> str:
    """``("快递单号", "最新物流")`` → ``{快递单号}、{最新物流}`` (for messages)."""
    return "、".join("{" + n + "}" for n in names)


_VAR = re.compile(r"\{([^{}]{1,20})\}")
_SHORTCUT = re.compile(r"^/[0-9a-z]{1,12}$")
MAX_TITLE = 40
MAX_BODY = 500
MAX_GROUP = 20


@dataclass(frozen=True)
class QuickReplyRow:
    """One quick reply of the library."""

    id: int
    group: str
    shortcut: str  #: "" when none
    title: str
    body: str


def quick_replies() -> tuple[QuickReplyRow, ...]:
    """The library, by group and position."""
    return tuple(QuickReplyRow(i, g, s or "", t, b) for i, g, s, t, b, _ in q.quick_replies())


def variables_in(body: str) -> list[str]:
    """The ``{变量}`` names a text uses, in order, without repeats."""
    seen: list[str] = []
    for name in _VAR.findall(body):
        if name not in seen:
            seen.append(name)
    return seen


def save_quick_reply(*, reply_id: int | None, group: str, shortcut: str, title: str, body: str) -> Changes:
    """Add (``reply_id`` None) or change a quick reply.

    Raises:
        ValidationError: empty or too long fields, a bad or taken shortcut, an unknown variable,
            or text the safety check refuses (nothing saved).
        NotAllowed: the reply to change no longer exists.
    """
    group, shortcut, title, body = group.strip(), shortcut.strip().lower(), title.strip(), body.strip()
    if not group or len(group) > MAX_GROUP:
        raise ValidationError("分组", f"不能为空，最多 {MAX_GROUP} 个字")
    if not title or len(title) > MAX_TITLE:
        raise ValidationError("标题", f"不能为空，最多 {MAX_TITLE} 个字")
    if not body or len(body) > MAX_BODY:
        raise ValidationError("内容", f"不能为空，最多 {MAX_BODY} 个字")
    if shortcut and not _SHORTCUT.match(shortcut):
        raise ValidationError("快捷短语", "以 / 开头，后面 1–12 个字母或数字，例如 /fh")
    unknown = [v for v in variables_in(body) if v not in VARIABLES]
    if unknown:
        raise ValidationError("内容", "没有这些变量：" + "、".join("{" + v + "}" for v in unknown))
    findings = check_reply(_VAR.sub("", body))
    if findings:
        raise ValidationError("内容", "含有平台禁止的内容：" + "；".join(describe(findings)))
    now = clock.now()
    with write_transaction():
        owner = q.shortcut_owner(shortcut) if shortcut else None
        if owner is not None and owner != reply_id:
            raise ValidationError("快捷短语", f"「{shortcut}」已被另一条快捷回复使用")
        if reply_id is not None and not any(r[0] == reply_id for r in q.quick_replies()):
            raise NotAllowed("这条快捷回复已被删除")
        q.save_quick_reply(
            reply_id,
            {
                "group_name": group,
                "shortcut": shortcut or None,
                "title": title,
                "body": body,
                "created_at": now,
                "updated_at": now,
            },
        )
    return CS_CHANGES


def delete_quick_reply(*, reply_id: int) -> Changes:
    """Delete a quick reply (already deleted: nothing to do)."""
    with write_transaction():
        q.delete_quick_reply(reply_id)
    return CS_CHANGES


@dataclass(frozen=True)
class FilledReply:
    """A quick reply with the order's values in it, and the safety check's findings."""

    text: str
    missing: tuple[str, ...]  #: variables without a value (still ``{变量}`` in ``text``)
    findings: tuple[Finding, ...]

    @property
    def ready(self) -> bool:
        """Safe to copy: every variable filled and nothing forbidden found."""
        return not self.missing and not self.findings


def fill(body: str, values: dict[str, str]) -> FilledReply:
    """Put ``values`` into ``body``'s ``{变量}``; unfilled ones stay and are listed."""
    missing: list[str] = []

    def sub(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "").strip()
        if not value:
            if match.group(1) not in missing:
                missing.append(match.group(1))
            return match.group(0)
        return value

    text = _VAR.sub(sub, body)
    return FilledReply(text, tuple(missing), check_reply(_VAR.sub("", text)))


def check_text(text: str) -> FilledReply:
    """The safety check and unfilled variables of a text the merchant edited."""
    missing = tuple(v for v in variables_in(text))
    return FilledReply(text, missing, check_reply(_VAR.sub("", text)))


def order_variables(order_id: int) -> dict[str, str]:
    """The variables' values for one order (empty text when the order has none yet).

    Raises:
        NotAllowed: the order does not exist.
    """
    from pdd_desktop.services import after_sales, orders

    detail = orders.order_detail(order_id)
    row = detail.row
    goods = "、".join(
        f"{i.short_name or i.goods_name}（{i.spec}）" if i.spec else (i.short_name or i.goods_name)
        for i in detail.items
    )
    live = [p for p in detail.packages if not p.voided]
    package = live[-1] if live else None
    latest = ""
    if package and package.events:
        at, label, _location, description = max(package.events, key=lambda e: e[0])
        latest = _mask_phones(f"{timefmt.format_ts(at, '%m-%d %H:%M')} {description or label}".strip())
    refund = ""
    if detail.after_sales:
        case = max(detail.after_sales, key=lambda c: c.created_at)
        refund = f"{case.type_label}，{case.status_label}"
    elif row.after_sales_badge and row.after_sales_badge != "无售后":
        refund = row.after_sales_badge
    address = ""
    for addr in after_sales.return_addresses():
        if addr.is_default or not address:
            address = _without_phone(addr.text)
    return {
        "订单号": row.order_sn,
        "商品": goods,
        "订单状态": row.status_label,
        "快递公司": package.courier if package else "",
        "快递单号": package.number if package else "",
        "最新物流": latest,
        "发货截止": timefmt.format_ts(row.ship_deadline_at, "%m月%d日 %H:%M") if row.ship_deadline_at else "",
        "退款状态": refund or "暂无售后",
        "退货地址": address,
    }


def _mask_phones(text: str) -> str:
    """Phone numbers in a trace masked (``派件员 王五 138****5678``).

    Couriers' traces often carry the courier's or the station's number; the chat's check treats
    any phone number as an off-platform contact, so unmasked it would block the reply.
    """
    spans = [(f.start, f.end) for f in check_reply(text) if f.rule is Rule.PHONE]
    for start, end in reversed(spans):
        text = text[:start] + mask_phone(unicodedata.normalize("NFKC", text[start:end])) + text[end:]
    return text


def _without_phone(text: str) -> str:
    """A return address without its phone number: the chat's check treats a number as a contact."""
    return " ".join(part for part in text.split() if not re.fullmatch(r"[\d\-+ ]{7,}", part))


def find_order(order_sn: str) -> int:
    """The id of the order with this number.

    Raises:
        NotAllowed: no such order.
    """
    from pdd_desktop.data.models import Order

    row = Order.get_or_none(Order.order_sn == order_sn.strip())
    if row is None:
        raise NotAllowed(f"找不到订单 {order_sn.strip()}")
    return row.id


# ------------------------------------------------------------------------------------------
# The cs-daily report (``pdd-desktop report cs-daily``)
# ------------------------------------------------------------------------------------------

DAILY_HEADER = (
    "日期",
    "客服",
    "咨询人数",
    "需要人工回复的咨询人数",
    "3分钟人工回复率(8-23点)",
    "3分钟目标",
    "3分钟达标",
    "30秒应答率(8-23点)",
    "30秒目标",
    "30秒达标",
    "3分钟人工回复率(全天)",
    "30秒应答率(全天)",
    "平均人工响应时长(秒)",
    "询单转化率",
    "客服销售额(元)",
)


def _met(value: Fraction | None, target: Fraction) -> str:
    if value is None:
        return ""
    return "达标" if value >= target else "未达标"


def daily_rows(first_day: int, last_day: int) -> tuple[tuple[object, ...], ...]:
    """One row per day and agent (全店 first each day), for :data:`DAILY_HEADER`."""
    from pdd_desktop.domain.money import format_yuan_plain
    from pdd_desktop.services.cs_import import day_date

    goal = targets()
    grouped = _by_agent(first_day, last_day)
    per_day: list[tuple[int, str, Figures]] = []
    for agent, rows in grouped.items():
        for row in rows:
            per_day.append((row["day"], agent, _figures(agent, row["day"], row["day"], [row])))
    per_day.sort(key=lambda e: (e[0], e[1] != SHOP, e[1]))
    out = []
    for day, _agent, f in per_day:
        secs = ""
        if f.avg_response_ms is not None:
            tenths = (f.avg_response_ms + 50) // 100
            secs = f"{tenths // 10}.{tenths % 10}"
        out.append(
            (
                day_date(day).isoformat(),
                f.who,
                "" if f.consult_users is None else f.consult_users,
                "" if f.need_human is None else f.need_human,
                "" if f.r3 is None else m.rate_text(f.r3),
                m.rate_text(goal.r3),
                _met(f.r3, goal.r3),
                "" if f.r30 is None else m.rate_text(f.r30),
                m.rate_text(goal.r30),
                _met(f.r30, goal.r30),
                "" if f.r3_all is None else m.rate_text(f.r3_all),
                "" if f.r30_all is None else m.rate_text(f.r30_all),
                secs,
                "" if f.conversion is None else m.rate_text(f.conversion),
                "" if f.sales_fen is None else format_yuan_plain(f.sales_fen),
            )
        )
    return tuple(out)
