"""Shop settings: typed, validated, with the product's defaults in one place.

Rules the platform changes from time to time (deadlines, compensation) are settings, never
constants in code. Values are stored as JSON in the ``setting`` table; an absent row means
the default below.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, fields

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog, Setting
from pdd_desktop.domain.errors import ValidationError


@dataclass(frozen=True)
class ShopSettings:
    """All settings with their defaults (product.md)."""

    #: 即将超时: hours before the ship deadline that count as "near".
    near_deadline_hours: int = 6
    #: 极速发货: the shop promises shipping within 24 h of group formation.
    fast_ship_enabled: bool = False
    #: Compensation owed per late order under 极速发货, in fen (default 3 yuan).
    late_compensation_fen: int = 300
    #: Hours the platform gives the merchant to answer an after-sales case.
    after_sale_response_hours: int = 48
    #: 售后即将超时: hours before the platform's automatic decision that count as "near".
    after_sale_warn_hours: int = 12
    #: 物流异常: a parcel with no pickup scan this many hours after shipping.
    no_pickup_hours: int = 24
    #: 物流异常: a parcel with no tracking event for this many hours.
    stalled_hours: int = 48
    #: 开票信息 (seller on invoices): 名称 and 纳税人识别号 are needed to issue an invoice.
    invoice_seller_title: str = ""
    invoice_seller_tax_no: str = ""
    #: 地址、电话 and 开户行及账号 as printed on the invoice (optional).
    invoice_seller_address_phone: str = ""
    invoice_seller_bank_account: str = ""
    #: 开票人 printed at the bottom of the invoice (optional).
    invoice_issuer: str = ""
    #: Where sync goes: "auto" (the sandbox for a demo shop, else off), "demo", "api" or "off".
    sync_mode: str = "auto"
    #: Minutes between automatic syncs (F5 syncs at once).
    sync_interval_minutes: int = 5
    #: 自动备份: once a day at ``auto_backup_time`` (Beijing, "HH:MM"), or at the next start
    #: when the computer was off then; the newest ``auto_backup_keep`` automatic backups are kept.
    auto_backup_enabled: bool = True
    auto_backup_time: str = "12:00"
    auto_backup_keep: int = 7
    #: Folder for the automatic backups ("" = the shop's own backups folder).
    auto_backup_folder: str = ""
    #: 资金 对账: days after 确认收货 by which an order's income must be in the bills, else it is
    #: listed as 未结算 (services/reconcile.py explains the choice of the default).
    settlement_days: int = 3


#: Valid ranges for the integer settings: (minimum, maximum, Chinese name for messages).
_LIMITS: dict[str, tuple[int, int, str]] = {
    "near_deadline_hours": (1, 72, "即将超时提前小时数"),
    "late_compensation_fen": (0, 100_000, "超时赔付金额"),
    "after_sale_response_hours": (1, 240, "售后响应时限"),
    "after_sale_warn_hours": (1, 72, "售后即将超时提前小时数"),
    "no_pickup_hours": (1, 240, "未揽收判定小时数"),
    "stalled_hours": (1, 480, "物流停滞判定小时数"),
    "sync_interval_minutes": (1, 240, "自动同步间隔（分钟）"),
    "auto_backup_keep": (1, 365, "自动备份保留份数"),
    "settlement_days": (1, 30, "确认收货后应结算天数"),
}
#: Settings with a fixed set of values: (values, Chinese name for messages).
_CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    "sync_mode": (("auto", "demo", "api", "off"), "同步方式"),
}
#: Text settings: (maximum length, Chinese name for messages).
_TEXTS: dict[str, tuple[int, str]] = {
    "invoice_seller_title": (100, "销售方名称"),
    "invoice_seller_tax_no": (20, "销售方纳税人识别号"),
    "invoice_seller_address_phone": (120, "销售方地址、电话"),
    "invoice_seller_bank_account": (120, "销售方开户行及账号"),
    "invoice_issuer": (20, "开票人"),
    "auto_backup_time": (5, "自动备份时间"),
    "auto_backup_folder": (1000, "自动备份文件夹"),
}
_FIELDS = {f.name: f for f in fields(ShopSettings)}

#: 纳税人识别号: 15 (old), 18 (统一社会信用代码) or 20 characters of digits and capital letters.
_TAX_NO_RE = re.compile(r"[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20}")


def check_tax_no(text: str, field: str = "税号") -> str:
    """A taxpayer number, spaces removed and letters upper-cased; ``""`` stays ``""``.

    Shared by the seller's number here and the buyer's in :mod:`pdd_desktop.services.invoices`.

    Raises:
        ValidationError: naming ``field`` when the number is not 15, 18 or 20 digits/letters.
    """
    value = "".join(text.split()).upper()
    if value and not _TAX_NO_RE.fullmatch(value):
        raise ValidationError(field, f"应为 15、18 或 20 位数字或大写字母，收到 {len(value)} 位")
    return value


_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _check_time_of_day(value: str, name: str) -> str:
    match = _TIME_RE.fullmatch(value.replace("：", ":"))
    if not match:
        raise ValidationError(name, f"应为 时:分（例如 12:30），收到 {value!r}")
    return f"{int(match[1]):02d}:{match[2]}"


def _check_folder(value: str, name: str) -> str:
    if value and not os.path.isabs(value):
        raise ValidationError(name, f"应为完整的文件夹路径，收到 {value!r}")
    if len(value) > _TEXTS["auto_backup_folder"][0]:
        raise ValidationError(name, "路径太长")
    return value


def time_of_day_minutes(text: str) -> int:
    """``"HH:MM"`` (a checked :attr:`ShopSettings.auto_backup_time`) → minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def load_settings() -> ShopSettings:
    """Current settings, defaults filled in."""
    values = {}
    for key, text in database.execute_sql("SELECT key, value_json FROM setting").fetchall():
        if key in _FIELDS:
            values[key] = json.loads(text)
    return ShopSettings(**values)


