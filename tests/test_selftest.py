"""``pdd-desktop selftest``: every step passes on a working install; a broken step is named, exit 1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pdd_desktop.cli.main import main
from pdd_desktop.selftest import STEPS

ROOT = Path(__file__).resolve().parent.parent


def test_selftest_subprocess_passes_every_step(tmp_path):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the command goes offscreen by itself
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    base = tmp_path / "selftest"
    shots = tmp_path / "shots"
    proc = subprocess.run(
        [sys.executable, "-m", "pdd_desktop", "selftest", "--data-dir", str(base), "--screenshots", shots],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for step in STEPS:
        assert any(line.startswith(f"✓ {step.label}：") and line.endswith("秒）") for line in lines), (
            step.label,
            proc.stdout,
        )
    assert "✗" not in proc.stdout
    assert "自检通过" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    # The label's barcode was read back by the app's own reader (no external tool needed).
    label_line = next(line for line in lines if "快递面单" in line)
    assert re.search(r"条码识别为快递单号 \d{10,}", label_line), label_line
    # The temporary folder is gone; only the log stays; the user's data folder was never made.
    assert sorted(p.name for p in base.iterdir()) == ["pdd-desktop-selftest.log"]
    assert not Path(os.environ["PDD_DESKTOP_DATA_DIR"]).exists()
    # --screenshots: a full-window PNG of every page, as the merchant would see it.
    from PySide6.QtGui import QImage

    pngs = sorted(p.stem for p in shots.glob("*.png"))
    assert pngs == sorted(
        [
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
    )
    assert all(QImage(str(shots / f"{name}.png")).width() >= 1280 for name in pngs)


def test_a_failing_document_is_named_and_exits_1_without_traceback(tmp_path, capsys, qapp, monkeypatch):
    from pdd_desktop.services import printing

    real = printing.render_documents

    def broken(**kw):
        if kw["doc_type"] == "picking":
            raise ModuleNotFoundError("No module named 'reportlab.graphics.barcode.code93'")
        return real(**kw)

    monkeypatch.setattr(printing, "render_documents", broken)
    base = tmp_path / "selftest"
    code = main(["selftest", "--data-dir", str(base)])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "✗ 拣货单 PDF：ModuleNotFoundError：No module named 'reportlab.graphics.barcode.code93'" in out
    for step in STEPS:
        if step.key != "picking":
            assert f"✓ {step.label}：" in out, (step.label, out)
    assert "失败：拣货单 PDF" in err and "详情见日志" in err
    assert err.count("失败：") == 1
    assert "Traceback" not in out + err
    log = (base / "pdd-desktop-selftest.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "self-test step picking failed" in log
    assert sorted(p.name for p in base.iterdir()) == ["pdd-desktop-selftest.log"]


def test_steps_needing_the_demo_shop_do_not_run_without_it(tmp_path, capsys, qapp, monkeypatch):
    from pdd_desktop.services import demo_shop

    def broken(*_a, **_kw):
        raise OSError("磁盘已满")

    monkeypatch.setattr(demo_shop, "build_demo_shop", broken)
    code = main(["selftest", "--data-dir", str(tmp_path / "selftest")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "✗ 生成演示店铺：OSError：磁盘已满" in out
    for step in STEPS[1:]:
        assert f"✗ {step.label}：未运行（生成演示店铺失败）" in out, (step.label, out)
    assert err.count("失败：") == len(STEPS)
    assert "Traceback" not in out + err
