"""The safety check on a customer-service reply before it is copied into PDD's chat.

PDD's chat forbids off-platform contact (微信号, 手机号, 二维码 or any off-site contact; detected
automatically and punished) and 好评返现 (cash back for a good review: downgrade, search block,
delisting); sources and the risky-phrase patterns are in merchant-data.md §3.4 (the patterns
themselves are tagged [I] there: they are our rules, not the platform's list).

How a text is checked:

1. **Normalised** character by character (every output character remembers the original one it
   came from, so a finding is highlighted where the merchant typed it): NFKC folds full-width
   letters and digits (``１３９``, ``ＶＸ``) and circled digits to ASCII, then lower case.
2. Rules run on two views of it: the normalised text as it is, and a *compact* view without
   separators (spaces, full-width spaces, punctuation, symbols, emoji, zero-width characters),
   so ``1 3 9-1234-5678``, ``微 信`` and ``v·x`` are found. Number rules also read Chinese
   numerals as digits (``一三九…``, ``幺``, ``壹贰叁``).
3. Overlapping findings of the same rule are merged; each finding names its rule and the
   original text span.

No Qt, no database: ``services``, the 客服 page and ``pdd-desktop check-reply`` all call
:func:`check_reply`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Rule(Enum):
    """A kind of forbidden content; ``label`` is what the merchant reads."""

    PHONE = ("phone", "手机号或电话号码", "聊天中禁止留电话，请让买家在平台内沟通")
    WECHAT = ("wechat", "微信号或其变体", "聊天中禁止引导加微信（包括谐音、拼音和缩写）")
    QQ = ("qq", "QQ 号", "聊天中禁止留 QQ 号")
    QR_LINK = ("qr_link", "二维码或站外链接", "聊天中禁止发送二维码、扫码或站外网址")
    OFF_SITE = ("off_site", "引导站外交易", "聊天中禁止引导私下交易或加好友")
    CASHBACK = ("cashback", "好评返现", "好评返现（含晒图返、好评送红包）被平台禁止，会被降权或下架")
    PLATFORM = ("platform", "其他平台名称", "聊天中提到其他电商平台会被判为引导站外交易")

    def __init__(self, code: str, label: str, why: str) -> None:
        self.code = code
        self.label = label
        self.why = why


@dataclass(frozen=True)
class Finding:
    """One forbidden phrase: the rule and where it is in the original text (``text[start:end]``)."""

    rule: Rule
    start: int
    end: int
    text: str


# --- normalisation -------------------------------------------------------------------------

#: Chinese numerals read as digits by the number rules (幺 = 1 as said on the phone).
_NUMERALS = str.maketrans(
    {
        "零": "0",
        "〇": "0",
        "洞": "0",
        "一": "1",
        "幺": "1",
        "壹": "1",
        "二": "2",
        "贰": "2",
        "两": "2",
        "三": "3",
        "叁": "3",
        "四": "4",
        "肆": "4",
        "五": "5",
        "伍": "5",
        "六": "6",
        "陆": "6",
        "七": "7",
        "柒": "7",
        "拐": "7",
        "八": "8",
        "捌": "8",
        "九": "9",
        "玖": "9",
        "勾": "9",
    }
)


def _is_separator(ch: str) -> bool:
    """Spaces, punctuation, symbols, emoji and invisible characters (dropped in the compact view)."""
    return unicodedata.category(ch)[0] in "ZPSC"


@dataclass(frozen=True)
class _View:
    text: str
    origin: tuple[int, ...]  #: original index of every character of ``text``


def _views(text: str) -> tuple[_View, _View]:
    """The normalised view and the compact view of ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch).lower():
            chars.append(out)
            origin.append(i)
    normal = _View("".join(chars), tuple(origin))
    keep = [k for k, ch in enumerate(chars) if not _is_separator(ch)]
    compact = _View("".join(chars[k] for k in keep), tuple(origin[k] for k in keep))
    return normal, compact


# --- rules -----------------------------------------------------------------------------------

_NOT_ALNUM_BEFORE = r"(?<![0-9a-z])"
_NOT_ALNUM_AFTER = r"(?![0-9a-z])"

