"""The form machinery: file checks with file:line, content hashes, value coercion, the rule language, schemas."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from yanta_desktop.forms import check_folder
from yanta_desktop.forms.expr import EvalContext, ExprError, compile_expr
from yanta_desktop.forms.loader import load_common, load_form
from yanta_desktop.forms.model import FieldSpec
from yanta_desktop.forms.validate import CoerceError, coerce, uscc_valid
from yanta_desktop.yamlfile import load_yaml

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "forms"
YANTA = Path(sys.executable).with_name("yanta")
TASK01 = (FORMS / "task01.yaml").read_text(encoding="utf-8").splitlines(keepends=True)


def yanta(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [str(YANTA)] if YANTA.exists() else [sys.executable, "-m", "yanta_desktop"]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=cwd
    )


def folder_with(tmp_path: Path, task01_text: str) -> Path:
    """A forms folder holding common.yaml, plan.yaml and the given task01.yaml (only)."""
    folder = tmp_path / "forms"
    folder.mkdir(parents=True)
    shutil.copy(FORMS / "common.yaml", folder)
    shutil.copy(FORMS / "plan.yaml", folder)
    (folder / "task01.yaml").write_text(task01_text, encoding="utf-8")
    return folder


def line_no(prefix: str, start: int = 1) -> int:
    """1-based number of the first task01.yaml line (from ``start``) whose text starts with ``prefix``."""
    for i, line in enumerate(TASK01[start - 1 :], start=start):
        if line.strip().startswith(prefix):
            return i
    raise AssertionError(prefix)


def replaced(line: int, new: str) -> str:
    lines = list(TASK01)
    lines[line - 1] = new + "\n"
    return "".join(lines)


def inserted(after: int, new: str) -> str:
    lines = list(TASK01)
    lines.insert(after, new + "\n")
    return "".join(lines)


# ---- broken form files -----------------------------------------------------------------------

UNIT_LINE = line_no("unit: 件")  # first field's unit
MIN_LINE = line_no("min: 0")
RULE_EXPR = line_no('expr: "high_value_invention_patents <= valid_invention_patents"')
PREV_EXPR = line_no('expr: "high_value_invention_patents <= 10 * prev(')
SUM_EXPR = line_no('expr: "invention_grants >= sum(entities')
UNIQUE = line_no("unique: [credit_code]")
TYPE_LINE = line_no("type: integer")
TASK_LINE = line_no("task: 1")

# fmt: off
BROKEN = [
    pytest.param(replaced(UNIT_LINE, "        unit: [件"), UNIT_LINE + 1, "YAML 语法错误", id="bad-yaml-flow"),
    pytest.param(replaced(UNIT_LINE, "      unit: 件"), UNIT_LINE, "YAML 语法错误", id="bad-yaml-indent"),
    pytest.param(replaced(UNIT_LINE, '        unit: "件'), None, "YAML 语法错误", id="bad-yaml-quote"),
    pytest.param(inserted(UNIT_LINE, "        colour: red"), UNIT_LINE + 1, "colour: 不认识的键", id="unknown-key"),
    pytest.param(replaced(MIN_LINE, "        min: many"), MIN_LINE, "min: 应为数字", id="wrong-type-decimal"),
    pytest.param(replaced(TASK_LINE, "task: one"), TASK_LINE, "task: 应为整数", id="wrong-type-int"),
    pytest.param(replaced(TYPE_LINE, "        type: int"), TYPE_LINE, "type: 取值不在允许范围内", id="wrong-enum"),
    pytest.param(inserted(UNIT_LINE, "        unit: 个"), UNIT_LINE + 1, "重复的键 “unit”", id="duplicate-key"),
    pytest.param(replaced(RULE_EXPR, '    expr: "high_value_invention_patents <= valid_patents"'), RULE_EXPR,
                 "引用了不存在的字段：valid_patents", id="missing-field"),
    pytest.param(replaced(RULE_EXPR, "    expr: \"__import__('os').system('rm -rf /') == 0\""), RULE_EXPR,
                 "表达式中不允许的函数：__import__", id="unsafe-import"),
    pytest.param(replaced(RULE_EXPR, '    expr: "valid_invention_patents.real > 0"'), RULE_EXPR,
                 "不允许的写法：Attribute", id="attribute-access"),
    pytest.param(replaced(RULE_EXPR, '    expr: "().__class__.__bases__ == 0"'), RULE_EXPR,
                 "不允许的写法：Attribute", id="dunder-attribute"),
    pytest.param(replaced(RULE_EXPR, '    expr: "valid_invention_patents[0] > 0"'), RULE_EXPR,
                 "不允许的写法：Subscript", id="subscript"),
    pytest.param(replaced(RULE_EXPR, '    expr: "(lambda: 1)() == 1"'), RULE_EXPR, "不允许的函数", id="lambda"),
    pytest.param(replaced(RULE_EXPR, '    expr: "count([r for r in entities]) > 0"'), RULE_EXPR,
                 "不允许的写法：ListComp", id="comprehension"),
    pytest.param(replaced(RULE_EXPR, '    expr: "valid_invention_patents ** 99 > 0"'), RULE_EXPR,
                 "不允许的写法：Pow", id="power"),
    pytest.param(replaced(RULE_EXPR, '    expr: "valid_invention_patents <= "'), RULE_EXPR, "表达式语法错误",
                 id="expr-syntax"),
    pytest.param(replaced(PREV_EXPR, '    expr: "high_value_invention_patents <= 10 * prev(high_value_invention_patents)"'),
                 PREV_EXPR, "prev() 的第1个参数必须是带引号的字段名", id="prev-not-quoted"),
    pytest.param(replaced(PREV_EXPR, "    expr: \"high_value_invention_patents <= 10 * prev('hv_total')\""), PREV_EXPR,
                 "引用了不存在的字段：hv_total", id="prev-missing-field"),
    pytest.param(replaced(SUM_EXPR, '    expr: "invention_grants >= sum(entities)"'), SUM_EXPR, "sum() 需要2个参数",
                 id="sum-arity"),
    pytest.param(inserted(UNIQUE, '    rules:\n      - {key: r, expr: "grantz >= 0", message: 错}'), UNIQUE + 2,
                 "引用了不存在的字段：grantz", id="row-rule-missing-column"),
    pytest.param(replaced(line_no("- key: hv_maintained_10y"), "      - key: HV-10y"), line_no("- key: hv_maintained_10y"),
                 "key: 格式不符", id="bad-key"),
    pytest.param("", 1, "文件为空", id="empty-file"),
]
# fmt: on


@pytest.mark.parametrize(("text", "line", "fragment"), BROKEN)
def test_broken_form_gives_file_line_errors_from_check_folder(tmp_path, text, line, fragment):
    folder = folder_with(tmp_path, text)
    forms, problems = check_folder(folder)
    assert forms is None and problems
    path = folder / "task01.yaml"
    hit = [p for p in problems if fragment in p]
    assert hit, problems
    m = re.match(rf"^{re.escape(str(path))}:(\d+): ", hit[0])
    assert m, hit[0]
    if line is not None:
        assert int(m[1]) == line, hit[0]


CLI_CASES = {
    "bad-yaml-flow": "file",
    "unknown-key": "folder",
    "wrong-type-decimal": "file",
    "duplicate-key": "folder",
    "missing-field": "file",
    "unsafe-import": "folder",
    "attribute-access": "file",
}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "line", "fragment"), [p for p in BROKEN if p.id in CLI_CASES])
def test_broken_form_through_cli_exits_non_zero_without_traceback(tmp_path, request, text, line, fragment):
    folder = folder_with(tmp_path, text)
    case = request.node.callspec.id
    target = folder / "task01.yaml" if CLI_CASES[case] == "file" else folder
    result = yanta("forms", "check", str(target))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert fragment in result.stderr
    assert f"{folder / 'task01.yaml'}:{line}: " in result.stderr


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    folder = folder_with(tmp_path, "")
    (folder / "task01.yaml").write_bytes(b"format: yanta-form/1\ntitle: \xff\xfe\n")
    forms, problems = check_folder(folder)
    assert forms is None and "无法读取文件" in problems[0] and str(folder / "task01.yaml") in problems[0]


def test_only_broken_files_are_reported(tmp_path):
    folder = folder_with(tmp_path, "".join(TASK01))
    shutil.copy(FORMS / "task10.yaml", folder)
    bad = (
        (FORMS / "task11.yaml")
        .read_text(encoding="utf-8")
        .replace("cases_closed <= cases_opened", "cases_closd <= cases_opened")
    )
    (folder / "task11.yaml").write_text(bad, encoding="utf-8")
    forms, problems = check_folder(folder)
    assert forms is None
    assert len(problems) == 1 and "task11.yaml:" in problems[0] and "cases_closd" in problems[0]


def test_misnamed_file_and_missing_forms_are_reported(tmp_path):
    folder = folder_with(tmp_path, "".join(TASK01))
    _, problems = check_folder(folder)
    assert len(problems) == 1 and "缺少任务表单" in problems[0] and "task16.yaml" in problems[0]
    (folder / "task02.yaml").write_text("".join(TASK01), encoding="utf-8")
    _, problems = check_folder(folder)
    assert any("task02.yaml:1: 文件名应为 task01.yaml" in p for p in problems)


@pytest.mark.slow
def test_all_sixteen_forms_pass_the_cli_check():
    result = yanta("forms", "check")
    assert result.returncode == 0, result.stderr
    assert "全部 16 张表单与工作方案通过校验" in result.stdout
    assert len(re.findall(r"^task\d\d\.yaml: 通过", result.stdout, flags=re.M)) == 16
    forms, problems = check_folder(FORMS)
    assert problems == [] and forms is not None and sorted(forms.forms) == list(range(1, 17))


# ---- content hash ----------------------------------------------------------------------------


def _hash(folder: Path) -> str:
    return load_form(folder / "task01.yaml", load_common(folder / "common.yaml")).sha256


def test_hash_covers_the_parsed_definition_not_the_bytes(tmp_path):
    original = "".join(TASK01)
    base = _hash(folder_with(tmp_path / "a", original))
    assert re.fullmatch(r"[0-9a-f]{64}", base)
    # comments, blank lines, trailing spaces and flow vs block style: same definition, same hash
    cosmetic = "# 一条注释\n\n" + original.replace(
        "    unique: [credit_code]", "    unique:   # 唯一键\n      - credit_code  "
    )
    # (trailing blanks after plain scalars only: inside a ``>-`` block they are content)
    cosmetic = cosmetic.replace("type: integer\n", "type: integer   # 整数\n") + "\n# 文件末尾的注释\n"
    assert cosmetic != original
    assert _hash(folder_with(tmp_path / "b", cosmetic)) == base
    # key order inside a mapping does not matter either
    reordered = original.replace(
        "title: 培育高价值专利\ncadence: quarterly\n", "cadence: quarterly\ntitle: 培育高价值专利\n"
    )
    assert reordered != original and _hash(folder_with(tmp_path / "c", reordered)) == base
    # any real change does
    relabelled = original.replace("label: 有效发明专利拥有量", "label: 有效发明专利数")
    assert _hash(folder_with(tmp_path / "d", relabelled)) != base
    rule = original.replace(
        "high_value_invention_patents <= valid_invention_patents",
        "high_value_invention_patents < valid_invention_patents",
    )
    assert _hash(folder_with(tmp_path / "e", rule)) != base


def test_hash_covers_the_merged_common_envelope(tmp_path):
    folder = folder_with(tmp_path, "".join(TASK01))
    base = _hash(folder)
    common = (folder / "common.yaml").read_text(encoding="utf-8")
    (folder / "common.yaml").write_text(
        common.replace("max_length: 1500", "max_length: 2000"), encoding="utf-8"
    )
    assert _hash(folder) != base


# ---- coercion --------------------------------------------------------------------------------


def spec(type_: str, **kw: Any) -> FieldSpec:
    return FieldSpec(key="f", label="字段", type=type_, **kw)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (12, 12),
        ("12", 12),
        ("１２", 12),
        ("1,234", 1234),
        ("１，２３４", 1234),
        (" 1 234 ", 1234),
        ("+5", 5),
        ("0", 0),
    ],
)
def test_integer_coercion(raw, want):
    assert coerce(spec("integer"), raw) == want


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12.5", "不能有小数"),
        ("abc", "应为整数"),
        (True, "应为整数"),
        ("-1", "不能小于 0"),
        ("1e3", "应为整数"),
        (10**15, "数值过大"),
    ],
)
def test_integer_refusals(raw, message):
    with pytest.raises(CoerceError, match=message):
        coerce(spec("integer", min=0), raw)


@pytest.mark.parametrize(
    ("raw", "decimals", "want"),
    [
        ("12.5", 2, "12.50"),
        ("1,234.5", 2, "1234.50"),
        ("１２．５", 2, "12.50"),
        (3, 2, "3.00"),
        (0.1, 2, "0.10"),
        (Decimal("7.25"), 2, "7.25"),
        ("12", 0, "12"),
        ("0.125", 3, "0.125"),
        ("-0", 2, "0.00"),
    ],
)
def test_decimal_coercion(raw, decimals, want):
    assert coerce(spec("decimal", decimals=decimals), raw) == want


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12.345", "最多保留 2 位小数"),
        ("abc", "应为数字"),
        ("NaN", "应为数字"),
        ("Infinity", "应为数字"),
        (True, "应为数字"),
        ("-0.01", "不能小于 0"),
        ("1000000.01", "不能大于 1000000"),
    ],
)
def test_decimal_refusals(raw, message):
    with pytest.raises(CoerceError, match=message):
        coerce(spec("decimal", decimals=2, min=0, max=1_000_000), raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-01",
        "2025/3/1",
        "2025.03.01",
        "2025年3月1日",
        "2025年03月01日",
        "20250301",
        "２０２５－０３－０１",
        dt.date(2025, 3, 1),
        dt.datetime(2025, 3, 1, 10, 30),
        " 2025-3-1 ",
    ],
)
def test_date_spellings(raw):
    assert coerce(spec("date"), raw) == "2025-03-01"


@pytest.mark.parametrize(
    ("raw", "message"), [("2025-02-30", "不是有效的日期"), ("03/01/2025", "日期格式"), ("明天", "日期格式")]
)
def test_date_refusals(raw, message):
    with pytest.raises(CoerceError, match=message):
        coerce(spec("date"), raw)


# Published codes (Huawei, Tencent, a Beijing SOE) and one valid-by-construction local code.
VALID_USCC = ["914403001922038216", "9144030071526726XG", "91110000802100433B", "91610113MA6TM2EL89"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_known_valid(code):
    assert uscc_valid(code)
    assert coerce(spec("uscc"), code) == code
    assert coerce(spec("uscc"), code.lower()) == code
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert coerce(spec("uscc"), fullwidth) == code


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",
        "9144030071526726X0",
        "91110000802100433",
        "91110000802100433BB",
        "91110000802I00433B",
        "91110000802O00433B",
        "ABCDEFGHJKLMNPQRTU",
    ],
)
def test_uscc_known_invalid(code):
    assert not uscc_valid(code.upper())
    with pytest.raises(CoerceError, match="不是有效的统一社会信用代码"):
        coerce(spec("uscc"), code)


def test_every_single_character_typo_in_a_uscc_is_caught():
    code = VALID_USCC[0]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(18):
        for c in alphabet:
            if c != code[i]:
                assert not uscc_valid(code[:i] + c + code[i + 1 :]), (i, c)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("13991234567", "13991234567"),
        ("029-85212345", "029-85212345"),
        ("02985212345", "02985212345"),
        ("029-85212345-801", "029-85212345-801"),
        ("１３９９１２３４５６７", "13991234567"),
        ("139 9123 4567", "13991234567"),
        ("0917-3212345", "0917-3212345"),
    ],
)
def test_phones(raw, want):
    assert coerce(spec("phone"), raw) == want


@pytest.mark.parametrize("raw", ["1399123456", "139912345678", "85212345", "029-852", "电话", "23991234567"])
def test_phone_refusals(raw):
    with pytest.raises(CoerceError, match="应为11位手机号或带区号的座机号"):
        coerce(spec("phone"), raw)


@pytest.mark.parametrize("raw", ["=SUM(A1:A9)", "+1+1", "@cmd", " =1+1"])
def test_formula_start_refused_in_single_line_text(raw):
    with pytest.raises(CoerceError, match="不能以 = \\+ @ 开头"):
        coerce(spec("text"), raw)


def test_formula_start_allowed_in_textarea_and_inside_text():
    assert coerce(spec("textarea"), "=1+1 不是公式，是说明") == "=1+1 不是公式，是说明"
    assert coerce(spec("text"), "a=1") == "a=1"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"])
@pytest.mark.parametrize("type_", ["text", "textarea"])
def test_xml_illegal_control_chars_refused(char, type_):
    with pytest.raises(CoerceError, match="控制字符"):
        coerce(spec(type_), f"工作{char}进展")


def test_tabs_and_newlines_kept_in_textarea():
    assert coerce(spec("textarea"), "一、进展\n\t二、问题\r\n") == "一、进展\n\t二、问题"


def test_length_limits():
    assert coerce(spec("text", max_length=20), "字" * 20) == "字" * 20
    with pytest.raises(CoerceError, match="不能超过 20 个字（现有 21 个）"):
        coerce(spec("text", max_length=20), "字" * 21)
    with pytest.raises(CoerceError, match="不能超过 500 个字"):
        coerce(spec("text"), "字" * 501)
    assert coerce(spec("textarea"), "字" * 5000) == "字" * 5000
    with pytest.raises(CoerceError, match="不能超过 5000 个字"):
        coerce(spec("textarea"), "字" * 5001)


def test_text_is_nfc_and_trimmed_and_empty_is_absent():
    assert coerce(spec("text"), "  Cafe\u0301 ") == "Caf\u00e9"
    for empty in (None, "", "   ", []):
        assert coerce(spec("text"), empty) is None
        assert coerce(spec("integer"), empty) is None


def test_choices_booleans_and_patterns():
    choice = spec("choice", choices=["铁拳", "剑网", "昆仑"])
    assert coerce(choice, " 剑网 ") == "剑网"
    with pytest.raises(CoerceError, match="“蓝天”不是可选项（可选：铁拳、剑网、昆仑）"):
        coerce(choice, "蓝天")
    multi = spec("multichoice", choices=["铁拳", "剑网", "昆仑"])
    assert coerce(multi, "昆仑；铁拳、昆仑") == ["铁拳", "昆仑"]
    assert coerce(multi, ["剑网"]) == ["剑网"]
    with pytest.raises(CoerceError, match="“蓝天”不是可选项"):
        coerce(multi, ["剑网", "蓝天"])
    boolean = spec("boolean")
    assert [coerce(boolean, x) for x in ("是", "否", "TRUE", "0", True)] == [True, False, True, False, True]
    with pytest.raises(CoerceError, match="应为“是”或“否”"):
        coerce(boolean, "也许")
    patterned = spec("text", pattern=r"^\d{5}$", pattern_message="应为5位数字")
    assert coerce(patterned, "61211") == "61211"
    with pytest.raises(CoerceError, match="应为5位数字"):
        coerce(patterned, "6121")


# ---- the rule language -----------------------------------------------------------------------


def ev(
    source: str,
    values: dict[str, Any] | None = None,
    tables: dict[str, list[dict[str, Any]]] | None = None,
    previous: dict[str, Any] | None = None,
    row: dict[str, Any] | None = None,
) -> bool | None:
    extra = {
        "period_kind": "quarter",
        "unit": "SCJGJ",
        "period_start": "2025-04-01",
        "period_end": "2025-06-30",
    }
    return compile_expr(source).truth(EvalContext(values or {}, tables or {}, previous or {}, extra, row))


def test_missing_operands_make_a_rule_not_applicable():
    assert ev("a <= b + c", {"a": 1, "b": 1}) is None
    assert ev("a <= b + c", {"a": 2, "b": 1, "c": 0}) is False
    assert ev("a > 0 and b > 0", {"a": 1}) is None
    assert ev("-a < 0", {}) is None
    assert ev("a in ['x']", {}) is None
    assert ev("a == ''", {"a": ""}) is True  # equality does not need a value
    assert ev("filled(a)", {}) is False and ev("filled(a)", {"a": 0}) is True


def test_division_by_zero_is_not_applicable():
    assert ev("a / b >= 0.95", {"a": 19, "b": 0}) is None
    assert ev("a / b >= 0.95", {"a": 19, "b": 20}) is True
    assert ev("a / b >= 0.95", {"a": 18, "b": 20}) is False


def test_decimal_arithmetic_is_exact():
    assert ev("a + b == 0.3", {"a": Decimal("0.1"), "b": Decimal("0.2")}) is True
    assert ev("a * 100 >= 95 * b", {"a": 19, "b": 20}) is True


def test_chained_comparisons_on_numbers_and_iso_dates():
    assert ev("1 <= a <= 3", {"a": 3}) is True
    assert ev("1 <= a <= 3", {"a": 4}) is False
    assert ev("0 < a < b", {"a": 1, "b": 1}) is False
    assert ev("period_start <= d <= period_end", {"d": "2025-06-30"}) is True
    assert ev("period_start <= d <= period_end", {"d": "2025-07-01"}) is False
    assert ev("period_start <= d <= period_end", {}) is None
    assert ev("'2025-04-20' <= d <= '2025-04-26'", {"d": "2025-04-26"}) is True


def test_in_lists():
    assert ev("k in ['已对接', '常态运行']", {"k": "已对接"}) is True
    assert ev("k in ['已对接', '常态运行']", {"k": "未对接"}) is False
    assert ev("k not in ['已对接']", {"k": "未对接"}) is True
    assert ev("period_kind != 'quarter'", {}) is False
    assert ev("unit in ['SCJGJ', 'FY']", {}) is True


def test_table_functions():
    rows = [{"g": 3, "r": "成功"}, {"g": None, "r": "成功"}, {"g": Decimal("1.5"), "r": "撤回"}]
    assert ev("sum(t, 'g') == 4.5", tables={"t": rows}) is True
    assert ev("count(t) == 3", tables={"t": rows}) is True
    assert ev("count_if(t, 'r', '成功') == 2", tables={"t": rows}) is True
    assert ev("count_if(t, 'r', ['成功', '撤回']) == 3", tables={"t": rows}) is True
    assert ev("count(t) == 0 and sum(t, 'g') == 0", tables={"t": []}) is True
    assert ev("count(t) == 0", tables={}) is True  # a table with no rows at all


def test_row_names_shadow_fields_in_row_rules():
    assert ev(
        "closed_on >= filed_on",
        {"closed_on": "2020-01-01"},
        row={"closed_on": "2025-05-01", "filed_on": "2025-04-01"},
    )
    assert ev("closed_on >= filed_on", row={"closed_on": None, "filed_on": "2025-04-01"}) is None


def test_prev():
    assert ev("x <= 10 * prev('x')", {"x": 100}, previous={"x": 10}) is True
    assert ev("x <= 10 * prev('x')", {"x": 101}, previous={"x": 10}) is False
    assert ev("x <= 10 * prev('x')", {"x": 101}, previous={}) is None
    assert ev("prev('x') > 0", {}, previous={"x": 0}) is False


def test_min_max_abs_len():
    assert ev("max(a, b, c) <= t", {"a": 1, "b": 5, "c": 2, "t": 5}) is True
    assert ev("max(a, b) <= t", {"a": 1, "t": 5}) is None
    assert ev("abs(a - b) < 2", {"a": 3, "b": 4}) is True
    assert ev("len(s) == 2", {"s": "雁塔"}) is True


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("__import__('os')", "不允许的函数"),
        ("open('x')", "不允许的函数"),
        ("a.b", "Attribute"),
        ("a[0]", "Subscript"),
        ("a ** 2", "Pow"),
        ("a if b else c", "IfExp"),
        ("[x for x in t]", "ListComp"),
        ("{'a': 1}", "Dict"),
        ("f'{a}'", "JoinedStr"),
        ("a := 1", "语法错误"),
        ("None == a", "不允许的常量"),
        ("sum(t, col='g')", "关键字参数"),
        ("prev(x)", "带引号的字段名"),
        ("count()", "需要1个参数"),
        ("count_if(t, 'c')", "需要3个参数"),
        ("min()", "需要至少1个参数"),
        ("sum(t, g)", "带引号的字段名"),
        ("", "语法错误"),
    ],
)
def test_unsafe_or_malformed_expressions_refused_at_compile_time(source, fragment):
    with pytest.raises(ExprError, match=re.escape(fragment)):
        compile_expr(source)


def test_prev_argument_counts_as_a_referenced_name():
    assert compile_expr("x <= 10 * prev('y')").names == {"x", "y"}
    assert compile_expr("sum(t, 'g') > count(u)").names == {"t", "u"}


# ---- JSON Schema export ----------------------------------------------------------------------


def _conforms(value: Any, schema: dict, root: dict, where: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords pydantic emits (jsonschema is not a dependency)."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        results = [_conforms(value, s, root, where) for s in schema["anyOf"]]
        return [] if any(not r for r in results) else min(results, key=len)
    problems: list[str] = []
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if kind and not checks[kind](value):
        return [f"{where}: 应为 {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: 不在 {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: 应为 {schema['const']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        problems.append(f"{where}: 不符合 {schema['pattern']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        problems.append(f"{where}: 小于 {schema['minimum']}")
    if "minLength" in schema and isinstance(value, str) and len(value) < schema["minLength"]:
        problems.append(f"{where}: 太短")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        problems += [f"{where}: 缺少 {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            problems += [f"{where}: 多余的键 {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                problems += _conforms(v, props[k], root, f"{where}.{k}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{where}: 条目太少")
        for i, v in enumerate(value):
            problems += _conforms(v, schema.get("items", {}), root, f"{where}[{i}]")
    return problems


def test_schema_export_describes_the_form_files(tmp_path):
    out = tmp_path / "schema"
    result = yanta("forms", "schema", "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["common.schema.json", "form.schema.json", "plan.schema.json"]
    form_schema = json.loads((out / "form.schema.json").read_text(encoding="utf-8"))
    common_schema = json.loads((out / "common.schema.json").read_text(encoding="utf-8"))
    plan_schema = json.loads((out / "plan.schema.json").read_text(encoding="utf-8"))
    try:
        import jsonschema  # type: ignore[import-not-found]
    except ImportError:
        jsonschema = None

    def check(data: Any, schema: dict) -> list[str]:
        if jsonschema is not None:
            return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
        return _conforms(data, schema, schema)

    for n in range(1, 17):
        data, _ = load_yaml(FORMS / f"task{n:02d}.yaml")
        assert check(data, form_schema) == [], n
    assert check(load_yaml(FORMS / "common.yaml")[0], common_schema) == []
    assert check(load_yaml(FORMS / "plan.yaml")[0], plan_schema) == []
    # and the schema does refuse what the loader refuses
    task01, _ = load_yaml(FORMS / "task01.yaml")
    bad = json.loads(json.dumps(task01))
    bad["sections"][0]["fields"][0]["colour"] = "red"
    bad["cadence"] = "monthly"
    del bad["title"]
    problems = check(bad, form_schema)
    assert len(problems) >= 3, problems


def test_schema_printed_without_out():
    result = yanta("forms", "schema")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["required"] == ["format", "id", "task", "version", "title", "cadence", "sections"]
    assert doc["additionalProperties"] is False
