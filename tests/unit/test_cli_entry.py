"""``yanta init``, ``yanta entry …`` and ``yanta audit-log verify`` as a script or auditor runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from yanta_desktop import paths
from yanta_desktop.plan import load_plan

from .test_store import valid_task01

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # about 35 interpreter start-ups (~0.8 s each)


def yanta(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    env.pop("YANTA_DATA_DIR", None)  # --data-dir alone must be enough
    return subprocess.run(
        [sys.executable, "-m", "yanta_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )


def task01_file(tmp_path: Path, **changes) -> Path:
    sample = paths.forms_dir() / "samples" / "task01.json"
    data = json.loads(sample.read_text(encoding="utf-8")) if sample.is_file() else valid_task01()
    for key, value in changes.items():
        if value is None:
            data["values"].pop(key, None)
        else:
            data["values"][key] = value
    path = tmp_path / f"entry-{len(list(tmp_path.glob('entry-*.json')))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    """A data directory set up for the IP bureau (responsible for every task)."""
    d = tmp_path / "d"
    r = yanta(d, "init", "--unit", "SCJGJ")
    assert r.returncode == 0, r.stderr
    return d


def test_init_accepts_an_alias(tmp_path: Path):
    plan = load_plan()
    unit = next(u for u in plan.reporting_units() if u.aliases)
    alias = next(a for a in unit.aliases if a != unit.name)
    d = tmp_path / "d"
    r = yanta(d, "init", "--unit", alias)
    assert r.returncode == 0, r.stderr
    assert unit.name in r.stdout and unit.code in r.stdout and str(d) in r.stdout
    assert f"{plan.tasks_for_unit(unit.code)[0].number:>2}. " in r.stdout
    listed = json.loads(yanta(d, "entry", "list", "--json").stdout)
    assert listed == {"unit": unit.code, "data_dir": str(d.resolve()), "entries": []}
    j = json.loads(yanta(d, "init", "--unit", unit.code, "--json").stdout)
    assert j["unit"] == {"code": unit.code, "name": unit.name} and j["previous_unit"] == unit.code


def test_init_unknown_unit_lists_valid_ones(tmp_path: Path):
    r = yanta(tmp_path / "d", "init", "--unit", "区不存在局")
    assert r.returncode != 0 and r.stdout == ""
    assert "区不存在局" in r.stderr and "区科工局" in r.stderr and "可用的单位" in r.stderr


def test_entry_add_needs_init(tmp_path: Path):
    r = yanta(tmp_path / "d", "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(task01_file(tmp_path)))
    assert r.returncode != 0 and "yanta init" in r.stderr


def test_add_list_show_reopen_verify(bureau: Path, tmp_path: Path):
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(task01_file(tmp_path)), "--final")
    assert r.returncode == 0, r.stderr
    assert "已定稿" in r.stdout

    listed = json.loads(yanta(bureau, "entry", "list", "--json").stdout)
    assert listed["unit"] == "SCJGJ"
    (e,) = listed["entries"]
    assert set(e) == {
        "id", "unit", "task", "period", "status", "status_label", "revision", "form",
        "created_at", "updated_at", "finalised_at", "exported_seq",
    }
    assert (e["unit"], e["task"], e["period"], e["status"], e["revision"]) == ("SCJGJ", 1, "2025Q2", "final", 2)
    assert e["form"]["id"] == "task01" and len(e["form"]["sha256"]) == 64
    assert e["finalised_at"].endswith("Z") and e["exported_seq"] is None
    assert e["id"] in r.stdout

    shown = json.loads(yanta(bureau, "entry", "show", e["id"][:8], "--json").stdout)
    assert shown["id"] == e["id"]
    assert shown["data"]["values"]["filled_by"]
    assert [(x["number"], x["status"]) for x in shown["revisions"]] == [(1, "draft"), (2, "final")]
    text = yanta(bureau, "entry", "show", e["id"]).stdout
    assert "填报人" in text and "历史版本" in text  # labels from the form

    # a final entry is not overwritten by a draft save
    again = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(task01_file(tmp_path)))
    assert again.returncode != 0 and "退回" in again.stderr

    r = yanta(bureau, "entry", "reopen", e["id"], "--reason", "更正人口数据")
    assert r.returncode == 0, r.stderr
    shown = json.loads(yanta(bureau, "entry", "show", e["id"], "--json").stdout)
    assert shown["status"] == "draft" and shown["revisions"][-1]["note"] == "退回：更正人口数据"

    v = yanta(bureau, "audit-log", "verify", "--json")
    assert v.returncode == 0, v.stderr
    report = json.loads(v.stdout)
    assert report["ok"] is True and report["problems"] == [] and report["rows"] == 4
    assert report["head"]["seq"] == 4 and len(report["head"]["sha256"]) == 64
    assert "审计日志完好" in yanta(bureau, "audit-log", "verify").stdout

    conn = sqlite3.connect(bureau / "yanta.db")
    conn.execute("DROP TRIGGER audit_append_only_d")
    conn.execute("DELETE FROM audit WHERE seq = 2")
    conn.commit()
    conn.close()
    v = yanta(bureau, "audit-log", "verify")
    assert v.returncode == 1 and "第 2 条缺失" in v.stderr
    j = json.loads(yanta(bureau, "audit-log", "verify", "--json").stdout)
    assert j["ok"] is False and j["problems"]


def test_invalid_file_is_refused_with_each_issue(bureau: Path, tmp_path: Path):
    bad = task01_file(tmp_path, valid_invention_patents="很多", phone="12345")
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(bad))
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert any(ln.startswith("有效发明专利拥有量：") and "整数" in ln for ln in lines)
    assert any(ln.startswith("联系电话：") for ln in lines)
    assert json.loads(yanta(bureau, "entry", "list", "--json").stdout)["entries"] == []

    incomplete = task01_file(tmp_path, filled_by=None)
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(incomplete), "--final")
    assert r.returncode == 1 and "填报人：请填写“填报人”" in r.stderr
    assert json.loads(yanta(bureau, "entry", "list", "--json").stdout)["entries"] == []

    # the same incomplete file is fine as a draft, with what is missing listed
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(incomplete), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["status"] == "draft"
    assert "定稿前需修正" in r.stderr and "填报人" in r.stderr


def test_bad_json_names_file_and_line(bureau: Path, tmp_path: Path):
    f = tmp_path / "broken.json"
    f.write_text('{\n  "values": {\n    "filled_by": "张三",\n  }\n}\n', encoding="utf-8")
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(f))
    assert r.returncode != 0 and f"{f}:4:" in r.stderr and "JSON" in r.stderr
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(tmp_path / "nope.json"))
    assert r.returncode != 0 and "找不到" in r.stderr


def test_period_must_match_cadence_and_range(bureau: Path, tmp_path: Path):
    f = str(task01_file(tmp_path))
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025H1", "--file", f)
    assert r.returncode != 0 and "季度" in r.stderr and "2025H1" in r.stderr
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2025-Q2", "--file", f)
    assert r.returncode != 0 and "报告期" in r.stderr
    r = yanta(bureau, "entry", "add", "--task", "1", "--period", "2030Q1", "--file", f)
    assert r.returncode != 0 and "2030" in r.stderr
    r = yanta(bureau, "entry", "add", "--task", "99", "--period", "2025Q2", "--file", f)
    assert r.returncode != 0 and "任务99" in r.stderr


def test_unit_must_be_responsible_for_the_task(tmp_path: Path):
    plan = load_plan()
    unit, task = next(
        (u, t)
        for u in plan.reporting_units()
        for t in plan.tasks.values()
        if t.number == 1 and t not in plan.tasks_for_unit(u.code)
    )
    d = tmp_path / "d"
    assert yanta(d, "init", "--unit", unit.code).returncode == 0
    r = yanta(d, "entry", "add", "--task", "1", "--period", "2025Q2", "--file", str(task01_file(tmp_path)))
    assert r.returncode != 0
    assert unit.name in r.stderr and "不负责任务1" in r.stderr and task.responsible_names[0] in r.stderr
