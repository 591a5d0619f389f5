"""The shop's sender addresses (发货地址), kept locally; one is the default printed on labels.

Return addresses (退货地址) come from the platform (``services.sync.areas.profile``) and are
the platform's: this module refuses to edit one that was synced (the merchant changes it in the
platform's backend; the next sync brings the change). Return addresses kept on this computer
(never synced) are added and edited here (:func:`save_return_address`). A sender address may
also be the shop's (local, never synced) return address: deleting it as a sender then only
clears its sender flag.

Each write is one transaction with an audit row. Lists mask the phone number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pdd_desktop.common import clock
from pdd_desktop.common.changes import Changes
from pdd_desktop.data.db import database, write_transaction
from pdd_desktop.data.models import AuditLog
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.domain.privacy import mask_phone

#: 手机 (11 digits starting 1[3-9]) or 固话 (area code 0xx / 0xxx, 7–8 digits, optional extension).
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
#: (field, Chinese name, shortest, longest).
_TEXT_RULES = (
    ("contact_name", "联系人", 1, 20),
    ("province", "省份", 2, 20),
    ("city", "城市", 2, 20),
    ("district", "区/县", 1, 20),
    ("detail", "详细地址", 4, 120),
)
SYNCED_MESSAGE = "这是从拼多多同步的退货地址，请在拼多多商家后台修改，下次同步后自动更新"
MISSING_SENDER = "还没有发货地址：面单上只会印店铺名称，请添加发货地址"


@dataclass(frozen=True)
class SenderAddress:
    """A sender address as lists show it (phone masked)."""

    id: int
    contact_name: str
    phone_mask: str
    province: str
    city: str
    district: str
    detail: str
    is_default: bool
    is_return: bool  #: also the shop's return address

    @property
    def region(self) -> str:
        """Province, city and district."""
        return f"{self.province}{self.city}{self.district}"


@dataclass(frozen=True)
class AddressForm:
    """One address's editable values, unmasked (the edit dialog)."""

    contact_name: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    detail: str = ""
    is_default: bool = False


def sender_addresses() -> list[SenderAddress]:
    """The sender addresses, the default first."""
    rows = database.execute_sql(
        "SELECT id, contact_name, phone, province, city, district, detail, is_default, is_return "
        "FROM address WHERE is_sender = 1 ORDER BY is_default DESC, id"
    ).fetchall()
    return [
        SenderAddress(
            id=int(r[0]),
            contact_name=r[1],
            phone_mask=mask_phone(r[2]),
            province=r[3],
            city=r[4],
            district=r[5],
            detail=r[6],
            is_default=bool(r[7]),
            is_return=bool(r[8]),
        )
        for r in rows
    ]


def _address_form(address_id: int, role: str, what: str) -> AddressForm:
    """The full values of an address of ``role`` (``is_sender``/``is_return``); ``what``: 发货/退货."""
    row = database.execute_sql(
        "SELECT contact_name, phone, province, city, district, detail, is_default FROM address "
        f"WHERE id = ? AND {role} = 1",
        (address_id,),
    ).fetchone()
    if row is None:
        raise NotAllowed(f"这个{what}地址已不存在，请刷新后再试")
    return AddressForm(*row[:6], is_default=bool(row[6]))


def sender_address_form(address_id: int) -> AddressForm:
    """The full values of a sender address, for editing.

    Raises:
        NotAllowed: no such sender address.
    """
    return _address_form(address_id, "is_sender", "发货")


def sender_missing() -> bool:
    """True when the shop has no sender address (labels then print the shop name only)."""
    return database.execute_sql("SELECT 1 FROM address WHERE is_sender = 1 LIMIT 1").fetchone() is None


