"""Forms for tasks 2–9: they load, their samples are valid, and bad entries are refused.

Each invalid variant starts from the task's sample (forms/samples/taskNN.json), breaks one thing
and expects the Chinese message that names the field. Every error rule and every warning rule of
these forms is exercised by at least one case (checked by the coverage tests at the end).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from tests.conftest import REPO
from yanta_desktop.forms import Form, make_context, normalise, strip_hidden, validate
from yanta_desktop.forms.loader import load_common, load_form
from yanta_desktop.forms.model import FieldType
from yanta_desktop.forms.validate import uscc_valid

FORMS = REPO / "forms"
TASKS = list(range(2, 10))
NATURAL_PERIOD = {"quarterly": "2025Q2", "half_yearly": "2025H1", "annual": "2025"}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@cache
def form(task: int) -> Form:
    return load_form(FORMS / f"task{task:02d}.yaml", load_common(FORMS / "common.yaml"))


def sample(task: int) -> dict:
    return json.loads((FORMS / "samples" / f"task{task:02d}.json").read_text(encoding="utf-8"))


def make_uscc(body17: str) -> str:
    """GB 32100-2015: append the check character (computed here, independently of the app)."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return body17 + USCC_CHARS[(31 - total % 31) % 31]


def ctx_for(plan, unit: str, period: str):
    return make_context(plan, unit, plan.period(period))


def errors(issues) -> list:
    return [i for i in issues if i.is_error]


def warnings(issues) -> list:
    return [i for i in issues if not i.is_error]


# ---- the forms -----------------------------------------------------------------------------
@pytest.mark.parametrize("task", TASKS)
def test_form_loads_and_matches_plan(plan, task: int) -> None:
    f = form(task)
    assert (f.id, f.task) == (f"task{task:02d}", task)
    assert f.title == plan.tasks[task].title
    assert f.cadence in ("quarterly", "half_yearly")
    assert f.spec.description and len(f.spec.description) > 40
    assert f.tables, "每张表单至少有一个台账"
    # every number says whether it is 时点 (stock) or 时期 (flow)
    for section in f.spec.sections:
        for fld in section.fields:
            if fld.type in (FieldType.integer, FieldType.decimal):
                assert fld.measure in ("stock", "flow"), fld.key
                helps = (fld.help or "") + (section.help or "")
                assert "时点" in helps or "时期" in helps, f"{fld.key}: 说明中应写明时点数或时期数"
    for fld in [x for s in f.spec.sections for x in s.fields]:
        if fld.type in (FieldType.integer, FieldType.decimal):
            assert fld.min is not None and fld.min >= 0, fld.key
            assert fld.unit, fld.key
        if fld.unit == "万元":
            assert fld.type == FieldType.decimal, fld.key
    # unit-specific blocks name real units that are responsible for the task
    expected = set(plan.expected_units(task))
    for block in [*f.spec.sections, *f.spec.tables]:
        for code in block.visible_to or []:
            assert code in expected, f"{block.key}: {code} 不是任务{task}的责任单位"


def test_indicator_keys_exist(plan) -> None:
    """What forms/plan.yaml's indicators read from tasks 2–9 is really in those forms."""
    f2 = form(2)
    indicator = f2.spec.sections[0]
    assert indicator.visible_to == ["SCJGJ"]
    keys = {x.key: x for x in indicator.fields}
    for key, unit in (("valid_trademarks", "件"), ("market_entities", "户")):
        assert keys[key].type == FieldType.integer and keys[key].measure == "stock" and keys[key].unit == unit
    assert {"未启动", "筹建", "已挂牌运行", "已验收"} <= set(f2.field("station_status").choices or [])
    for task, table in ((4, "projects"), (5, "transfers"), (6, "pledges")):
        t = form(task).table(table)
        assert "registration_no" in [c.key for c in t.columns]
        assert t.unique == ["registration_no"]
    demo = form(7).field("new_national_demo_firms")
    assert (demo.type, demo.measure, demo.basis, demo.required) == (FieldType.integer, "flow", "new", True)
    assert form(7).field("new_national_demo_firms").visible_to is None
    assert all(s.visible_to is None for s in form(7).spec.sections if "new_national_demo_firms" in [x.key for x in s.fields])
    for ind in plan.indicators:
        for op in [ind.numerator, *ind.denominators]:
            if op.task in TASKS and op.field:
                fld = form(op.task).field(op.field)
                if op.values:
                    assert set(op.values) <= set(fld.choices or [])
            for src in op.sources:
                if src.task in TASKS:
                    assert src.column in [c.key for c in form(src.task).table(src.table).columns]


# ---- the samples ---------------------------------------------------------------------------
@pytest.mark.parametrize("task", TASKS)
def test_sample_is_clean_for_ip_bureau(plan, task: int) -> None:
    data = sample(task)
    assert data["evidence"] == []
    clean, problems = normalise(form(task), data)
    assert problems == []
    assert clean == data, "样例已是规范形式（整数为 int，金额为两位小数文本）"
    for period in {"2025Q2", NATURAL_PERIOD[form(task).cadence]}:
        ctx = ctx_for(plan, "SCJGJ", period)
        assert validate(form(task), ctx, data) == [], period
        assert strip_hidden(form(task), ctx, data) == data, "样例只含区知识产权局可见的内容"
    assert min(len(rows) for rows in data["tables"].values()) >= 2
    assert max(len(rows) for rows in data["tables"].values()) <= 5