#: (rule, pattern, read Chinese numerals as digits, also run on the compact view). Patterns see
#: lower-case NFKC text. Word combinations that may span a sentence ("好评" … "送") run on the
#: normalised view only, so a separator between two sentences is never removed to join them.
_PATTERNS: tuple[tuple[Rule, str, bool, bool], ...] = (
    # Mobile numbers 1[3-9] + 9 digits, and landlines with an area code (0 + 2–3 digits + 7–8).
    (Rule.PHONE, _NOT_ALNUM_BEFORE + r"1[3-9]\d{9}" + _NOT_ALNUM_AFTER, True, True),
    (Rule.PHONE, _NOT_ALNUM_BEFORE + r"0[1-9]\d{1,2}\d{7,8}" + _NOT_ALNUM_AFTER, True, True),
    (
        Rule.WECHAT,
        r"微信|威信|薇信|维信|徽信|围信|喂信|v信|微x|加v|加薇|薇号|wei\s?xin|wechat|"
        r"(?<![a-z])(?:vx|wx|vchat)(?![a-z])",
        False,
        True,
    ),
    (Rule.QQ, r"(?:qq|扣扣|企鹅号|q号)\D{0,4}\d{5,11}" + _NOT_ALNUM_AFTER, True, True),
    (Rule.QQ, r"加?(?:qq|扣扣)[号群]|加(?:qq|扣扣)", False, True),
    (Rule.QR_LINK, r"二维码|扫码加|扫码关注|扫码领|扫一扫|https?:|www\.", False, True),
    (Rule.QR_LINK, r"[a-z0-9-]+\.(?:com|cn|net|top|cc|vip|xyz|me|shop|link)(?![a-z0-9])", False, False),
    (Rule.OFF_SITE, r"加好友|加我好友|私下交易|线下交易|拉你进群|加群", False, True),
    (Rule.CASHBACK, r"返现|好评返|晒图返|追评返|返红包|好评红包", False, True),
    (
        Rule.CASHBACK,
        r"(?:五星|5星|好评|晒图|追评)[^。！？，,;；!?\n]{0,6}?"
        r"(?:送(?!货|达|到|出)|返(?!回|修|货|厂)|红包|现金|奖励|奖金|礼品)",
        False,
        False,
    ),
    (
        Rule.PLATFORM,
        # 京东配送 is the courier's name on PDD (courier_names); 1688 only as a word of its own,
        # never the digits inside an order or tracking number.
        r"淘宝|天猫|京东(?!快递|物流|快运|配送)|抖音|快手|闲鱼|唯品会|苏宁易购|小红书|得物|"
        r"(?<!\d)1688(?!\d)|阿里巴巴|"
        r"(?<![a-z])(?:taobao|tmall|douyin)(?![a-z])",
        False,
        True,
    ),
)

#: Each pattern inside a lookahead, so matches may overlap (「好评返」 and 「返现」 in 好评返现); the
#: overlapping spans are merged afterwards.
_COMPILED = tuple((rule, re.compile(f"(?=({p}))"), num, compact) for rule, p, num, compact in _PATTERNS)


def check_reply(text: str) -> tuple[Finding, ...]:
    """Every forbidden phrase in ``text``, in text order (empty: the reply is safe to send).

    Overlapping or touching findings of the same rule (found in both views, or by two patterns)
    become one finding covering both.
    """
    spans: dict[Rule, list[tuple[int, int]]] = {}
    for n, view in enumerate(_views(text)):
        digits = view.text.translate(_NUMERALS)
        for rule, pattern, numerals, compact in _COMPILED:
            if n == 1 and not compact:
                continue
            for m in pattern.finditer(digits if numerals else view.text):
                if m.end(1) <= m.start(1):
                    continue
                start = view.origin[m.start(1)]
                end = view.origin[m.end(1) - 1] + 1
                spans.setdefault(rule, []).append((start, end))
    found: list[Finding] = []
    for rule, items in spans.items():
        items.sort()
        merged: list[list[int]] = []
        for start, end in items:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        found.extend(Finding(rule, s, e, text[s:e]) for s, e in merged)
    found.sort(key=lambda f: (f.start, f.end, f.rule.code))
    return tuple(found)


def describe(findings: tuple[Finding, ...]) -> list[str]:
    """One Chinese line per finding: 「matched text」 — rule: why."""
    return [f"「{f.text}」 {f.rule.label}：{f.rule.why}" for f in findings]
