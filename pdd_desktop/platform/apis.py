"""Declarations of the platform's APIs: one :class:`ApiSpec` per ``type`` the app calls.

The client (:class:`~pdd_desktop.platform.client.PlatformClient`) and the sandbox router read
the same declarations: the answer's wrapper key (§1.4), whether a call changes nothing (safe to
retry) and whether it needs the shop's ``access_token``. The protocol's own APIs (time and
tokens, :data:`CORE_APIS`) are declared here; every other API is declared next to the code that
uses it (``services/sync/areas/*.py``) and reaches the client as an :class:`ApiTable` built by
``services.sync.registry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

#: Marks an API that answers flat, without a wrapper key.
FLAT = ""


@dataclass(frozen=True)
class ApiSpec:
    """One platform API.

    Attributes:
        name: the ``type`` parameter, e.g. ``pdd.goods.detail.get``.
        response_key: the answer's wrapper key (§1.4; not derivable from ``name``), or
            :data:`FLAT` for an answer without a wrapper.
        read_only: the call changes nothing on the platform: safe to retry after any failure.
        needs_token: the gateway requires the shop's ``access_token`` for it.
        rate_limit: the platform's per-shop limit as ``(calls, seconds)`` (pdd-open-api.md §9,
            "商家限流频次"), or None when none is documented. The client keeps below it.
    """

    name: str
    response_key: str
    read_only: bool
    needs_token: bool = True
    rate_limit: tuple[int, float] | None = None

    @property
    def shop_write(self) -> bool:
        """A call that changes the shop's state (not read-only, made with the shop's token)."""
        return not self.read_only and self.needs_token


class ApiTable(Mapping[str, ApiSpec]):
    """The declared APIs by name (immutable).

    Raises:
        ValueError: the same name is declared twice with different values.
    """

    def __init__(self, specs: Iterable[ApiSpec]) -> None:
        table: dict[str, ApiSpec] = {}
        for spec in specs:
            have = table.get(spec.name)
            if have is not None and have != spec:
                raise ValueError(f"API {spec.name} declared twice differently: {have} / {spec}")
            table[spec.name] = spec
        self._table = table

    def __getitem__(self, name: str) -> ApiSpec:
        return self._table[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"ApiTable({len(self._table)} APIs)"

    def response_keys(self) -> dict[str, str]:
        """Name → wrapper key of every declared API."""
        return {name: spec.response_key for name, spec in self._table.items()}

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        """Name → ``(calls, seconds)`` of every API with a declared per-shop limit."""
        return {name: spec.rate_limit for name, spec in self._table.items() if spec.rate_limit}

    def read_only(self) -> frozenset[str]:
        """Names of the read-only APIs (retried by the client)."""
        return frozenset(name for name, spec in self._table.items() if spec.read_only)


#: The protocol's own APIs: the platform clock and the shop's tokens (§1.5, §7).
CORE_APIS: tuple[ApiSpec, ...] = (
    ApiSpec("pdd.time.get", "time_get_response", read_only=True, needs_token=False),
    ApiSpec(
        "pdd.pop.auth.token.create", "pop_auth_token_create_response", read_only=False, needs_token=False
    ),
    ApiSpec(
        "pdd.pop.auth.token.refresh", "pop_auth_token_refresh_response", read_only=False, needs_token=False
    ),
)
