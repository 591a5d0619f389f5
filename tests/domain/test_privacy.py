import pytest

from pdd_desktop.domain.privacy import (
    mask_address,
    mask_name,
    mask_phone,
    masked_address,
    masked_street,
    redact_text,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("13812341234", "138****1234"), ("+86 138-1234-1234", "138****1234"), ("021-5555", "***5555")],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_mask_name_and_address():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李"
    masked = mask_address("人民路123号4栋502室")
    assert masked.startswith("人民路") and "502" not in masked


def test_redact_text_masks_every_phone_and_tokens():
    text = "收件人 13912345678 联系 +8615011112222, access_token=abcDEF123&x=1"
    out = redact_text(text)
    assert "13912345678" not in out and "139****5678" in out
    assert "15011112222" not in out and "150****2222" in out
    assert "abcDEF123" not in out
    assert "订单号 261123-123456789012345" == redact_text("订单号 261123-123456789012345")


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("POST http://shopuser:Pa55word@gw.example.com/api/router failed", "Pa55word"),
        ('{"access_token": "AT-123xyz", "x": 1}', "AT-123xyz"),
        ('{"refresh_token":"RT-999abc"}', "RT-999abc"),
        ("{'client_secret': 'S3CR3T-val'}", "S3CR3T-val"),
        ("Authorization: Bearer eyJhbGciOi.abc-def", "eyJhbGciOi"),
        ("header bearer eyJhbGciOi.abc-def", "eyJhbGciOi"),
        ("refresh_token: RT-abc-999 next", "RT-abc-999"),
        ("access_token=abcDEF123&x=1", "abcDEF123"),
        ("应用密钥：appsecret77 授权令牌=tok456xyz", "appsecret77"),
        ("应用密钥：appsecret77 授权令牌=tok456xyz", "tok456xyz"),
        ('"receiver_name": "张三丰", "x": 2', "张三丰"),
        ("收件人：张三丰，电话 1", "张三丰"),
        ('"receiver_address": "人民路123号4栋502室"', "人民路123号4栋502室"),
        ("发往 浙江省金华市义乌市稠城街道宾王路158号3号仓库 的包裹", "宾王路158号"),
        ("发往 人民路123号4栋502室", "502室"),
    ],
)
def test_redact_text_hides_secrets_names_and_addresses_in_every_form(raw, secret):
    out = redact_text(raw)
    assert secret not in out
    assert "***" in out


@pytest.mark.parametrize(
    "raw",
    [
        "电话 １３９１２３４５６７８",
        "电话 008613912345678",
        "电话 0086 139-1234-5678",
        "电话 86-139 1234 5678",
        "电话 +86 13912345678",
        "电话 ＋８６１３９１２３４５６７８",
    ],
)
def test_redact_text_masks_full_width_and_prefixed_phones(raw):
    out = redact_text(raw)
    assert out == "电话 139****5678"


def test_redact_text_keeps_ordinary_log_lines():
    line = "sync failed: 平台限流 (code 10019) stream=orders window 1795435200-1795437000 订单 3,000"
    assert redact_text(line) == line


def test_street_mask_has_a_fixed_width_whatever_the_length():
    assert mask_address("人民路123号4栋502室") == "人民路****"
    assert mask_address("人民路1号") == "人****"
    assert mask_address("1号") == "****"
    assert mask_address("") == ""
    long = "科技园南区高新南七道深圳湾科技生态园10栋A座2301室"
    assert mask_address(long) == mask_address(long[:9]) == "科技园****"


def test_stored_masks_are_cut_to_the_fixed_width():
    # The platform's receiver_address_mask can have any number of stars, or readable bits after them.
    assert masked_street("人民路**********") == "人民路****"
    assert masked_street("人民路**号***室") == "人民路****"
    assert masked_street("", "红星路88号") == "红星****"
    assert masked_street("红星路88号") == "红星****"  # an unmasked value is never shown as it is


def test_masked_address_keeps_the_region_readable():
    text = masked_address("广西壮族自治区", "柳州市", "城中区", "新城街道", "红星*******", "红星路88号")
    assert text == "广西壮族自治区 柳州市 城中区 新城街道 红星****"
    assert (
        masked_address("北京市", "北京市", "朝阳区", "", "", "建国路88号SOHO现代城")
        == "北京市 北京市 朝阳区 建国路****"
    )


def test_masked_receiver_prefers_stored_masks_and_masks_clear_values_itself():
    from pdd_desktop.domain.privacy import masked_receiver

    row = {
        "receiver_name": "张三丰", "receiver_name_mask": "", "receiver_phone": "13812341234",
        "receiver_phone_mask": "", "province": "广东省", "city": "深圳市", "district": "南山区",
        "town": "", "address_mask": "", "address_detail": "科技园南路88号",
    }  # fmt: skip
    assert masked_receiver(row) == f"张** 138****1234 广东省 深圳市 南山区 {mask_address('科技园南路88号')}"
    stored = dict(row, receiver_name_mask="张*", receiver_phone_mask="138****0000", address_mask="科技园***")
    assert masked_receiver(stored).startswith("张* 138****0000 广东省 深圳市 南山区 科技园")
    assert "三丰" not in masked_receiver(stored) and "88" not in masked_receiver(stored)
