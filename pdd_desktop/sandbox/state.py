"""The sandbox platform's shop: the platform's truth in its own SQLite file, read and written with plain SQL.

The file is a demo shop built by :func:`pdd_desktop.services.demo_shop.build_demo_shop` with the
same ``(orders, seed, now0)`` as the app's local demo shop, so both hold the same history up to
``now0``; the sandbox adds a few ``sandbox_*`` tables of its own (meta, tokens, effect log, the
simulation's scheduled events). It never touches the app's Peewee ``database``: one private
``sqlite3`` connection guarded by a lock, so the app may run it in-process while its own
database is bound to the user's shop.

Platform view of the data (what the API serves):

- an order's ``updated_at`` is its ``platform_updated_at`` column; money of orders is yuan
  with two decimals (Decimal values, written as JSON numbers by the server), goods prices fen;
- ``order_status`` is 1 待发货 / 2 已发货待签收 / 3 已签收 from the local status, with
  ``confirm_status`` 0 (未成交: 待支付 or 拼团中), 1 (已成交) or 2 (已取消) and ``refund_status``
  telling a refunded or cancelled order apart: the sync client maps back as
  ``confirm_status == 0`` → 待支付, ``confirm_status == 2`` or (``refund_status == 4`` and never
  shipped) → 已取消, else ``order_status``;
- receivers as masked plain text plus opaque ciphertext placeholders (``~…~``) that exist only
  while the order is 待发货 and not under risk review (§3.5): the full phone is never served.

Writes (ship, extra parcel, memo/flag, stock, price, shelf, refund decisions) run in one
transaction, bump ``updated_at`` and append an **effect log** row keyed by a fingerprint of the
API type and business parameters; tests count them with :meth:`SandboxShop.effects`. A rule
violation raises :class:`ApiError` 50001 with a Chinese ``sub_msg`` like the platform.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.domain.images import demo_image_url
from pdd_desktop.domain.money import fen_to_decimal, format_yuan_plain
from pdd_desktop.domain.orders import OrderStatus, RefundStatus
from pdd_desktop.sandbox.bills import BillService
from pdd_desktop.sandbox.faults import Faults
from pdd_desktop.sandbox.messages import MessageService
from pdd_desktop.sandbox.sim import Simulation
from pdd_desktop.sandbox.waybills import WaybillService
from pdd_desktop.services.demo_shop import build_demo_shop

__all__ = ["ApiError", "Credentials", "SandboxShop"]

DAY = 86400
#: Seconds an access token lives (the platform's are valid for about a day or more).
DEFAULT_TOKEN_TTL_S = 86400
#: Seconds a refresh token lives.
REFRESH_TTL_S = 30 * DAY

_SANDBOX_TABLES = (
    'CREATE TABLE IF NOT EXISTS "sandbox_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "sandbox_token" ("token" TEXT PRIMARY KEY, "kind" TEXT NOT NULL, '
    '"expires_at" INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "sandbox_effect" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, '
    '"api_type" TEXT NOT NULL, "fingerprint" TEXT NOT NULL, "entity" TEXT NOT NULL, '
    '"params_json" TEXT NOT NULL, "at" INTEGER NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "sandbox_effect_api" ON "sandbox_effect" ("api_type", "entity")',
    'CREATE TABLE IF NOT EXISTS "sandbox_event" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, '
    '"due_at" INTEGER NOT NULL, "kind" TEXT NOT NULL, "ref" INTEGER NOT NULL, "arg" TEXT NOT NULL '
    "DEFAULT '', "
    '"done" INTEGER NOT NULL DEFAULT 0)',
    'CREATE INDEX IF NOT EXISTS "sandbox_event_due" ON "sandbox_event" ("done", "due_at", "id")',
    # after-sales increments and goods reads look rows up by their platform time
    'CREATE INDEX IF NOT EXISTS "sandbox_after_sale_updated" ON "after_sale" ("platform_updated_at")',
    'CREATE INDEX IF NOT EXISTS "sandbox_order_confirmed" ON "order" ("confirmed_at")',
)

_TRACKING_RE = re.compile(r"^[0-9A-Za-z-]{6,40}$")

_ORDER_COLS = (
    "id, order_sn, status, confirm_status, group_status, refund_status, after_sales_status, trade_type, "
    "is_lucky, risk_control_status, is_pre_sale, buyer_memo, seller_memo, flag, flag_name, goods_amount_fen, "
    "postage_fen, platform_discount_fen, seller_discount_fen, change_amount_fen, pay_reduction_fen, "
    "pay_amount_fen, created_at, paid_at, confirmed_at, ship_deadline_at, shipped_at, signed_at, "
    "receiver_name, receiver_phone, province, city, district, town, address_detail, receiver_name_mask, "
    "receiver_phone_mask, address_mask, platform_updated_at"
)


class ApiError(Exception):
    """An ``error_response`` the gateway or a business service answers."""

    def __init__(self, code: int, msg: str, sub_msg: str = "", sub_code: str | None = None) -> None:
        super().__init__(f"{code} {msg} {sub_msg}")
        self.code = code
        self.msg = msg
        self.sub_msg = sub_msg
        self.sub_code = sub_code


def business_error(sub_msg: str, sub_code: str | None = None) -> ApiError:
    """50001 业务服务错误 with the platform-style Chinese reason."""
    return ApiError(50001, "业务服务错误", sub_msg, sub_code)


@dataclass(frozen=True)
class Credentials:
    """The sandbox app and shop credentials (deterministic from the seed)."""

    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str
    mall_id: int
    mall_name: str


def _cipher(secret: str, order_sn: str, field: str, value: str) -> str:
    """An opaque ciphertext placeholder: changes with the value, never reveals it."""
    digest = hashlib.sha256(f"{secret}|{order_sn}|{field}|{value}".encode()).digest()
    return "~" + base64.b64encode(b"\x02\x00" + digest[:30]).decode() + "~"


def _bj(ts: int | None) -> str:
    return format_ts(ts) if ts else ""


def _yuan(fen: int) -> Decimal:
    return fen_to_decimal(int(fen or 0))


#: ``tracking_event.kind`` → the trace API's ``action`` code (exceptions by the courier's words).
_TRACE_ACTIONS = {"pickup": "GOT", "transit": "ARRIVAL", "delivering": "SEND", "signed": "SIGN"}


def _trace_action(kind: str, text: str) -> str:
    if kind != "exception":
        return _TRACE_ACTIONS.get(kind, "OTHER")
    if "拒收" in text or "拒签" in text:
        return "REJECTION"
    if "退回" in text or "退件" in text:
        return "RETURN"
    if "滞留" in text or "留仓" in text:
        return "STAY_IN_WAREHOUSE"
    return "FAIL"


def _region_id(name: str) -> int:
    return int(hashlib.md5(name.encode()).hexdigest()[:6], 16) % 900_000 + 100_000


class SandboxShop:
    """The platform's state of one simulated shop.

    Build or reopen one with :meth:`open`. Thread-safe: every access holds :attr:`lock`.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        seed: int,
        speed: float = 1.0,
        token_ttl_s: int = DEFAULT_TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.seed = seed
        self.speed = float(speed)
        self.token_ttl_s = int(token_ttl_s)
        self.clock = clock
        self.faults = faults or Faults(seed)
        self.lock = threading.RLock()
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self.conn = sqlite3.connect(
            str(self.db_path), isolation_level=None, check_same_thread=False, timeout=10
        )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        for stmt in _SANDBOX_TABLES:
            self.conn.execute(stmt)
        self.now0 = int(self.meta("now0") or 0)
        self.orders0 = int(self.meta("orders") or 0)
        shop = self.conn.execute(
            "SELECT mall_id, name, description, merchant_type, logo_url FROM shop"
        ).fetchone()
        self._shop = shop
        self.credentials = Credentials(
            client_id=f"sandbox-{seed}",
            client_secret=hashlib.sha256(f"sandbox-secret-{seed}".encode()).hexdigest()[:32],
            access_token=f"sandbox-{seed}-token",
            refresh_token=f"sandbox-{seed}-refresh",
            mall_id=int(shop[0]),
            mall_name=str(shop[1]),
        )
        self._couriers = {
            int(r[0]): (str(r[1]), str(r[2]), int(r[3]))
            for r in self.conn.execute("SELECT id, name, code, available FROM courier")
        }
        self._ensure_tokens()
        self.sim = Simulation(self)
        #: The e-waybill service (branch accounts, issuing, cancel: ``sandbox/waybills.py``).
        self.waybills = WaybillService(self)
        #: 站内信 (a sandbox-only API: the platform has none, ``sandbox/messages.py``).
        self.messages = MessageService(self)
        #: 货款日账单: the ledger of its orders as the platform's bill ZIP (``sandbox/bills.py``).
        self.bills = BillService(self)
        #: Coupons and 限时限量购 (``sandbox/marketing.py``; imported here: it uses this module's errors).
        from pdd_desktop.sandbox.marketing import MarketingService

        self.marketing = MarketingService(self)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        data_dir: Path | str | None = None,
        *,
        orders: int,
        seed: int,
        now0: int,
        speed: float = 1.0,
        token_ttl_s: int = DEFAULT_TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
        template: Path | str | None = None,
    ) -> SandboxShop:
        """Open the sandbox shop in ``data_dir`` (a temporary folder when None), building it if needed.

        An existing ``sandbox.db`` built with the same ``(orders, seed, now0)`` is reopened with its
        state (ships, simulated orders…); otherwise it is rebuilt from the demo generator.
        ``template`` is an already built demo shop of the same parameters to copy instead of
        building (tests cache one).
        """
        tmpdir = None
        if data_dir is None:
            tmpdir = tempfile.TemporaryDirectory(prefix="pdd-sandbox-")
            data_dir = tmpdir.name
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        db_path = data_dir / "sandbox.db"
        wanted = {"orders": str(orders), "seed": str(seed), "now0": str(int(now0))}
        if not (db_path.exists() and _read_meta(db_path) == wanted):
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(str(db_path) + suffix).unlink()
            building = data_dir / "sandbox.db.new"
            if template is not None:
                src = sqlite3.connect(str(template))
                dst = sqlite3.connect(str(building))
                with dst:
                    src.backup(dst)
                src.close()
                dst.close()
            else:
                build_demo_shop(building, orders=orders, seed=seed, now=int(now0))
            conn = sqlite3.connect(str(building), isolation_level=None)
            for stmt in _SANDBOX_TABLES:
                conn.execute(stmt)
            conn.executemany('INSERT OR REPLACE INTO "sandbox_meta" VALUES (?, ?)', sorted(wanted.items()))
            conn.execute("INSERT OR REPLACE INTO sandbox_meta VALUES ('sim_at', ?)", (str(int(now0)),))
            conn.close()
            building.replace(db_path)
        shop = cls(db_path, seed=seed, speed=speed, token_ttl_s=token_ttl_s, clock=clock, faults=faults)
        shop._tmpdir = tmpdir
        return shop

    def close(self) -> None:
        """Close the connection (and remove a temporary folder)."""
        with self.lock:
            self.conn.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``) under the lock."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT value FROM sandbox_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: object) -> None:
        with self.lock:
            self.conn.execute("INSERT OR REPLACE INTO sandbox_meta VALUES (?, ?)", (key, str(value)))

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Rows of a read (tests use it as an oracle on the platform's truth)."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    # ------------------------------------------------------------------ time and tokens

    def platform_now(self) -> int:
        """The platform's clock: real time (the injected clock) plus the clock-offset fault."""
        return int(self.clock()) + self.faults.clock_offset_s

    def _ensure_tokens(self) -> None:
        with self.lock:
            if self.conn.execute("SELECT COUNT(*) FROM sandbox_token").fetchone()[0]:
                return
            now = self.platform_now()
            self.conn.executemany(
                "INSERT INTO sandbox_token VALUES (?, ?, ?)",
                [
                    (self.credentials.access_token, "access", now + self.token_ttl_s),
                    (self.credentials.refresh_token, "refresh", now + REFRESH_TTL_S),
                ],
            )

    def check_access_token(self, token: str) -> None:
        """Raise 20032 for an unknown token, 10019 for an expired one."""
        with self.lock:
            row = self.conn.execute(
                "SELECT expires_at FROM sandbox_token WHERE token = ? AND kind = 'access'", (token,)
            ).fetchone()
        if row is None:
            raise ApiError(20032, "access_token或client_id错误", "access_token不正确")
        if row[0] <= self.platform_now():
            raise ApiError(10019, "access_token已过期", "access_token已过期")

    def expire_access_tokens(self) -> None:
        """Make every access token expired (tests of the 10019 → refresh path)."""
        with self.tx() as c:
            c.execute(
                "UPDATE sandbox_token SET expires_at = ? WHERE kind = 'access'", (self.platform_now() - 1,)
            )

    def refresh(self, refresh_token: str) -> dict:
        """``pdd.pop.auth.token.refresh``: a new access token (old ones stay valid until they expire)."""
        now = self.platform_now()
        with self.tx() as c:
            row = c.execute(
                "SELECT expires_at FROM sandbox_token WHERE token = ? AND kind = 'refresh'", (refresh_token,)
            ).fetchone()
            if row is None or row[0] <= now:
                raise ApiError(20032, "access_token或client_id错误", "refresh_token无效或已过期")
            n = c.execute("SELECT COUNT(*) FROM sandbox_token WHERE kind = 'access'").fetchone()[0]
            token = f"sandbox-{self.seed}-token-{n + 1}"
            c.execute("INSERT INTO sandbox_token VALUES (?, 'access', ?)", (token, now + self.token_ttl_s))
            refresh_expires = int(row[0])
        return {
            "access_token": token,
            "expires_in": self.token_ttl_s,
            "expires_at": now + self.token_ttl_s,
            "refresh_token": refresh_token,
            "refresh_token_expires_in": refresh_expires - now,
            "refresh_token_expires_at": refresh_expires,
            "owner_id": str(self.credentials.mall_id),
            "owner_name": self.credentials.mall_name,
            "scope": ["pdd.order.number.list.increment.get", "pdd.logistics.online.send"],
        }

    # ------------------------------------------------------------------ effect log

    def record_effect(self, c: sqlite3.Connection, api_type: str, entity: str, params: dict) -> None:
        """Append an effect row (inside the write's transaction)."""
        text = json.dumps(params, ensure_ascii=False, sort_keys=True, default=str)
        fingerprint = hashlib.sha1(f"{api_type}|{text}".encode()).hexdigest()
        c.execute(
            "INSERT INTO sandbox_effect (api_type, fingerprint, entity, params_json, at) VALUES (?, "
            "?, ?, ?, ?)",
            (api_type, fingerprint, entity, text, self.platform_now()),
        )

    def effects(self, api_type: str | None = None, **match: object) -> int:
        """How many effects were applied for ``api_type`` whose business params equal ``match``.

        ``fingerprint=`` matches the request fingerprint; ``entity=`` the order_sn / goods_id /
        after_sales_id the effect applied to; other keys compare with the request's parameters
        as strings (e.g. ``effects("pdd.logistics.online.send", order_sn=sn)``).
        """
        sql = "SELECT fingerprint, entity, params_json FROM sandbox_effect"
        args: list = []
        if api_type is not None:
            sql += " WHERE api_type = ?"
            args.append(api_type)
        count = 0
        for fingerprint, entity, text in self.query(sql, args):
            params = json.loads(text)
            ok = True
            for key, want in match.items():
                have = fingerprint if key == "fingerprint" else entity if key == "entity" else params.get(key)
                if str(have) != str(want):
                    ok = False
                    break
            count += ok
        return count

    # ------------------------------------------------------------------ stamping

    def stamp(self, at: int, prev: int | None) -> int:
        """``updated_at`` for a change at ``at``: never before the row's previous one."""
        return max(int(at), int(prev or 0))

    # ------------------------------------------------------------------ reads: shop, couriers

    def mall_info(self) -> dict:
        mall_id, name, desc, merchant_type, logo = self._shop
        return {
            "mall_id": int(mall_id),
            "mall_name": name,
            "mall_desc": desc,
            "logo": logo,
            "merchant_type": int(merchant_type),
            "mall_character": 2,
        }

    def return_addresses(self) -> list[dict]:
        """``pdd.refund.address.list.get``: the shop's return addresses (§5.3 field names).

        The platform id is the address row's ``remote_id`` when it has one, else its own id.
        """
        rows = self.query(
            "SELECT COALESCE(remote_id, id), contact_name, phone, province, city, district, detail, "
            "is_default FROM address WHERE is_return = 1 ORDER BY is_default DESC, id"
        )
        mall_id = self.credentials.mall_id
        return [
            {
                "id": int(aid),
                "refund_name": name,
                "refund_phone": phone,
                "refund_tel": "",
                "province_id": _region_id(province),
                "province_name": province,
                "city_id": _region_id(province + city),
                "city_name": city,
                "district_id": _region_id(province + city + district),
                "district_name": district,
                "refund_address": detail,
                "is_default": 1 if is_default else 0,
                "mall_id": mall_id,
            }
            for aid, name, phone, province, city, district, detail, is_default in rows
        ]

    def order_trace(self, company_code: str, mail_no: str) -> list[dict]:
        """``pdd.logistics.ordertrace.get``: a parcel's scans from ``tracking_event``, oldest first.

        Fields as the doc metadata names them (NODE ``PddLogisticsOrdertraceGet.ts``):
        ``status_time``/``time`` (Beijing datetime text), ``status_desc``/``desc`` (the courier's
        words), ``action`` (GOT, ARRIVAL, DEPARTURE, SEND, SIGN, RETURN, REJECTION, FAIL,
        STAY_IN_WAREHOUSE) and ``node_description`` (where). A number the courier does not know
        (wrong company, never shipped, voided) has an empty list.
        """
        rows = self.query(
            "SELECT e.at, e.kind, e.location, e.description FROM tracking_event e "
            "JOIN package p ON p.id = e.package_id JOIN courier k ON k.id = p.courier_id "
            "WHERE p.tracking_number = ? AND k.code = ? AND p.voided_at IS NULL ORDER BY e.at, e.id",
            (mail_no, company_code),
        )
        out = []
        for at, kind, location, text in rows:
            stamp = format_ts(int(at))
            out.append(
                {
                    "status_time": stamp,
                    "time": stamp,
                    "status_desc": text,
                    "desc": text,
                    "action": _trace_action(kind, text),
                    "node_description": location,
                }
            )
        return out

    def couriers(self) -> list[dict]:
        return [
            {"id": cid, "logistics_company": name, "code": code, "available": available}
            for cid, (name, code, available) in sorted(self._couriers.items())
        ]

    # ------------------------------------------------------------------ reads: orders

    def _order_where(self, order_status: int, refund_status: int) -> tuple[str, list]:
        where, args = [], []
        if order_status != 5:
            where.append(
                "(CASE WHEN status = 2 THEN 2 WHEN status = 3 THEN 3 "
                "WHEN status = 4 AND signed_at IS NOT NULL THEN 3 "
                "WHEN status = 4 AND shipped_at IS NOT NULL THEN 2 ELSE 1 END) = ?"
            )
            args.append(order_status)
        if refund_status != 5:
            where.append("refund_status = ?")
            args.append(refund_status)
        return ("".join(f" AND {w}" for w in where), args)

    def order_page(
        self,
        *,
        time_col: str,
        start: int,
        end: int,
        order_status: int,
        refund_status: int,
        page: int,
        page_size: int,
        with_total: bool = True,
    ) -> tuple[list[dict], int | None, bool]:
        """One page of orders with ``start <= time_col <= end``, newest first.

        Returns:
            ``(orders, total_count or None, has_next)``.
        """
        extra, args = self._order_where(order_status, refund_status)
        base = f'FROM "order" WHERE {time_col} BETWEEN ? AND ?{extra}'
        params = [start, end, *args]
        with self.lock:
            total = self.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0] if with_total else None
            rows = self.conn.execute(
                f"SELECT {_ORDER_COLS} {base} ORDER BY {time_col} DESC, order_sn DESC LIMIT ? OFFSET ?",
                [*params, page_size + 1, (page - 1) * page_size],
            ).fetchall()
            has_next = len(rows) > page_size
            orders = self._orders_json(rows[:page_size])
        return orders, total, has_next

    def order_ids_in_window(self, start: int, end: int) -> list[tuple[str, int]]:
        """``(order_sn, updated_at)`` of every order in an update window (test oracle)."""
        return [
            (r[0], r[1])
            for r in self.query(
                'SELECT order_sn, platform_updated_at FROM "order" WHERE platform_updated_at BETWEEN ? AND ?',
                (start, end),
            )
        ]

    def order_detail(self, order_sn: str) -> dict:
        with self.lock:
            rows = self.conn.execute(
                f'SELECT {_ORDER_COLS} FROM "order" WHERE order_sn = ?', (order_sn,)
            ).fetchall()
            if not rows:
                raise business_error("订单不属于当前店铺或订单不存在")
            info = self._orders_json(rows)[0]
        info["store_info"] = {}
        info["promotion_detail_list"] = []
        return info

    def order_statuses(self, order_sns: list[str]) -> list[dict]:
        out = []
        with self.lock:
            for sn in order_sns:
                row = self.conn.execute(
                    'SELECT status, shipped_at, signed_at, refund_status FROM "order" WHERE order_sn = ?',
                    (sn,),
                ).fetchone()
                if row is None:
                    out.append({"orderSn": sn, "order_status": 0, "refund_status": 0})
                else:
                    out.append(
                        {
                            "orderSn": sn,
                            "order_status": _platform_status(row[0], row[1], row[2]),
                            "refund_status": row[3],
                        }
                    )
        return out

    def _orders_json(self, rows: list[tuple]) -> list[dict]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        items: dict[int, list[dict]] = {}
        for oid, goods_id, sku_id, name, spec, outer_id, outer_goods_id, qty, price in self.conn.execute(
            "SELECT order_id, goods_id, sku_id, goods_name, spec, outer_id, outer_goods_id, "
            "quantity, unit_price_fen "
            f"FROM order_item WHERE order_id IN ({marks}) ORDER BY id",
            ids,
        ):
            items.setdefault(oid, []).append(
                {
                    "goods_id": goods_id,
                    "sku_id": sku_id,
                    "goods_name": name,
                    "goods_count": qty,
                    "goods_price": _yuan(price),
                    "goods_spec": spec,
                    "goods_img": "",
                    "outer_id": outer_id,
                    "outer_goods_id": outer_goods_id,
                }
            )
        parcels: dict[int, list[tuple]] = {}
        for oid, kind, courier_id, number in self.conn.execute(
            "SELECT po.order_id, p.kind, p.courier_id, p.tracking_number FROM package_order po "
            f"JOIN package p ON p.id = po.package_id WHERE po.order_id IN ({marks}) AND p.voided_at IS NULL "
            "ORDER BY p.id",
            ids,
        ):
            parcels.setdefault(oid, []).append((kind, courier_id, number))
        secret = self.credentials.client_secret
        plain = self.faults.plain_receivers
        out = []
        for r in rows:
            (
                oid,
                sn,
                status,
                confirm,
                group,
                refund,
                as_status,
                trade_type,
                is_lucky,
                risk,
                pre_sale,
                buyer_memo,
                seller_memo,
                flag,
                flag_name,
                goods_fen,
                postage,
                pdisc,
                sdisc,
                change,
                reduction,
                pay,
                created,
                paid,
                confirmed,
                deadline,
                shipped,
                signed,
                r_name,
                r_phone,
                province,
                city,
                district,
                town,
                detail,
                name_mask,
                phone_mask,
                addr_mask,
                updated,
            ) = r
            main = next((p for p in parcels.get(oid, ()) if p[0] == "normal"), None)
            encrypted = status == int(OrderStatus.TO_SHIP) and not risk
            full_detail = f"{town}{detail}"
            full_addr = f"{province}{city}{district}{full_detail}"

            def enc(field: str, value: str, *, _sn=sn, _on=encrypted) -> str:
                return _cipher(secret, _sn, field, value) if _on else ""

            def extra(kind: str, _oid=oid) -> list[dict]:
                return [
                    {"logistics_id": p[1], "tracking_number": p[2]}
                    for p in parcels.get(_oid, ())
                    if p[0] == kind
                ]

            out.append(
                {
                    "order_sn": sn,
                    "order_status": _platform_status(status, shipped, signed),
                    "refund_status": refund,
                    "after_sales_status": as_status,
                    "confirm_status": confirm,
                    "group_status": group,
                    "group_role": 0,
                    "trade_type": trade_type,
                    "is_lucky_flag": 2 if is_lucky else 1,
                    "risk_control_status": risk,
                    "mkt_biz_type": 0,
                    "stock_out_handle_status": -1,
                    "is_stock_out": 0,
                    "is_pre_sale": pre_sale,
                    "pre_sale_time": "",
                    "order_tag_list": [],
                    "created_time": _bj(created),
                    "confirm_time": _bj(confirmed),
                    "pay_time": _bj(paid),
                    "updated_at": _bj(updated),
                    "shipping_time": _bj(shipped),
                    "last_ship_time": _bj(deadline),
                    "receive_time": _bj(signed),
                    "urge_shipping_time": "",
                    "promise_delivery_time": "",
                    "goods_amount": _yuan(goods_fen - change),
                    "pay_amount": _yuan(pay),
                    "discount_amount": _yuan(pdisc + sdisc),
                    "platform_discount": _yuan(pdisc),
                    "seller_discount": _yuan(sdisc),
                    "capital_free_discount": _yuan(0),
                    "postage": _yuan(postage),
                    "order_change_amount": _yuan(change),
                    "duo_duo_pay_reduction": _yuan(reduction),
                    "service_fee_detail": [],
                    "pay_type": "WEIXIN" if paid else "",
                    "pay_no": "",
                    "inner_transaction_id": "",
                    "country": "中国",
                    "province": province,
                    "city": city,
                    "town": district,
                    "province_id": _region_id(province),
                    "city_id": _region_id(province + city),
                    "town_id": _region_id(province + city + district),
                    **(
                        {  # the older format: plain text, no masked twins (§3.5)
                            "receiver_name": r_name,
                            "receiver_phone": r_phone,
                            "receiver_address": full_detail,
                            "address": full_addr,
                        }
                        if plain
                        else {
                            "receiver_name": enc("receiver_name", r_name),
                            "receiver_phone": enc("receiver_phone", r_phone),
                            "receiver_address": enc("receiver_address", full_detail),
                            "address": enc("address", full_addr),
                            "receiver_name_mask": name_mask,
                            "receiver_phone_mask": phone_mask,
                            "receiver_address_mask": addr_mask,
                            "address_mask": f"{province}{city}{district}{addr_mask}",
                        }
                    ),
                    "buyer_memo": buyer_memo,
                    "remark": seller_memo,
                    "remark_tag": flag or 0,
                    "remark_tag_name": flag_name,
                    "logistics_id": main[1] if main else 0,
                    "tracking_number": main[2] if main else "",
                    "extra_delivery_list": extra("extra"),
                    "resend_delivery_list": extra("resend"),
                    "gift_delivery_list": extra("gift"),
                    "item_list": items.get(oid, []),
                    "gift_list": [],
                    "cat_id_1": 0,
                    "cat_id_2": 0,
                    "cat_id_3": 0,
                    "cat_id_4": 0,
                    "invoice_status": 0,
                    "step_order_info": None,
                    "card_info_list": [],
                }
            )
        return out

    # ------------------------------------------------------------------ reads: after-sales

    _CASE_COLS = (
        "a.id, o.order_sn, a.type, a.status, a.reason, a.buyer_remark, a.refund_amount_fen, "
        "a.goods_id, a.sku_id, "
        "a.quantity, a.return_tracking_number, a.return_shipping_name, a.created_at, a.expire_at, "
        "a.platform_updated_at, o.pay_amount_fen, o.platform_discount_fen + o.seller_discount_fen, "
        "o.confirmed_at, "
        "(SELECT unit_price_fen FROM order_item i WHERE i.order_id = a.order_id AND i.sku_id = "
        "a.sku_id LIMIT 1), "
        "(SELECT goods_name FROM order_item i WHERE i.order_id = a.order_id AND i.sku_id = a.sku_id "
        "LIMIT 1), "
        "(SELECT outer_id FROM order_item i WHERE i.order_id = a.order_id AND i.sku_id = a.sku_id LIMIT 1), "
        "(SELECT outer_goods_id FROM order_item i WHERE i.order_id = a.order_id AND i.sku_id = "
        "a.sku_id LIMIT 1)"
    )

    def refund_page(
        self,
        *,
        start: int,
        end: int,
        after_sales_status: int,
        after_sales_type: int,
        order_sn: str | None,
        page: int,
        page_size: int,
    ) -> tuple[list[dict], int]:
        """One page of the after-sales increment, newest ``updated_time`` first."""
        if order_sn:
            base = 'FROM after_sale a JOIN "order" o ON o.id = a.order_id WHERE o.order_sn = ?'
            params: list = [order_sn]
        else:
            base = (
                'FROM after_sale a JOIN "order" o ON o.id = a.order_id '
                "WHERE a.platform_updated_at BETWEEN ? AND ?"
            )
            params = [start, end]
            if after_sales_status in _CASE_STATUS_CODES:
                base += " AND a.status = ?"
                params.append(after_sales_status)
            if after_sales_type in (2, 3, 4, 5, 6):
                base += " AND a.type = ?"
                params.append(after_sales_type - 1)
        with self.lock:
            total = self.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
            rows = self.conn.execute(
                f"SELECT {self._CASE_COLS} {base} ORDER BY a.platform_updated_at DESC, a.id DESC "
                f"LIMIT ? OFFSET ?",
                [*params, page_size, (page - 1) * page_size],
            ).fetchall()
        out = []
        for r in rows:
            (
                cid,
                sn,
                typ,
                status,
                reason,
                _remark,
                refund,
                goods_id,
                sku_id,
                qty,
                ret_no,
                ret_name,
                created,
                _expire,
                updated,
                pay,
                discount,
                confirmed,
                price,
                gname,
                outer_id,
                outer_goods_id,
            ) = r
            out.append(
                {
                    "id": cid,
                    "order_sn": sn,
                    "goods_id": goods_id,
                    "sku_id": sku_id,
                    "outer_id": outer_id or "",
                    "outer_goods_id": outer_goods_id or "",
                    "after_sales_type": typ,
                    "after_sales_status": status,
                    "after_sale_reason": reason,
                    "refund_amount": format_yuan_plain(refund),
                    "order_amount": format_yuan_plain(pay),
                    "discount_amount": format_yuan_plain(discount),
                    "goods_price": format_yuan_plain(price or 0),
                    "goods_number": str(qty),
                    "goods_name": gname or "",
                    "good_image": "",
                    "tracking_number": ret_no,
                    "shipping_name": ret_name,
                    "confirm_time": _bj(confirmed),
                    "created_time": _bj(created),
                    "updated_time": _bj(updated),
                    "speed_refund_flag": 0,
                    "speed_refund_status": "",
                    "dispute_refund_status": 1 if status == 8 else 0,
                    "user_shipping_status": "1" if ret_no else "0",
                    "refund_operator_role": 0,
                }
            )
        return out, total

    def refund_detail(self, order_sn: str, after_sales_id: int | None) -> dict:
        sql = (
            f'SELECT {self._CASE_COLS} FROM after_sale a JOIN "order" o ON o.id = a.order_id '
            "WHERE o.order_sn = ?"
        )
        params: list = [order_sn]
        if after_sales_id:
            sql += " AND a.id = ?"
            params.append(after_sales_id)
        rows = self.query(sql + " ORDER BY a.created_at DESC, a.id DESC LIMIT 1", params)
        if not rows:
            raise business_error("售后单不存在")
        (
            cid,
            sn,
            typ,
            status,
            reason,
            remark,
            refund,
            goods_id,
            sku_id,
            qty,
            ret_no,
            ret_name,
            created,
            expire,
            updated,
            pay,
            discount,
            confirmed,
            price,
            gname,
            _o,
            _og,
        ) = rows[0]

        def ms(ts: int | None) -> int:
            return int(ts) * 1000 if ts else 0

        detail = {
            "id": cid,
            "order_sn": sn,
            "goods_id": goods_id,
            "sku_id": sku_id,
            "goods_name": gname or "",
            "after_sales_type": typ,
            "after_sales_status": status,
            "after_sales_reason": reason,
            "refund_amount": int(refund),
            "order_amount": int(pay),
            "goods_price": int(price or 0),
            "discount_amount": int(discount),
            "goods_number": int(qty),
            "confirm_time": ms(confirmed),
            "created_time": ms(created),
            "recreated_at": ms(created),
            "updated_time": ms(updated),
            "express_no": ret_no,
            "shipping_name": ret_name,
            "shipping_status": 1 if ret_no else 0,
            "remark": remark,
            "images": [],
            "exist_images": 0,
            "join_or_not": 0,
            "speed_refund_flag": 0,
            "dispute_refund_status": 1 if status == 8 else 0,
            "user_shipping_status": 1 if ret_no else 0,
            "refund_operator_role": 0,
            "part_after_sales_type": 0,
            "part_after_sales_value": 0,
            "exchange_shipping_detail": {},
        }
        if status in (2, 3, 14, 21, 32, 33) and expire:
            detail["expire_time"] = ms(expire)
        return detail

    # ------------------------------------------------------------------ reads: goods

    def goods_page(
        self,
        *,
        page: int,
        page_size: int,
        is_onsale: int | None,
        outer_id: str | None,
        goods_name: str | None,
        outer_goods_ids: list[str] | None,
    ) -> tuple[list[dict], int]:
        where, params = [], []
        if is_onsale is not None:
            where.append("g.is_onsale = ?")
            params.append(is_onsale)
        elif outer_id:
            where.append("EXISTS (SELECT 1 FROM sku s WHERE s.goods_id = g.goods_id AND s.outer_id = ?)")
            params.append(outer_id)
        elif goods_name:
            where.append("g.name LIKE ?")
            params.append(f"%{goods_name}%")
        if outer_goods_ids:
            where.append(f"g.outer_goods_id IN ({','.join('?' * len(outer_goods_ids))})")
            params.extend(outer_goods_ids)
        base = "FROM goods g" + (" WHERE " + " AND ".join(where) if where else "")
        with self.lock:
            total = self.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
            goods = self.conn.execute(
                f"SELECT g.goods_id, g.name, g.image_url, g.is_onsale, g.created_at {base} "
                "ORDER BY g.goods_id LIMIT ? OFFSET ?",
                [*params, page_size, (page - 1) * page_size],
            ).fetchall()
            skus = self._skus([g[0] for g in goods])
        out = []
        for goods_id, name, image, onsale, created in goods:
            sku_rows = skus.get(goods_id, [])
            out.append(
                {
                    "goods_id": goods_id,
                    "goods_name": name,
                    "image_url": image or demo_image_url(goods_id),
                    "thumb_url": image or demo_image_url(goods_id),
                    "goods_quantity": sum(s[3] for s in sku_rows),
                    "goods_reserve_quantity": sum(s[4] for s in sku_rows),
                    "is_onsale": onsale,
                    "is_more_sku": 1 if len(sku_rows) > 1 else 0,
                    "created_at": created or 0,
                    "sku_list": [
                        {
                            "sku_id": s[0],
                            "spec": s[1],
                            "sku_quantity": s[3],
                            "reserve_quantity": s[4],
                            "is_sku_onsale": s[7],
                            "outer_id": s[2],
                            "outer_goods_id": s[9],
                            "spec_details": _spec_details(s[1]),
                        }
                        for s in sku_rows
                    ],
                }
            )
        return out, total

    def _skus(self, goods_ids: list[int]) -> dict[int, list[tuple]]:
        if not goods_ids:
            return {}
        marks = ",".join("?" * len(goods_ids))
        out: dict[int, list[tuple]] = {}
        for row in self.conn.execute(
            "SELECT s.sku_id, s.spec, s.outer_id, s.stock, s.reserve_quantity, s.single_price_fen, "
            "s.group_price_fen, s.is_onsale, s.weight_g, g.outer_goods_id, s.goods_id FROM sku s "
            f"JOIN goods g ON g.goods_id = s.goods_id WHERE s.goods_id IN ({marks}) ORDER BY "
            f"s.goods_id, s.sku_id",
            goods_ids,
        ):
            out.setdefault(row[10], []).append(row)
        return out

    def goods_name(self, goods_id: int) -> str | None:
        """A goods' name, or None when the shop has no such goods (the image route)."""
        with self.lock:
            row = self.conn.execute("SELECT name FROM goods WHERE goods_id = ?", (goods_id,)).fetchone()
        return None if row is None else row[0]

    def goods_detail(self, goods_id: int) -> dict:
        with self.lock:
            row = self.conn.execute(
                "SELECT goods_id, name, short_name, category, outer_goods_id, is_onsale, image_url, "
                "market_price_fen, "
                "promise_hours FROM goods WHERE goods_id = ?",
                (goods_id,),
            ).fetchone()
            if row is None:
                raise business_error("商品不存在")
            skus = self._skus([goods_id]).get(goods_id, [])
        gid, name, short, category, outer_goods_id, onsale, image, market, hours = row
        status = 1 if onsale else 2
        if onsale and skus and all(s[3] <= 0 for s in skus):
            status = 3
        return {
            "goods_id": gid,
            "goods_name": name,
            "goods_desc": short,
            "cat_id": _region_id(category),
            "outer_goods_id": outer_goods_id,
            "status": status,
            "image_url": image or demo_image_url(gid),
            "carousel_gallery_list": [],
            "detail_gallery_list": [],
            "market_price": market,
            "cost_template_id": 1,
            "shipment_limit_second": int(hours or 48) * 3600,
            "is_refundable": True,
            "goods_type": 1,
            "sku_list": [
                {
                    "sku_id": s[0],
                    "out_sku_sn": s[2],
                    "price": s[5],
                    "multi_price": s[6],
                    "quantity": s[3],
                    "reserve_quantity": s[4],
                    "is_onsale": s[7],
                    "limit_quantity": 999,
                    "weight": s[8],
                    "thumb_url": "",
                    "spec": [
                        {
                            "parent_id": d["parent_id"],
                            "parent_name": d["parent_name"],
                            "spec_id": d["spec_id"],
                            "spec_name": d["spec_name"],
                        }
                        for d in _spec_details(s[1])
                    ],
                }
                for s in skus
            ],
        }

    # ------------------------------------------------------------------ writes: shipping

    def _order_row(self, c: sqlite3.Connection, order_sn: str) -> tuple:
        row = c.execute(
            "SELECT id, status, refund_status, shipped_at, platform_updated_at, receiver_name, "
            "receiver_phone, "
            'province || city || district || town || address_detail FROM "order" WHERE order_sn = ?',
            (order_sn,),
        ).fetchone()
        if row is None:
            raise business_error("订单不属于当前店铺或订单不存在")
        return row

    def _check_tracking(
        self, c: sqlite3.Connection, logistics_id: int, number: str, order_row: tuple
    ) -> None:
        courier = self._couriers.get(logistics_id)
        if courier is None or not courier[2]:
            raise business_error("物流公司不存在或不可用")
        if not _TRACKING_RE.match(number):
            raise business_error("运单号格式不正确")
        if self.waybills.is_cancelled(c, number):
            raise business_error("电子面单已取消，不能用于发货")
        receiver = tuple(order_row[5:8])
        for other in c.execute(
            "SELECT o.receiver_name, o.receiver_phone, o.province || o.city || o.district || o.town "
            "|| o.address_detail "
            'FROM package p JOIN package_order po ON po.package_id = p.id JOIN "order" o ON o.id = '
            "po.order_id "
            "WHERE p.tracking_number = ? AND p.voided_at IS NULL AND o.id != ?",
            (number, order_row[0]),
        ):
            if tuple(other) != receiver:
                raise business_error("运单号已被使用")

    def ship(
        self,
        *,
        order_sn: str,
        logistics_id: int,
        tracking_number: str,
        redelivery_type: int | None,
        api_type: str,
        params: dict,
    ) -> None:
        """``pdd.logistics.online.send``: first shipment (or a modified one with ``redelivery_type=2``)."""
        now = self.platform_now()
        with self.tx() as c:
            row = self._order_row(c, order_sn)
            oid, status, refund, shipped, prev = row[:5]
            modify = redelivery_type == 2
            if status == int(OrderStatus.UNPAID):
                raise business_error("订单未成团，不能发货")
            if status == int(OrderStatus.CANCELLED):
                raise business_error("订单已取消，不能发货")
            if status in (int(OrderStatus.SHIPPED), int(OrderStatus.SIGNED)):
                if not modify:
                    raise business_error("订单已发货")
                if status == int(OrderStatus.SIGNED):
                    raise business_error("订单已签收，不能修改发货")
            elif modify:
                raise business_error("订单未发货，不能修改发货")
            if refund in (int(RefundStatus.IN_PROGRESS), int(RefundStatus.REFUNDING)) and not modify:
                raise business_error("订单售后处理中，不能发货")
            self._check_tracking(c, logistics_id, tracking_number, row)
            if modify:
                c.execute(
                    "UPDATE package SET voided_at = ?, void_reason = '修改发货' WHERE voided_at IS NULL "
                    "AND kind = 'normal' "
                    "AND id IN (SELECT package_id FROM package_order WHERE order_id = ?)",
                    (now, oid),
                )
            pid = self._add_package(c, oid, logistics_id, tracking_number, "normal", now)
            c.execute(
                'UPDATE "order" SET status = ?, shipped_at = ?, platform_updated_at = ? WHERE id = ?',
                (
                    int(OrderStatus.SHIPPED),
                    shipped if modify and shipped else now,
                    self.stamp(now, prev),
                    oid,
                ),
            )
            self.record_effect(c, api_type, order_sn, params)
            self.sim.on_shipped(c, pid, oid, now)

    def _add_package(
        self, c: sqlite3.Connection, oid: int, logistics_id: int, number: str, kind: str, at: int
    ) -> int:
        cur = c.execute(
            "INSERT INTO package (courier_id, tracking_number, kind, shipped_at, is_exception, "
            "void_reason, sort_code, hub) "
            "VALUES (?, ?, ?, ?, 0, '', '', '')",
            (logistics_id, number, kind, at),
        )
        pid = int(cur.lastrowid)
        c.execute("INSERT INTO package_order (package_id, order_id) VALUES (?, ?)", (pid, oid))
        c.execute(
            "UPDATE waybill_number SET state = 'used', order_id = COALESCE(order_id, ?), "
            "allocated_at = COALESCE(allocated_at, ?) WHERE tracking_number = ? AND state IN "
            "('free', 'allocated')",
            (oid, at, number),
        )
        return pid

    def extra_ship(
        self, *, order_sn: str, tracks: list[tuple[int, str]], track_type: int, api_type: str, params: dict
    ) -> None:
        """``pdd.order.upload.extra.logistics``: extra parcels (分包 / 补发 / 赠品) of a shipped order."""
        kind = {1: "extra", 2: "resend", 3: "gift"}.get(track_type)
        if kind is None:
            raise ApiError(21001, "请求参数错误", "extra_track_type只能是1、2或3")
        if not tracks:
            raise ApiError(21002, "请求参数不能为空", "extra_track_list不能为空")
        now = self.platform_now()
        with self.tx() as c:
            row = self._order_row(c, order_sn)
            oid, status, _refund, _shipped, prev = row[:5]
            if status not in (int(OrderStatus.SHIPPED), int(OrderStatus.SIGNED)):
                raise business_error("订单未发货，不能上传额外运单")
            for logistics_id, number in tracks:
                self._check_tracking(c, logistics_id, number, row)
                if c.execute(
                    "SELECT 1 FROM package p JOIN package_order po ON po.package_id = p.id WHERE "
                    "po.order_id = ? "
                    "AND p.tracking_number = ? AND p.voided_at IS NULL",
                    (oid, number),
                ).fetchone():
                    raise business_error("运单号已上传")
            for logistics_id, number in tracks:
                pid = self._add_package(c, oid, logistics_id, number, kind, now)
                self.sim.on_shipped(c, pid, None, now)
            c.execute('UPDATE "order" SET platform_updated_at = ? WHERE id = ?', (self.stamp(now, prev), oid))
            self.record_effect(c, api_type, order_sn, params)

    # ------------------------------------------------------------------ writes: memo, goods

    def note(
        self,
        *,
        order_sn: str,
        note: str | None,
        tag: int | None,
        tag_name: str | None,
        api_type: str,
        params: dict,
    ) -> None:
        """``pdd.order.note.update``: the seller memo and its flag."""
        if tag is not None and tag not in (1, 2, 3, 4, 5):
            raise ApiError(21001, "请求参数错误", "tag只能是1-5")
        if tag_name is not None and len(tag_name) > 3:
            raise ApiError(21001, "请求参数错误", "tag_name不能超过3个字")
        if note is not None and len(note) > 500:
            raise business_error("备注不能超过500个字")
        now = self.platform_now()
        with self.tx() as c:
            oid, *_rest = self._order_row(c, order_sn)
            prev = _rest[3]
            sets, args = [], []
            if note is not None:
                sets.append("seller_memo = ?")
                args.append(note)
            if tag is not None:
                sets += ["flag = ?", "flag_name = ?"]
                args += [tag, tag_name or "红黄绿蓝紫"[tag - 1] + "旗"]
            sets.append("platform_updated_at = ?")
            args.append(self.stamp(now, prev))
            c.execute(f'UPDATE "order" SET {", ".join(sets)} WHERE id = ?', (*args, oid))
            self.record_effect(c, api_type, order_sn, params)

    def _goods_touch(self, c: sqlite3.Connection, goods_id: int, now: int) -> None:
        c.execute("UPDATE goods SET platform_updated_at = ? WHERE goods_id = ?", (now, goods_id))

    def set_quantity(
        self,
        *,
        goods_id: int,
        sku_id: int | None,
        outer_id: str | None,
        quantity: int,
        update_type: int,
        api_type: str,
        params: dict,
    ) -> None:
        """``pdd.goods.quantity.update``: full (1) or incremental (2) stock of one SKU."""
        now = self.platform_now()
        with self.tx() as c:
            if sku_id:
                row = c.execute(
                    "SELECT sku_id, stock FROM sku WHERE sku_id = ? AND goods_id = ?", (sku_id, goods_id)
                ).fetchone()
            else:
                row = c.execute(
                    "SELECT sku_id, stock FROM sku WHERE outer_id = ? AND goods_id = ?",
                    (outer_id or "", goods_id),
                ).fetchone()
            if row is None:
                raise business_error("商品或SKU不存在")
            sku, stock = row
            new = quantity if update_type == 1 else stock + quantity
            if new < 0:
                raise business_error("库存不能为负")
            c.execute("UPDATE sku SET stock = ?, platform_updated_at = ? WHERE sku_id = ?", (new, now, sku))
            c.execute(
                "INSERT INTO stock_movement (sku_id, at, delta, stock_after, kind, note) VALUES (?, "
                "?, ?, ?, 'adjust', ?)",
                (sku, now, new - stock, new, "开放平台库存更新"),
            )
            self._goods_touch(c, goods_id, now)
            self.record_effect(c, api_type, str(goods_id), params)

    def set_prices(
        self, *, goods_id: int, prices: list[dict], market_price: int | None, api_type: str, params: dict
    ) -> str:
        """``pdd.goods.sku.price.update``: group/single prices (fen) of SKUs; returns a commit id."""
        now = self.platform_now()
        with self.tx() as c:
            if c.execute("SELECT 1 FROM goods WHERE goods_id = ?", (goods_id,)).fetchone() is None:
                raise business_error("商品不存在")
            for p in prices:
                try:
                    sku = int(p["sku_id"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise ApiError(21001, "请求参数错误", "sku_price_list缺少sku_id") from exc
                row = c.execute(
                    "SELECT single_price_fen, group_price_fen FROM sku WHERE sku_id = ? AND goods_id = ?",
                    (sku, goods_id),
                ).fetchone()
                if row is None:
                    raise business_error(f"SKU不存在：{sku}")
                single = int(p.get("single_price", row[0]))
                group = int(p.get("group_price", row[1]))
                if group <= 0 or single <= 0:
                    raise business_error("价格必须大于0")
                if group >= single:
                    raise business_error("拼单价必须低于单买价")
                sets = "single_price_fen = ?, group_price_fen = ?, platform_updated_at = ?"
                args: list = [single, group, now]
                if "is_onsale" in p:
                    sets += ", is_onsale = ?"
                    args.append(int(p["is_onsale"]))
                c.execute(f"UPDATE sku SET {sets} WHERE sku_id = ?", (*args, sku))
            if market_price is not None:
                c.execute(
                    "UPDATE goods SET market_price_fen = ? WHERE goods_id = ?", (market_price, goods_id)
                )
            self._goods_touch(c, goods_id, now)
            self.record_effect(c, api_type, str(goods_id), params)
            n = c.execute("SELECT COUNT(*) FROM sandbox_effect").fetchone()[0]
        return f"{goods_id}{n:06d}"

    def set_onsale(self, *, goods_id: int, is_onsale: int, api_type: str, params: dict) -> None:
        """``pdd.goods.sale.status.set``: on or off the shelf."""
        if is_onsale not in (0, 1):
            raise ApiError(21001, "请求参数错误", "is_onsale只能是0或1")
        now = self.platform_now()
        with self.tx() as c:
            if c.execute("SELECT 1 FROM goods WHERE goods_id = ?", (goods_id,)).fetchone() is None:
                raise business_error("商品不存在")
            c.execute("UPDATE goods SET is_onsale = ? WHERE goods_id = ?", (is_onsale, goods_id))
            self._goods_touch(c, goods_id, now)
            self.record_effect(c, api_type, str(goods_id), params)

    # ------------------------------------------------------------------ writes: after-sales

    def _case_row(self, c: sqlite3.Connection, after_sales_id: int, order_sn: str) -> tuple:
        row = c.execute(
            "SELECT a.id, a.order_id, a.type, a.status, a.platform_updated_at FROM after_sale a JOIN "
            '"order" o '
            "ON o.id = a.order_id WHERE a.id = ? AND o.order_sn = ?",
            (after_sales_id, order_sn),
        ).fetchone()
        if row is None:
            raise business_error("售后单不存在")
        return row

    def set_case_status(
        self,
        c: sqlite3.Connection,
        case_id: int,
        status: int,
        at: int,
        *,
        actor: str,
        action: str,
        note: str = "",
    ) -> None:
        """Move a case (and its order's refund fields) to ``status`` at ``at``."""
        row = c.execute(
            "SELECT a.order_id, a.platform_updated_at, o.platform_updated_at FROM after_sale a "
            'JOIN "order" o ON o.id = a.order_id WHERE a.id = ?',
            (case_id,),
        ).fetchone()
        oid, case_prev, order_prev = row
        closed = at if status in _CLOSED_CODES else None
        c.execute(
            "UPDATE after_sale SET status = ?, platform_updated_at = ?, closed_at = COALESCE(?, closed_at), "
            "expire_at = CASE WHEN ? IN (2, 3, 14, 21, 32, 33) THEN expire_at ELSE NULL END WHERE id = ?",
            (status, self.stamp(at, case_prev), closed, status, case_id),
        )
        c.execute(
            "INSERT INTO after_sale_event (after_sale_id, at, actor, action, status_after, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, at, actor, action, status, note),
        )
        refund_status = _REFUND_STATUS_OF.get(status, int(RefundStatus.IN_PROGRESS))
        c.execute(
            'UPDATE "order" SET refund_status = ?, after_sales_status = ?, platform_updated_at = ? '
            "WHERE id = ?",
            (refund_status, status, self.stamp(at, order_prev), oid),
        )
        if status == 10:
            c.execute(
                'UPDATE "order" SET status = ?, cancelled_at = ? WHERE id = ? AND shipped_at IS NULL '
                "AND status = ?",
                (int(OrderStatus.CANCELLED), at, oid, int(OrderStatus.TO_SHIP)),
            )

    def refund_agree(
        self, *, after_sales_id: int, order_sn: str, operate_desc: str, api_type: str, params: dict
    ) -> None:
        """``pdd.refund.agree``: agree to refund (仅退款 waiting, or a return that arrived)."""
        now = self.platform_now()
        with self.tx() as c:
            cid, _oid, _typ, status, _prev = self._case_row(c, after_sales_id, order_sn)
            if status not in (2, 3, 27):
                raise business_error("售后单状态不允许操作")
            self.set_case_status(c, cid, 4, now, actor="seller", action="同意退款", note=operate_desc)
            self.record_effect(c, api_type, str(after_sales_id), params)
            self.sim.on_refund_agreed(c, cid, now)

    def return_agree(
        self,
        *,
        after_sales_id: int,
        order_sn: str,
        return_address_id: int | None,
        operate_desc: str,
        api_type: str,
        params: dict,
    ) -> None:
        """``pdd.refund.returngoods.agree``: agree to a return (退货退款 waiting for the merchant)."""
        now = self.platform_now()
        with self.tx() as c:
            cid, _oid, typ, status, _prev = self._case_row(c, after_sales_id, order_sn)
            if status != 3 or typ != 2:
                raise business_error("售后单状态不允许操作")
            if (
                return_address_id is not None
                and c.execute(
                    "SELECT 1 FROM address WHERE (id = ? OR remote_id = ?) AND is_return = 1",
                    (return_address_id,) * 2,
                ).fetchone()
                is None
            ):
                raise business_error("退货地址不存在")
            self.set_case_status(c, cid, 7, now, actor="seller", action="同意退货", note=operate_desc)
            self.record_effect(c, api_type, str(after_sales_id), params)
            self.sim.on_return_agreed(c, cid, now)

    def exchange_ship(
        self,
        *,
        after_sales_id: int,
        order_sn: str,
        shipping_id: int,
        tracking_number: str,
        api_type: str,
        params: dict,
    ) -> None:
        """``pdd.refund.exchange.shipping``: the merchant's parcel for a 换货/补寄 case (14 or 32).

        The case moves to 18 (换货补寄待用户确认完成); the buyer confirms later (sim).
        """
        now = self.platform_now()
        with self.tx() as c:
            cid, _oid, typ, status, _prev = self._case_row(c, after_sales_id, order_sn)
            if status not in (14, 32) or typ not in (3, 4):
                raise business_error("售后单状态不允许操作")
            if c.execute("SELECT 1 FROM courier WHERE id = ?", (shipping_id,)).fetchone() is None:
                raise business_error("快递公司不存在")
            self.set_case_status(
                c, cid, 18, now, actor="seller", action="换货/补寄发货", note=tracking_number
            )
            self.record_effect(c, api_type, str(after_sales_id), params)
            self.sim.on_exchange_shipped(c, cid, now)

    # ------------------------------------------------------------------ writes: waybill

    def waybill_get(self, request: dict, api_type: str) -> list[dict]:
        """``pdd.waybill.get`` (``sandbox/waybills.py``)."""
        return self.waybills.get(request, api_type)

    # ------------------------------------------------------------------ test helpers

    def commit_late(self, order_sn: str | None = None, *, behind_s: int = 120) -> str:
        """Change one order with ``updated_at`` ``behind_s`` in the past (a late-committed write).

        The order (the newest 待发货 one when ``order_sn`` is None) gets a new buyer memo.
        Returns its order_sn.
        """
        now = self.platform_now()
        with self.tx() as c:
            if order_sn is None:
                row = c.execute(
                    'SELECT order_sn FROM "order" WHERE status = ? ORDER BY platform_updated_at '
                    "DESC, id DESC LIMIT 1",
                    (int(OrderStatus.TO_SHIP),),
                ).fetchone()
                order_sn = row[0]
            c.execute(
                'UPDATE "order" SET buyer_memo = buyer_memo || ?, platform_updated_at = ? WHERE order_sn = ?',
                ("（迟到的修改）", now - behind_s, order_sn),
            )
        return order_sn

    def drift_row(self, *, start: int, end: int, exclude: set[str]) -> str | None:
        """Move one order of a window (not in ``exclude``) to the window's end (faults: drifting pages)."""
        with self.tx() as c:
            row = c.execute(
                'SELECT id, order_sn FROM "order" WHERE platform_updated_at BETWEEN ? AND ? - 1 '
                "ORDER BY platform_updated_at, order_sn",
                (start, end),
            ).fetchall()
            for oid, sn in row:
                if sn not in exclude:
                    c.execute('UPDATE "order" SET platform_updated_at = ? WHERE id = ?', (end, oid))
                    return sn
        return None


#: after_sales_status → order refund_status (as the demo generator maps them).
_REFUND_STATUS_OF: dict[int, int] = {
    code: int(RefundStatus.IN_PROGRESS) for code in (2, 3, 6, 7, 8, 14, 15, 18, 21, 22, 27, 31, 32, 33)
}
_REFUND_STATUS_OF.update(
    {4: int(RefundStatus.REFUNDING), 5: int(RefundStatus.REFUNDING), 10: int(RefundStatus.REFUNDED)}
)
_REFUND_STATUS_OF.update({code: int(RefundStatus.NONE) for code in (9, 11, 12, 13, 16, 17, 24, 25)})
_CLOSED_CODES = frozenset((9, 10, 11, 12, 13, 16, 17, 24, 25))
_CASE_STATUS_CODES = frozenset(_REFUND_STATUS_OF)


def _platform_status(status: int, shipped: int | None, signed: int | None) -> int:
    if status in (2, 3):
        return status
    if status == int(OrderStatus.CANCELLED):
        return 3 if signed else (2 if shipped else 1)
    return 1


def _spec_details(spec: str) -> list[dict]:
    out = []
    for k, part in enumerate(p for p in (spec or "").split(",") if p):
        name, _, value = part.partition(":")
        out.append(
            {
                "parent_id": 1000 + k,
                "parent_name": name,
                "spec_id": _region_id(part),
                "spec_name": value,
                "spec_note": "",
            }
        )
    return out


def _read_meta(db_path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT key, value FROM sandbox_meta WHERE key IN ('orders', 'seed', 'now0')"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    return dict(rows)
