"""The tables the demo shop writes: their columns, fixed values, and the bulk-loaded ones."""

from __future__ import annotations

#: Tables whose secondary indexes are dropped during the bulk load and rebuilt afterwards.
_BULK_TABLES = (
    "order",
    "order_item",
    "package",
    "package_order",
    "tracking_event",
    "after_sale",
    "after_sale_event",
    "stock_movement",
    "waybill_number",
)

#: Columns written per table, in the order of the row tuples. Checked against the real schema
#: before writing, so a new NOT NULL column fails the build loudly instead of midway. Columns in
#: :data:`_FIXED` are not in the tuples: they are SQL literals or repeat another column's value.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "shop": ("id", "mall_id", "name", "description", "merchant_type", "logo_url", "is_demo", "created_at"),
    "address": (
        "id", "remote_id", "contact_name", "phone", "province", "city", "district", "detail",
        "is_sender", "is_return", "is_default",
    ),
    "courier": ("id", "name", "code", "available", "tracking_pattern", "sort_order"),
    "waybill_account": (
        "id", "courier_id", "branch_code", "branch_name", "sender_address_id", "quantity", "is_default",
        "created_at",
    ),
    "waybill_number": ("id", "account_id", "tracking_number", "state", "allocated_at", "order_id"),
    "goods": (
        "goods_id", "name", "short_name", "outer_goods_id", "category", "image_url", "is_onsale",
        "promise_hours", "market_price_fen", "created_at", "platform_updated_at", "remote_hash",
    ),
    "sku": (
        "sku_id", "goods_id", "spec", "outer_id", "single_price_fen", "group_price_fen", "cost_price_fen",
        "stock", "reserve_quantity", "low_stock_threshold", "weight_g", "is_onsale", "platform_updated_at",
    ),
    "cost_price_history": ("id", "sku_id", "changed_at", "cost_price_fen", "source", "note"),
    "stock_movement": (
        "id", "sku_id", "at", "delta", "stock_after", "kind", "order_id", "after_sale_id", "note",
    ),
    "order": (
        "id", "order_sn", "status", "confirm_status", "group_status", "refund_status", "after_sales_status",
        "buyer_key", "buyer_nickname", "buyer_memo", "seller_memo", "flag", "flag_name", "goods_amount_fen",
        "postage_fen", "platform_discount_fen", "seller_discount_fen", "pay_amount_fen",
        "merchant_receive_fen", "item_count", "created_at", "paid_at", "group_formed_at", "ship_deadline_at",
        "shipped_at", "signed_at", "cancelled_at", "receiver_name", "receiver_phone", "province", "city",
        "district", "town", "address_detail", "receiver_name_mask", "receiver_phone_mask", "address_mask",
        "print_count", "last_printed_at", "platform_updated_at",
    ),
    "order_item": (
        "id", "order_id", "goods_id", "sku_id", "goods_name", "spec", "outer_id", "outer_goods_id",
        "quantity", "unit_price_fen",
    ),
    "package": (
        "id", "courier_id", "tracking_number", "kind", "shipped_at", "first_scan_at", "last_event_at",
        "signed_at", "is_exception", "sort_code", "hub", "trace_fetched_at",
    ),
    "package_order": ("package_id", "order_id"),
    "tracking_event": ("id", "package_id", "at", "kind", "location", "description"),
    "after_sale": (
        "id", "order_id", "type", "status", "reason", "buyer_remark", "refund_amount_fen", "goods_id",
        "sku_id", "quantity", "return_tracking_number", "return_shipping_name", "created_at", "expire_at",
        "closed_at", "platform_updated_at",
    ),
    "after_sale_event": ("id", "after_sale_id", "at", "actor", "action", "status_after", "note"),
    "message": (
        "id", "remote_id", "category", "title", "body", "created_at", "read_at", "is_important", "is_pinned",
    ),
    "invoice_request": (
        "id", "order_id", "buyer_type", "title", "tax_no", "email", "amount_fen", "status", "invoice_no",
        "requested_at", "issued_at", "uploaded_at",
    ),
}  # fmt: skip
#: Per table, columns with the same value in every generated row: an SQL literal, or ``=column``
#: for the value bound to another column. Fewer bound parameters make the bulk insert faster.
_FIXED: dict[str, dict[str, str]] = {
    "order": {
        "trade_type": "0",
        "is_lucky": "0",
        "risk_control_status": "0",
        "is_pre_sale": "0",
        "change_amount_fen": "0",
        "pay_reduction_fen": "0",
        "confirmed_at": "=group_formed_at",  # 成交 is the moment the group formed
        "pending_ops": "0",
        "has_conflict": "0",
        "local_updated_at": "=platform_updated_at",
        "remote_hash": "NULL",
        "remote_missing_since": "NULL",
        "source": "'demo'",
    },
    "package": {"voided_at": "NULL", "void_reason": "''"},
    "after_sale": {"remote_hash": "NULL", "return_address": "''"},
    "invoice_request": {"phone": "''", "pdf_path": "''", "note": "''"},
    # The demo's own pools are local (schema v5); the sandbox's platform accounts come by sync.
    "waybill_account": {
        "wp_code": "''",
        "source": "'local'",
        "allocated_quantity": "0",
        "cancel_quantity": "0",
        "recycled_quantity": "0",
        "ship_address": "''",
        "synced_at": "NULL",
    },
    "waybill_number": {
        "source": "'local'",
        "object_id": "NULL",
        "parent_code": "''",
        "sort_code": "''",
        "hub": "''",
        "print_data": "''",
        "template_url": "''",
        "issued_at": "NULL",
        "cancel_state": "''",
        "cancelled_at": "NULL",
    },
}
