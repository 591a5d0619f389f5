"""What a service call changed, so pages refresh only when they care (cf. Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    """One flag per data area touched by an operation."""

    orders: bool = False
    shipments: bool = False
    after_sales: bool = False
    goods: bool = False
    funds: bool = False
    messages: bool = False
    marketing: bool = False
    cs: bool = False  #: 客服: reply-rate figures, targets, quick replies
    settings: bool = False
    sync: bool = False
    alerts: bool = False  #: the alerts centre's open alerts

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def any(self) -> bool:
        """True when at least one area changed."""
        return any(getattr(self, f.name) for f in fields(self))

    @classmethod
    def everything(cls) -> Changes:
        """All areas at once: after a restore, a demo rebuild or an import of a whole shop."""
        return cls(**{f.name: True for f in fields(cls)})