@pytest.mark.parametrize("task", TASKS)
def test_sample_valid_for_every_responsible_unit_after_strip(plan, task: int) -> None:
    units = plan.expected_units(task)
    assert len(units) >= 2
    period = NATURAL_PERIOD[form(task).cadence]
    for unit in units:
        ctx = ctx_for(plan, unit, period)
        stripped = strip_hidden(form(task), ctx, sample(task))
        assert errors(validate(form(task), ctx, stripped)) == [], unit


def test_sample_credit_codes_are_valid() -> None:
    for task in TASKS:
        f = form(task)
        for table in f.tables:
            for col in (c for c in table.columns if c.type == FieldType.uscc):
                for row in sample(task)["tables"].get(table.key, []):
                    if col.key in row:
                        assert uscc_valid(row[col.key]), (task, table.key, row[col.key])


# ---- invalid variants ----------------------------------------------------------------------
Op = tuple


def apply(data: dict, ops: list[Op]) -> dict:
    data = copy.deepcopy(data)
    for op in ops:
        kind = op[0]
        if kind == "set":
            data["values"][op[1]] = op[2]
        elif kind == "del":
            data["values"].pop(op[1])
        elif kind == "cell":
            _, table, row, col, value = op
            if value is None:
                data["tables"][table][row].pop(col)
            else:
                data["tables"][table][row][col] = value
        elif kind == "drop":
            data["tables"][op[1]].pop(op[2])
        elif kind == "add":
            data["tables"].setdefault(op[1], []).append(op[2])
        else:  # pragma: no cover - a typo in a case
            raise AssertionError(kind)
    return data


@dataclass
class Case:
    task: int
    name: str
    ops: list[Op]
    key: str  # Issue.key expected
    message: str  # substring of the Chinese message
    unit: str = "SCJGJ"
    period: str | None = None
    rule: str | None = None  # the rule key this case breaks
    previous: dict | None = None


def _bad_uscc(code: str) -> str:
    last = USCC_CHARS[(USCC_CHARS.index(code[-1]) + 1) % 31]
    return code[:-1] + last


