"""Chart panels of the 数据 module: a titled card with a pyqtgraph plot, hover read-out, clicks,
export buttons and loading / empty states.

A panel draws *categories* (days, goods, segments …) at x (or y, for horizontal bars) = 0, 1, 2 …;
hovering shows the category's read-out text above the plot, a click emits its index. Public
children: ``plot`` (the PlotItem), ``readout``, ``png_button``, ``data_button``, ``state_label``.
"""  # noqa: D205

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.theme import TOKENS
from pdd_desktop.ui.widgets.charts import pg

#: Series colours after the accent: the app's palette.
SERIES = (TOKENS["accent"], "#2563eb", TOKENS["warning"], TOKENS["ok"], TOKENS["muted"])
LOADING, EMPTY, READY = "loading", "empty", "ready"


def short(text: str, n: int = 12) -> str:
    """``text`` cut to ``n`` characters with an ellipsis (axis labels)."""
    return text if len(text) <= n else text[: n - 1] + "…"


class ChartPanel(QFrame):
    """One chart card.

    Signals:
        clicked(int): a category was clicked (only when :attr:`clickable`).
        png_requested / data_requested: the export buttons.
    """

    clicked = Signal(int)
    png_requested = Signal()
    data_requested = Signal()

    def __init__(self, title: str, *, left: str = "", bottom: str = "", horizontal: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("Card")
        self.horizontal = horizontal
        self.clickable = False
        #: What is drawn, for tests and the read-out: category labels and their read-out texts.
        self.categories: list[str] = []
        self.readouts: list[str] = []
        #: Drawn series: name → values (in the plot's units).
        self.series: dict[str, list[float]] = {}
        self.state = LOADING
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setObjectName("SectionTitle")
        head.addWidget(self.title_label)
        head.addStretch(1)
        self.png_button = QToolButton()
        self.png_button.setText(tr("导出图片"))
        self.png_button.setToolTip(tr("把这张图保存为 PNG 图片"))
        self.data_button = QToolButton()
        self.data_button.setText(tr("导出数据"))
        self.data_button.setToolTip(tr("把这张图的数据保存为 CSV 或 Excel 文件"))
        head.addWidget(self.png_button)
        head.addWidget(self.data_button)
        layout.addLayout(head)
        self.readout = QLabel(" ")
        self.readout.setObjectName("Muted")
        layout.addWidget(self.readout)
        self.stack = QStackedWidget()
        self.widget = pg.PlotWidget(background=TOKENS["card"])
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        self.state_label = QLabel(tr("正在加载…"))
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setWordWrap(True)  # a reason, not only 没有数据, fits a half-width card
        self.state_label.setObjectName("Muted")
        self.stack.addWidget(self.widget)
        self.stack.addWidget(self.state_label)
        self.stack.setCurrentWidget(self.state_label)
        layout.addWidget(self.stack, 1)
        self._style_plot(left, bottom)
        self.png_button.clicked.connect(self.png_requested)
        self.data_button.clicked.connect(self.data_requested)
        self.widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.widget.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self._set_buttons()

    def _style_plot(self, left: str, bottom: str) -> None:
        p = self.plot
        p.setMenuEnabled(False)
        p.setMouseEnabled(x=False, y=False)
        p.hideButtons()
        p.showGrid(x=self.horizontal, y=not self.horizontal, alpha=0.15)
        pen = pg.mkPen(TOKENS["muted"])
        for axis in ("left", "bottom"):
            p.getAxis(axis).setPen(pen)
            p.getAxis(axis).setTextPen(pen)
        if left:
            p.setLabel("left", left, color=TOKENS["muted"])
        if bottom:
            p.setLabel("bottom", bottom, color=TOKENS["muted"])
        p.getAxis("left").setWidth(150 if self.horizontal else 64)

    def _set_buttons(self) -> None:
        ready = self.state == READY
        self.png_button.setEnabled(ready)
        self.data_button.setEnabled(ready)

    # --- states ---
    def set_loading(self) -> None:
        """Show 正在加载… (the old chart stays until the answer arrives when it was ready)."""
        if self.state != READY:
            self.state_label.setText(tr("正在加载…"))
            self.stack.setCurrentWidget(self.state_label)
        self.readout.setText(tr("正在更新…") if self.state == READY else " ")

    def set_empty(self, message: str) -> None:
        """No data: the message instead of the plot."""
        self.state = EMPTY
        self.plot.clear()
        self.categories, self.readouts, self.series = [], [], {}
        self.state_label.setText(message)
        self.stack.setCurrentWidget(self.state_label)
        self.readout.setText(" ")
        self._set_buttons()

    def _ready(self, categories: Sequence[str], readouts: Sequence[str], hint: str) -> None:
        self.state = READY
        self.categories, self.readouts = list(categories), list(readouts)
        self.stack.setCurrentWidget(self.widget)
        self.readout.setText(hint)
        self._hint = hint
        self._set_buttons()

    # --- drawing ---
    def _ticks(self, labels: Sequence[str], max_ticks: int) -> list[tuple[int, str]]:
        step = max(1, -(-len(labels) // max_ticks))
        return [(i, label) for i, label in enumerate(labels) if i % step == 0]

    def set_bars(self, labels: Sequence[str], bars: Sequence[tuple[str, Sequence[float]]], *,
                 readouts: Sequence[str], lines: Sequence[tuple[str, Sequence[float]]] = (),
                 stacked: bool = False, hint: str = "", ticks: Sequence[str] | None = None,
                 ) -> None:  # fmt: skip
        """Bars (side by side, or stacked) per category, optional lines over them.

        ``ticks``: shorter axis labels than the category names (the read-outs keep the names).
        """
        p = self.plot
        p.clear()
        self.series = {}
        n = len(labels)
        xs = np.arange(n, dtype=float)
        base = np.zeros(n)
        width = 0.7 if stacked or len(bars) <= 1 else 0.7 / len(bars)
        if p.legend is None and len(bars) + len(lines) > 1:
            p.addLegend(offset=(-10, 5), labelTextColor=TOKENS["muted"])
        for k, (name, values) in enumerate(bars):
            v = np.asarray(values, dtype=float)
            self.series[name] = list(values)
            color = SERIES[k % len(SERIES)]
            if self.horizontal:
                item = pg.BarGraphItem(x0=base, y=xs, height=width, width=v, brush=color, pen=None, name=name)
            elif stacked:
                item = pg.BarGraphItem(x=xs, y0=base, height=v, width=width, brush=color, pen=None, name=name)
            else:
                offset = (k - (len(bars) - 1) / 2) * width
                item = pg.BarGraphItem(x=xs + offset, height=v, width=width, brush=color, pen=None, name=name)
            p.addItem(item)
            if stacked:
                base = base + v
        for k, (name, values) in enumerate(lines):
            self.series[name] = list(values)
            color = SERIES[(len(bars) + k) % len(SERIES)]
            p.plot(
                xs, np.asarray(values, dtype=float), pen=pg.mkPen(color, width=2), name=name,
                symbol="o" if n <= 40 else None, symbolSize=4, symbolBrush=color, symbolPen=None,
            )  # fmt: skip
        axis = p.getAxis("left" if self.horizontal else "bottom")
        axis.setTicks([self._ticks(labels if ticks is None else ticks, 30 if self.horizontal else 8)])
        if self.horizontal:
            p.getAxis("bottom").setTicks(None)
            p.invertY(True)  # the first category on top
            p.setYRange(-0.6, n - 0.4, padding=0)
        else:
            p.setXRange(-0.6, n - 0.4, padding=0)
        tops = [float(base.max())] if stacked and n else []
        tops += [max((float(x) for x in vals), default=0.0) for _name, vals in (*bars, *lines)]
        top = max(tops, default=0.0) * 1.08 or 1.0
        if self.horizontal:
            p.setXRange(0, top, padding=0)
        else:
            p.setYRange(0, top, padding=0)  # amounts start at zero
        self._ready(labels, readouts, hint)

    def set_heat(self, rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[int]], *,
                 readouts: Sequence[str], hint: str = "") -> None:  # fmt: skip
        """A heat map: ``values[r][c]``; categories are cells in row-major order."""
        p = self.plot
        p.clear()
        data = np.asarray(values, dtype=float)
        self.series = {"heat": [float(x) for x in data.ravel()]}
        img = pg.ImageItem(data.T)  # ImageItem's first axis is x
        top = float(data.max()) or 1.0
        cmap = pg.ColorMap([0.0, 1.0], [pg.mkColor("#fff5f4"), pg.mkColor(TOKENS["accent"])])
        img.setLookupTable(cmap.getLookupTable(nPts=256))
        img.setLevels((0, top))
        p.addItem(img)
        p.invertY(True)
        p.getAxis("left").setTicks([[(r + 0.5, label) for r, label in enumerate(rows)]])
        p.getAxis("bottom").setTicks([[(c + 0.5, label) for c, label in enumerate(cols) if c % 2 == 0]])
        p.setXRange(0, len(cols), padding=0)
        p.setYRange(0, len(rows), padding=0)
        self._heat_shape = (len(rows), len(cols))
        self._ready([f"{r}{c}" for r in rows for c in cols], readouts, hint)

    # --- hover and click ---
    def index_at_view(self, x: float, y: float) -> int | None:
        """The category under view coordinates (x, y), or None."""
        if self.state != READY or not self.categories:
            return None
        if "heat" in self.series:
            rows, cols = self._heat_shape
            r, c = int(np.floor(y)), int(np.floor(x))
            return r * cols + c if 0 <= r < rows and 0 <= c < cols else None
        i = round(y if self.horizontal else x)
        return i if 0 <= i < len(self.categories) else None

    def index_at_scene(self, pos: QPointF) -> int | None:
        """The category under a scene position (the mouse), or None."""
        if not self.plot.sceneBoundingRect().contains(pos):
            return None
        point = self.plot.vb.mapSceneToView(pos)
        return self.index_at_view(point.x(), point.y())

    def _on_mouse_moved(self, pos: QPointF) -> None:
        i = self.index_at_scene(pos)
        if i is not None:
            self.readout.setText(self.readouts[i])
        elif self.state == READY:
            self.readout.setText(getattr(self, "_hint", " ") or " ")

    def _on_mouse_clicked(self, event) -> None:
        if not self.clickable or event.button() != Qt.MouseButton.LeftButton:
            return
        i = self.index_at_scene(event.scenePos())
        if i is not None:
            self.clicked.emit(i)

    def render_png(self, caption: str = ""):
        """The chart as a QImage (pyqtgraph's exporter), for saving off the UI thread.

        Args:
            caption: Drawn above the plot in the picture only (what and which dates: a picture
                sent on has no card title around it).
        """
        from pyqtgraph.exporters import ImageExporter

        if caption:
            self.plot.setTitle(caption, color=TOKENS["text"])
            self.plot.layout.activate()  # the title row gets its height before the picture is taken
        try:
            exporter = ImageExporter(self.plot)
            exporter.parameters()["width"] = max(800, int(self.plot.sceneBoundingRect().width()) * 2)
            return exporter.export(toBytes=True)
        finally:
            if caption:
                self.plot.setTitle(None)
                self.plot.layout.activate()
