"""Automation rules (自动化): the kinds, their parameters, and the pure checks they share.

A rule is *condition → action* over the shop's own orders and after-sales cases. The rules
themselves (which orders, which service) live in ``services/automation``; here is what needs no
database: the catalogue of kinds, parameter checking with Chinese messages, keyword matching
and the print schedule.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pdd_desktop.common.timefmt import SHANGHAI
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.domain.money import format_yuan
from pdd_desktop.domain.orders import Flag


class RuleKind(StrEnum):
    """The rule kinds; the value is stored in ``automation_rule.kind``."""

    REFUND = "refund_auto"  #: auto-approve 仅退款 on unshipped orders up to an amount
    MERGE = "merge_mark"  #: mark same-buyer same-address 待发货 orders for one parcel
    PRINT = "auto_print"  #: print new 待发货 orders' labels in batches at set times
    MEMO = "memo_keyword"  #: seller memo / flag by keyword in the buyer memo
    HOLD = "hold_risky"  #: hold orders to risky addresses or with listed memo words


@dataclass(frozen=True)
class RuleInfo:
    """What the merchant reads about a kind: its name and what it does."""

    kind: RuleKind
    title: str
    summary: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        RuleKind.REFUND,
        "自动同意仅退款",
        "未发货订单的仅退款申请，金额不超过上限时自动同意（每天有次数上限）",
    ),
    RuleInfo(
        RuleKind.MERGE,
        "标记可合并发货",
        "同一买家、同一收货地址的多笔待发货订单，自动插旗并写备注，提醒合并发货",
    ),
    RuleInfo(
        RuleKind.PRINT,
        "定时打印面单",
        "到设定的时间，把还没打印的待发货订单的快递面单生成一个 PDF（只打印，不发货）",
    ),
    RuleInfo(
        RuleKind.MEMO,
        "按买家留言备注",
        "买家留言含有设定的关键词时，自动写商家备注和/或插旗",
    ),
    RuleInfo(
        RuleKind.HOLD,
        "风险订单暂停发货",
        "收货地址或买家留言含有设定的词时暂停发货，解除前不能打单、发货",
    ),
)

INFO: dict[RuleKind, RuleInfo] = {r.kind: r for r in RULES}

#: Actions (``automation_action.action``) and how the log names them.
ACTION_LABELS = {
    "refund_agree": "同意退款",
    "set_memo": "备注/插旗",
    "print_label": "打印面单",
    "hold": "暂停发货",
    "release": "解除暂停",
    "switched_off": "规则已自动停用",
}

#: Outcomes in the action log.
OUTCOME_LABELS = {"done": "已执行", "refused": "未执行", "failed": "失败"}

#: Failed runs in a row after which a rule switches itself off.
MAX_FAILURES = 2

MAX_WORDS = 50
MAX_WORD_LEN = 20
MAX_TIMES = 12
MAX_REFUND_FEN = 100_000_00  #: ¥100,000: a typo guard, the merchant's own limit is far lower
MAX_DAILY_CAP = 1000
MAX_BATCH = 1000
MEMO_TEXT_MAX = 50


def default_params(kind: RuleKind) -> dict[str, Any]:
    """A new rule's parameters (switched off until the merchant has seen its preview)."""
    return {
        RuleKind.REFUND: {"max_fen": 2000, "daily_cap": 20},
        RuleKind.MERGE: {"flag": int(Flag.PURPLE), "memo": "合并发货"},
        RuleKind.PRINT: {"times": ["09:00", "15:00"], "batch_max": 200, "folder": ""},
        RuleKind.MEMO: {"keywords": ["加急", "尽快"], "flag": int(Flag.RED), "memo": "买家要求加急"},
        RuleKind.HOLD: {"address_words": ["学校", "监狱", "看守所"], "memo_words": ["退款", "投诉"]},
    }[kind]


def _int(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"应为整数，收到 {value!r}")
    if not low <= value <= high:
        raise ValidationError(field, f"应在 {low}–{high} 之间（现在 {value}）")
    return value