INVALID: list[Case] = [
    # task 2 培育知名商标品牌
    Case(2, "负数", [("set", "valid_trademarks", -5)], "valid_trademarks", "“有效注册商标量”不能小于 0"),
    Case(2, "类型错误", [("set", "market_entities", "二十六万")], "market_entities", "“实有市场（经营）主体户数”应为整数"),
    Case(2, "整数带小数", [("set", "madrid_applications", "6.5")], "madrid_applications", "“本期马德里商标国际注册申请量”应为整数，不能有小数"),
    Case(2, "其中大于总数", [("set", "well_known_marks_new", 20)], "well_known_marks_new", "本期新认定驰名商标不能大于驰名商标拥有量", rule="well_known_new_le_total"),
    Case(2, "服务企业多于次数", [("set", "station_served_firms", 80)], "station_served_firms", "指导站服务企业数（家）不能大于服务次数", rule="served_firms_le_services"),
    Case(2, "验收早于挂牌", [("set", "station_status", "已验收"), ("set", "station_accepted_on", "2025-04-01")], "station_accepted_on", "验收日期不能早于挂牌日期", rule="opened_before_accepted"),
    Case(2, "商标注册号重复", [("cell", "brands", 2, "trademark_no", "48213576")], "brands[3].trademark_no", "品牌主体台账 第3行：商标注册号与第1行重复"),
    Case(2, "缺必填", [("del", "valid_trademarks")], "valid_trademarks", "请填写“有效注册商标量”"),
    Case(2, "信用代码错", [("cell", "brands", 0, "credit_code", _bad_uscc("91610113MAQWD18Y6T"))], "brands[1].credit_code", "“统一社会信用代码”不是有效的统一社会信用代码"),
    Case(2, "挂牌后须填挂牌日期", [("del", "station_opened_on")], "station_opened_on", "请填写“挂牌日期”"),
    Case(2, "验收后须填验收日期", [("set", "station_status", "已验收")], "station_accepted_on", "请填写“验收日期”"),
    Case(2, "选项不存在", [("set", "station_status", "已建成")], "station_status", "“已建成”不是可选项"),
    Case(2, "商标注册号格式", [("cell", "brands", 0, "trademark_no", "第48213576号")], "brands[1].trademark_no", "应为5—9位数字的商标注册号"),
    Case(2, "尼斯分类越界", [("cell", "brands", 1, "nice_class", 46)], "brands[2].nice_class", "“尼斯分类”不能大于 45"),
    Case(2, "台账缺必填列", [("cell", "brands", 1, "brand_type", None)], "brands[2].brand_type", "品牌主体台账 第2行：请填写“品牌类型”"),
    Case(2, "户数为0", [("set", "market_entities", 0)], "market_entities", "“实有市场（经营）主体户数”不能小于 1"),
    # task 3 培育精品版权
    Case(3, "正版多于检查", [("set", "computers_licensed", 4000)], "computers_licensed", "正版计算机台数不能大于检查计算机台数", rule="licensed_le_checked"),
    Case(3, "新增示范多于拥有量", [("set", "demo_new_national", 8)], "demo_units_total", "本期新增版权示范单位之和不能大于示范单位拥有量", rule="demo_new_le_total"),
    Case(3, "国企达标多于总数", [("set", "soe_total", 12), ("set", "soe_compliant", 13)], "soe_compliant", "正版化达标的国有企业不能多于区属国有企业总数", unit="CZJ", rule="soe_compliant_le_total"),
    Case(3, "金融达标多于检查", [("set", "fin_checked", 5), ("set", "fin_compliant", 6)], "fin_compliant", "正版化达标的金融机构不能多于检查的金融机构", unit="JRB", rule="fin_compliant_le_checked"),
    Case(3, "行内正版多于抽查", [("cell", "checks", 1, "sampled_licensed", 31)], "checks[2].sampled_licensed", "软件正版化检查台账 第2行：其中正版台数不能大于抽查台数", rule="licensed_le_sampled"),
    Case(3, "整改早于检查", [("cell", "checks", 1, "rectified_on", "2025-05-01")], "checks[2].rectified_on", "整改完成日期不能早于检查日期", rule="rectified_after_check"),
    Case(3, "已整改须填日期", [("cell", "checks", 3, "rectified", True)], "checks[4].rectified_on", "软件正版化检查台账 第4行：请填写“整改完成日期”"),
    Case(3, "同日重复检查", [("cell", "checks", 1, "unit_name", "雁塔区教育局"), ("cell", "checks", 1, "checked_on", "2025-04-16"), ("cell", "checks", 1, "rectified_on", "2025-05-01")], "checks[2].unit_name", "被检查单位、检查日期与第1行重复"),
    Case(3, "金额小数过多", [("set", "trade_amount", "865.405")], "trade_amount", "“本期版权交易金额”最多保留 2 位小数"),
    Case(3, "布尔值错误", [("cell", "checks", 0, "os_ok", "可能")], "checks[1].os_ok", "“操作系统正版”应为“是”或“否”"),
    Case(3, "半年报缺综述", [("del", "progress_summary")], "progress_summary", "请填写“工作进展综述”", period="2025H1"),
    Case(3, "信用代码错", [("cell", "checks", 0, "credit_code", "12610000302940727")], "checks[1].credit_code", "不是有效的统一社会信用代码"),
    # task 4 加强雁塔全域秦创原建设
    Case(4, "涉知识产权合同多于总数", [("set", "ip_contracts", 200)], "ip_contracts", "涉及知识产权的技术合同份数不能大于技术合同登记总份数", rule="ip_contracts_le_total"),
    Case(4, "涉知识产权金额多于总额", [("set", "ip_contract_amount", "60000.00")], "ip_contract_amount", "涉及知识产权的合同成交额不能大于技术合同成交总额", rule="ip_amount_le_total"),
    Case(4, "落地项目少于台账", [("set", "conversion_projects", 3)], "conversion_projects", "本期科技成果转化落地项目数少于“转化项目台账”的条数", rule="projects_cover_list"),
    Case(4, "高企新增多于总数", [("set", "new_high_tech_firms", 9), ("set", "high_tech_firms_total", 8)], "new_high_tech_firms", "本期新认定高新技术企业不能大于有效期内高新技术企业总数", unit="KGJ", rule="new_high_tech_le_total"),
    Case(4, "登记号重复", [("cell", "projects", 3, "registration_no", "2025610113000123")], "projects[4].registration_no", "转化项目台账 第4行：合同登记号/备案号与第1行重复"),
    Case(4, "登记号格式", [("cell", "projects", 0, "registration_no", "2025 6101 1300")], "projects[1].registration_no", "“合同登记号/备案号”应为6—40位大写字母、数字或连字符"),
    Case(4, "专利号格式", [("cell", "projects", 1, "patent_nos", "CN112233445A")], "projects[2].patent_nos", "专利号格式应为 ZL202310012345.6"),
    Case(4, "转让须填专利号", [("cell", "projects", 1, "patent_nos", None)], "projects[2].patent_nos", "转化项目台账 第2行：请填写“涉及专利号”"),
    Case(4, "承接主体代码错", [("cell", "projects", 0, "receiver_code", _bad_uscc("91610113MAPBRNYT66"))], "projects[1].receiver_code", "“承接主体信用代码”不是有效的统一社会信用代码"),
    Case(4, "缺成交额", [("del", "tech_contract_amount")], "tech_contract_amount", "请填写“本期技术合同成交额”"),
    Case(4, "负金额", [("cell", "projects", 0, "amount", "-1.00")], "projects[1].amount", "“合同金额”不能小于 0"),
    # task 5 培育专利密集型产业
    Case(5, "认定多于备案", [("set", "dense_products_certified", 18)], "dense_products_certified", "通过认定的专利密集型产品不能多于备案数", rule="certified_le_filed"),
    Case(5, "转让次数少于台账", [("set", "patent_assignments", 0)], "patent_assignments", "本期专利转让次数少于台账中“转让”的条数", rule="assignments_cover_list"),
    Case(5, "许可次数少于台账", [("set", "patent_licenses", 1)], "patent_licenses", "本期专利许可次数少于台账中各类许可的条数", rule="licenses_cover_list"),
    Case(5, "导航结束早于开始", [("cell", "nav_list", 2, "end_on", "2024-09-30")], "nav_list[3].end_on", "专利导航项目 第3行：结束日期不能早于开始日期", rule="end_after_start"),
    Case(5, "专利号格式", [("cell", "transfers", 0, "patent_no", "ZL2019101234567")], "transfers[1].patent_no", "“专利号”专利号格式应为 ZL202310012345.6"),
    Case(5, "备案号重复", [("cell", "transfers", 2, "registration_no", "X2025610000123")], "transfers[3].registration_no", "转让登记号/许可备案号与第2行重复"),
    Case(5, "基地运行须填名称", [("set", "nav_base_status", "已建成运行"), ("del", "nav_base_name")], "nav_base_name", "请填写“专利导航服务基地名称”"),
    Case(5, "受让人代码错", [("cell", "transfers", 1, "transferee_code", "91610113MAT2FQ813")], "transfers[2].transferee_code", "“受让人信用代码”不是有效的统一社会信用代码"),
    Case(5, "导航项目名称重复", [("cell", "nav_list", 1, "nav_name", "雁塔区电子元器件产业专利导航")], "nav_list[2].nav_name", "专利导航项目 第2行：项目名称与第1行重复"),
    # task 6 推进知识产权资本化运营
    Case(6, "惠及企业多于笔数", [("set", "patent_pledge_firms", 15)], "patent_pledge_firms", "专利质押惠及企业数不能大于质押笔数", rule="patent_firms_le_pledges"),
    Case(6, "惠及主体多于笔数", [("set", "trademark_pledge_entities", 7), ("set", "trademark_small_entities", 4)], "trademark_pledge_entities", "商标质押惠及主体数不能大于质押笔数", rule="trademark_entities_le_pledges"),
    Case(6, "小微多于主体", [("set", "trademark_small_entities", 7)], "trademark_small_entities", "其中餐饮、文旅等小微企业和个体工商户不能多于商标质押惠及主体总数", rule="small_le_entities"),
    Case(6, "专利笔数少于台账", [("set", "patent_pledges", 1), ("set", "patent_pledge_firms", 1)], "patent_pledges", "本期专利质押笔数少于质押融资台账中“专利”质押的条数", rule="patent_pledges_cover_list"),
    Case(6, "商标笔数少于台账", [("set", "trademark_pledges", 1), ("set", "trademark_pledge_entities", 1), ("set", "trademark_small_entities", 1)], "trademark_pledges", "本期商标质押笔数少于质押融资台账中“商标”质押的条数", rule="trademark_pledges_cover_list"),
    Case(6, "金额为0", [("cell", "pledges", 0, "amount", "0")], "pledges[1].amount", "“融资金额”不能小于 0.01"),
    Case(6, "质押登记号重复", [("cell", "pledges", 1, "registration_no", "Y2025610000321")], "pledges[2].registration_no", "质押融资台账 第2行：质押登记号与第1行重复"),
    Case(6, "出质人代码错", [("cell", "pledges", 3, "pledgor_code", "92610113726568180")], "pledges[4].pledgor_code", "“出质人信用代码”不是有效的统一社会信用代码"),
    Case(6, "质押登记号格式", [("cell", "pledges", 2, "registration_no", "y2025")], "pledges[3].registration_no", "“质押登记号”应为6—40位大写字母、数字或连字符"),
    Case(6, "质物类型不存在", [("cell", "pledges", 2, "collateral", "股权")], "pledges[3].collateral", "“股权”不是可选项"),
    Case(6, "台账缺登记号", [("cell", "pledges", 0, "registration_no", None)], "pledges[1].registration_no", "质押融资台账 第1行：请填写“质押登记号”"),
    # task 7 完善知识产权管理体系
    Case(7, "缺新增示范企业", [("del", "new_national_demo_firms")], "new_national_demo_firms", "请填写“本期新增国家知识产权示范企业、优势企业（合计）”"),
    Case(7, "分项之和不等于合计", [("set", "new_national_advantage_only", 2)], "new_national_demo_firms", "国家知识产权示范企业与优势企业之和应等于本期新增合计", rule="parts_sum_to_total"),
    Case(7, "合计少于台账", [("set", "new_national_demo_firms", 1), ("set", "new_national_advantage_only", 0)], "new_national_demo_firms", "少于“认定/认证企业台账”中国家级称号的条数", rule="national_cover_list"),
    Case(7, "办结多于承办", [("set", "decisions_done", 8)], "decisions_done", "已办结的议定事项不能多于承办事项", rule="done_le_assigned"),
    Case(7, "企业称号重复", [("cell", "firms", 2, "credit_code", "91610113MADFJ06E06"), ("cell", "firms", 2, "designation", "国家知识产权优势企业")], "firms[3].credit_code", "统一社会信用代码、称号/认证与第2行重复"),
    Case(7, "负数", [("set", "aid_stations", -1)], "aid_stations", "“知识产权维权援助工作站”不能小于 0"),
    Case(7, "有规范化市场须填级别", [("del", "standard_market_level")], "standard_market_level", "请填写“规范化市场最高级别”"),
    Case(7, "类型错误", [("set", "new_national_demo_firms", "两家")], "new_national_demo_firms", "应为整数"),
    Case(7, "其他成员单位也须填新增数", [("del", "new_national_demo_firms")], "new_national_demo_firms", "请填写“本期新增国家知识产权示范企业、优势企业（合计）”", unit="FGW"),
    Case(7, "企业代码错", [("cell", "firms", 0, "credit_code", "91610113MAPBRNYT6")], "firms[1].credit_code", "不是有效的统一社会信用代码"),
    # task 8 加强政策衔接融合
    Case(8, "政策数少于台账", [("set", "new_policies", 1), ("set", "policies_with_ip", 1)], "new_policies", "本期新出台/修订政策文件数少于“政策文件”台账的条数", rule="policies_cover_list"),
    Case(8, "含知识产权条款多于总数", [("set", "policies_with_ip", 3)], "policies_with_ip", "含知识产权条款的政策不能多于新出台政策总数", rule="ip_le_policies"),
    Case(8, "含条款少于台账", [("set", "policies_with_ip", 1)], "policies_with_ip", "含知识产权条款的政策数少于“政策文件”台账中标为含知识产权条款的条数", rule="ip_clause_list"),
    Case(8, "主体多于项目", [("set", "award_entities", 42)], "award_entities", "惠及主体数不能大于奖补项目数", rule="entities_le_projects"),
    Case(8, "兑现台账超过资金", [("set", "award_funds", "50.00")], "award_funds", "“奖补兑现台账”金额合计不能大于本期兑现奖补资金", rule="payouts_le_funds"),
    Case(8, "拨付超过预算", [("set", "ip_budget", "500.00"), ("set", "ip_budget_paid", "600.00")], "ip_budget_paid", "累计拨付不能大于年度预算", unit="CZJ", rule="paid_le_budget"),
    Case(8, "文号格式", [("cell", "policies", 0, "doc_no", "雁政发[2025]7号")], "policies[1].doc_no", "文号格式应为 雁政发〔2024〕4号"),
    Case(8, "文号重复", [("cell", "policies", 1, "doc_no", "雁政发〔2025〕7号")], "policies[2].doc_no", "政策文件 第2行：文号与第1行重复"),
    Case(8, "受奖补主体代码错", [("cell", "payouts", 2, "recipient_code", _bad_uscc("91610113MAT2FQ813J"))], "payouts[3].recipient_code", "不是有效的统一社会信用代码"),
    Case(8, "缺含条款标记", [("cell", "policies", 1, "has_ip_clause", None), ("set", "policies_with_ip", 1)], "policies[2].has_ip_clause", "政策文件 第2行：请填写“含知识产权条款”"),
    Case(8, "缺政策数", [("del", "new_policies")], "new_policies", "请填写“本期新出台/修订政策文件”"),
    # task 9 构建知识产权协同保护格局
    Case(9, "问题多于抽查", [("set", "random_problems", 121)], "random_problems", "“双随机”发现问题户数不能大于抽查户次", rule="problems_le_checks"),
    Case(9, "公示多于抽查", [("set", "checks_published", 121)], "checks_published", "抽查结果已公示户次不能大于抽查户次", rule="published_le_checks"),
    Case(9, "法院审结超过在办", [("set", "court_pending_start", 10), ("set", "civil_received", 20), ("set", "criminal_received", 1), ("set", "admin_received", 0), ("set", "civil_closed", 30), ("set", "criminal_closed", 2), ("set", "admin_closed", 0)], "civil_closed", "本期审结案件总数不能大于上期末未结与本期新收之和", unit="FY", rule="court_closed_le_caseload"),
    Case(9, "调撤多于审结", [("set", "civil_closed", 5), ("set", "mediated_withdrawn", 6)], "mediated_withdrawn", "调解、撤诉结案数不能大于审结民事案件数", unit="FY", rule="mediated_le_civil"),
    Case(9, "批捕多于受理", [("set", "arrest_reviews", 2), ("set", "arrests_approved", 3), ("set", "arrest_persons", 4)], "arrests_approved", "批准逮捕件数不能大于受理审查逮捕件数", unit="JCY", rule="approved_le_reviews"),
    Case(9, "起诉多于受理", [("set", "prosecution_reviews", 1), ("set", "prosecutions", 2)], "prosecutions", "提起公诉件数不能大于受理审查起诉件数", unit="JCY", rule="prosecutions_le_reviews"),
    Case(9, "立案多于受理", [("set", "referrals_received", 2), ("set", "referrals_filed", 3)], "referrals_filed", "立案数不能大于受理行政机关移送案件数", unit="GAFJ", rule="filed_le_received"),
    Case(9, "移送接收相同", [("cell", "referrals", 0, "to_unit", "区市场监管局（区知识产权局）")], "referrals[1].to_unit", "移送单位与接收单位不能相同", rule="different_units"),
    Case(9, "案件编号重复", [("cell", "referrals", 1, "case_no", "雁市监处罚〔2025〕58号")], "referrals[2].case_no", "行刑衔接/联合执法案件台账 第2行：案件编号与第1行重复"),
    Case(9, "不予立案须填理由", [("cell", "referrals", 2, "not_filed_reason", None)], "referrals[3].not_filed_reason", "请填写“不予立案理由”"),
    Case(9, "负数", [("set", "joint_actions", -2)], "joint_actions", "“本期参与联合执法行动”不能小于 0"),
    Case(9, "金额非数字", [("cell", "referrals", 0, "case_value", "约三十万")], "referrals[1].case_value", "“涉案金额”应为数字"),
    Case(9, "缺填报人电话", [("set", "phone", "85212345")], "phone", "“联系电话”应为11位手机号或带区号的座机号"),
]