def _validate(key: str, value: object) -> object:
    if key not in _FIELDS:
        raise ValidationError(key, "没有这个设置项")
    default = getattr(ShopSettings(), key)
    if key in _CHOICES:
        allowed, name = _CHOICES[key]
        if value not in allowed:
            raise ValidationError(name, f"应为 {'、'.join(allowed)} 之一，收到 {value!r}")
        return value
    if isinstance(default, str):
        limit, name = _TEXTS[key]
        if not isinstance(value, str):
            raise ValidationError(name, f"应为文字，收到 {value!r}")
        if key == "auto_backup_folder":
            return _check_folder(value.strip(), name)
        value = " ".join(value.split())  # one line on paper: no tabs or line breaks
        if key == "invoice_seller_tax_no":
            return check_tax_no(value, name)
        if key == "auto_backup_time":
            return _check_time_of_day(value, name)
        if len(value) > limit:
            raise ValidationError(name, f"最多 {limit} 个字，现在 {len(value)} 个")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValidationError(key, "应为开或关")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_LIMITS[key][2], f"应为整数，收到 {value!r}")
    low, high, name = _LIMITS[key]
    if not low <= value <= high:
        raise ValidationError(name, f"应在 {low} 到 {high} 之间，收到 {value}")
    return value


def update_settings(**values: object) -> Changes:
    """Validate and save several settings in one transaction, with an audit entry.

    Raises:
        ValidationError: naming the first bad setting; nothing is saved then.
    """
    checked = {key: _validate(key, value) for key, value in values.items()}
    now = clock.now()
    with write_transaction():
        for key, value in checked.items():
            Setting.insert(
                key=key, value_json=json.dumps(value), updated_at=now
            ).on_conflict_replace().execute()
        AuditLog.create(
            at=now,
            actor="user",
            action="update_settings",
            entity_type="setting",
            entity_id=",".join(sorted(checked)),
            detail_json=json.dumps(checked, ensure_ascii=False),
        )
    return Changes(settings=True)
