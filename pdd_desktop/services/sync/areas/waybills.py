"""E-waybills (电子面单): the subscribed branch accounts and standard templates, and voiding numbers.

- Pull ``waybill_accounts`` (read whole each run, after orders and after-sales):
  ``pdd.waybill.search`` and ``pdd.cloudprint.stdtemplates.get`` (pdd-open-api.md §4.3). The
  branch accounts become ``waybill_account`` rows of source ``platform`` (balance, counters,
  ship-from address); the templates ``waybill_template`` rows. The same apply voids the
  platform numbers of orders that were refunded or cancelled before shipping
  (:func:`pdd_desktop.services.waybills.void_stale_numbers`) and records the platform's cancels.
- Push ``waybill_cancel``: ``pdd.waybill.cancel`` for a voided number, queued in the outbox
  (offline: it waits), so the branch balance comes back. [I] Cancelling twice is harmless (the
  sandbox answers true again), so an unknown outcome is simply sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import write_transaction
from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.platform.records import Page, StdTemplateRecord, WaybillBranchRecord
from pdd_desktop.services.sync.plugin import ABSENT, Area, OutboxOp, PullContext, PullStream, PushOp

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient
    from pdd_desktop.platform.records import WriteResult
    from pdd_desktop.services.sync.push import Pusher

APIS = (
    ApiSpec("pdd.waybill.get", "pdd_waybill_get_response", read_only=False),
    ApiSpec("pdd.waybill.search", "pdd_waybill_search_response", read_only=True),
    ApiSpec("pdd.waybill.cancel", "pdd_waybill_cancel_response", read_only=False),
    ApiSpec("pdd.cloudprint.stdtemplates.get", "pdd_cloudprint_stdtemplates_get_response", read_only=True),
)

#: The outbox op type of a platform cancel.
CANCEL_OP = "waybill_cancel"
_CHANGES = Changes(shipments=True)


@dataclass(frozen=True)
class WaybillSnapshot:
    """One pull: every branch account and standard template the platform lists."""

    accounts: tuple[WaybillBranchRecord, ...]
    templates: tuple[StdTemplateRecord, ...]


def _fetch(ctx: PullContext, page: int) -> Page[WaybillSnapshot]:
    snapshot = WaybillSnapshot(tuple(ctx.client.waybill_accounts()), tuple(ctx.client.std_templates()))
    return Page((snapshot,), None, False)


def _apply(ctx: PullContext, records: Sequence[WaybillSnapshot]) -> None:
    from pdd_desktop.services import waybills

    for snap in records:
        with write_transaction():
            ctx.tally.add(waybills.apply_accounts(snap.accounts, snap.templates))
        with write_transaction():
            waybills.void_stale_numbers()
            waybills.note_cancel_results()


STREAM = PullStream("waybill_accounts", "电子面单账号", _CHANGES, fetch=_fetch, apply=_apply)


def _send_cancel(client: PlatformClient, op: OutboxOp) -> WriteResult:
    return client.waybill_cancel(str(op.payload.get("wp_code") or ""), op.entity_remote_id)


def _reconcile_cancel(pusher: Pusher, op: OutboxOp, conflicts: bool) -> str:
    return ABSENT  # [I] a second cancel changes nothing: send again


def _cancel_failed(pusher: Pusher, op: OutboxOp) -> None:
    from pdd_desktop.services import waybills

    with write_transaction():
        waybills.note_cancel_results()


OPS = (
    PushOp(
        CANCEL_OP,
        "取消电子面单",
        _CHANGES,
        send=_send_cancel,
        reconcile=_reconcile_cancel,
        on_failed=_cancel_failed,
    ),
)

AREA = Area("waybills", streams=(STREAM,), ops=OPS, apis=APIS)