@pytest.mark.parametrize("case", INVALID, ids=[f"task{c.task:02d}-{c.name}" for c in INVALID])
def test_invalid_variant_is_refused(plan, case: Case) -> None:
    f = form(case.task)
    ctx = ctx_for(plan, case.unit, case.period or NATURAL_PERIOD[f.cadence])
    base = strip_hidden(f, ctx, sample(case.task))
    assert errors(validate(f, ctx, base)) == []  # the case, not the sample, is what breaks
    issues = errors(validate(f, ctx, apply(base, case.ops)))
    hits = [i for i in issues if i.key == case.key and case.message in i.message]
    assert hits, [(i.key, i.message) for i in issues]
    if case.rule:
        rule = _rule(f, case.rule)
        assert rule.level == "error"
        assert any(rule.message in i.message for i in hits)


VALID_VARIANTS: list[tuple[int, str, list[Op]]] = [
    (5, "一份许可合同涉及两件专利", [("cell", "transfers", 1, "patent_no", "ZL202410011111.6；ZL202310456789.0")]),
    (9, "其他单位之间的移送", [("cell", "referrals", 0, "from_unit", "其他"), ("cell", "referrals", 0, "to_unit", "其他")]),
    (2, "指导站未启动：不填依托单位、挂牌日期", [("set", "station_status", "未启动"), ("del", "station_host"), ("del", "station_opened_on"), ("del", "station_served_firms"), ("del", "station_services")]),
    (3, "未整改：不填整改日期", [("cell", "checks", 1, "rectified", False), ("cell", "checks", 1, "rectified_on", None)]),
    (4, "自行实施：不填专利号", [("cell", "projects", 1, "mode", "自行实施"), ("cell", "projects", 1, "patent_nos", None)]),
    (7, "没有新增国家示范企业（填0）", [("set", "new_national_demo_firms", 0), ("set", "new_national_demo_only", 0), ("set", "new_national_advantage_only", 0), ("drop", "firms", 1), ("drop", "firms", 0)]),
    (8, "本期无新政策（填0）", [("set", "new_policies", 0), ("set", "policies_with_ip", 0), ("drop", "policies", 1), ("drop", "policies", 0)]),
    (6, "全角数字与千分位", [("set", "patent_pledge_amount", "９，６５０"), ("set", "patent_pledges", "１４")]),
]


