"""Chinese everywhere, through Qt's translation functions (issue 13).

Every Chinese text of the UI goes through ``ui/i18n.tr`` or is marked with ``QT_TR_NOOP``, Qt's
extractor finds every one of them, the committed catalogue is current, and a translator
installed at run time reaches the navigation, the buttons and the module-level tables.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QPushButton

from pdd_desktop.ui import i18n
from pdd_desktop.ui.dialogs.error import ErrorDialog
from pdd_desktop.ui.dialogs.import_dialog import ImportDialog, batch_state_text
from pdd_desktop.ui.i18n import CONTEXT, tr
from pdd_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pdd_desktop"
CATALOGUE = ROOT / "resources" / "i18n" / "pdd_desktop_en.ts"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
TRANSLATION_CALLS = {"tr", "QT_TR_NOOP"}
LOG_OBJECTS = {"log", "logger", "logging"}
HORIZONTAL = Qt.Orientation.Horizontal

#: Files left out of the conversion for now, with the reason.
EXCLUDED_FILES: set[str] = set()

#: Chinese literals that are data, not text shown: (file, text) -> why.
DATA_STRINGS = {
    ("pdd_desktop/ui/pages/orders/invoice_dialog.py", "发票抬头"): "field name of services' ValidationError",
    ("pdd_desktop/ui/pages/orders/invoice_dialog.py", "税号"): "field name of services' ValidationError",
    ("pdd_desktop/ui/pages/orders/invoice_dialog.py", "邮箱"): "field name of services' ValidationError",
    ("pdd_desktop/ui/pages/orders/invoice_dialog.py", "开票金额"): "field name of services' ValidationError",
    ("pdd_desktop/ui/pages/orders/detail.py", "无物流"): "compared with the package kind label from services",
}


def _sources() -> list[Path]:
    """The files Qt's extractor reads: ``ui/`` and ``app.py`` (the Makefile's list)."""
    return [*sorted(PACKAGE.joinpath("ui").rglob("*.py")), PACKAGE / "app.py"]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        n.body[0].value
        for n in ast.walk(tree)
        if isinstance(n, kinds) and n.body and isinstance(n.body[0], ast.Expr)
        if isinstance(n.body[0].value, ast.Constant)
    }


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        return func.id if isinstance(func, ast.Name) else None
    return None


def _in_log_call(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in LOG_OBJECTS:
                return True
    return False


def _scan(path: Path) -> tuple[list[str], set[str]]:
    """Problems in one file, and the texts it marks for translation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = _docstrings(tree)
    problems: list[str] = []
    marked: set[str] = set()
    for node in ast.walk(tree):
        parent = parents.get(node)
        if _call_name(node) in TRANSLATION_CALLS:
            arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                marked.add(arg.value)
            elif _call_name(node) == "QT_TR_NOOP" or isinstance(arg, ast.JoinedStr):
                problems.append(f"{_rel(path)}:{node.lineno}: translation call without one plain literal")
        if isinstance(node, ast.JoinedStr):
            texts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            if any(CJK.search(t) for t in texts) and not _in_log_call(node, parents):
                problems.append(f"{_rel(path)}:{node.lineno}: Chinese f-string (use tr('…{{name}}').format)")
            continue
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        if node in docstrings or isinstance(parent, ast.JoinedStr | ast.FormattedValue):
            continue
        if _call_name(parent) in TRANSLATION_CALLS and node in parent.args:
            continue
        if _in_log_call(node, parents) or (_rel(path), node.value) in DATA_STRINGS:
            continue
        problems.append(f"{_rel(path)}:{node.lineno}: {node.value[:30]!r} is not translated")
    return problems, marked


def _marked_texts() -> set[str]:
    texts: set[str] = set()
    for path in _sources():
        texts |= _scan(path)[1]
    return texts


