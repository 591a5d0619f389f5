"""``pdd-desktop shop …``, the global options before or after every subcommand, Chinese help."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time

import pytest

from pdd_desktop.cli import main
from pdd_desktop.common.instance_lock import InstanceLock
from pdd_desktop.common.paths import shop_paths
from pdd_desktop.services import shops
from tests.conftest import DEMO_NOW
from tests.fixtures.exports import make_exports as mx
from tests.helpers.db import raw_rows

#: argparse's English words, and option values named by their key in capitals (``--orders ORDERS``).
ENGLISH = re.compile(
    r"usage:|options:|optional arguments|positional arguments|show this help|show program"
    r"|-- ?[a-z-]+ [A-Z_]{2,}\b"
)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help and argparse errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _names(data) -> list[str]:
    return [e.name for e in shops.list_shops(data)]


def _real_copy(data, folder: str, demo_template) -> None:
    """A real shop holding the demo's orders (the template is a demo shop)."""
    paths = shop_paths(data, folder).ensure()
    shutil.copyfile(demo_template, paths.db_file)
    with sqlite3.connect(paths.db_file) as conn:
        conn.execute("UPDATE shop SET is_demo = 0, name = ?", (folder,))


def test_shop_create_list_rename_delete(tmp_path, capsys):
    data = str(tmp_path / "data")
    code, out, _ = _run(capsys, "--data-dir", data, "shop", "list")
    assert code == 0 and "还没有店铺" in out
    assert _run(capsys, "--data-dir", data, "shop", "create", "小王的店: 女装/童装")[0] == 0
    assert _run(capsys, "shop", "create", "李记干货", "--data-dir", data)[0] == 0
    # A real shop's folder is its name made safe for Windows and macOS, Chinese kept.
    folders = sorted(p.name for p in (tmp_path / "data" / "shops").iterdir())
    assert folders == ["小王的店_ 女装_童装", "李记干货"]
    code, out, _ = _run(capsys, "shop", "list", "--data-dir", data)
    assert code == 0 and "小王的店: 女装/童装" in out and "李记干货" in out and "演示" not in out
    # The same name twice: refused in one line, nothing created.
    code, _, err = _run(capsys, "--data-dir", data, "shop", "create", "李记干货")
    assert code == 2 and "已有名为“李记干货”的店铺" in err and err.count("\n") == 1
    # Rename: the row and the folder follow; the other shop is untouched.
    other_before = raw_rows(shop_paths(data, "小王的店_ 女装_童装").db_file, "SELECT * FROM shop")
    code, out, _ = _run(capsys, "--data-dir", data, "shop", "rename", "李记干货", "李记山货")
    assert code == 0 and "已改名为“李记山货”" in out
    assert not (tmp_path / "data" / "shops" / "李记干货").exists()
    assert raw_rows(shop_paths(data, "李记山货").db_file, "SELECT name, is_demo FROM shop") == [
        ("李记山货", 0)
    ]
    assert raw_rows(shop_paths(data, "小王的店_ 女装_童装").db_file, "SELECT * FROM shop") == other_before
    # Delete: a backup first (outside the shop's folder), then the folder goes.
    code, out, _ = _run(capsys, "--data-dir", data, "shop", "delete", "李记山货", "--yes")
    assert code == 0 and "已删除" in out
    backups = list((tmp_path / "data" / "backups").glob("李记山货-*.db"))
    assert len(backups) == 1 and raw_rows(backups[0], "SELECT name FROM shop") == [("李记山货",)]
    assert _names(data) == ["小王的店: 女装/童装"]
    assert raw_rows(shop_paths(data, "小王的店_ 女装_童装").db_file, "SELECT * FROM shop") == other_before
    # Unknown shop: one line, exit 2.
    code, _, err = _run(capsys, "--data-dir", data, "shop", "delete", "没有这家", "--yes")
    assert code == 2 and "没有名为“没有这家”的店铺" in err and err.count("\n") == 1


