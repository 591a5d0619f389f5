"""Domain errors carry a message the user can read as it is (Chinese first)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the shop was broken; ``str(err)`` is fit to show the user."""


class NotAllowed(DomainError):
    """The action is not allowed in the entity's current state."""


class ValidationError(DomainError):
    """Input does not satisfy the rules; names the field and the reason."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}：{message}")