def validate_address(form: AddressForm) -> AddressForm:
    """The form with surrounding blanks removed.

    Raises:
        ValidationError: the first field that breaks its rule, with a specific Chinese message.
    """
    values = {f: str(getattr(form, f) or "").strip() for f, *_ in _TEXT_RULES}
    for field, name, shortest, longest in _TEXT_RULES:
        text = values[field]
        if not text:
            raise ValidationError(name, "不能为空")
        if len(text) < shortest:
            raise ValidationError(name, f"至少 {shortest} 个字")
        if len(text) > longest:
            raise ValidationError(name, f"不能超过 {longest} 个字（现在 {len(text)} 个）")
    phone = re.sub(r"\s", "", str(form.phone or ""))
    if not phone:
        raise ValidationError("联系电话", "不能为空")
    if not (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        raise ValidationError(
            "联系电话", f"“{phone}”不是有效的手机号（11 位，1 开头）或固定电话（如 0579-85551234）"
        )
    return AddressForm(phone=phone, is_default=bool(form.is_default), **values)


def _audit(action: str, address_id: int, detail: dict) -> None:
    AuditLog.create(
        at=clock.now(),
        actor="user",
        action=action,
        entity_type="address",
        entity_id=str(address_id),
        detail_json=json.dumps(detail, ensure_ascii=False),
    )


def _make_default(address_id: int) -> None:
    database.execute_sql("UPDATE address SET is_default = 0 WHERE is_sender = 1 AND id != ?", (address_id,))
    database.execute_sql("UPDATE address SET is_default = 1 WHERE id = ?", (address_id,))


def save_sender_address(*, address_id: int | None, form: AddressForm) -> Changes:
    """Add (``address_id`` None) or change a sender address; the first one becomes the default.

    Raises:
        ValidationError: a field is wrong; nothing is saved.
        NotAllowed: the address is gone, or it is a return address synced from the platform.
    """
    clean = validate_address(form)
    fields = (clean.contact_name, clean.phone, clean.province, clean.city, clean.district, clean.detail)
    with write_transaction():
        if address_id is None:
            first = sender_missing()
            cur = database.execute_sql(
                "INSERT INTO address (remote_id, contact_name, phone, province, city, district, detail, "
                "is_sender, is_return, is_default) VALUES (NULL, ?, ?, ?, ?, ?, ?, 1, 0, 0)",
                fields,
            )
            address_id = int(cur.lastrowid)
            action = "add_sender_address"
            if first or clean.is_default:
                _make_default(address_id)
        else:
            row = database.execute_sql(
                "SELECT remote_id, is_sender, is_default FROM address WHERE id = ?", (address_id,)
            ).fetchone()
            if row is None or not row[1]:
                raise NotAllowed("这个发货地址已不存在，请刷新后再试")
            if row[0] is not None:
                raise NotAllowed(SYNCED_MESSAGE)
            database.execute_sql(
                "UPDATE address SET contact_name = ?, phone = ?, province = ?, city = ?, district = ?, "
                "detail = ? WHERE id = ?",
                (*fields, address_id),
            )
            action = "edit_sender_address"
            if clean.is_default and not row[2]:
                _make_default(address_id)
        _audit(action, address_id, {"contact_name": clean.contact_name, "phone": mask_phone(clean.phone)})
    return Changes(settings=True)


def set_default_sender(address_id: int) -> Changes:
    """Make ``address_id`` the default sender address (printed on labels).

    Raises:
        NotAllowed: no such sender address.
    """
    with write_transaction():
        row = database.execute_sql(
            "SELECT 1 FROM address WHERE id = ? AND is_sender = 1", (address_id,)
        ).fetchone()
        if row is None:
            raise NotAllowed("这个发货地址已不存在，请刷新后再试")
        _make_default(address_id)
        _audit("default_sender_address", address_id, {})
    return Changes(settings=True)


def delete_sender_address(address_id: int) -> Changes:
    """Remove a sender address; if it was the default, the oldest remaining one becomes it.

    An address that is also a return address stays as that (only its sender flag goes). Waybill
    accounts that named it keep working without a sender address.

    Raises:
        NotAllowed: no such sender address.
    """
    with write_transaction():
        row = database.execute_sql(
            "SELECT is_return, is_default, contact_name FROM address WHERE id = ? AND is_sender = 1",
            (address_id,),
        ).fetchone()
        if row is None:
            raise NotAllowed("这个发货地址已不存在，请刷新后再试")
        if row[0]:
            database.execute_sql("UPDATE address SET is_sender = 0 WHERE id = ?", (address_id,))
        else:
            database.execute_sql("DELETE FROM address WHERE id = ?", (address_id,))
        if row[1]:
            nxt = database.execute_sql(
                "SELECT id FROM address WHERE is_sender = 1 ORDER BY id LIMIT 1"
            ).fetchone()
            if nxt is not None:
                _make_default(int(nxt[0]))
        _audit("delete_sender_address", address_id, {"contact_name": row[2]})
    return Changes(settings=True)


# --- return addresses kept on this computer (退货地址, not from the platform) ---


def return_address_form(address_id: int) -> AddressForm:
    """The full values of a return address, for editing.

    Raises:
        NotAllowed: no such return address.
    """
    return _address_form(address_id, "is_return", "退货")


def save_return_address(*, address_id: int | None, form: AddressForm) -> Changes:
    """Add (``address_id`` None) or change a return address kept on this computer.

    A shop that does not sync with the platform (or before its first sync) picks its return
    address from these in 同意退货. The default flag is not set here (it is shared with the
    sender list, and the platform's default comes with the sync); ``form.is_default`` is
    ignored. An address synced from the platform is refused: the platform answers 同意退货
    with its own copy (by id), so it is changed in the merchant backend and comes back with
    the next sync.

    Raises:
        ValidationError: a field is wrong; nothing is saved.
        NotAllowed: the address is gone, or it is a synced one.
    """
    clean = validate_address(form)
    fields = (clean.contact_name, clean.phone, clean.province, clean.city, clean.district, clean.detail)
    with write_transaction():
        if address_id is None:
            cur = database.execute_sql(
                "INSERT INTO address (remote_id, contact_name, phone, province, city, district, detail, "
                "is_sender, is_return, is_default) VALUES (NULL, ?, ?, ?, ?, ?, ?, 0, 1, 0)",
                fields,
            )
            address_id = int(cur.lastrowid)
            action = "add_return_address"
        else:
            row = database.execute_sql(
                "SELECT remote_id, is_return FROM address WHERE id = ?", (address_id,)
            ).fetchone()
            if row is None or not row[1]:
                raise NotAllowed("这个退货地址已不存在，请刷新后再试")
            if row[0] is not None:
                raise NotAllowed(SYNCED_MESSAGE)
            database.execute_sql(
                "UPDATE address SET contact_name = ?, phone = ?, province = ?, city = ?, district = ?, "
                "detail = ? WHERE id = ?",
                (*fields, address_id),
            )
            action = "edit_return_address"
        _audit(action, address_id, {"contact_name": clean.contact_name, "phone": mask_phone(clean.phone)})
    return Changes(settings=True, after_sales=True)
