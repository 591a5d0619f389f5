import pytest
from PySide6.QtCore import QSettings
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.jobs.events import AppEvents
from pdd_desktop.jobs.runner import ImmediateRunner
from pdd_desktop.services import shop as shop_service, alerts, automation
from pdd_desktop.ui.main_window import MainWindow
from pdd_desktop.ui.pages.base import PageContext
from tests.helpers.db import q
from tests.helpers.sync_rig import make_rig
from tests.sandbox import NOW0


@pytest.fixture
def api_rig(tmp_path, tmp_path_factory):
    r = make_rig(tmp_path, tmp_path_factory, local="empty")
    yield r
    r.close()


def test_realshop(qtbot, api_rig, tmp_path):
    rep = api_rig.engine(api_rig.client(), initial_cursor_ts=NOW0 - 6 * 86400).run_once()
    print(rep.outcome)
    from pdd_desktop.common import clock
    print("now", clock.now())
    ev = alerts.evaluate(notify=True)
    for r in q("SELECT kind, severity, title, why, count, target FROM alert WHERE resolved_at IS NULL"):
        print(r)
    print(q("SELECT category, count(*) FROM message GROUP BY 1"))
    for r in automation.list_rules():
        print(r.kind, r.description)
    for k in ("merge_mark", "auto_print", "memo_keyword", "hold_risky", "refund_auto"):
        p = automation.preview(kind=k)
        print(k, p.acting, len(p.targets), len(p.skipped), p.note, [t.what for t in p.targets[:3]])
    sp = shop_paths(api_rig.data_dir, "sync")
    ctx = PageContext(ImmediateRunner(), AppEvents(), sp, shop_service.describe_shop(sp))
    win = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    for key in ("home", "messages"):
        win.show_page(key)
        win.page(key).refresh()
        qtbot.wait(50)
        win.grab().save(f"/tmp/qa17_api_{key}.png")


def test_orphans(api_rig):
    api_rig.engine(api_rig.client(), initial_cursor_ts=NOW0 - 6 * 86400).run_once()
    import sqlite3
    rows = q("SELECT b.order_sn, b.occurred_at, b.amount_fen, b.description FROM bill_entry b WHERE b.order_sn != '' AND NOT EXISTS (SELECT 1 FROM \"order\" o WHERE o.order_sn = b.order_sn)")
    print(len(rows), rows[:5])
    print(q('SELECT MIN(created_at), MIN(order_sn), MIN(paid_at) FROM "order"'))
    conn = sqlite3.connect(api_rig.shop.db_path)
    sns = [r[0] for r in rows]
    have = conn.execute(f'SELECT COUNT(*), MIN(order_sn), MAX(order_sn) FROM "order" WHERE order_sn IN ({",".join("?"*len(sns))})', sns).fetchall()
    print("sandbox has", have)
    print(q("SELECT MIN(occurred_at), MAX(occurred_at), COUNT(*) FROM bill_entry"))
