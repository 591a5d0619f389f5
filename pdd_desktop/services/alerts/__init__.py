"""The alerts centre (预警中心): rules in a registry, one alert per cause, snooze, notify once.

Adding a rule: a module here with ``RULE = Rule(name, keys, evaluate)`` (``evaluate(ctx)``
yields :class:`Finding`s) and one line in :data:`registry.RULES`.
"""

from pdd_desktop.services.alerts.base import Finding, Rule, RuleContext
from pdd_desktop.services.alerts.centre import (
    ALERT_CHANGES,
    SNOOZE_CHOICES,
    AlertRow,
    Evaluation,
    clear_alert,
    evaluate,
    get_alert,
    open_alerts,
    raise_alert,
    snooze,
    snooze_until,
    unsnooze,
    unsnooze_all,
)
from pdd_desktop.services.alerts.registry import RULES

__all__ = [
    "ALERT_CHANGES",
    "RULES",
    "SNOOZE_CHOICES",
    "AlertRow",
    "Evaluation",
    "Finding",
    "Rule",
    "RuleContext",
    "clear_alert",
    "evaluate",
    "get_alert",
    "open_alerts",
    "raise_alert",
    "snooze",
    "snooze_until",
    "unsnooze",
    "unsnooze_all",
]
