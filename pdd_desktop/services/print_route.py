"""Where the window's print path gets its platform client and its print component from.

Labels of platform e-waybills need two things the window process does not own:

- a platform client for ``pdd.waybill.get`` (numbers are issued at print time);
- the address of PDD's print component (拼多多打印组件), which prints the encrypted labels.

:class:`PlatformAccess` answers both, in a worker (never on the UI thread):

- **API mode**: the shop's own client (``services.sync.registry.open_shop_client``: the OS
  keychain's credentials) and the component at the machine setting (default
  ``ws://127.0.0.1:5000``, :data:`~pdd_desktop.platform.print_component.DEFAULT_URL`).
- **Demo mode**: the sandbox platform runs in the sync worker process (``sync_process``), on an
  ephemeral port, together with the sandbox's fake print component. The worker reports where
  both listen in a :class:`SandboxEndpoint` with every "built" answer; the window builds its own
  client to that gateway with the sandbox shop's credentials (the same ones the worker uses), and
  prints to the fake component, whose rendered PDFs (what the thermal printer "printed") are in
  :attr:`SandboxEndpoint.printed_dir`. Decision: the sandbox keeps running where sync runs (one
  sandbox, one set of balances), and the window talks to it over loopback exactly as it would to
  the platform; nothing about the sandbox is shared through the database.

No Qt here (services layer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pdd_desktop.domain.errors import DomainError
from pdd_desktop.platform.print_component import DEFAULT_URL
from pdd_desktop.services.thumbnails import fetch_url

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient

#: The custom area's template in the sandbox (the fake component renders its data; a real
#: shop's custom template URL is registered with the platform and set per machine).
SANDBOX_CUSTOM_TEMPLATE = "https://sandbox.pdd-desktop.invalid/cloudprint/custom/pdd-desktop-items.xml"


@dataclass(frozen=True)
class SandboxEndpoint:
    """Where the demo sandbox listens (picklable: the sync worker sends it to the window).

    Attributes:
        gateway: the sandbox platform's API router URL.
        client_id: the sandbox shop's app id.
        client_secret: its app secret.
        access_token: its access token.
        refresh_token: its refresh token.
        component_url: the fake print component's ``ws://`` URL ("" when it did not start).
        printed_dir: the folder its rendered label PDFs go to.
    """

    gateway: str
    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str
    component_url: str = ""
    printed_dir: str = ""

    def __repr__(self) -> str:  # never log the secret or the tokens
        return f"SandboxEndpoint({self.gateway!r}, component={self.component_url!r})"


class _SandboxTokens:
    """The sandbox shop's tokens; a 10019 refreshes them through ``pdd.pop.auth.token.refresh``."""

    def __init__(self, access: str, refresh: str) -> None:
        self._access, self._refresh = access, refresh
        self.client: PlatformClient | None = None

    def __repr__(self) -> str:
        return "_SandboxTokens(***)"

    def access_token(self) -> str:
        return self._access

    def refresh(self) -> str:
        assert self.client is not None
        record = self.client.auth_token_refresh(self._refresh)
        self._access, self._refresh = record.access_token, record.refresh_token or self._refresh
        return self._access


def sandbox_client(endpoint: SandboxEndpoint) -> PlatformClient:
    """A platform client of the demo sandbox described by ``endpoint``."""
    from pdd_desktop.services.sync.registry import platform_client

    tokens = _SandboxTokens(endpoint.access_token, endpoint.refresh_token)
    client = platform_client(endpoint.gateway, endpoint.client_id, endpoint.client_secret, tokens=tokens)
    tokens.client = client
    return client


@dataclass(frozen=True)
class ComponentTarget:
    """The print component to print to, and what a print needs beside it.

    Attributes:
        url: its ``ws://`` address.
        simulated: True for the demo sandbox's fake component.
        printed_dir: where the fake puts what it printed ("" for the real one).
        custom_template_url: the custom area's template ("": no custom area).
    """

    url: str
    simulated: bool = False
    printed_dir: str = ""
    custom_template_url: str = ""


class PlatformAccess:
    """The platform client and print component of the open shop, for the window's print path.

    Args:
        shop: the shop's folder name (its keychain entry).
        endpoint: the demo sandbox's endpoint when sync runs one (None otherwise); asked each time.
        component_url: the machine setting for the real component's address ("" = default).
        custom_template_url: the machine setting for a real shop's custom area template.
        is_demo: whether the open shop is the demo shop.
    """

    def __init__(
        self,
        shop: str,
        *,
        endpoint: Callable[[], SandboxEndpoint | None] = lambda: None,
        component_url: Callable[[], str] = lambda: "",
        custom_template_url: Callable[[], str] = lambda: "",
        is_demo: bool = False,
    ) -> None:
        self.shop = shop
        self._endpoint = endpoint
        self._component_url = component_url
        self._custom_template_url = custom_template_url
        self.is_demo = is_demo

    def client(self) -> PlatformClient:
        """The platform client for numbers (network and keychain: call it in a worker).

        Raises:
            DomainError: demo shop whose sandbox is not running yet.
            AuthRejected: no credentials stored for a real shop.
        """
        endpoint = self._endpoint()
        if endpoint is not None:
            return sandbox_client(endpoint)
        if self.is_demo:
            raise DomainError("演示沙箱还没有启动，请先点「同步」等它启动后再取号")
        from pdd_desktop.services.sync.registry import open_shop_client

        return open_shop_client(self.shop)

    def image_fetch_url(self, url: str) -> str | None:
        """Where to download a goods image (demo URLs go to the running sandbox, demo mode only)."""
        endpoint = self._endpoint() if self.is_demo else None
        return fetch_url(url, endpoint.gateway if endpoint is not None else None)

    def component(self) -> ComponentTarget:
        """The print component to use: the sandbox's fake in demo mode, else the machine's."""
        endpoint = self._endpoint()
        if endpoint is not None and endpoint.component_url:
            return ComponentTarget(
                endpoint.component_url,
                simulated=True,
                printed_dir=endpoint.printed_dir,
                custom_template_url=SANDBOX_CUSTOM_TEMPLATE,
            )
        return ComponentTarget(
            self._component_url() or DEFAULT_URL, custom_template_url=self._custom_template_url()
        )


def newest_printed(printed_dir: str, since: float) -> list[Path]:
    """The fake component's PDFs written at or after ``since`` (epoch s), oldest first."""
    folder = Path(printed_dir)
    if not printed_dir or not folder.is_dir():
        return []
    found = [p for p in folder.glob("task-*.pdf") if p.stat().st_mtime >= since - 1]
    return sorted(found, key=lambda p: p.stat().st_mtime)


__all__ = [
    "SANDBOX_CUSTOM_TEMPLATE",
    "ComponentTarget",
    "PlatformAccess",
    "SandboxEndpoint",
    "newest_printed",
    "sandbox_client",
]
