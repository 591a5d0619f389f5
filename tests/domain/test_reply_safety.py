"""The reply safety check: a table of phrases the platform punishes and phrases that are fine."""

from __future__ import annotations

import pytest

from pdd_desktop.domain.reply_safety import Rule, check_reply, describe

P, W, Q, L, OFF, C, X = (
    Rule.PHONE,
    Rule.WECHAT,
    Rule.QQ,
    Rule.QR_LINK,
    Rule.OFF_SITE,
    Rule.CASHBACK,
    Rule.PLATFORM,
)

#: (text, the rules found, the matched original text of the first finding or None)
CAUGHT = [
    ("有问题打我电话13912345678", {P}, "13912345678"),
    ("电话 139 1234 5678 随时联系", {P}, "139 1234 5678"),
    ("号码139-1234-5678", {P}, "139-1234-5678"),
    ("手机：１３９１２３４５６７８", {P}, "１３９１２３４５６７８"),  # full-width digits
    ("打 1 3 9 1 2 3 4 5 6 7 8", {P}, "1 3 9 1 2 3 4 5 6 7 8"),
    ("一三九一二三四五六七八 找我", {P}, "一三九一二三四五六七八"),  # Chinese numerals
    ("幺三九.一二三四.五六七八", {P}, "幺三九.一二三四.五六七八"),
    ("座机0571-88886666", {P}, "0571-88886666"),
    ("1391234\u200b5678", {P}, "1391234\u200b5678"),  # a zero-width space inside
    ("加我微信发你图片", {W}, "微信"),
    ("加我威信吧", {W}, "威信"),
    ("微 信 聊", {W}, "微 信"),
    ("加V详聊", {W}, "加V"),
    ("ＶＸ：abc123", {W}, "ＶＸ"),  # full-width letters
    ("v x 同号", {W}, "v x"),
    ("wx号是shop001", {W}, "wx"),
    ("加我 wei xin 吧", {W}, "wei xin"),
    ("我的薇信是多少", {W}, "薇信"),
    ("QQ 123456789 联系", {Q}, "QQ 123456789"),
    ("扣扣：8 8 6 6 5 5", {Q}, "扣扣：8 8 6 6 5 5"),
    ("加QQ群领券", {Q}, "加QQ群"),
    ("扫描二维码关注", {L}, "二维码"),
    ("扫一扫领取优惠", {L}, "扫一扫"),
    ("详情见 www.example.com", {L}, "www.example.com"),
    ("打开https://t.cn/abc", {L}, "https:"),
    ("去 shop-abc.top 看看", {L}, "shop-abc.top"),
    ("我们可以私下交易更便宜", {OFF}, "私下交易"),
    ("好评返现5元", {C}, "好评返现"),
    ("五星好评送小礼品", {C}, "五星好评送"),
    ("晒图返2元红包", {C}, "晒图返"),
    ("给个好评截图发我有红包", {C}, "好评截图发我有红包"),
    ("返 现 三元", {C}, "返 现"),
    ("淘宝上也有卖", {X}, "淘宝"),
    ("我们京东店更便宜", {X}, "京东"),
    ("抖 音 搜我们店", {X}, "抖 音"),
    ("天猫同款", {X}, "天猫"),
    ("TAOBAO 搜索", {X}, "TAOBAO"),
    ("加微信13912345678返现", {W, P, C}, "微信"),
    ("1688 上进货更便宜", {X}, "1688"),
    ("阿里1688同款", {X}, "1688"),
]

#: Texts a merchant sends every day: nothing may be found in them.
SAFE = [
    "亲，您的订单 261123-000000000000001 已发货",
    "快递单号 YT1391234567890，圆通速递",
    "中通快递 731234567890，请注意查收",
    "预计 12月13日 发货，给您带来不便非常抱歉",
    "商品已经打包好了，今天下午 4 点前发出",
    "退款金额 13.90 元已原路退回",
    "京东快递配送，次日达",
    "期待您的好评，我们会尽快送货",
    "好评，送货很快",
    "亲，这款是纯棉的，尺码偏大一码",
    "快递员还没有扫码揽收，我们帮您催一下",
    "QQ糖两包装，现货",
    "您的退货地址：浙江省 杭州市 余杭区 文一西路 1 号，王发货收",
    "订单号 261207-139123456789012 已经安排",
    "数量 2 件，共 59.80 元",
    "请在平台内申请售后，我们会第一时间处理",
    "发货时间 2026-12-07 13:45，今天已发出",
    # Found filling the templates from every demo order: the JD courier's name, and 1688 inside
    # order and tracking numbers.
    "亲，您的订单已由 京东配送 发出，快递单号 JDVA07019921250",
    "亲，您的订单 260121-168872090853827 售后状态：暂无售后",
    "订单 251116-880000000000001 已发货",
    "快递单号 75316880123456",
]


@pytest.mark.parametrize(("text", "rules", "first"), CAUGHT)
def test_caught(text: str, rules: set[Rule], first: str) -> None:
    findings = check_reply(text)
    assert {f.rule for f in findings} == rules, [(f.rule, f.text) for f in findings]
    assert findings[0].text == first
    for f in findings:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize("text", SAFE)
def test_not_caught(text: str) -> None:
    assert check_reply(text) == (), [(f.rule, f.text) for f in check_reply(text)]


def test_table_size() -> None:
    assert len(CAUGHT) + len(SAFE) >= 40


def test_overlapping_views_make_one_finding() -> None:
    findings = check_reply("微信微信")
    assert [(f.start, f.end) for f in findings] == [(0, 4)]


def test_describe_names_rule_and_reason() -> None:
    (line,) = describe(check_reply("加V详聊"))
    assert line.startswith("「加V」 微信号或其变体：")