def test_delete_without_yes_asks_and_does_nothing_headless(tmp_path, capsys):
    data = str(tmp_path / "data")
    _run(capsys, "--data-dir", data, "shop", "create", "甲店")
    code, _, err = _run(capsys, "--data-dir", data, "shop", "delete", "甲店")
    assert code == 1 and "--yes" in err and _names(data) == ["甲店"]


def test_delete_and_rename_refuse_an_open_shop(tmp_path, capsys):
    data = str(tmp_path / "data")
    _run(capsys, "--data-dir", data, "shop", "create", "甲店")
    paths = shop_paths(data, "甲店")
    with InstanceLock(paths.lock_file):
        code, _, err = _run(capsys, "--data-dir", data, "shop", "delete", "甲店", "--yes")
        assert code == 3 and "已被另一个" in err
        code, _, err = _run(capsys, "--data-dir", data, "shop", "rename", "甲店", "乙店")
        assert code == 3
    assert _names(data) == ["甲店"] and paths.db_file.exists()
    assert not (tmp_path / "data" / "backups").exists() or not list((tmp_path / "data" / "backups").iterdir())


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_before_or_after_every_subcommand(tmp_path, capsys, demo_template, where):
    data = str(tmp_path / "data")
    _real_copy(data, "乙店", demo_template)
    _run(capsys, "--data-dir", data, "shop", "create", "甲店")

    def run(*argv: str, shop: str = "乙店") -> tuple[int, str, str]:
        opts = ("--data-dir", data, "--shop", shop)
        return _run(capsys, *opts, *argv) if where == "before" else _run(capsys, *argv, *opts)

    # demo: into the shop --shop names, here a new demo shop folder.
    code, _, err = run(
        "demo", "--orders", "200", "--seed", "3", "--now", str(DEMO_NOW), "--quiet", shop="试用"
    )
    assert code == 0, err
    assert raw_rows(shop_paths(data, "试用").db_file, "SELECT is_demo FROM shop") == [(1,)]
    code, out, err = run("info")
    assert code == 0 and "店铺：乙店" in out, err
    code, out, _ = run("info", shop="甲店")
    assert "店铺：甲店" in out and "订单：0" in out
    code, out, err = run("backup")
    assert code == 0 and len(list(shop_paths(data, "乙店").backup_dir.glob("shop-*.db"))) == 1, err
    # print: the demo's orders in 乙店 (a real copy), into a PDF.
    pdf = tmp_path / "picking.pdf"
    code, out, err = run(
        "print", "picking", "--status", "待发货", "--limit", "3", "--out", str(pdf), "--quiet"
    )
    assert code == 0 and pdf.exists(), err
    # import: into 甲店, not into the last-used or the first shop.
    path = _export(tmp_path, demo_template)
    code, out, err = run("import", str(path), "--quiet", shop="甲店")
    assert code == 0, out + err
    assert raw_rows(shop_paths(data, "甲店").db_file, 'SELECT COUNT(*) FROM "order"') == [(4,)]
    # sync: 甲店 has sync off; the message names the setting (the option reached the command).
    code, _, err = run("sync", "--once", shop="甲店")
    assert code == 2 and "同步已关闭" in err
    # An unknown shop after the subcommand is not overwritten by a default either.
    code, _, err = run("info", shop="丙店")
    assert code == 2 and "没有名为“丙店”的店铺" in err and err.count("\n") == 1


def _export(tmp_path, demo_template):
    orders = mx.order_rows(demo_template, "status = 1", limit=4)
    renamed = [({**o, "order_sn": "98" + o["order_sn"][2:]}, items) for o, items in orders]
    return mx.write(tmp_path / "orders.csv", mx.table(renamed, "new"), "gb18030")


