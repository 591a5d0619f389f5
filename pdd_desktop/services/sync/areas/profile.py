"""The shop's profile and return addresses: small, read whole on every run (no cursor).

- ``shop_profile`` (``pdd.mall.info.get``, declared in the ``shop`` area): the ``Shop`` row's
  platform fields (mall id, name, description, merchant type, logo). A shop without a row (a
  new API shop) gets one; the platform's name wins over a local one, since the merchant
  renames the shop in the platform's backend.
- ``return_addresses`` (``pdd.refund.address.list.get``, declared in the ``after_sales``
  area): ``Address`` rows with ``is_return``, upserted by ``remote_id``. A local return address
  that was never synced and equals a platform one (a demo shop's own) is adopted instead of
  doubled. A synced return address the platform no longer lists is removed (or, if it is also
  the shop's sender address, stops being a return address). Synced return addresses are the
  platform's: the app does not edit them (``services.addresses`` refuses), the merchant changes
  them in the platform's backend and the next sync brings the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.domain.errors import NotAllowed
from pdd_desktop.platform.records import MallRecord, Page, ReturnAddressRecord
from pdd_desktop.services.sync.plugin import ApplyCounts, Area, PullContext, PullStream, RunRefused

if TYPE_CHECKING:
    from pdd_desktop.platform.client import PlatformClient

# --------------------------------------------------------------------------------------------
# Shop profile
# --------------------------------------------------------------------------------------------


def apply_mall(mall: MallRecord) -> ApplyCounts:
    """Write the platform's shop fields into the shop row (inside the caller's transaction).

    Raises:
        NotAllowed: the shop row belongs to another mall than the one the credentials open.
    """
    counts = ApplyCounts()
    row = database.execute_sql(
        "SELECT id, mall_id, name, description, merchant_type, logo_url FROM shop ORDER BY id LIMIT 1"
    ).fetchone()
    name = mall.mall_name.strip()
    if row is None:
        database.execute_sql(
            "INSERT INTO shop (mall_id, name, description, merchant_type, logo_url, is_demo, created_at) "
            "VALUES (?, ?, ?, ?, ?, 0, ?)",
            (
                mall.mall_id,
                name or f"店铺 {mall.mall_id}",
                mall.mall_desc,
                mall.merchant_type or 1,
                mall.logo,
                clock.now(),
            ),
        )
        counts.upserted += 1
        return counts
    if row[1] is not None and int(row[1]) != mall.mall_id:
        raise NotAllowed(
            f"这个店铺的数据属于拼多多店铺 {row[1]}，开放平台授权的却是店铺 {mall.mall_id}（{name}）："
            "店铺资料未同步，请检查开放平台凭据"
        )
    wanted = (
        mall.mall_id,
        name or row[2],
        mall.mall_desc,
        mall.merchant_type or row[4],
        mall.logo,
    )
    if tuple(row[1:]) == wanted:
        counts.same += 1
        return counts
    database.execute_sql(
        "UPDATE shop SET mall_id = ?, name = ?, description = ?, merchant_type = ?, logo_url = ? "
        "WHERE id = ?",
        (*wanted, row[0]),
    )
    counts.upserted += 1
    return counts


def _fetch_mall(ctx: PullContext, page: int) -> Page[MallRecord]:
    return Page((ctx.client.mall_info(),), None, False)


def _apply_mall(ctx: PullContext, items: Sequence[MallRecord]) -> None:
    with write_transaction():
        for mall in items:
            ctx.tally.add(apply_mall(mall))


PROFILE_STREAM = PullStream(
    "shop_profile", "店铺资料", Changes(settings=True), fetch=_fetch_mall, apply=_apply_mall
)

# --------------------------------------------------------------------------------------------
# Return addresses
# --------------------------------------------------------------------------------------------

_ADDRESS_FIELDS = ("contact_name", "phone", "province", "city", "district", "detail")


def _content(r: ReturnAddressRecord) -> tuple[str, ...]:
    return (r.contact_name, r.phone, r.province, r.city, r.district, r.detail)


def apply_return_addresses(records: Sequence[ReturnAddressRecord]) -> ApplyCounts:
    """Make the shop's synced return addresses the platform's list (inside the caller's transaction)."""
    counts = ApplyCounts()
    rows = database.execute_sql(
        "SELECT id, remote_id, contact_name, phone, province, city, district, detail, is_sender, is_return, "
        "is_default FROM address"
    ).fetchall()
    by_remote = {int(r[1]): r for r in rows if r[1] is not None}
    unsynced = {tuple(r[2:8]): r for r in rows if r[1] is None and r[9]}
    conn = database.connection()
    sets = ", ".join(f"{f} = ?" for f in _ADDRESS_FIELDS)
    for rec in records:
        row = by_remote.get(rec.id) or unsynced.pop(_content(rec), None)
        if row is None:
            conn.execute(
                "INSERT INTO address (remote_id, contact_name, phone, province, city, district, detail, "
                "is_sender, is_return, is_default) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?)",
                (rec.id, *_content(rec), 1 if rec.is_default else 0),
            )
            counts.upserted += 1
            continue
        if (row[1], tuple(row[2:8]), bool(row[9]), bool(row[10])) == (
            rec.id,
            _content(rec),
            True,
            rec.is_default,
        ):
            counts.same += 1
            continue
        conn.execute(
            f"UPDATE address SET remote_id = ?, {sets}, is_return = 1, is_default = ? WHERE id = ?",
            (rec.id, *_content(rec), 1 if rec.is_default else 0, row[0]),
        )
        counts.upserted += 1
    listed = {rec.id for rec in records}
    for remote_id, row in by_remote.items():
        if remote_id in listed or not row[9]:
            continue
        if row[8]:  # also the shop's sender address: keep it as that
            conn.execute("UPDATE address SET is_return = 0 WHERE id = ?", (row[0],))
        else:
            conn.execute("DELETE FROM address WHERE id = ?", (row[0],))
        counts.upserted += 1
    return counts


def _fetch_addresses(ctx: PullContext, page: int) -> Page[ReturnAddressRecord]:
    return Page(tuple(ctx.client.refund_addresses()), None, False)


def _apply_addresses(ctx: PullContext, items: Sequence[ReturnAddressRecord]) -> None:
    with write_transaction():
        ctx.tally.add(apply_return_addresses(items))


ADDRESS_STREAM = PullStream(
    "return_addresses",
    "退货地址",
    Changes(after_sales=True, settings=True),
    fetch=_fetch_addresses,
    apply=_apply_addresses,
)


def check_same_shop(client: PlatformClient) -> None:
    """Refuse a run whose credentials open another shop than this database's (before any push).

    A shop that has no platform id yet (new, or file-route until now) takes the one the profile
    stream brings.

    Raises:
        RunRefused: the credentials belong to another mall.
    """
    row = database.execute_sql("SELECT mall_id FROM shop ORDER BY id LIMIT 1").fetchone()
    if row is None or row[0] is None:
        return
    mall = client.mall_info()
    if mall.mall_id != int(row[0]):
        raise RunRefused(
            "auth_needed",
            f"开放平台授权的是另一个店铺（{mall.mall_name.strip() or mall.mall_id}），"
            "不是这份数据所属的店铺：本次未上传也未下载任何数据，请检查开放平台凭据",
        )


AREA = Area("profile", streams=(PROFILE_STREAM, ADDRESS_STREAM), preflight=check_same_shop)
