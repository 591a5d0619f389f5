"""客服 exports through the import registry: detected from content, all or nothing, the same
report as every other kind, the same rows as the 客服 reader stores; and the CLI.
"""

from __future__ import annotations

import pytest

from pdd_desktop.common.paths import shop_paths
from pdd_desktop.domain.errors import ValidationError
from pdd_desktop.services import imports
from pdd_desktop.services.cs_import import import_cs_export
from pdd_desktop.services.imports import kinds
from tests.helpers.db import q, raw_rows
from tests.services.test_cs_import import AGENTS, SHOP_DAYS, agent_rows, shop_rows, write
from tests.test_cli_import import data_dir  # noqa: F401 - the fixture
from tests.test_cli_print import run_cli

ROWS_SQL = "SELECT * FROM cs_metric_day ORDER BY day, agent"


def _without_source(rows):
    """The stored figures, without the file name and the import time (columns 'source', 'imported_at')."""
    cols = [r[1] for r in q("PRAGMA table_info(cs_metric_day)")]
    keep = [i for i, c in enumerate(cols) if c not in ("source", "imported_at")]
    return [tuple(r[i] for i in keep) for r in rows]


@pytest.mark.parametrize(
    ("make", "suffix", "kind", "count"),
    [
        (agent_rows, ".xlsx", "cs_agent", len(AGENTS)),
        (agent_rows, ".csv", "cs_agent", len(AGENTS)),
        (shop_rows, ".csv", "cs_shop", len(SHOP_DAYS)),
        (shop_rows, ".xlsx", "cs_shop", len(SHOP_DAYS)),
    ],
)
def test_detected_checked_and_applied_like_the_cs_reader(empty_shop, tmp_path, make, suffix, kind, count):
    path = write(tmp_path / f"cs{suffix}", make())
    check = imports.check_import_file(path)
    assert check.kind == kind
    assert (check.rows_total, check.new, check.updated, check.unchanged, check.bad_rows) == (
        count,
        count,
        0,
        0,
        0,
    )
    assert f"新客服数据行 {count} 个" in check.summary
    assert [p.action for p in check.preview] == ["new"] * count
    nos = [p.row_no for p in check.preview]  # the file's own row numbers, after its header
    assert nos == sorted(set(nos)) and nos[0] >= 2
    assert q("SELECT COUNT(*) FROM cs_metric_day") == [(0,)]  # a check writes nothing
    result = imports.apply_import(check)
    assert (result.new, result.updated, result.unchanged) == (count, 0, 0) and result.changes.cs
    assert "已导入" in result.message and str(count) in result.message
    assert q("SELECT kind, rows_new, state FROM import_batch") == [(kind, count, "applied")]
    via_registry = _without_source(q(ROWS_SQL))
    # The 客服 reader on its own stores exactly the same figures.
    q("DELETE FROM cs_metric_day")
    import_cs_export(path)
    assert _without_source(q(ROWS_SQL)) == via_registry
    # The same file again: already imported, nothing changes.
    again = imports.check_import_file(path)
    assert again.already_imported
    assert imports.apply_import(again).already_imported


def test_a_file_that_does_not_add_up_is_refused_whole(empty_shop, tmp_path):
    rows = shop_rows()
    del rows[2]  # a day missing: the 总计 row no longer adds up
    with pytest.raises(ValidationError, match="总计为 384，明细各行合计为 253"):
        imports.check_import_file(write(tmp_path / "bad.csv", rows))
    assert q("SELECT COUNT(*) FROM cs_metric_day") == [(0,)] and q("SELECT COUNT(*) FROM import_batch") == [
        (0,)
    ]


def test_a_changed_day_is_an_update(empty_shop, tmp_path):
    imports.apply_import(imports.check_import_file(write(tmp_path / "a.csv", agent_rows())))
    q("UPDATE cs_metric_day SET consult_users = consult_users + 1 WHERE agent = '小美'")
    check = imports.check_import_file(write(tmp_path / "a.xlsx", agent_rows()))  # same rows, other file
    assert (check.new, check.updated, check.unchanged) == (0, 1, len(AGENTS) - 1)
    assert {p.agent: p.action for p in check.preview}["小美"] == "updated"
    result = imports.apply_import(check)
    assert (result.updated, result.unchanged) == (1, len(AGENTS) - 1)
    assert q("SELECT consult_users FROM cs_metric_day WHERE agent = '小美'") == [(AGENTS[0][1],)]


def test_the_registry_names_the_cs_kinds():
    assert "店铺客服数据" in kinds.accepted_text() and "客服绩效" in kinds.accepted_text()
    assert kinds.detect(agent_rows()[2]) == "cs_agent"
    assert "客服绩效（含 客服账号" in kinds.unknown_kind_message(["甲", "乙"])


def test_cli_imports_a_cs_export_and_lists_the_kinds(data_dir, tmp_path):  # noqa: F811
    path = write(tmp_path / "agents.xlsx", agent_rows())
    proc = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert f"新客服数据行 {len(AGENTS)} 个" in proc.stdout
    assert raw_rows(shop_paths(data_dir).db_file, "SELECT COUNT(*) FROM cs_metric_day") == [(len(AGENTS),)]
    helped = run_cli("import", "--help")
    assert helped.returncode == 0 and kinds.accepted_text() in helped.stdout.replace("\n", "")
