"""The plan file (forms/plan.yaml) must say what the seed text says.

The seed is parsed here on its own, with plain regular expressions over the numbered task titles,
the group headings and the "责任单位：" lines, and the result is held against ``Plan`` and
against the real ``yanta plan --json`` run as a subprocess (the subprocess tests are marked slow).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED
from yanta_desktop.errors import UnknownUnitError
from yanta_desktop.plan import load_plan

CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
GROUP_RX = re.compile(r"^（\s*([0-9一二三四五六七八九]+)\s*）\s*(\S.*?)\s*$")
TASK_RX = re.compile(r"^(\d{1,2})\s*\.\s*([^。]+?)\s*。")
RESP_RX = re.compile(r"责任单位：(.+?)\s*$")
PHASE_RX = re.compile(r"^第.阶段：(\S+?阶段)（(\d{4})年(\d{1,2})月—(\d{4})年(\d{1,2})月）\s*$")
STREET_CODES = [f"610113{i:03d}" for i in range(1, 11)]


@dataclass
class SeedTask:
    number: int
    title: str
    group: int
    group_title: str
    responsible: list[str]


def _numeral(text: str) -> int:
    return int(text) if text.isdigit() else CN_NUMERALS[text]


def parse_seed(text: str) -> tuple[list[tuple[int, str]], list[SeedTask]]:
    """(groups, tasks) from the 重点任务 chapter of the seed text."""
    body = text.split("三、重点任务", 1)[1].split("四、组织实施", 1)[0]
    groups: list[tuple[int, str]] = []
    tasks: list[SeedTask] = []
    for line in body.splitlines():
        line = line.strip()
        if m := GROUP_RX.match(line):
            groups.append((_numeral(m[1]), m[2]))
            continue
        if m := TASK_RX.match(line):
            number, title = groups[-1]
            tasks.append(SeedTask(int(m[1]), m[2], number, title, []))
        if m := RESP_RX.search(line):
            assert tasks and not tasks[-1].responsible, f"责任单位行无所属任务：{line}"
            tasks[-1].responsible = [n.strip() for n in m[1].split("、") if n.strip()]
    return groups, tasks


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> tuple[list[tuple[int, str]], list[SeedTask]]:
    return parse_seed(seed_text)


@pytest.fixture(scope="module")
def cli_json() -> dict:
    """The real CLI in a separate interpreter: ``python -m yanta_desktop plan --json``."""
    proc = subprocess.run(
        [sys.executable, "-m", "yanta_desktop", "plan", "--json"],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout.decode("utf-8"))


def _run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yanta_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )


# ---- the seed parser itself ------------------------------------------------------------------
def test_seed_parser_finds_six_groups_and_sixteen_tasks(seed) -> None:
    groups, tasks = seed
    assert [g[0] for g in groups] == [1, 2, 3, 4, 5, 6]
    assert [t.number for t in tasks] == list(range(1, 17))
    assert all(t.responsible for t in tasks)
    # the quirks of the draft text the parser has to survive
    assert tasks[8].title == "构建知识产权协同保护格局"  # "9. " with a space; 责任单位 on the same line
    assert tasks[9].responsible[-1] == "公安雁塔分局"  # trailing "、" after the last unit
    assert tasks[6].responsible == ["区知识产权强区工作领导小组成员单位"]


# ---- plan vs seed ----------------------------------------------------------------------------
def _check_tasks(doc_tasks: list[dict], doc_groups: list[dict], seed) -> None:
    groups, tasks = seed
    assert [t["number"] for t in doc_tasks] == [t.number for t in tasks]
    for got, want in zip(doc_tasks, tasks, strict=True):
        assert got["title"] == want.title, f"任务{want.number}标题"
        assert got["group"] == want.group, f"任务{want.number}所属任务组"
        assert got["responsible_names"] == want.responsible, f"任务{want.number}责任单位（原文顺序）"
    assert [(g["number"], g["title"]) for g in doc_groups] == groups
    for g in doc_groups:
        assert g["tasks"] == [t.number for t in tasks if t.group == g["number"]]


def test_plan_to_json_reproduces_seed(plan, seed) -> None:
    doc = plan.to_json()
    _check_tasks(doc["tasks"], doc["groups"], seed)


@pytest.mark.slow  # one interpreter start-up (~1 s)
def test_cli_plan_json_reproduces_seed(cli_json, seed, plan) -> None:
    _check_tasks(cli_json["tasks"], cli_json["groups"], seed)
    assert cli_json["plan"]["sha256"] == plan.sha256
    # the CLI document is Plan.to_json() plus each task's cadence and form identity
    mine = plan.to_json()
    for key in ("plan", "ip_bureau", "groups", "units", "indicators", "phases", "schedule", "periods"):
        assert cli_json[key] == json.loads(json.dumps(mine[key], ensure_ascii=False)), key
    for got, want in zip(cli_json["tasks"], mine["tasks"], strict=True):
        assert {k: got[k] for k in want} == want
        assert got["cadence"] in ("quarterly", "half_yearly", "annual")
        assert got["form"]["id"] == f"task{got['number']:02d}"


def test_responsible_names_resolve_to_codes_in_order(plan, seed) -> None:
    _, tasks = seed
    for t in tasks:
        codes = [plan.resolve_unit(name).code for name in t.responsible]
        assert list(plan.tasks[t.number].responsible) == codes


# ---- aliases and unknown names ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("区新技术产业发展中心", "XJSZX"),
        ("区新技术产业发展服务中心", "XJSZX"),
        ("区财政局", "CZJ"),
        ("区财政局（国有资产管理局）", "CZJ"),
        ("区财政局(国有资产管理局)", "CZJ"),  # half-width brackets
        (" 区财政局（国有资产管理局） ", "CZJ"),
        ("区市场监管局(区知识产权局)", "SCJGJ"),
        ("区知识产权局", "SCJGJ"),
        ("丈八街道", "610113007"),
        ("kgj", "KGJ"),
        ("各街办", "STREETS"),
        ("区知识产权强区工作领导小组成员单位", "LEADING_GROUP"),
    ],
)
def test_alias_resolution(plan, name: str, code: str) -> None:
    assert plan.resolve_unit(name).code == code


def test_both_spellings_in_seed_are_one_unit(plan, seed) -> None:
    _, tasks = seed
    names = {n for t in tasks for n in t.responsible}
    assert {"区新技术产业发展中心", "区新技术产业发展服务中心"} <= names
    assert {"区财政局", "区财政局（国有资产管理局）"} <= names
    assert plan.resolve_unit("区新技术产业发展中心") == plan.resolve_unit("区新技术产业发展服务中心")
    assert plan.resolve_unit("区财政局") == plan.resolve_unit("区财政局（国有资产管理局）")


def test_unknown_unit_lists_valid_names(plan) -> None:
    with pytest.raises(UnknownUnitError) as info:
        plan.resolve_unit("区知识产权服务中心")
    message = str(info.value)
    assert "区知识产权服务中心" in message
    for unit in plan.reporting_units():
        assert unit.name in message


# ---- groups and derived task lists -----------------------------------------------------------
def test_streets_expand_to_ten_codes(plan) -> None:
    streets = plan.resolve_unit("各街办")
    assert streets.is_group
    assert list(streets.members) == STREET_CODES
    for code in STREET_CODES:
        assert plan.units[code].kind == "street"
        assert plan.units[code].name.endswith("街道办事处")
    expected = plan.expected_units(12)
    i = expected.index(STREET_CODES[0])
    assert expected[i : i + 10] == STREET_CODES


def test_leading_group_covers_task_7_and_every_named_bureau(plan, seed) -> None:
    _, tasks = seed
    group = plan.resolve_unit(tasks[6].responsible[0])
    assert group.code == "LEADING_GROUP"
    assert plan.expected_units(7) == list(group.members)
    # the plan's note: the group is every district-level unit the seed names
    named = {plan.resolve_unit(n) for t in tasks for n in t.responsible}
    bureaus = {u.code for u in named if not u.is_group}
    assert set(group.members) == bureaus


def _derived_tasks(plan, seed_tasks: list[SeedTask], code: str) -> list[int]:
    out = []
    for t in seed_tasks:
        for name in t.responsible:
            unit = plan.resolve_unit(name)
            if unit.code == code or code in unit.members:
                out.append(t.number)
                break
    return out


def test_task_lists_per_unit_follow_from_the_seed(plan, seed) -> None:
    _, tasks = seed
    by_code = {u["code"]: u for u in plan.to_json()["units"]}
    for unit in plan.reporting_units():
        want = _derived_tasks(plan, tasks, unit.code)
        assert [t.number for t in plan.tasks_for_unit(unit.code)] == want, unit.name
        assert by_code[unit.code]["tasks"] == want, unit.name
    # consequences worth stating plainly
    assert _derived_tasks(plan, tasks, "SCJGJ") == list(range(1, 17))
    assert _derived_tasks(plan, tasks, "610113001") == [12]  # streets are not leading-group members
    assert 7 in _derived_tasks(plan, tasks, "WJJ")  # only via the leading group
    assert _derived_tasks(plan, tasks, "WJJ") == [7, 16]


def test_every_task_expects_its_units(plan, seed) -> None:
    _, tasks = seed
    for t in tasks:
        expected: list[str] = []
        for name in t.responsible:
            unit = plan.resolve_unit(name)
            for member in unit.members or (unit.code,):
                if member not in expected:
                    expected.append(member)
        assert plan.expected_units(t.number) == expected


# ---- indicators, phases, periods -------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "pattern", "value"),
    [
        ("high_value_patents_per_10k", r"每万人口高价值发明专利拥有量达(\d+)件以上", 60),
        ("trademarks_per_100_entities", r"每百户市场主体有效注册商标拥有量达到(\d+)个", 24),
        ("transformation_projects", r"知识产权与科技成果转化项目达到(\d+)件", 1500),
        ("case_closure_rate", r"知识产权行政案件结案率达到(\d+)%以上", 95),
        ("trademark_guidance_station", r"建设(\d+)个区域商标品牌指导站", 1),
    ],
)
def test_indicator_targets_match_seed(plan, seed_text: str, key: str, pattern: str, value: int) -> None:
    m = re.search(pattern, seed_text)
    assert m, pattern
    assert int(m[1]) == value
    indicator = next(i for i in plan.indicators if i.key == key)
    assert indicator.target == Decimal(m[1])
    assert indicator.target_text in seed_text
    assert indicator.comparison == "ge"


def test_phases_match_seed(plan, seed_text: str) -> None:
    lines = [line.strip() for line in seed_text.split("四、组织实施", 1)[1].split("五、保障措施", 1)[0].splitlines()]
    found = []
    for i, line in enumerate(lines):
        if m := PHASE_RX.match(line):
            found.append(
                (m[1], f"{m[2]}-{int(m[3]):02d}", f"{m[4]}-{int(m[5]):02d}", lines[i + 1])
            )
    assert len(found) == 3
    assert [(p.name, p.start, p.end, p.description) for p in plan.spec.phases] == found


@pytest.mark.parametrize(
    ("period", "due", "phase"),
    [
        ("2024Q2", dt.date(2024, 7, 15), "启动部署阶段"),
        ("2024Q3", dt.date(2024, 10, 15), "推进实施阶段"),
        ("2024Q4", dt.date(2025, 1, 15), "推进实施阶段"),
        ("2025Q2", dt.date(2025, 7, 15), "推进实施阶段"),
        ("2025H1", dt.date(2025, 7, 15), "推进实施阶段"),
        ("2025", dt.date(2026, 1, 15), "推进实施阶段"),
        ("2026H1", dt.date(2026, 7, 15), "推进实施阶段"),
        ("2026Q3", dt.date(2026, 10, 15), "巩固提升阶段"),
        ("2026", dt.date(2027, 1, 15), "巩固提升阶段"),
    ],
)
def test_due_dates_and_phases(plan, period: str, due: dt.date, phase: str) -> None:
    p = plan.period(period)
    assert plan.due_date(p) == due
    assert plan.phase_of(p) == phase
    row = next(x for x in plan.to_json()["periods"] if x["code"] == period)
    assert (row["due"], row["phase"]) == (due.isoformat(), phase)


def test_periods_cover_the_plan_years(plan) -> None:
    codes = [p["code"] for p in plan.to_json()["periods"]]
    assert len(codes) == 3 * (4 + 2 + 1)
    assert {c[:4] for c in codes} == {"2024", "2025", "2026"}
    with pytest.raises(UnknownUnitError, match="2027"):
        load_plan().period("2027Q1")


# ---- yanta init resolves the same way ------------------------------------------------------
@pytest.mark.slow  # interpreter start-ups
@pytest.mark.parametrize(
    ("name", "code"),
    [("区新技术产业发展中心", "XJSZX"), ("区财政局(国有资产管理局)", "CZJ"), ("丈八沟街办", "610113007")],
)
def test_init_resolves_aliases(data_dir: Path, plan, name: str, code: str) -> None:
    proc = _run_cli("init", "--unit", name, "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["unit"]["code"] == code
    assert doc["tasks"] == [t.number for t in plan.tasks_for_unit(code)]


@pytest.mark.slow  # interpreter start-ups
def test_init_refuses_unknown_and_group_names(data_dir: Path, plan) -> None:
    proc = _run_cli("init", "--unit", "区知识产权服务中心", data_dir=data_dir)
    assert proc.returncode != 0
    assert "未知的单位“区知识产权服务中心”" in proc.stderr
    assert "区科工局" in proc.stderr and "区新技术产业发展服务中心" in proc.stderr
    proc = _run_cli("init", "--unit", "各街办", data_dir=data_dir)
    assert proc.returncode != 0
    assert "小寨路街道办事处" in proc.stderr and "漳浒寨街道办事处" in proc.stderr


def test_vendored_seed_is_the_shared_seed() -> None:
    """tests/assets/seed/ keeps the plan text so the suite runs anywhere; it must not drift from shared/."""
    from tests.conftest import _SEED_NAME, REPO

    vendored = REPO / "tests" / "assets" / "seed" / _SEED_NAME
    shared = REPO.parent / "shared" / "seed" / _SEED_NAME
    assert vendored.exists()
    if shared.exists():
        assert vendored.read_bytes() == shared.read_bytes()
