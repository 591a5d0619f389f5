"""The sandbox platform's e-waybill service: branch accounts, number issuing, route codes, cancel.

What the four APIs answer follows pdd-open-api.md §4.3 (field names from the doc and from the
SDKs: ``lywzx/pdd-node-sdk`` ``src/pddApi/dianZiMianDan/PddWaybillGet.ts``, which says
"请求面单信息，数量限制为10" for ``trade_order_info_dtos``, and ``SchafferJ/open-pdd``
``src/http/model/waybill/pdd_waybill_get.rs``, whose ``modules`` carry ``object_id``,
``waybill_code``, ``parent_waybill_code`` and ``print_data`` only). Where the platform's
behaviour is not documented the sandbox decides, marked [I]:

- [I] ``pdd.waybill.get`` is idempotent per ``object_id``: a request repeated with an object id
  the platform already answered gets the same number again (balance charged once). The app
  relies on it to find a number issued before a crash (``services/waybills.py``).
- [I] An order that gets no number is answered in ``modules`` with its ``object_id``, no
  ``waybill_code`` and ``error_code`` / ``error_msg`` (like the per-object results of other
  platforms' cloud-print APIs); the others in the same call are issued.
- [I] The route codes (三段码, 集包地) are inside ``print_data`` on the platform; the sandbox
  also answers them beside it as ``routing_info{sort_code, hub}`` so the app can print them
  on its own labels.
- [I] ``pdd.waybill.cancel`` of a number already cancelled answers ``cancel_result`` true again
  (nothing changes); a number on a live parcel is refused.

Tables (the sandbox's own, in its file): ``sandbox_waybill_account`` (one branch per courier,
its balance and counters, ship-from address) and ``sandbox_waybill`` (every issued number with
its object id, orders, route codes and state). Test switches: :attr:`WaybillService.refused`
(order numbers the courier refuses) and :attr:`WaybillService.unreachable` (``(wp_code,
province)`` pairs the courier does not reach).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from pdd_desktop.sandbox import waybill_print

if TYPE_CHECKING:
    from pdd_desktop.sandbox.state import SandboxShop

#: Codes the API answers per failed object [I].
ERR_BALANCE = "WAYBILL_BALANCE_NOT_ENOUGH"
ERR_UNREACHABLE = "ADDRESS_NOT_REACHABLE"
ERR_REFUSED = "COURIER_REFUSED"
ERR_BAD_ADDRESS = "RECIPIENT_ADDRESS_INVALID"

#: Most objects per pdd.waybill.get call (NODE: "请求面单信息，数量限制为10").
MAX_OBJECTS = 10

TABLES = (
    'CREATE TABLE IF NOT EXISTS "sandbox_waybill_account" ("wp_code" TEXT NOT NULL, '
    '"branch_code" TEXT NOT NULL, "branch_name" TEXT NOT NULL, "quantity" INTEGER NOT NULL, '
    '"allocated" INTEGER NOT NULL DEFAULT 0, "cancelled" INTEGER NOT NULL DEFAULT 0, '
    '"recycled" INTEGER NOT NULL DEFAULT 0, "province" TEXT NOT NULL, "city" TEXT NOT NULL, '
    '"district" TEXT NOT NULL, "detail" TEXT NOT NULL, PRIMARY KEY ("wp_code", "branch_code"))',
    'CREATE TABLE IF NOT EXISTS "sandbox_waybill" ("waybill_code" TEXT PRIMARY KEY, '
    '"object_id" TEXT NOT NULL UNIQUE, "wp_code" TEXT NOT NULL, "branch_code" TEXT NOT NULL, '
    '"order_sns" TEXT NOT NULL, "parent_code" TEXT NOT NULL, "sort_code" TEXT NOT NULL, '
    '"hub" TEXT NOT NULL, "print_data" TEXT NOT NULL, "template_url" TEXT NOT NULL, '
    '"issued_at" INTEGER NOT NULL, "cancelled_at" INTEGER)',
)

#: The branch accounts every sandbox shop (demo or real) is subscribed to: courier code, branch
#: code and name, starting balance, ship-from address.
ACCOUNTS: tuple[tuple[str, str, str, int, tuple[str, str, str, str]], ...] = (
    ("ZTO", "310115-ZT", "中通快递 上海浦东张江网点", 5000, ("上海市", "上海市", "浦东新区", "张江路 88 号")),
    ("YTO", "330110-YT", "圆通速递 杭州余杭网点", 3000, ("浙江省", "杭州市", "余杭区", "文一西路 998 号")),
    ("YUNDA", "440305-YD", "韵达快递 深圳南山网点", 200, ("广东省", "深圳市", "南山区", "科技园南路 12 号")),
)

#: Standard templates per courier: (template id base, name, size).
_TEMPLATES = ((1, "一联单 76×130", "76x130"), (2, "二联单 100×150", "100x150"))

#: Regions a courier does not reach by default [I: a sandbox rule to exercise the failure].
DEFAULT_UNREACHABLE = frozenset(
    {("YUNDA", "西藏自治区"), ("YUNDA", "新疆维吾尔自治区"), ("YTO", "西藏自治区")}
)

#: Number prefixes per courier (digits only, like the couriers' own numbers).
_PREFIX = {"ZTO": "79", "YTO": "YT9", "YUNDA": "4399"}


def _h(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def route_codes(wp_code: str, province: str, city: str, district: str) -> tuple[str, str]:
    """(三段码, 集包地) of a destination, deterministic: e.g. ``('310-A12 03', '上海转运中心')``."""
    first = 100 + _h(f"{wp_code}|{province}") % 900
    letter = "ABCDEFGHJKLMNPQRSTUVWXYZ"[_h(f"{wp_code}|{province}|{city}") % 24]
    second = _h(f"{city}|{wp_code}") % 90 + 10
    third = _h(f"{wp_code}|{city}|{district}") % 99 + 1
    hub_city = (city or province).removesuffix("市").removesuffix("自治州").removesuffix("地区") or province
    return f"{first}-{letter}{second} {third:02d}", f"{hub_city}转运中心"


class WaybillService:
    """The e-waybill APIs of one sandbox shop (uses the shop's connection, lock and effect log)."""

    def __init__(self, shop: SandboxShop) -> None:
        self.shop = shop
        #: Order numbers whose courier refuses the parcel (test switch).
        self.refused: set[str] = set()
        #: (wp_code, province) pairs the courier does not reach.
        self.unreachable: set[tuple[str, str]] = set(DEFAULT_UNREACHABLE)
        with shop.lock:
            for stmt in TABLES:
                shop.conn.execute(stmt)
            if shop.conn.execute("SELECT COUNT(*) FROM sandbox_waybill_account").fetchone()[0] == 0:
                shop.conn.executemany(
                    "INSERT INTO sandbox_waybill_account (wp_code, "
                    "branch_code, branch_name, quantity, province, "
                    "city, district, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(w, b, n, q, *addr) for w, b, n, q, addr in ACCOUNTS],
                )

    # ------------------------------------------------------------------ reads

    def search(self, wp_code: str | None) -> list[dict]:
        """``pdd.waybill.search``: subscriptions per courier with their branch accounts."""
        rows = self.shop.query(
            "SELECT wp_code, branch_code, branch_name, quantity, "
            "allocated, cancelled, recycled, province, city, "
            "district, detail FROM sandbox_waybill_account WHERE (? = '' OR wp_code = ?) ORDER BY wp_code, "
            "branch_code",
            (wp_code or "", wp_code or ""),
        )
        out: dict[str, dict] = {}
        for w, b, n, q, alloc, canc, rec, prov, city, dist, detail in rows:
            sub = out.setdefault(w, {"wp_code": w, "wp_type": 1, "branch_account_cols": []})
            sub["branch_account_cols"].append(
                {
                    "branch_code": b,
                    "branch_name": n,
                    "quantity": q,
                    "allocated_quantity": alloc,
                    "cancel_quantity": canc,
                    "recycled_quantity": rec,
                    "shipp_address_cols": [
                        {"province": prov, "city": city, "district": dist, "detail": detail}
                    ],
                    "service_info_cols": [],
                }
            )
        return list(out.values())

    def std_templates(self, wp_code: str | None) -> dict:
        """``pdd.cloudprint.stdtemplates.get``: standard templates of the subscribed couriers."""
        codes = [
            r[0] for r in self.shop.query("SELECT DISTINCT wp_code FROM sandbox_waybill_account ORDER BY 1")
        ]
        datas = []
        for k, code in enumerate(codes):
            if wp_code and code != wp_code:
                continue
            datas.append(
                {
                    "wp_code": code,
                    "standard_templates": [
                        {
                            "standard_template_id": 100 * (k + 1) + tid,
                            "standard_template_name": name,
                            "standard_template_url": waybill_print.standard_template_url(code, size),
                            "standard_waybill_type": tid,
                        }
                        for tid, name, size in _TEMPLATES
                    ],
                }
            )
        return {"datas": datas}

    def issued(self, object_id: str | None = None) -> list[tuple]:
        """Issued numbers (tests): (waybill_code, object_id, order_sns, cancelled_at)."""
        sql = "SELECT waybill_code, object_id, order_sns, cancelled_at FROM sandbox_waybill"
        if object_id is None:
            return self.shop.query(sql + " ORDER BY issued_at, waybill_code")
        return self.shop.query(sql + " WHERE object_id = ?", (object_id,))

    def balance(self, wp_code: str) -> int:
        """The remaining balance of the courier's branch (tests)."""
        rows = self.shop.query(
            "SELECT SUM(quantity) FROM sandbox_waybill_account WHERE wp_code = ?", (wp_code,)
        )
        return int(rows[0][0] or 0)

    def set_balance(self, wp_code: str, quantity: int) -> None:
        """Set the courier's branch balance (tests)."""
        with self.shop.tx() as c:
            c.execute(
                "UPDATE sandbox_waybill_account SET quantity = ? WHERE wp_code = ?", (quantity, wp_code)
            )

    # ------------------------------------------------------------------ writes

    def get(self, request: dict, api_type: str) -> list[dict]:
        """``pdd.waybill.get``: one number per object, per-object failures in the answer."""
        from pdd_desktop.sandbox.state import ApiError, business_error

        wp_code = str(request.get("wp_code") or "")
        dtos = request.get("trade_order_info_dtos")
        if not isinstance(dtos, list) or not dtos:
            raise ApiError(21002, "请求参数不能为空", "trade_order_info_dtos不能为空")
        if len(dtos) > MAX_OBJECTS:
            raise ApiError(21001, "请求参数错误", f"trade_order_info_dtos数量限制为{MAX_OBJECTS}")
        sender = request.get("sender")
        if not isinstance(sender, dict) or not isinstance(sender.get("address"), dict):
            raise ApiError(21002, "请求参数不能为空", "sender不能为空")
        now = self.shop.platform_now()
        modules: list[dict] = []
        with self.shop.tx() as c:
            acc = c.execute(
                "SELECT branch_code FROM sandbox_waybill_account "
                "WHERE wp_code = ? ORDER BY quantity DESC LIMIT 1",
                (wp_code,),
            ).fetchone()
            if acc is None:
                raise business_error("未开通该快递公司的电子面单服务")
            for dto in dtos:
                if not isinstance(dto, dict) or not str(dto.get("object_id") or ""):
                    raise ApiError(21002, "请求参数不能为空", "object_id不能为空")
                modules.append(self._issue_one(c, wp_code, acc[0], dto, sender, now, api_type))
        return modules

    def _issue_one(
        self,
        c: sqlite3.Connection,
        wp_code: str,
        branch: str,
        dto: dict,
        sender: dict,
        now: int,
        api_type: str,
    ) -> dict:
        object_id = str(dto["object_id"])
        again = c.execute(
            "SELECT waybill_code, parent_code, print_data, "
            "sort_code, hub FROM sandbox_waybill WHERE object_id = ?",
            (object_id,),
        ).fetchone()
        if again is not None:  # [I] idempotent per object_id
            return _module(object_id, *again)
        sns = [str(s) for s in ((dto.get("order_info") or {}).get("trade_order_list") or [])]
        order = None
        if sns:
            order = c.execute(
                "SELECT order_sn, receiver_name, receiver_phone, "
                "province, city, district, town, address_detail "
                'FROM "order" WHERE order_sn = ?',
                (sns[0],),
            ).fetchone()
        recipient = dto.get("recipient") if isinstance(dto.get("recipient"), dict) else {}
        address = recipient.get("address") if isinstance(recipient.get("address"), dict) else {}
        if order is not None:  # the platform knows its own order's receiver in clear
            name, phone, prov, city, dist, town, detail = order[1:]
        else:
            name, phone = str(recipient.get("name") or ""), str(recipient.get("mobile") or "")
            prov, city, dist = (str(address.get(k) or "") for k in ("province", "city", "district"))
            town, detail = str(address.get("town") or ""), str(address.get("detail") or "")
        if not (prov and city):
            return _failed(object_id, ERR_BAD_ADDRESS, "收件地址不完整")
        if (wp_code, prov) in self.unreachable:
            return _failed(object_id, ERR_UNREACHABLE, f"该快递公司不能送达{prov}")
        if any(sn in self.refused for sn in sns):
            return _failed(object_id, ERR_REFUSED, "快递网点拒绝揽收此包裹")
        balance = c.execute(
            "SELECT quantity FROM sandbox_waybill_account WHERE wp_code = ? AND branch_code = ?",
            (wp_code, branch),
        ).fetchone()[0]
        if balance <= 0:
            return _failed(object_id, ERR_BALANCE, "电子面单余额不足")
        code = self._next_code(c, wp_code)
        sort_code, hub = route_codes(wp_code, prov, city, dist)
        template_url = str(dto.get("template_url") or "") or waybill_print.standard_template_url(wp_code)
        package = dto.get("package_info") if isinstance(dto.get("package_info"), dict) else {}
        items = [
            {"name": str(i.get("name") or ""), "count": int(i.get("count") or 0)}
            for i in (package.get("items") or [])
            if isinstance(i, dict)
        ]
        waybill = {
            "waybill_code": code,
            "wp_code": wp_code,
            "sort_code": sort_code,
            "hub": hub,
            "parent_waybill_code": "",
            "object_id": object_id,
            "order_sns": sns,
            "items": items,
            "recipient": {
                "name": name,
                "mobile": phone,
                "phone": "",
                "address": {"province": prov, "city": city, "district": dist, "town": town, "detail": detail},
            },
            "sender": sender,
        }
        print_data = waybill_print.seal(self.shop.credentials.client_secret, waybill, template_url)
        c.execute(
            "INSERT INTO sandbox_waybill (waybill_code, object_id, "
            "wp_code, branch_code, order_sns, parent_code, "
            "sort_code, hub, print_data, template_url, issued_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
            (
                code,
                object_id,
                wp_code,
                branch,
                json.dumps(sns),
                sort_code,
                hub,
                print_data,
                template_url,
                now,
            ),
        )
        c.execute(
            "UPDATE sandbox_waybill_account SET quantity = quantity - 1, allocated = allocated + 1 "
            "WHERE wp_code = ? AND branch_code = ?",
            (wp_code, branch),
        )
        self.shop.record_effect(c, api_type, code, {"object_id": object_id, "order_sns": ",".join(sns)})
        return _module(object_id, code, "", print_data, sort_code, hub)

    def _next_code(self, c: sqlite3.Connection, wp_code: str) -> str:
        prefix = _PREFIX.get(wp_code, "9")
        width = 12 - len(prefix) if wp_code != "YTO" else 10
        n = c.execute("SELECT COUNT(*) FROM sandbox_waybill WHERE wp_code = ?", (wp_code,)).fetchone()[0]
        while True:
            n += 1
            code = f"{prefix}{(_h(f'{self.shop.seed}|{wp_code}') + n) % 10**width:0{width}d}"
            taken = c.execute(
                "SELECT 1 FROM sandbox_waybill WHERE waybill_code = ? UNION ALL "
                "SELECT 1 FROM package WHERE tracking_number = ?",
                (code, code),
            ).fetchone()
            if taken is None:
                return code

    def cancel(self, wp_code: str, waybill_code: str, api_type: str) -> bool:
        """``pdd.waybill.cancel``: the number is void and its balance comes back."""
        from pdd_desktop.sandbox.state import business_error

        now = self.shop.platform_now()
        with self.shop.tx() as c:
            row = c.execute(
                "SELECT wp_code, branch_code, cancelled_at FROM sandbox_waybill WHERE waybill_code = ?",
                (waybill_code,),
            ).fetchone()
            if row is None or (wp_code and row[0] != wp_code):
                raise business_error("面单号不存在")
            if row[2] is not None:
                return True  # [I] cancelling twice changes nothing
            live = c.execute(
                "SELECT 1 FROM package WHERE tracking_number = ? AND voided_at IS NULL", (waybill_code,)
            ).fetchone()
            if live is not None:
                raise business_error("面单已发货使用，不能取消")
            c.execute(
                "UPDATE sandbox_waybill SET cancelled_at = ? WHERE waybill_code = ?", (now, waybill_code)
            )
            c.execute(
                "UPDATE sandbox_waybill_account SET quantity = quantity + 1, allocated = allocated - 1, "
                "cancelled = cancelled + 1 WHERE wp_code = ? AND branch_code = ?",
                (row[0], row[1]),
            )
            self.shop.record_effect(
                c, api_type, waybill_code, {"wp_code": row[0], "waybill_code": waybill_code}
            )
        return True

    def is_cancelled(self, c: sqlite3.Connection, number: str) -> bool:
        """True when ``number`` is an issued number that was cancelled (it may never ship)."""
        row = c.execute(
            "SELECT cancelled_at FROM sandbox_waybill WHERE waybill_code = ?", (number,)
        ).fetchone()
        return row is not None and row[0] is not None


def _module(
    object_id: str, code: str, parent: str, print_data: str, sort_code: str, hub: str
) -> dict[str, Any]:
    return {
        "object_id": object_id,
        "waybill_code": code,
        "parent_waybill_code": parent,
        "print_data": print_data,
        "routing_info": {"sort_code": sort_code, "hub": hub},
    }


def _failed(object_id: str, code: str, message: str) -> dict[str, Any]:
    return {"object_id": object_id, "error_code": code, "error_msg": message}
