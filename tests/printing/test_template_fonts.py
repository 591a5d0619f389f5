import tomllib
from pathlib import Path

import pytest

from pdd_desktop.printing import TemplateError, find_font, load_template
from pdd_desktop.printing.fonts import FALLBACK_FONT
from pdd_desktop.printing.template import parse_template, templates_dir
from pdd_desktop.printing.textfit import ELLIPSIS, fit_text, wrap


def _data() -> dict:
    return tomllib.loads((templates_dir() / "label_76x130.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "key", "why"),
    [
        (lambda d: d["fields"]["courier"].update(w=-1), "fields.courier.w", "大于 0"),
        (lambda d: d["fields"]["courier"].update(x=70), "fields.courier.w", "超出面单右边"),
        (
            lambda d: d["fields"]["receiver_address"].update(size="big"),
            "fields.receiver_address.size",
            "数字",
        ),
        (lambda d: d["fields"]["sender_name"].update(min_size=20), "fields.sender_name.min_size", "不能大于"),
        (lambda d: d["fields"]["hub"].update(align="middle"), "fields.hub.align", "left / center / right"),
        (lambda d: d["fields"]["hub"].update(colour=1), "fields.hub.colour", "未知的键"),
        (lambda d: d["fields"].pop("order_sn"), "fields.order_sn", "必需"),
        (lambda d: d["fields"].update(recever_name={}), "fields.recever_name", "未知的键"),
        (lambda d: d["barcodes"].pop("main"), "barcodes.main", "缺少"),
        (lambda d: d["barcodes"]["main"].update(h=200), "barcodes.main.h", "超出面单下边"),
        (lambda d: d["qr"].update(size=2), "qr.size", "不能小于"),
        (lambda d: d["rule"][0].update(x2=500), "rule[0].x2", "不能大于"),
        (lambda d: d["fields"]["items"].update(h=1), "fields.items.h", "放不下一行"),
        (lambda d: d.pop("width_mm"), "width_mm", "缺少"),
    ],
)
def test_template_errors_name_key_and_reason(mutate, key, why):
    data = _data()
    mutate(data)
    with pytest.raises(TemplateError) as exc:
        parse_template(data, "t.toml")
    msg = str(exc.value)
    assert msg.startswith(f"t.toml：{key}："), msg
    assert why in msg


def test_template_file_errors(tmp_path: Path):
    with pytest.raises(TemplateError, match="无法读取"):
        load_template(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("width_mm = [", encoding="utf-8")
    with pytest.raises(TemplateError, match="不是有效的 TOML"):
        load_template(bad)


def test_wrap_cjk_latin_and_punctuation():
    font = find_font().name
    lines = wrap("浙江省杭州市西湖区文三路478号，华星时代广场", font, 9 * 1.0 * 10)
    assert all(lines)
    assert not any(line.startswith("，") for line in lines)
    assert "".join(lines).replace(" ", "") == "浙江省杭州市西湖区文三路478号，华星时代广场"
    assert "478" in "".join(lines)


def test_fit_truncates_at_min_size():
    font = find_font().name
    f = fit_text("很长的地址" * 40, font, 100, 20, 12, 8)
    assert f.truncated and f.size == 8 and f.lines[-1].endswith(ELLIPSIS)
    assert f.height <= 20
    f2 = fit_text("短", font, 100, 20, 12, 8)
    assert f2.size == 12 and not f2.truncated


def test_font_user_path_fallbacks(tmp_path: Path):
    bogus = tmp_path / "nope.ttf"
    bogus.write_bytes(b"not a font")
    choice = find_font(bogus)
    assert choice.warning and "nope.ttf" in choice.warning
    assert find_font(bogus) is choice  # cached


def test_font_cid_fallback(monkeypatch):
    import pdd_desktop.printing.fonts as fonts

    monkeypatch.setattr(fonts, "candidate_fonts", lambda: [])
    monkeypatch.setattr(fonts, "_cache", {})
    choice = fonts.find_font()
    assert choice.name == FALLBACK_FONT and not choice.embedded and choice.warning
