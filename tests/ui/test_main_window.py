"""The shell: navigation by click and by shortcut, remembered state, status bar."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QToolButton

from pdd_desktop.ui.main_window import MainWindow


def _click_nav(qtbot, win: MainWindow, row: int) -> None:
    rect = win.nav.visualItemRect(win.nav.item(row))
    QTest.mouseClick(
        win.nav.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def test_navigation_lists_working_modules_in_product_order(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == [
        "工作台",
        "站内信",
        "客服",
        "发货中心",
        "售后",
        "商品",
        "营销",
        "推广",
        "资金",
        "数据",
        "设置",
    ]
    assert window.current_key() == "home"
    assert window.windowTitle().startswith("拼多多商家桌面助手")


def test_switch_modules_by_click(qtbot, window):
    _click_nav(qtbot, window, window.nav.count() - 1)
    assert window.current_key() == "settings"
    assert window.stack.currentWidget() is window.page("settings")
    assert window.page("settings").isVisible()
    _click_nav(qtbot, window, 0)
    assert window.current_key() == "home"
    assert window.page("home").isVisible() and not window.page("settings").isVisible()


#: The side navigation's module keys, in product order.
NAV_KEYS = [
    "home",
    "messages",
    "cs",
    "orders",
    "after_sales",
    "goods",
    "marketing",
    "ads",
    "funds",
    "data",
    "settings",
]


def test_switch_modules_by_shortcut(qtbot, window):
    # Ctrl+1 … Ctrl+9 open the first nine modules; pressed from the last down to the first.
    assert [window.page_keys()[i] for i in range(len(NAV_KEYS))] == NAV_KEYS
    for n in range(min(9, len(NAV_KEYS)), 0, -1):
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == NAV_KEYS[n - 1]
    if len(NAV_KEYS) < 9:  # a digit without a module changes nothing
        QTest.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == NAV_KEYS[0]


def test_geometry_and_last_module_are_remembered(qtbot, page_ctx, qsettings):
    first = MainWindow(page_ctx, qsettings)
    qtbot.addWidget(first)
    first.show()
    first.resize(1111, 733)
    first.move(QPoint(40, 30))
    first.show_page("settings")
    first.close()
    second = MainWindow(page_ctx, qsettings)
    qtbot.addWidget(second)
    second.show()
    assert second.current_key() == "settings"
    # The offscreen screen is 800 px wide, so the restored width is clamped to the minimum.
    assert second.height() == 733 and second.width() >= 960


def test_status_bar_shows_shop_name_and_order_count(window, demo_shop, page_ctx):
    window.set_order_count(3000)
    # The shop's name, not its data file (the file's path is in 关于/诊断).
    assert window.shop_button.text() == f"店铺：{page_ctx.shop.name}（演示） ▾"
    shown = [w.text() for w in window.statusBar().findChildren(QLabel)]
    shown += [w.text() for w in window.statusBar().findChildren(QToolButton)]
    assert not any(str(demo_shop.db_file) in text or "shop.db" in text for text in shown)
    assert window.orders_label.text() == "订单 3,000"
