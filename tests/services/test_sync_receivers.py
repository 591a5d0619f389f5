"""Receivers from order answers in either format: ciphertext with masked twins (today), or the
older plain text without masks (and fields already decrypted)."""

from __future__ import annotations

from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone
from pdd_desktop.platform.records import looks_encrypted, parse_order
from tests.helpers.db import raw_rows
from tests.helpers.sync_rig import make_rig

_RECEIVER_SQL = (
    "SELECT order_sn, receiver_name, receiver_phone, address_detail, receiver_name_mask, "
    'receiver_phone_mask, address_mask FROM "order" WHERE status = 1 ORDER BY order_sn'
)


def _order(**over):
    base = {
        "order_sn": "180810-364770100011509",
        "order_status": 1,
        "refund_status": 1,
        "updated_at": "2018-08-10 19:29:58",
        "goods_amount": "9.90",
        "pay_amount": "9.90",
        "province": "广东省",
        "city": "深圳市",
        "town": "南山区",
        "item_list": [{"goods_id": 1, "sku_id": 2, "goods_count": 1, "goods_price": "9.90"}],
    }
    return {**base, **over}


def test_plain_receivers_are_kept_and_masked_here():
    rec = parse_order(
        _order(
            receiver_name="张三丰",
            receiver_phone="13812341234",
            address="广东省深圳市南山区科技园南路 88 号",
        )
    )
    assert (rec.receiver_name, rec.receiver_phone, rec.receiver_address) == (
        "张三丰", "13812341234", "科技园南路 88 号",
    )  # fmt: skip
    assert rec.receiver_name_mask == "张**" and rec.receiver_phone_mask == "138****1234"
    assert rec.receiver_address_mask == mask_address("科技园南路 88 号")
    assert rec.address_mask.startswith("广东省深圳市南山区") and "88" not in rec.address_mask
    assert rec.receiver_name_enc == "" and "13812341234" not in repr(rec)


def test_ciphertext_stays_opaque_and_a_starred_value_is_only_a_mask():
    rec = parse_order(
        _order(receiver_name="~AgAAAAE1~", receiver_phone="$138$AgAAAAE2$", receiver_name_mask="张*")
    )
    assert rec.receiver_name == rec.receiver_phone == "" and rec.receiver_name_enc == "~AgAAAAE1~"
    assert rec.receiver_phone_enc == "$138$AgAAAAE2$" and rec.receiver_name_mask == "张*"
    old = parse_order(_order(receiver_name="李四", receiver_phone="139****5678"))  # 2018: masked phone
    assert old.receiver_phone == "" and old.receiver_phone_mask == "139****5678"
    assert old.receiver_name == "李四"
    assert looks_encrypted("~abc~") and looks_encrypted("$1$x$") and not looks_encrypted("~张三")


def test_an_older_format_answer_brings_the_receiver_end_to_end(tmp_path, tmp_path_factory):
    rig = make_rig(tmp_path, tmp_path_factory, local="empty")
    try:
        rig.shop.faults.set(plain_receivers=True)
        engine = rig.engine(initial_cursor_ts=None, initial_backfill_s=2 * 86400)
        report = engine.run_once()
        assert report.outcome == "ok", report.message
        local = raw_rows(rig.db, _RECEIVER_SQL)
        assert local, "no 待发货 order came down"
        truth = {
            sn: (name, phone, town + detail)
            for sn, name, phone, town, detail in rig.shop.query(
                'SELECT order_sn, receiver_name, receiver_phone, town, address_detail FROM "order"'
            )
        }
        for sn, name, phone, detail, name_mask, phone_mask, detail_mask in local:
            assert (name, phone, detail) == truth[sn]
            assert name and phone and detail
            assert (name_mask, phone_mask, detail_mask) == (
                mask_name(name), mask_phone(phone), mask_address(detail),
            )  # fmt: skip
        # Today's format afterwards (ciphertext, masks sent): what was stored is kept.
        rig.shop.faults.set(plain_receivers=False)
        sn = local[0][0]
        rig.shop.commit_late(sn, behind_s=0)  # a newer version of that order
        assert engine.run_once().outcome == "ok"
        after = {r[0]: r for r in raw_rows(rig.db, _RECEIVER_SQL)}
        assert after[sn][1:4] == local[0][1:4]
    finally:
        rig.close()
