"""The types of the alert registry: what a rule gets (:class:`RuleContext`), what it returns
(:class:`Finding`) and the rule itself (:class:`Rule`).
"""  # noqa: D205

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pdd_desktop.domain.alerts import MAX_KEY, TARGET_NONE, Severity
from pdd_desktop.services.logistics import TrackingState
from pdd_desktop.services.settings import ShopSettings

#: At most this many ids are kept per alert for its button (the count stays exact).
MAX_TARGET_IDS = 50_000


@dataclass(frozen=True)
class RuleContext:
    """What every rule may read besides the database: the moment and the shop's settings."""

    now: int
    settings: ShopSettings
    tracking: TrackingState  #: whether parcels are tracked (a file-route shop's are not)


@dataclass(frozen=True)
class Finding:
    """One cause a rule found now; it becomes (or updates) the alert ``key``.

    Attributes:
        key: the cause, one of the rule's ``keys``.
        kind: what kind of alert (usually the key).
        severity: how urgent.
        title: what, in one line (shown in bold).
        why: why it matters and the rule that judged it, in the merchant's words.
        count: how many things are concerned (orders, parcels, SKUs, cases, ops).
        target: what the button opens (``domain.alerts.TARGETS``).
        target_ids: exactly those ids.
        amount_fen: money at risk, 0 when none.
    """

    key: str
    kind: str
    severity: Severity
    title: str
    why: str
    count: int
    target: str = TARGET_NONE
    target_ids: tuple[int, ...] = ()
    amount_fen: int = 0


@dataclass(frozen=True)
class Rule:
    """One alert rule: a name, the keys its findings may have, and ``evaluate``.

    An open alert with one of ``keys`` that an evaluation of the rule no longer finds is
    resolved; a rule that raises leaves its alerts as they were (and the error in the log).
    A rule with one alert per plan, agent or goods cannot list its keys: it names a
    ``key_prefix`` instead, and owns every key that starts with it (``"ads_roi:"``). Prefixes
    of two rules must not overlap.
    """

    name: str
    keys: tuple[str, ...]
    evaluate: Callable[[RuleContext], Iterable[Finding]]
    key_prefix: str = ""

    def owns(self, key: str) -> bool:
        """Whether ``key`` is one of this rule's (listed, or starting with its prefix)."""
        return key in self.keys or (bool(self.key_prefix) and key.startswith(self.key_prefix))


def bounded_key(prefix: str, *parts: str) -> str:
    """``prefix`` + the parts joined by ``:``, at most ``MAX_KEY`` characters.

    A longer one (a long plan or agent name) keeps its start and ends in a digest of the whole,
    so two causes never share a key.
    """
    key = prefix + ":".join(parts)
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return f"{key[: MAX_KEY - len(digest) - 1]}#{digest}"
