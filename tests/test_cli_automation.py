"""``pdd-desktop automation``: list, preview (writes nothing), run (a rule switched on acts once)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pdd_desktop.cli import main
from pdd_desktop.common import clock
from pdd_desktop.common.paths import shop_paths
from tests.conftest import DEMO_NOW


@pytest.fixture
def shop(tmp_path):
    data = tmp_path / "data"
    assert (
        main(["--data-dir", str(data), "demo", "--orders", "300", "--seed", "5", "--now", str(DEMO_NOW)]) == 0
    )
    clock.set_clock(lambda: DEMO_NOW)
    return data


def _db(data):
    return sqlite3.connect(shop_paths(data, "demo").db_file)


def test_list_preview_and_run(shop, capsys):
    conn = _db(shop)
    ((sn,),) = conn.execute('SELECT order_sn FROM "order" WHERE status = 1 ORDER BY id LIMIT 1').fetchall()
    with conn:
        conn.execute('UPDATE "order" SET buyer_memo = ? WHERE order_sn = ?', ("请加急", sn))
    assert main(["--data-dir", str(shop), "automation", "list"]) == 0
    out = capsys.readouterr().out
    assert "memo_keyword\t按买家留言备注\t未启用" in out
    assert main(["--data-dir", str(shop), "automation", "preview", "memo_keyword"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("现在会处理 1 单") and f"{sn}\t买家留言含「加急」" in out
    assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)
    assert main(["--data-dir", str(shop), "automation", "run"]) == 0
    assert "没有已启用的规则" in capsys.readouterr().out
    with conn:
        conn.execute(
            "INSERT INTO automation_rule (kind, enabled, params_json, fail_count, last_error, updated_at) "
            "VALUES ('memo_keyword', 1, ?, 0, '', ?)",
            (json.dumps({"keywords": ["加急"], "flag": 1, "memo": "加急"}), DEMO_NOW),
        )
    assert main(["--data-dir", str(shop), "automation", "run"]) == 0
    assert "按买家留言备注：已处理 1 单，0 单未处理" in capsys.readouterr().out
    assert conn.execute("SELECT op_type, entity_remote_id FROM outbox").fetchall() == [("set_memo", sn)]
    assert main(["--data-dir", str(shop), "automation", "preview"]) == 2
    assert "请给出规则名称" in capsys.readouterr().err
    conn.close()