@pytest.mark.parametrize(("task", "name", "ops"), VALID_VARIANTS, ids=[f"task{t:02d}-{n}" for t, n, _ in VALID_VARIANTS])
def test_valid_variant_is_accepted(plan, task: int, name: str, ops: list[Op]) -> None:
    f = form(task)
    ctx = ctx_for(plan, "SCJGJ", NATURAL_PERIOD[f.cadence])
    issues = validate(f, ctx, apply(sample(task), ops))
    assert errors(issues) == [], [(i.key, i.message) for i in issues]


def test_unit_blocks_are_stripped_for_other_units(plan) -> None:
    """A court-only figure typed on the IP bureau's machine is dropped, and its rule is not applied."""
    f = form(9)
    figures = {"court_pending_start": 0, "civil_received": 3, "civil_closed": 9, "criminal_received": 0, "criminal_closed": 0, "admin_received": 0, "admin_closed": 0}
    court = apply(sample(9), [("set", k, v) for k, v in figures.items()])
    fy, scjgj = ctx_for(plan, "FY", "2025Q2"), ctx_for(plan, "SCJGJ", "2025Q2")
    assert any(i.key == "civil_closed" for i in errors(validate(f, fy, strip_hidden(f, fy, court))))
    stripped = strip_hidden(f, scjgj, court)
    assert "civil_closed" not in stripped["values"]
    assert validate(f, scjgj, stripped) == []
    # and the administrative block is not the court's
    assert "random_checks" not in strip_hidden(f, fy, court)["values"]


