"""Label templates: where each field of an e-waybill label goes, read from TOML without code changes.

A template lives in ``resources/templates/<name>.toml``. Every box is ``x``, ``y``, ``w``, ``h`` in
millimetres from the label's top-left corner; font sizes are points. :func:`load_template`
checks every key and reports the first problem as ``file: key: why``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdd_desktop.common.paths import resources_dir

#: Text fields a template may place, and the ones it must place.
TEXT_FIELDS = (
    "courier",
    "service",
    "sort_code",
    "hub",
    "receiver_name",
    "receiver_address",
    "sender_name",
    "sender_address",
    "items",
    "buyer_memo",
    "seller_memo",
    "order_sn",
    "printed_at",
)
REQUIRED_FIELDS = (
    "courier",
    "receiver_name",
    "receiver_address",
    "sender_name",
    "sender_address",
    "order_sn",
)
BARCODES = ("main", "small")
ALIGNS = ("left", "center", "right")
VALIGNS = ("top", "middle", "bottom")
STYLES = ("plain", "inverse", "box")
DEFAULT_TEMPLATE = "label_76x130"
MIN_FONT_PT = 4.0


class TemplateError(ValueError):
    """A label template that cannot be used; the message names the file, the key and the reason."""


@dataclass(frozen=True)
class TextBox:
    """A text field: box in mm, font size range in pt, alignment, optional prefix."""

    x: float
    y: float
    w: float
    h: float
    size: float
    min_size: float
    bold: bool = False
    align: str = "left"
    valign: str = "top"
    max_lines: int = 0
    prefix: str = ""


@dataclass(frozen=True)
class BarcodeBox:
    """A Code128 of the tracking number: bars ``h`` mm high, digits ``text_h`` mm below them."""

    x: float
    y: float
    w: float
    h: float
    text_size: float = 0.0
    text_h: float = 0.0


@dataclass(frozen=True)
class QrBox:
    """A square QR code of the tracking number, ``size`` mm wide."""

    x: float
    y: float
    size: float


@dataclass(frozen=True)
class StaticText:
    """Fixed text printed on every label (e.g. the 收 / 寄 marks), ``style`` plain, inverse or box."""

    text: str
    box: TextBox
    style: str = "plain"


@dataclass(frozen=True)
class Rule:
    """A thin separating line from (x1, y1) to (x2, y2) in mm."""

    x1: float
    y1: float
    x2: float
    y2: float
    width_pt: float = 0.6
    dashed: bool = False


@dataclass(frozen=True)
class LabelTemplate:
    """A whole label layout (see ``resources/templates/label_76x130.toml`` for every key)."""

    name: str
    width_mm: float
    height_mm: float
    fields: Mapping[str, TextBox]
    barcodes: Mapping[str, BarcodeBox]
    qr: QrBox | None = None
    statics: tuple[StaticText, ...] = ()
    rules: tuple[Rule, ...] = ()
    dpi: int = 203
    leading: float = 1.15
    border: bool = False
    source: str = ""


def templates_dir() -> Path:
    """The folder holding the shipped label templates."""
    return resources_dir() / "templates"


def available_templates() -> list[str]:
    """Names of the shipped label templates (``label_76x130``, ``label_100x150``...)."""
    return sorted(p.stem for p in templates_dir().glob("label_*.toml"))


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, why: str) -> TemplateError:
        return TemplateError(f"{self.source}：{key}：{why}")

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        v = data.get(key)
        if not isinstance(v, dict):
            raise self.fail(f"{path}{key}", "缺少这一节（应为 TOML 表）" if v is None else "应为 TOML 表")
        return v

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: float | None = None,
        positive: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        full = f"{path}{key}"
        if key not in data:
            if default is None:
                raise self.fail(full, "缺少这个键")
            return default
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(full, f"应为数字（现在是 {v!r}）")
        v = float(v)
        if positive and v <= 0:
            raise self.fail(full, f"必须大于 0（现在是 {v:g}）")
        if minimum is not None and v < minimum:
            raise self.fail(full, f"不能小于 {minimum:g}（现在是 {v:g}）")
        if maximum is not None and v > maximum:
            raise self.fail(full, f"不能大于 {maximum:g}（现在是 {v:g}）")
        return v

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, options: tuple[str, ...], default: str
    ) -> str:
        v = data.get(key, default)
        if v not in options:
            raise self.fail(f"{path}{key}", f"应为 {' / '.join(options)} 之一（现在是 {v!r}）")
        return v

    def boolean(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        v = data.get(key, default)
        if not isinstance(v, bool):
            raise self.fail(f"{path}{key}", f"应为 true 或 false（现在是 {v!r}）")
        return v

    def string(self, data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
        if key not in data and default is not None:
            return default
        v = data.get(key)
        if not isinstance(v, str):
            raise self.fail(f"{path}{key}", "缺少这个键" if v is None else f"应为字符串（现在是 {v!r}）")
        return v

    def unknown(self, data: Mapping[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(f"{path}{key}", f"未知的键（可用：{', '.join(allowed)}）")

    def inside(self, path: str, x: float, y: float, w: float, h: float, page_w: float, page_h: float) -> None:
        if x + w > page_w + 1e-6:
            raise self.fail(f"{path}w", f"超出面单右边（x + w = {x + w:g} mm > 宽 {page_w:g} mm）")
        if y + h > page_h + 1e-6:
            raise self.fail(f"{path}h", f"超出面单下边（y + h = {y + h:g} mm > 高 {page_h:g} mm）")


_BOX_KEYS = ("x", "y", "w", "h")
_TEXT_KEYS = (*_BOX_KEYS, "size", "min_size", "bold", "align", "valign", "max_lines", "prefix")


def _box(c: _Checker, t: Mapping[str, Any], path: str, pw: float, ph: float) -> tuple[float, ...]:
    x = c.number(t, "x", path, minimum=0)
    y = c.number(t, "y", path, minimum=0)
    w = c.number(t, "w", path, positive=True)
    h = c.number(t, "h", path, positive=True)
    c.inside(path, x, y, w, h, pw, ph)
    return x, y, w, h


def _text_box(
    c: _Checker, t: Mapping[str, Any], path: str, pw: float, ph: float, extra: tuple[str, ...] = ()
):
    c.unknown(t, path, (*_TEXT_KEYS, *extra))
    x, y, w, h = _box(c, t, path, pw, ph)
    size = c.number(t, "size", path, minimum=MIN_FONT_PT, maximum=96)
    min_size = c.number(t, "min_size", path, default=size, minimum=MIN_FONT_PT, maximum=size)
    max_lines = t.get("max_lines", 0)
    if isinstance(max_lines, bool) or not isinstance(max_lines, int) or max_lines < 0:
        raise c.fail(f"{path}max_lines", f"应为不小于 0 的整数（0 表示不限，现在是 {max_lines!r}）")
    # One line at the minimum size must fit the box height (1 pt = 0.3528 mm).
    if min_size * 0.3528 > h + 1e-6:
        raise c.fail(f"{path}h", f"放不下一行 {min_size:g} pt 的字（至少 {min_size * 0.3528:.1f} mm）")
    return TextBox(
        x=x,
        y=y,
        w=w,
        h=h,
        size=size,
        min_size=min_size,
        bold=c.boolean(t, "bold", path, False),
        align=c.choice(t, "align", path, ALIGNS, "left"),
        valign=c.choice(t, "valign", path, VALIGNS, "top"),
        max_lines=max_lines,
        prefix=c.string(t, "prefix", path, ""),
    )


def parse_template(data: Mapping[str, Any], source: str = "<template>") -> LabelTemplate:
    """Validate parsed TOML and build a :class:`LabelTemplate`.

    Raises:
        TemplateError: naming the first wrong key and why.
    """
    c = _Checker(source)
    c.unknown(
        data,
        "",
        (
            "name",
            "width_mm",
            "height_mm",
            "dpi",
            "leading",
            "border",
            "fields",
            "barcodes",
            "qr",
            "static",
            "rule",
        ),
    )
    name = c.string(data, "name", "", source)
    pw = c.number(data, "width_mm", "", minimum=20, maximum=300)
    ph = c.number(data, "height_mm", "", minimum=20, maximum=400)
    dpi = c.number(data, "dpi", "", default=203, minimum=72, maximum=1200)
    leading = c.number(data, "leading", "", default=1.15, minimum=0.9, maximum=3)

    fields_t = c.table(data, "fields", "")
    c.unknown(fields_t, "fields.", TEXT_FIELDS)
    for req in REQUIRED_FIELDS:
        if req not in fields_t:
            raise c.fail(f"fields.{req}", "缺少这个必需的字段")
    fields: dict[str, TextBox] = {}
    for key in TEXT_FIELDS:
        if key in fields_t:
            fields[key] = _text_box(c, c.table(fields_t, key, "fields."), f"fields.{key}.", pw, ph)

    codes_t = c.table(data, "barcodes", "")
    c.unknown(codes_t, "barcodes.", BARCODES)
    c.table(codes_t, "main", "barcodes.")
    barcodes: dict[str, BarcodeBox] = {}
    for key in BARCODES:
        if key not in codes_t:
            continue
        path = f"barcodes.{key}."
        t = c.table(codes_t, key, "barcodes.")
        c.unknown(t, path, (*_BOX_KEYS, "text_size", "text_h"))
        x, y, w, h = _box(c, t, path, pw, ph)
        text_h = c.number(t, "text_h", path, default=0, minimum=0)
        text_size = c.number(t, "text_size", path, default=0, minimum=0, maximum=48)
        if text_size and text_size < MIN_FONT_PT:
            raise c.fail(f"{path}text_size", f"不能小于 {MIN_FONT_PT:g}（0 表示不印数字）")
        if text_size and not text_h:
            raise c.fail(f"{path}text_h", "印数字（text_size > 0）时需要数字行的高度")
        c.inside(path, x, y, w, h + text_h, pw, ph)
        if w < 20:
            raise c.fail(f"{path}w", f"条码太窄，至少 20 mm 才能扫描（现在是 {w:g}）")
        barcodes[key] = BarcodeBox(x, y, w, h, text_size, text_h)

    qr = None
    if "qr" in data:
        t = c.table(data, "qr", "")
        c.unknown(t, "qr.", ("x", "y", "size"))
        x = c.number(t, "x", "qr.", minimum=0)
        y = c.number(t, "y", "qr.", minimum=0)
        size = c.number(t, "size", "qr.", minimum=8)
        c.inside("qr.", x, y, size, size, pw, ph)
        qr = QrBox(x, y, size)

    statics: list[StaticText] = []
    raw_statics = data.get("static", [])
    if not isinstance(raw_statics, list):
        raise c.fail("static", "应为 [[static]] 表数组")
    for i, t in enumerate(raw_statics):
        path = f"static[{i}]."
        if not isinstance(t, dict):
            raise c.fail(f"static[{i}]", "应为表")
        box = _text_box(c, t, path, pw, ph, extra=("text", "style"))
        statics.append(
            StaticText(c.string(t, "text", path), box, c.choice(t, "style", path, STYLES, "plain"))
        )

    rules: list[Rule] = []
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise c.fail("rule", "应为 [[rule]] 表数组")
    for i, t in enumerate(raw_rules):
        path = f"rule[{i}]."
        if not isinstance(t, dict):
            raise c.fail(f"rule[{i}]", "应为表")
        c.unknown(t, path, ("x1", "y1", "x2", "y2", "width_pt", "dashed"))
        x1 = c.number(t, "x1", path, minimum=0, maximum=pw)
        y1 = c.number(t, "y1", path, minimum=0, maximum=ph)
        x2 = c.number(t, "x2", path, minimum=0, maximum=pw)
        y2 = c.number(t, "y2", path, minimum=0, maximum=ph)
        width_pt = c.number(t, "width_pt", path, default=0.6, positive=True, maximum=5)
        rules.append(Rule(x1, y1, x2, y2, width_pt, c.boolean(t, "dashed", path, False)))

    return LabelTemplate(
        name=name,
        width_mm=pw,
        height_mm=ph,
        fields=fields,
        barcodes=barcodes,
        qr=qr,
        statics=tuple(statics),
        rules=tuple(rules),
        dpi=int(dpi),
        leading=leading,
        border=c.boolean(data, "border", "", False),
        source=source,
    )


def load_template(name_or_path: str | Path = DEFAULT_TEMPLATE) -> LabelTemplate:
    """Load and validate a template: a shipped name (``label_100x150``) or a path to a TOML file.

    Raises:
        TemplateError: when the file is missing, is not valid TOML, or a key is wrong.
    """
    p = Path(name_or_path)
    if p.suffix != ".toml":
        p = templates_dir() / f"{name_or_path}.toml"
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{p.name}：无法读取模板文件（{exc.strerror or exc}）") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{p.name}：不是有效的 TOML（{exc}）") from exc
    return parse_template(data, p.name)
