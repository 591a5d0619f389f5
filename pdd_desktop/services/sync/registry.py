"""The app's syncing areas, in pull order: adding a module is one line in :data:`AREAS`.

Everything that used to be a shared table reads :data:`DEFAULT`: the engine's streams and ops,
the labels (:data:`STREAM_LABELS`, :func:`op_label`), the client's API table (build clients with
:func:`platform_client` / :func:`open_shop_client`) and the sandbox router.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pdd_desktop.platform.apis import ApiTable
from pdd_desktop.services.sync.areas import (
    after_sales,
    couriers,
    cs,
    funds,
    goods,
    marketing,
    messages,
    orders,
    profile,
    shop,
    tracking,
    waybills,
)
from pdd_desktop.services.sync.plugin import Registry

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient, TokenSource

#: The areas, in the order their streams are pulled.
AREAS = (
    couriers.AREA,
    profile.AREA,
    goods.AREA,
    orders.AREA,
    after_sales.AREA,
    waybills.AREA,  # after orders and after-sales: numbers of refunded or cancelled orders are voided
    shop.AREA,
    tracking.AREA,  # after orders: parcels shipped on the platform exist locally by then
    messages.AREA,  # 站内信: a sandbox-only stream, pulled for demo shops only
    funds.AREA,  # 资金: the daily bills, after orders and after-sales (reconciliation reads both)
    cs.AREA,  # 客服: the sandbox's daily exports, pulled for demo shops only
    marketing.AREA,  # after goods and orders: coupons and 限时限量购 name goods
)

DEFAULT = Registry(AREAS)

#: Every API the app declares (with the platform's own), for the client and the sandbox.
API_TABLE: ApiTable = DEFAULT.apis
#: The pull streams in Chinese (status texts, the sync log).
STREAM_LABELS: dict[str, str] = DEFAULT.stream_labels
#: The outbox op types in Chinese.
OP_LABELS: dict[str, str] = DEFAULT.op_labels


def op_label(op_type: str) -> str:
    """Chinese label of an op type."""
    return DEFAULT.op_label(op_type)


def platform_client(
    gateway_url: str,
    client_id: str,
    client_secret: str,
    *,
    tokens: TokenSource | None,
    registry: Registry | None = None,
    **client_kw: Any,
) -> PlatformClient:
    """A :class:`PlatformClient` that knows the APIs of ``registry`` (default: the app's)."""
    from pdd_desktop.platform.client import PlatformClient

    apis = (registry or DEFAULT).apis
    return PlatformClient(gateway_url, client_id, client_secret, tokens=tokens, apis=apis, **client_kw)


def open_shop_client(shop: str, *, registry: Registry | None = None, **client_kw: Any) -> PlatformClient:
    """``platform.credentials.open_client`` with the app's API table (the shop's stored credentials)."""
    from pdd_desktop.platform import credentials

    return credentials.open_client(shop, apis=(registry or DEFAULT).apis, **client_kw)
