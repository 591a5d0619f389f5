"""退货地址: local ones are added and edited here, synced ones refused; the case keeps the chosen one."""

from __future__ import annotations

import pytest

from pdd_desktop.data.db import database
from pdd_desktop.domain.errors import NotAllowed, ValidationError
from pdd_desktop.services import addresses
from pdd_desktop.services import after_sales as svc
from tests.helpers.db import db_state, q
from tests.services.test_after_sales_ops import RETURN_ADDRESS, local_case

FORM = addresses.AddressForm(
    contact_name="李退货", phone="0571-88886666", province="浙江省", city="杭州市", district="西湖区",
    detail="文三路 99 号 2 号仓",
)  # fmt: skip


@pytest.fixture
def shop(sandbox_demo_shop):
    return sandbox_demo_shop


def test_add_and_edit_a_local_return_address(shop):
    before = {a.local_id for a in svc.return_addresses()}
    changes = addresses.save_return_address(address_id=None, form=FORM)
    assert changes.after_sales
    (new,) = [a for a in svc.return_addresses() if a.local_id not in before]
    assert not new.is_synced and not new.is_default and new.id == new.local_id
    assert new.text == "李退货 0571-88886666 浙江省杭州市西湖区 文三路 99 号 2 号仓"
    assert q("SELECT is_sender, is_return, remote_id FROM address WHERE id = ?", new.local_id) == [
        (0, 1, None)
    ]
    addresses.save_return_address(
        address_id=new.local_id, form=addresses.AddressForm(**{**FORM.__dict__, "detail": "文三路 100 号"})
    )
    assert addresses.return_address_form(new.local_id).detail == "文三路 100 号"
    assert [r[0] for r in q("SELECT action FROM audit_log WHERE entity_type = 'address' ORDER BY id")][
        -2:
    ] == [
        "add_return_address",
        "edit_return_address",
    ]


def test_synced_and_bad_return_addresses_are_refused(shop):
    database.execute_sql(
        "INSERT INTO address (id, remote_id, contact_name, phone, province, city, district, detail, "
        "is_sender, is_return, is_default) VALUES (77, 5501, '平台', '13800002222', '浙江省', '杭州市', "
        "'滨江区', '江南大道 1 号', 0, 1, 0)"
    )
    state = db_state(("address", "audit_log"))
    with pytest.raises(NotAllowed, match="商家后台修改"):
        addresses.save_return_address(address_id=77, form=FORM)
    with pytest.raises(ValidationError, match="联系电话"):
        addresses.save_return_address(
            address_id=None, form=addresses.AddressForm(**{**FORM.__dict__, "phone": "12"})
        )
    with pytest.raises(NotAllowed, match="不存在"):
        addresses.save_return_address(address_id=424242, form=FORM)
    assert db_state(("address", "audit_log")) == state
    synced = [a for a in svc.return_addresses() if a.local_id == 77]
    assert synced and synced[0].is_synced and synced[0].id == 5501


def test_agree_return_keeps_the_chosen_address_on_the_case(shop):
    cid, _oid, _sn = local_case(2, 3)
    (chosen,) = [a for a in svc.return_addresses() if a.id == RETURN_ADDRESS]
    svc.agree_return(after_sale_id=cid, return_address_id=RETURN_ADDRESS)
    assert q("SELECT return_address FROM after_sale WHERE id = ?", cid) == [(chosen.text,)]
    assert svc.case_detail(cid).return_address == chosen.text
    # a later edit of the address does not rewrite what the case was agreed with
    database.execute_sql("UPDATE address SET detail = '别处' WHERE id = ?", (chosen.local_id,))
    assert svc.case_detail(cid).return_address == chosen.text


def test_refused_agree_return_keeps_no_address(shop):
    cid, _oid, _sn = local_case(2, 3)
    with pytest.raises(ValidationError, match="退货地址"):
        svc.agree_return(after_sale_id=cid, return_address_id=999)
    assert q("SELECT status, return_address FROM after_sale WHERE id = ?", cid) == [(3, "")]
    assert q("SELECT COUNT(*) FROM outbox") == [(0,)]