def _fen(field: str, value: object, low: int, high: int) -> int:
    """An amount in fen, its range said in yuan (the merchant types yuan, never fen)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"应为金额，收到 {value!r}")
    if not low <= value <= high:
        raise ValidationError(
            field, f"应在 {format_yuan(low)}–{format_yuan(high)} 之间（现在 {format_yuan(value)}）"
        )
    return value


def _flag(field: str, value: object, *, optional: bool) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in {f.value for f in Flag}:
        raise ValidationError(field, f"应为 1–5 的颜色，收到 {value!r}")
    return value


def _text(field: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, f"应为文字，收到 {value!r}")
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(field, f"不能超过 {limit} 个字（现在 {len(text)} 个）")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise ValidationError(field, "不能含有控制字符")
    return text


def _words(field: str, value: object) -> list[str]:
    if isinstance(value, str):
        value = split_words(value)
    if not isinstance(value, list | tuple):
        raise ValidationError(field, f"应为词语列表，收到 {value!r}")
    out: list[str] = []
    for item in value:
        word = _text(field, item, MAX_WORD_LEN)
        if word and word not in out:
            out.append(word)
    if len(out) > MAX_WORDS:
        raise ValidationError(field, f"最多 {MAX_WORDS} 个词（现在 {len(out)} 个）")
    return out


def split_words(text: str) -> list[str]:
    """Words typed in one line, separated by spaces, commas (全角/半角), 、 or ；."""
    for sep in ",，、;；\n\t":
        text = text.replace(sep, " ")
    return [w for w in text.split(" ") if w]


def time_of_day_minutes(text: str) -> int:
    """``"09:30"`` → 570.

    Raises:
        ValidationError: not ``HH:MM`` in 00:00–23:59.
    """
    parts = text.strip().replace("：", ":").split(":") if isinstance(text, str) else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValidationError("打印时间", f"应为“时:分”，如 09:30，收到 {text!r}")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValidationError("打印时间", f"{text} 不是一天中的时间")
    return hour * 60 + minute


def check_params(kind: RuleKind, raw: dict[str, Any]) -> dict[str, Any]:
    """The parameters of ``kind`` checked and normalised (unknown keys dropped).

    Raises:
        ValidationError: a value out of range, of the wrong type, or a rule with nothing to do;
            the message names the field in the merchant's words.
    """
    if not isinstance(raw, dict):
        raise ValidationError("规则参数", "格式不正确")
    p = {**default_params(kind), **raw}
    if kind == RuleKind.REFUND:
        return {
            "max_fen": _fen("退款金额上限", p["max_fen"], 1, MAX_REFUND_FEN),
            "daily_cap": _int("每天最多自动同意", p["daily_cap"], 1, MAX_DAILY_CAP),
        }
    if kind == RuleKind.MERGE:
        memo = _text("备注文字", p["memo"], MEMO_TEXT_MAX)
        if not memo:
            raise ValidationError("备注文字", "不能为空（用来识别已标记的订单）")
        return {"flag": _flag("旗帜", p["flag"], optional=False), "memo": memo}
    if kind == RuleKind.PRINT:
        times = p["times"]
        if isinstance(times, str):
            times = split_words(times)
        if not isinstance(times, list | tuple) or not times:
            raise ValidationError("打印时间", "至少设一个时间")
        minutes = sorted({time_of_day_minutes(t) for t in times})
        if len(minutes) > MAX_TIMES:
            raise ValidationError("打印时间", f"最多 {MAX_TIMES} 个时间（现在 {len(minutes)} 个）")
        return {
            "times": [f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
            "batch_max": _int("每批最多", p["batch_max"], 1, MAX_BATCH),
            "folder": _text("保存文件夹", p["folder"], 1000),
        }
    if kind == RuleKind.MEMO:
        keywords = _words("关键词", p["keywords"])
        if not keywords:
            raise ValidationError("关键词", "至少填一个")
        flag = _flag("旗帜", p["flag"], optional=True)
        memo = _text("备注文字", p["memo"], MEMO_TEXT_MAX)
        if flag is None and not memo:
            raise ValidationError("备注文字", "备注文字和旗帜至少设一个")
        return {"keywords": keywords, "flag": flag, "memo": memo}
    address_words = _words("地址中的词", p["address_words"])
    memo_words = _words("留言中的词", p["memo_words"])
    if not address_words and not memo_words:
        raise ValidationError("地址中的词", "地址中的词和留言中的词至少填一个")
    return {"address_words": address_words, "memo_words": memo_words}


def fold(text: str) -> str:
    """Text as keywords are compared: full-width to half-width, case folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def matched_word(text: str, words: list[str]) -> str | None:
    """The first of ``words`` contained in ``text`` (full/half width and case ignored), or None."""
    folded = fold(text)
    for word in words:
        if fold(word) in folded:
            return word
    return None


def append_memo(memo: str, addition: str, limit: int) -> str:
    """``memo`` with ``addition`` after it (one space between), kept within ``limit`` characters.

    Raises:
        ValidationError: the result would be longer than ``limit``.
    """
    memo = (memo or "").strip()
    if addition in memo:
        return memo
    out = f"{memo} {addition}" if memo else addition
    if len(out) > limit:
        raise ValidationError("商家备注", f"加上「{addition}」后超过 {limit} 个字")
    return out


def last_slot(now: int, times: list[str]) -> int:
    """The latest scheduled moment at or before ``now`` (Beijing time of day, any of ``times``)."""
    local = datetime.fromtimestamp(now, SHANGHAI)
    best: datetime | None = None
    for text in times:
        minutes = time_of_day_minutes(text)
        slot = local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)
        if slot > local:
            slot -= timedelta(days=1)
        if best is None or slot > best:
            best = slot
    if best is None:
        raise ValidationError("打印时间", "至少设一个时间")
    return int(best.timestamp())


def batch_due(*, now: int, times: list[str], last_batch_at: int | None, enabled_at: int | None) -> int | None:
    """The slot a print batch is due for now, or None.

    Due when the latest slot is after the last batch and after the rule was switched on (a rule
    switched on at 10:00 with a 09:00 time waits for tomorrow's 09:00, not a batch at once; a
    computer that was off at 15:00 prints at the next run after).
    """
    slot = last_slot(now, times)
    if last_batch_at is not None and slot <= last_batch_at:
        return None
    if enabled_at is not None and slot < enabled_at:
        return None
    return slot


def describe(kind: RuleKind, params: dict[str, Any]) -> str:
    """One line of the rule's current settings, for the rule list."""
    if kind == RuleKind.REFUND:
        yuan = params["max_fen"] / 100
        return f"金额 ≤ ¥{yuan:,.2f}，每天最多 {params['daily_cap']} 单"
    if kind == RuleKind.MERGE:
        return f"插{Flag(params['flag']).label}，备注「{params['memo']}」"
    if kind == RuleKind.PRINT:
        return f"每天 {'、'.join(params['times'])}，每批最多 {params['batch_max']} 单"
    if kind == RuleKind.MEMO:
        what = []
        if params["memo"]:
            what.append(f"备注「{params['memo']}」")
        if params["flag"]:
            what.append(f"插{Flag(params['flag']).label}")
        return f"留言含 {'、'.join(params['keywords'])} → {'，'.join(what)}"
    words = [*params["address_words"], *params["memo_words"]]
    return f"地址/留言含 {'、'.join(words)} → 暂停发货"
