"""Sealed sandbox waybills and a running fake print component, for the print-component tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pdd_desktop.platform.print_component import SenderAddress
from pdd_desktop.sandbox.print_component import FakePrintComponent
from pdd_desktop.sandbox.waybill_print import seal, standard_template_url
from pdd_desktop.services.cloud_print import PrintableWaybill

SECRET = "sandbox-secret-for-tests-0000000"
CUSTOM_TEMPLATE = "https://sandbox.pdd-desktop.invalid/cloudprint/custom/pdd-desktop-items.xml"
SENDER = SenderAddress(
    "小王的店", "13911112222", province="浙江省", city="金华市", district="义乌市", detail="稠州北路 1 号"
)


def waybill_dict(i: int) -> dict:
    """The clear waybill the sandbox platform would seal for label ``i``."""
    return {
        "waybill_code": f"YT{7_000_000_000_000 + i}",
        "wp_code": "YTO",
        "sort_code": f"310-A{i % 90 + 10} {i % 7:02d}",
        "hub": "杭州转运中心",
        "parent_waybill_code": "",
        "object_id": str(i),
        "order_sns": [f"261123-{100000 + i}"],
        "items": [{"name": "纯棉短袖T恤", "count": 1 + i % 3}],
        "recipient": {
            "name": f"收件人{i}",
            "mobile": f"138{i:08d}",
            "phone": "",
            "address": {
                "province": "四川省",
                "city": "成都市",
                "district": "武侯区",
                "town": "",
                "detail": f"人民南路四段 {i} 号",
            },
        },
        "sender": {
            "name": "平台里的寄件人",
            "mobile": "13000000000",
            "phone": "",
            "address": {
                "province": "广东省",
                "city": "深圳市",
                "district": "南山区",
                "town": "",
                "detail": "科苑路 15 号",
            },
        },
    }


def printable(i: int, *, secret: str = SECRET, template: str | None = None) -> PrintableWaybill:
    """Label ``i`` as the app would hold it after ``pdd.waybill.get``."""
    wb = waybill_dict(i)
    print_data = seal(secret, wb, template or standard_template_url("YTO"))
    return PrintableWaybill(
        order_ids=(1000 + i,),
        waybill_code=wb["waybill_code"],
        print_data=print_data,
        sender=SENDER,
        custom={
            "order_sn": wb["order_sns"][0],
            "items": [{"name": "纯棉短袖T恤 白/L", "count": 1}],
            "memo": "加急",
        },
    )


@contextmanager
def fake_component(out: Path, *, secret: str = SECRET) -> Iterator[FakePrintComponent]:
    """A fake component on a free port writing into ``out``."""
    fake = FakePrintComponent(secret, out)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
