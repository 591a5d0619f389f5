import pytest

from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone, redact_text


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