@pytest.mark.parametrize(
    ("task", "ops", "hidden"),
    [
        (2, [("set", "station_status", "筹建")], ["station_opened_on", "station_served_firms", "station_services"]),
        (2, [("set", "station_status", "未启动")], ["station_host", "station_opened_on"]),
        (5, [("set", "nav_base_status", "未启动")], ["nav_base_name"]),
    ],
)
def test_fields_hidden_unless_answer(plan, task: int, ops: list[Op], hidden: list[str]) -> None:
    f = form(task)
    ctx = ctx_for(plan, "SCJGJ", NATURAL_PERIOD[f.cadence])
    data = apply(sample(task), ops)
    stripped = strip_hidden(f, ctx, data)
    for key in hidden:
        assert key in data["values"] and key not in stripped["values"], key
        assert not any(i.key == key for i in validate(f, ctx, stripped))
    assert errors(validate(f, ctx, stripped)) == []
    if task == 2:
        assert "station_log" not in stripped["tables"]


# ---- warning rules -------------------------------------------------------------------------
def _firms(n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        code = make_uscc(f"91610113MA{i:06d}Q")
        assert uscc_valid(code)
        kind = "国家知识产权示范企业" if i % 2 == 0 else "国家知识产权优势企业"
        rows.append({"firm_name": f"西安雁塔示范企业{i + 1:02d}有限公司", "credit_code": code, "designation": kind, "recognised_on": "2025-05-30"})
    return rows


WARN: list[Case] = [
    Case(2, "商标量激增", [], "valid_trademarks", "", rule="trademarks_jump", previous={"valid_trademarks": 5000}),
    Case(2, "商标量骤降", [], "valid_trademarks", "", rule="trademarks_drop", previous={"valid_trademarks": 130000}),
    Case(2, "主体户数激增", [], "market_entities", "", rule="entities_jump", previous={"market_entities": 100000}),
    Case(2, "服务次数少于台账", [("set", "station_services", 2), ("set", "station_served_firms", 2)], "station_services", "", rule="services_from_log"),
    Case(2, "服务日期在期外", [("cell", "station_log", 0, "served_on", "2025-03-20")], "station_log[1].served_on", "", rule="served_in_period"),
    Case(2, "填报日期早于期末", [("set", "filled_on", "2025-06-01")], "filled_on", "填报日期早于报告期结束日"),
    Case(3, "检查单位少于台账", [("set", "units_checked", 2)], "units_checked", "", rule="units_from_log"),
    Case(3, "正版率低", [("set", "computers_licensed", 2800)], "computers_licensed", "", rule="low_license_rate"),
    Case(3, "软著登记激增", [], "software_registered", "", rule="registrations_jump", previous={"software_registered": 300}),
    Case(3, "检查日期在期外", [("cell", "checks", 0, "checked_on", "2024-12-20")], "checks[1].checked_on", "", rule="checked_in_period"),
    Case(4, "成交额激增", [], "tech_contract_amount", "", rule="amount_jump", previous={"tech_contract_amount": "5000.00"}),
    Case(4, "台账金额超过成交额", [("set", "tech_contract_amount", "2000.00"), ("set", "ip_contract_amount", "1500.00")], "tech_contract_amount", "", rule="list_amount_vs_total"),
    Case(4, "台账不全", [("set", "conversion_projects", 6)], "conversion_projects", "", rule="projects_list_complete"),
    Case(4, "签约日期在期外", [("cell", "projects", 0, "signed_on", "2025-03-15")], "projects[1].signed_on", "", rule="signed_in_period"),
    Case(5, "导航项目少于台账", [("set", "nav_projects", 1)], "nav_projects", "", rule="nav_from_list"),
    Case(5, "许可激增", [], "patent_licenses", "", rule="licenses_jump", previous={"patent_licenses": 1}),
    Case(5, "备案日期在期外", [("cell", "transfers", 1, "registered_on", "2025-07-02")], "transfers[2].registered_on", "", rule="registered_in_period"),
    Case(6, "台账金额超过合计", [("set", "patent_pledge_amount", "100.00")], "patent_pledge_amount", "", rule="amounts_cover_list"),
    Case(6, "质押金额激增", [], "patent_pledge_amount", "", rule="amount_jump", previous={"patent_pledge_amount": "500.00"}),
    Case(6, "商标质押单笔过大", [("set", "trademark_pledge_amount", "7000.00")], "trademark_pledge_amount", "", rule="small_pledge_size"),
    Case(6, "登记日期在期外", [("cell", "pledges", 2, "registered_on", "2025-01-27")], "pledges[3].registered_on", "", rule="registered_in_period"),
    Case(7, "会议少于台账", [("set", "group_meetings", 1)], "group_meetings", "", rule="meetings_from_list"),
    Case(7, "访问量激增", [], "app_visits", "", rule="visits_jump", previous={"app_visits": 1000}),
    Case(7, "新增示范企业过多", [("set", "new_national_demo_firms", 21), ("set", "new_national_demo_only", 11), ("set", "new_national_advantage_only", 10), ("drop", "firms", 1), ("drop", "firms", 0), *[("add", "firms", r) for r in _firms(21)]], "new_national_demo_firms", "", rule="demo_firms_many"),
    Case(7, "认定企业台账不全", [("drop", "firms", 1), ("set", "new_national_advantage_only", 1)], "new_national_demo_firms", "", rule="national_list_complete"),
    Case(7, "认定日期在期外", [("cell", "firms", 2, "recognised_on", "2024-11-11")], "firms[3].recognised_on", "", rule="recognised_in_period"),
    Case(8, "奖补资金激增", [], "award_funds", "", rule="funds_jump", previous={"award_funds": "30.00"}),
    Case(8, "印发日期在期外", [("cell", "policies", 0, "issued_on", "2024-12-30")], "policies[1].issued_on", "", rule="issued_in_period"),
    Case(8, "政策台账不全", [("set", "new_policies", 3)], "new_policies", "", rule="policies_list_complete"),
    Case(8, "拨付日期在期外", [("cell", "payouts", 0, "paid_on", "2025-07-03")], "payouts[1].paid_on", "", rule="paid_in_period"),
    Case(9, "移送数少于台账", [("set", "cases_referred", 0)], "cases_referred", "", rule="referred_from_list"),
    Case(9, "抽查激增", [], "random_checks", "", rule="checks_jump", previous={"random_checks": 10}),
    Case(9, "批捕人数少于件数", [("set", "arrest_reviews", 4), ("set", "arrests_approved", 3), ("set", "arrest_persons", 1)], "arrest_persons", "", unit="JCY", rule="arrest_persons_vs_cases"),
    Case(9, "移送日期晚于期末", [("cell", "referrals", 1, "referred_on", "2025-07-05")], "referrals[2].referred_on", "", rule="referred_in_period"),
]


def _rule(f: Form, key: str):
    for rule in [*f.spec.rules, *(r for t in f.tables for r in t.rules)]:
        if rule.key == key:
            return rule
    raise KeyError(key)


@pytest.mark.parametrize("case", WARN, ids=[f"task{c.task:02d}-{c.name}" for c in WARN])
def test_warning_rule_warns_but_does_not_block(plan, case: Case) -> None:
    f = form(case.task)
    ctx = ctx_for(plan, case.unit, case.period or NATURAL_PERIOD[f.cadence])
    base = strip_hidden(f, ctx, sample(case.task))
    previous = {"values": case.previous} if case.previous else None
    message = _rule(f, case.rule).message if case.rule else case.message
    if case.rule:
        assert _rule(f, case.rule).level == "warning"
    before = validate(f, ctx, base)
    assert not any(message in i.message for i in before)
    issues = validate(f, ctx, apply(base, case.ops), previous)
    assert errors(issues) == [], [(i.key, i.message) for i in errors(issues)]
    assert [i.key for i in warnings(issues) if message in i.message] == [case.key]


def test_jump_warnings_need_a_previous_value(plan) -> None:
    """No previous period (or a zero) means no jump warning: the first report is not suspicious."""
    f = form(2)
    ctx = ctx_for(plan, "SCJGJ", "2025Q2")
    assert validate(f, ctx, sample(2), {"values": {"valid_trademarks": 0}}) == []
    assert validate(f, ctx, sample(2), {"values": {"valid_trademarks": 60000, "market_entities": 265000}}) == []


# ---- coverage: every rule of these forms has a case ----------------------------------------
def _rules_by_level(level: str) -> set[tuple[int, str]]:
    out = set()
    for task in TASKS:
        f = form(task)
        for rule in [*f.spec.rules, *(r for t in f.tables for r in t.rules)]:
            if rule.level == level:
                out.add((task, rule.key))
    return out


def test_every_error_rule_has_an_invalid_case() -> None:
    covered = {(c.task, c.rule) for c in INVALID if c.rule}
    assert _rules_by_level("error") == covered


def test_every_warning_rule_has_a_case() -> None:
    covered = {(c.task, c.rule) for c in WARN if c.rule}
    assert _rules_by_level("warning") == covered


def test_each_form_has_the_kinds_of_checks() -> None:
    """At least one error rule, one warning rule, one unique key, one choice per form."""
    for task in TASKS:
        f = form(task)
        assert any(r.level == "error" for r in f.spec.rules), task
        assert any(r.level == "warning" for r in [*f.spec.rules, *(r for t in f.tables for r in t.rules)]), task
        assert any(t.unique for t in f.tables), task
        kinds = [c.type for t in f.tables for c in t.columns]
        assert FieldType.choice in kinds, task



# ---- robustness: nothing a clerk or a hand-edited JSON file can put in a cell crashes validation
NASTY: list[Any] = ["", " ", "=1+1", "１２", "\x00x", 1e30, True, [], ["x"], {"a": 1}, -1, "1e5", "NaN",
                    "Infinity", 10**40, "2025-02-30", "９１６１", "𠀀" * 600]


@pytest.mark.parametrize("task", TASKS)
def test_nasty_values_are_issues_not_crashes(plan, task: int) -> None:
    from yanta_desktop.forms.validate import CoerceError, coerce

    f = form(task)
    ctx = ctx_for(plan, "SCJGJ", NATURAL_PERIOD[f.cadence])
    base = sample(task)
    for fld in f.fields():
        for value in NASTY:
            data = copy.deepcopy(base)
            data["values"][fld.key] = value
            issues = validate(f, ctx, data)
            try:
                coerce(fld, value)
            except CoerceError:
                assert any(i.is_error and i.key == fld.key for i in issues), (fld.key, value)
    for table in f.tables:
        for col in table.columns:
            for value in NASTY:
                data = copy.deepcopy(base)
                rows = data["tables"].setdefault(table.key, [])
                if not rows:
                    rows.append({})
                rows[0][col.key] = value
                issues = validate(f, ctx, data)
                try:
                    coerce(col, value)
                except CoerceError:
                    assert any(i.is_error and i.key == f"{table.key}[1].{col.key}" for i in issues), (col.key, value)