def test_import_on_an_empty_data_folder_creates_the_real_shop(tmp_path, capsys, demo_template):
    data = str(tmp_path / "data")
    path = _export(tmp_path, demo_template)
    code, out, err = _run(capsys, "import", str(path), "--data-dir", data, "--quiet")
    assert code == 0, err
    assert "已新建店铺“我的店铺”" in out
    entries = shops.list_shops(data)
    assert [(e.folder, e.name, e.is_demo) for e in entries] == [("我的店铺", "我的店铺", False)]
    assert raw_rows(entries[0].db_file, 'SELECT COUNT(*) FROM "order"') == [(4,)]
    # --shop names the new shop.
    other = str(tmp_path / "other")
    code, out, _ = _run(capsys, "--data-dir", other, "--shop", "张三杂货", "import", str(path), "--quiet")
    assert code == 0 and "已新建店铺“张三杂货”" in out and _names(other) == ["张三杂货"]


def test_import_into_the_demo_shop_is_refused(tmp_path, capsys, demo_template):
    data = str(tmp_path / "data")
    paths = shop_paths(data).ensure()
    shutil.copyfile(demo_template, paths.db_file)
    before = raw_rows(paths.db_file, 'SELECT COUNT(*) FROM "order"')
    code, _, err = _run(capsys, "--data-dir", data, "import", str(_export(tmp_path, demo_template)))
    assert code == 2 and "演示店铺只有模拟数据" in err and "shop create" in err
    assert raw_rows(paths.db_file, 'SELECT COUNT(*) FROM "order"') == before


def test_sync_once_on_an_empty_data_folder_creates_the_real_shop(tmp_path, capsys, monkeypatch):
    from pdd_desktop.sandbox.server import SandboxServer
    from pdd_desktop.sandbox.state import SandboxShop

    platform = SandboxShop.open(tmp_path / "platform", orders=200, seed=5, now0=int(time.time()))
    server = SandboxServer(platform, run_sim=False)
    url = server.start()
    try:
        c = platform.credentials
        monkeypatch.setenv("PDD_CLIENT_ID", c.client_id)
        monkeypatch.setenv("PDD_CLIENT_SECRET", c.client_secret)
        monkeypatch.setenv("PDD_ACCESS_TOKEN", c.access_token)
        data = str(tmp_path / "data")
        code, out, err = _run(capsys, "sync", "--once", "--gateway", url, "--data-dir", data)
        assert code == 0, out + err
        assert out.splitlines()[0].startswith("数据文件夹中还没有店铺，已新建店铺“我的店铺”")
        (entry,) = shops.list_shops(data)
        assert not entry.is_demo and raw_rows(entry.db_file, 'SELECT COUNT(*) FROM "order"')[0][0] > 0
    finally:
        server.stop()
        platform.close()


def test_commands_without_any_shop_say_so_in_one_line(tmp_path, capsys):
    data = str(tmp_path / "data")
    for argv in (["info"], ["backup"], ["print", "labels", "--status", "待发货", "--out", "x.pdf"]):
        code, _out, err = _run(capsys, *argv, "--data-dir", data)
        assert code == 2 and "还没有店铺" in err and err.count("\n") == 1, (argv, err)
    assert not (tmp_path / "data" / "shops").exists() or not list((tmp_path / "data" / "shops").iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["shop"],
        ["shop", "create"],
        ["shop", "rename"],
        ["shop", "delete"],
        ["shop", "list"],
        ["demo"],
        ["backup"],
        ["info"],
        ["print"],
        ["import"],
        ["sync"],
        ["sandbox"],
    ],
)
def test_help_is_chinese(capsys, argv):
    code, out, _ = _run(capsys, *argv, "--help")
    assert code == 0 and "用法：" in out and "显示帮助并退出" in out
    # Only the subcommand names, option flags and proper nouns (PDF, UTC, client_id) stay in Latin.
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["nope"], "无效的选择"),
        (["demo", "--orders", "many"], "无效的值"),
        (["shop", "create"], "缺少参数"),
        (["info", "--bogus"], "无法识别的参数"),
    ],
)
def test_argument_errors_are_one_chinese_line(capsys, argv, expected):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and not out
    assert expected in err and err.count("\n") == 1 and "error" not in err and "Traceback" not in err