def _catalogue_sources(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [m.findtext("source") or "" for m in root.iter("message")]


def test_every_chinese_ui_text_goes_through_a_translation_call():
    problems: list[str] = []
    for path in _sources():
        if _rel(path) not in EXCLUDED_FILES:
            problems += _scan(path)[0]
    assert problems == []


def test_the_check_catches_untranslated_texts(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(n):\n"
        '    a = QLabel("订单")\n'
        '    b = f"已发货 {n} 单"\n'
        '    c = tr(f"共 {n} 单")\n'
        '    d = tr("好的")\n'
        '    log.info("日志里的中文")\n',
        encoding="utf-8",
    )
    problems, marked = _scan(bad)
    # line 2: a plain literal; 3: an f-string; 4: an f-string, which also leaves tr() without a literal
    assert sorted(p.split(":")[1] for p in problems) == ["2", "3", "4", "4"], problems
    assert marked == {"好的"}


def test_excluded_and_allowed_entries_still_exist():
    """The allowlists name real files and texts, so they shrink when the code changes."""
    for name in EXCLUDED_FILES:
        assert (ROOT / name).is_file(), name
    for name, text in DATA_STRINGS:
        assert text in (ROOT / name).read_text(encoding="utf-8"), (name, text)


def _lupdate() -> str:
    found = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if found is None:
        found = shutil.which("pyside6-lupdate")
    if found is None:
        pytest.skip("pyside6-lupdate is not installed")
    return found


def test_qt_extractor_finds_exactly_the_marked_texts(tmp_path):
    out = tmp_path / "fresh.ts"
    files = [str(p) for p in _sources()]
    subprocess.run(
        [_lupdate(), *files, "-no-obsolete", "-locations", "none", "-ts", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    extracted = _catalogue_sources(out)
    assert set(extracted) == _marked_texts()
    assert len(extracted) > 700  # the app's texts, not a handful
    contexts = {c.findtext("name") or "" for c in ET.parse(out).getroot().iter("context")}
    assert contexts == {CONTEXT}  # the context tr() looks up at run time


def test_committed_catalogue_is_current():
    """``make translations`` was run after the last text change (source texts, no translations)."""
    committed = _catalogue_sources(CATALOGUE)
    assert set(committed) == _marked_texts()
    root = ET.parse(CATALOGUE).getroot()
    assert root.get("sourcelanguage") == "zh_CN" and root.get("language") == "en"
    assert all(not (t.text or "").strip() for t in root.iter("translation"))


class _EnglishTranslator(QTranslator):
    """Answers every app text with a marked form; Qt's own contexts are left alone."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"EN:{source}" if context == CONTEXT else None


@pytest.fixture
def english(qapp):
    translator = _EnglishTranslator()
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_tr_routes_through_the_installed_translator(english):
    assert tr("待发货") == "EN:待发货"
    assert tr("已发货 {count} 单").format(count=3) == "EN:已发货 3 单"
    assert i18n.QT_TR_NOOP("待发货") == "待发货"  # marking only; shown later through tr()
    assert tr("") == ""


def test_without_a_translator_texts_show_as_written(qapp):
    assert tr("待发货") == "待发货"


def test_window_built_after_installing_a_translator_shows_translated_texts(
    english, qtbot, page_ctx, qsettings
):
    win = MainWindow(page_ctx, qsettings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    nav = [win.nav.item(i).text() for i in range(win.nav.count())]
    # class-level titles
    assert nav == [
        "EN:工作台",
        "EN:站内信",
        "EN:客服",
        "EN:发货中心",
        "EN:售后",
        "EN:商品",
        "EN:营销",
        "EN:推广",
        "EN:资金",
        "EN:数据",
        "EN:设置",
    ]
    assert win.windowTitle().startswith("EN:拼多多商家桌面助手")

    win.show_page("goods")
    goods = win.page("goods")
    buttons = {b.text() for b in goods.findChildren(QPushButton)}
    assert {"EN:导入商品表…", "EN:改库存", "EN:改价格"} <= buttons
    from pdd_desktop.ui.pages.goods.page import GOODS_COLUMNS

    keys = [c.key for c in GOODS_COLUMNS]
    header = goods.view.table.model().headerData(keys.index("name"), HORIZONTAL)
    assert header == "EN:商品名称"  # a module-level column table, translated when shown
    assert goods.view.table.model().headerData(keys.index("thumb"), HORIZONTAL) == "EN:主图"

    win.show_page("orders")
    orders = win.page("orders")
    model = orders.view.table.model()
    titles = [model.headerData(i, HORIZONTAL) for i in range(3)]
    assert titles == ["EN:订单号", "EN:状态", "EN:售后"]


def test_import_and_error_dialogs_show_translated_texts(english, qtbot, page_ctx):
    """The last two converted files: tables, tabs, buttons and messages go through the translator."""
    dlg = ImportDialog(page_ctx.runner)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "EN:导入订单文件"
    assert dlg.preview_table.horizontalHeaderItem(0).text() == "EN:行号"  # a module-level table
    assert dlg.tabs.tabText(3) == "EN:导入记录"
    assert dlg.import_button.text() == "EN:导入"
    assert batch_state_text("cancelled", 0) == "EN:已取消"
    assert batch_state_text("applied", 1200) == "EN:部分导入（1,200 行未导入）"
    assert batch_state_text("mystery", 0) == "mystery"  # an unknown state shows as stored

    err = ErrorDialog(RuntimeError("磁盘坏了"))
    qtbot.addWidget(err)
    assert err.windowTitle() == "EN:出错了"
    assert err.message_label.text() == "EN:操作没有完成：磁盘坏了"
    assert {err.toggle_button.text(), err.copy_button.text()} == {"EN:详细信息", "EN:复制详细信息"}
