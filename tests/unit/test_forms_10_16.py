"""Tasks 1 and 10–16: the form files, their sample entries, their rules and their unit-only blocks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from yanta_desktop.forms import make_context, normalise, strip_hidden, validate
from yanta_desktop.forms.loader import Form, load_common, load_form
from yanta_desktop.forms.model import FieldType
from yanta_desktop.forms.validate import Evaluator, uscc_valid

REPO = Path(__file__).resolve().parents[2]
FORMS = REPO / "forms"
TASKS = [1, 10, 11, 12, 13, 14, 15, 16]
OWN_PERIOD = {"quarterly": "2025Q2", "half_yearly": "2025H1", "annual": "2025"}


@pytest.fixture(scope="module")
def forms() -> dict[int, Form]:
    common = load_common(FORMS / "common.yaml")
    return {n: load_form(FORMS / f"task{n:02d}.yaml", common) for n in TASKS}


def sample(task: int) -> dict[str, Any]:
    return json.loads((FORMS / "samples" / f"task{task:02d}.json").read_text(encoding="utf-8"))


def ctx_for(plan, unit: str, period: str = "2025Q2"):
    return make_context(plan, unit, plan.period(period))


def edit(
    data: dict[str, Any], values: dict[str, Any] | None = None, rows: dict[str, dict[int, dict]] | None = None
):
    """A copy of ``data`` with values set (None deletes) and table cells set (1-based rows; None deletes)."""
    out = copy.deepcopy(data)
    for key, value in (values or {}).items():
        if value is None:
            out["values"].pop(key, None)
        else:
            out["values"][key] = value
    for table, changes in (rows or {}).items():
        for i, cells in changes.items():
            if i > len(out["tables"][table]):
                out["tables"][table].append(dict(out["tables"][table][0]))
            for col, value in cells.items():
                if value is None:
                    out["tables"][table][i - 1].pop(col, None)
                else:
                    out["tables"][table][i - 1][col] = value
    return out


# ---- loading and samples ------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_form_loads_with_tables_and_rules(forms, plan, task):
    form = forms[task]
    assert form.task == task and form.id == f"task{task:02d}"
    assert form.title == plan.tasks[task].title
    assert form.tables, "每张表单至少有一个可重复的台账"
    assert any(r.level == "error" for r in form.rules) and any(r.level == "warning" for r in form.rules)


@pytest.mark.parametrize("task", TASKS)
def test_every_number_says_stock_or_flow(forms, task):
    """The data dictionary: every count or amount in a section says 时点 or 时期 (and amounts are 万元 decimals)."""
    for section in forms[task].spec.sections:
        for f in section.fields:
            if f.type in (FieldType.integer, FieldType.decimal):
                assert f.measure in ("stock", "flow"), f.key
                assert f.unit, f.key
                assert f.min is not None and f.min >= 0, f.key
            if f.unit == "万元":
                assert f.type == FieldType.decimal and f.decimals == 2, f.key


@pytest.mark.parametrize("task", TASKS)
def test_no_typed_percentages(forms, task):
    """Rates are computed from counts; no form asks anyone to type a percentage."""
    form = forms[task]
    for f in form.fields() + [c for t in form.tables for c in t.columns]:
        assert f.unit not in ("%", "％"), f.key
        assert "率" not in f.label and "%" not in f.label, f.label


@pytest.mark.parametrize("task", TASKS)
def test_sample_is_canonical_and_valid_for_ip_bureau(forms, plan, task):
    form, data = forms[task], sample(task)
    clean, problems = normalise(form, data)
    assert problems == [] and clean == data, "样例应已是规范形式"
    for table in form.tables:
        rows = data["tables"].get(table.key, [])
        assert 2 <= len(rows) <= 5, table.key
        for row in rows:
            for col in table.columns:
                if col.type == FieldType.uscc and col.key in row:
                    assert uscc_valid(row[col.key])
    for period in {"2025Q2", OWN_PERIOD[form.cadence]}:
        issues = validate(form, ctx_for(plan, "SCJGJ", period), data)
        assert issues == [], [(i.level, i.key, i.message) for i in issues]


@pytest.mark.parametrize("task", TASKS)
def test_stripped_sample_is_valid_for_every_responsible_unit(forms, plan, task):
    form, data = forms[task], sample(task)
    units = plan.expected_units(task)
    assert len(units) >= 2
    for unit in units:
        ctx = ctx_for(plan, unit, OWN_PERIOD[form.cadence])
        stripped = strip_hidden(form, ctx, data)
        errors = [i for i in validate(form, ctx, stripped) if i.is_error]
        assert errors == [], (unit, [(i.key, i.message) for i in errors])


# ---- errors --------------------------------------------------------------------------------

# (task, unit, values, table edits, expected issue key, fragments of the message)
# fmt: off
INVALID = [
    pytest.param(1, "SCJGJ", {"high_value_invention_patents": 30000}, None, "high_value_invention_patents",
                 ["高价值发明专利拥有量", "不能大于有效发明专利拥有量"], id="t01-hv-gt-valid"),
    pytest.param(1, "SCJGJ", {"hv_strategic_emerging": 9000}, None, "high_value_invention_patents",
                 ["高价值发明专利的“其中”各项均不能大于总数"], id="t01-part-gt-total"),
    pytest.param(1, "SCJGJ", {"resident_population": "0"}, None, "resident_population",
                 ["“年末常住人口”", "不能小于 0.01"], id="t01-population-zero"),
    pytest.param(1, "SCJGJ", None, {"entities": {2: {"credit_code": "91610113MA6TM2EL89"}}}, "entities[2].credit_code",
                 ["重点培育主体 第2行", "统一社会信用代码与第1行重复"], id="t01-duplicate-uscc"),
    pytest.param(10, "SCJGJ", {"mediation_succeeded": 13}, None, "mediation_succeeded",
                 ["“调解成功”", "不能大于", "“受理知识产权纠纷调解”"], id="t10-success-gt-accepted"),
    pytest.param(10, "SCJGJ", {"judicial_confirmations": 10}, None, "judicial_confirmations",
                 ["“调解协议申请司法确认”", "不能大于“调解成功”"], id="t10-confirm-gt-success"),
    pytest.param(10, "SCJGJ", {"mediation_accepted": -1}, None, "mediation_accepted",
                 ["“受理知识产权纠纷调解”不能小于 0"], id="t10-negative"),
    pytest.param(10, "SCJGJ", {"mediation_accepted": "12.5"}, None, "mediation_accepted",
                 ["“受理知识产权纠纷调解”应为整数，不能有小数"], id="t10-fraction"),
    pytest.param(10, "SCJGJ", {"arbitration_cases": None}, None, "arbitration_cases",
                 ["请填写“知识产权仲裁案件”"], id="t10-arbitration-required-if"),
    pytest.param(10, "SCJGJ", None, {"mediations": {1: {"closed_on": "2025-04-01"}}}, "mediations[1].closed_on",
                 ["知识产权纠纷调解台账 第1行", "结案日期不能早于受理日期"], id="t10-row-closed-before-accepted"),
    pytest.param(10, "SCJGJ", None, {"mediations": {3: {"result": "成功"}}}, "mediations[3].closed_on",
                 ["第3行", "请填写“结案日期”"], id="t10-row-closed-required"),
    pytest.param(10, "SCJGJ", None, {"mediations": {2: {"case_no": "雁知调〔2025〕21号"}}}, "mediations[2].case_no",
                 ["第2行", "调解案件编号与第1行重复"], id="t10-duplicate-case-no"),
    pytest.param(10, "SCJGJ", None, {"mediations": {1: {"dispute_type": "域名"}}}, "mediations[1].dispute_type",
                 ["“纠纷类型”“域名”不是可选项"], id="t10-bad-choice"),
    pytest.param(10, "FY", {"fy_pre_litigation_success": 7}, None, "fy_pre_litigation_success",
                 ["“诉前调解成功”件数不能大于“诉前委派调解知识产权纠纷”"], id="t10-court-success"),
    pytest.param(10, "JCY", {"jcy_public_interest": None}, None, "jcy_public_interest",
                 ["请填写“知识产权领域公益诉讼立案”"], id="t10-jcy-required"),
    pytest.param(11, "SCJGJ", {"cases_closed": 22}, None, "cases_closed",
                 ["“本期结案”", "不能大于“本期立案”与“上期结转未结”之和"], id="t11-closed-gt-open"),
    pytest.param(11, "GAFJ", {"cases_opened": None}, None, "cases_opened",
                 ["请填写“本期立案”"], id="t11-opened-required-for-police"),
    pytest.param(11, "WLJ", {"cases_carried_over": None}, None, "cases_carried_over",
                 ["请填写“上期结转未结”"], id="t11-carried-required"),
    pytest.param(11, "SCJGJ", {"ecommerce_cases": 19}, None, "ecommerce_cases",
                 ["“其中：电商领域案件”不能大于“本期立案”"], id="t11-ecommerce"),
    pytest.param(11, "SCJGJ", {"tiequan_cases": 19}, None, "tiequan_cases",
                 ["“其中：‘铁拳’行动案件”不能大于“本期立案”件数"], id="t11-tiequan"),
    pytest.param(11, "SCJGJ", {"special_marks_cases": 19}, None, "special_marks_cases",
                 ["“其中：特殊标志、官方标志、奥林匹克标志案件”不能大于“本期立案”件数"], id="t11-special-marks"),
    pytest.param(11, "SCJGJ", {"fines": "12.345"}, None, "fines",
                 ["“罚没款金额”最多保留 2 位小数"], id="t11-decimals"),
    pytest.param(11, "XCB", {"jw_criminal_cases": 4}, None, "jw_criminal_cases",
                 ["“其中：移送刑事案件”不能大于“查处网络侵权盗版案件”"], id="t11-jianwang"),
    pytest.param(11, "JCY", {"jcy_prosecuted_persons": 1}, None, "jcy_prosecuted_persons",
                 ["“提起公诉人数”不能少于“提起公诉”件数"], id="t11-jcy-persons"),
    pytest.param(11, "SCJGJ", None, {"cases": {2: {"closed_on": "2025-04-01"}}}, "cases[2].closed_on",
                 ["知识产权案件台账 第2行", "结案日期不能早于立案日期"], id="t11-row-closed-before-filed"),
    pytest.param(11, "SCJGJ", None, {"cases": {1: {"campaign": "蓝天"}}}, "cases[1].campaign",
                 ["“专项行动”“蓝天”不是可选项", "铁拳、剑网、昆仑"], id="t11-campaign-choice"),
    pytest.param(11, "SCJGJ", None, {"cases": {2: {"credit_code": "91610113MA6XUHUXQ0"}}}, "cases[2].credit_code",
                 ["第2行", "“统一社会信用代码”不是有效的统一社会信用代码"], id="t11-uscc-check-digit"),
    pytest.param(11, "SCJGJ", None, {"cases": {1: {"decision_no": None}}}, "cases[1].decision_no",
                 ["第1行", "请填写“决定书/判决书文号”"], id="t11-decision-required-if"),
    pytest.param(11, "SCJGJ", None, {"cases": {4: {"closed_on": "2025-06-28"}}}, "cases[4].closing_type",
                 ["第4行", "请填写“结案方式”"], id="t11-closing-type-required-if"),
    pytest.param(12, "KGJ", {"consultation_people": 100}, None, "consultation_people",
                 ["“咨询服务人次”不能少于“提供知识产权公共咨询服务”次数"], id="t12-people-lt-consultations"),
    pytest.param(12, "SCJGJ", {"consultations": None}, None, "consultations",
                 ["请填写“提供知识产权公共咨询服务”"], id="t12-required"),
    pytest.param(12, "610113004", {"liaison_phone": None}, None, "liaison_phone",
                 ["请填写“联络员电话”"], id="t12-street-liaison-required-if"),
    pytest.param(12, "610113004", {"liaison_phone": "8521234"}, None, "liaison_phone",
                 ["“联络员电话”应为11位手机号或带区号的座机号"], id="t12-phone"),
    pytest.param(12, "SCJGJ", None, {"outlets": {1: {"street": "高新区"}}}, "outlets[1].street",
                 ["“所在街道”“高新区”不是可选项", "丈八街道"], id="t12-street-choice"),
    pytest.param(12, "SCJGJ", None, {"outlets": {2: {"name": "雁塔区商标品牌指导站"}}}, "outlets[2].name",
                 ["第2行", "网点名称与第1行重复"], id="t12-duplicate-outlet"),
    pytest.param(13, "SCJGJ", {"matched_deals": 0}, None, "matched_deals",
                 ["填写了“撮合交易金额”时，“撮合交易”件数应大于0"], id="t13-amount-needs-deals"),
    pytest.param(13, "KGJ", {"linked_on": None}, None, "linked_on",
                 ["请填写“对接日期”"], id="t13-linked-on-required-if"),
    pytest.param(13, "SCJGJ", None, {"platforms": {2: {"status": "已上线"}}}, "platforms[2].launched_on",
                 ["第2行", "请填写“上线日期”"], id="t13-launched-required-if"),
    pytest.param(13, "SCJGJ", {"deal_amount": "-1"}, None, "deal_amount",
                 ["“撮合交易金额”不能小于 0"], id="t13-negative-amount"),
    pytest.param(14, "SCJGJ", {"patent_attorneys": 1500}, None, "patent_attorneys",
                 ["“其中：执业专利代理师”不能大于“从业人员”"], id="t14-attorneys-gt-staff"),
    pytest.param(14, "SCJGJ", None, {"agencies": {1: {"attorneys": 90}}}, "agencies[1].attorneys",
                 ["知识产权服务机构名录 第1行", "“其中：专利代理师”不能大于“从业人员”"], id="t14-row-attorneys"),
    pytest.param(14, "SCJGJ", None, {"agencies": {1: {"licence_no": "6121"}}}, "agencies[1].licence_no",
                 ["“执业许可证号/机构代码”专利代理机构代码应为5位数字"], id="t14-licence-pattern"),
    pytest.param(14, "SCJGJ", None, {"agencies": {2: {"kind": "专利代理"}}}, "agencies[2].licence_no",
                 ["第2行", "请填写“执业许可证号/机构代码”"], id="t14-licence-required-if"),
    pytest.param(14, "JRB", {"financing_amount": None}, None, "financing_amount",
                 ["请填写“投融资服务涉及金额”"], id="t14-financing-required-if"),
    pytest.param(14, "SCJGJ", None, {"agencies": {3: {"credit_code": "91610113MA6TQEAEJ9"}}}, "agencies[3].credit_code",
                 ["第3行", "统一社会信用代码与第1行重复"], id="t14-duplicate-uscc"),
    pytest.param(15, "JYJ", {"pilot_schools": 13}, None, "pilot_schools",
                 ["“其中：全国/省级中小学知识产权教育试点示范学校”不能大于“开展知识产权教育的中小学”"], id="t15-pilot"),
    pytest.param(15, "JYJ", {"schools_with_ip_education": None, "pilot_schools": None}, None, "schools_with_ip_education",
                 ["请填写“开展知识产权教育的中小学”"], id="t15-school-required"),
    pytest.param(15, "KGJ", {"talent_base_status": "已获批"}, None, "talent_bases_approved",
                 ["请填写“获批国家知识产权人才培养基地”"], id="t15-approved-required-if"),
    pytest.param(15, "SCJGJ", {"trainings": 0}, None, "trainings",
                 ["填写了“培训人次”时，“举办知识产权培训”期数应大于0"], id="t15-trainees-need-trainings"),
    pytest.param(15, "SCJGJ", None, {"courses": {1: {"attendees": 0}}}, "courses[1].attendees",
                 ["培训活动台账 第1行", "“参训人次”不能小于 1"], id="t15-attendees-min"),
    pytest.param(15, "SCJGJ", None, {"courses": {2: {"audience": ["企业", "外星人"]}}}, "courses[2].audience",
                 ["“培训对象”“外星人”不是可选项"], id="t15-multichoice"),
    pytest.param(16, "SCJGJ", {"activities_426": 5}, None, "activities_426",
                 ["“其中：4·26知识产权宣传周活动”场次不能大于“开展宣传活动”场次"], id="t16-426-gt-total"),
    pytest.param(16, "XCB", {"activities_426": None}, None, "activities_426",
                 ["请填写“其中：4·26知识产权宣传周活动”"], id="t16-426-required-in-q2"),
    pytest.param(16, "SCJGJ", None, {"events": {2: {"report_url": "www.yanta.gov.cn/a.html"}}}, "events[2].report_url",
                 ["宣传活动台账 第2行", "报道链接应以 http:// 或 https:// 开头"], id="t16-url"),
    pytest.param(16, "SCJGJ", None, {"events": {1: {"node": "世界读书日"}}}, "events[1].node",
                 ["“宣传节点”“世界读书日”不是可选项", "4·26宣传周", "中国专利周"], id="t16-node-choice"),
    pytest.param(16, "SCJGJ", None, {"events": {3: {"name": "=HYPERLINK(\"http://x\")"}}}, "events[3].name",
                 ["“活动名称”不能以 = + @ 开头"], id="t16-formula-injection"),
]
# fmt: on


@pytest.mark.parametrize(("task", "unit", "values", "rows", "key", "fragments"), INVALID)
def test_invalid_entry_is_refused_with_a_message_naming_the_field(
    forms, plan, task, unit, values, rows, key, fragments
):
    form = forms[task]
    ctx = ctx_for(plan, unit, "2025Q2")
    base = sample(task) if unit == "SCJGJ" else strip_hidden(form, ctx, sample(task))
    assert not [i for i in validate(form, ctx, base) if i.is_error]
    issues = validate(form, ctx, edit(base, values, rows))
    hits = [i for i in issues if i.key == key and i.is_error]
    assert hits, [(i.level, i.key, i.message) for i in issues]
    message = hits[0].message
    for fragment in fragments:
        assert fragment in message, message


# ---- warnings ------------------------------------------------------------------------------

# (task, period, values, table edits, previous values, expected key, fragment)
# fmt: off
WARNINGS = [
    pytest.param(1, "2025Q2", {}, None, {"high_value_invention_patents": 800}, "high_value_invention_patents",
                 "上期的10倍以上", id="t01-jump"),
    pytest.param(1, "2025Q2", {"invention_grants": 100}, None, None, "invention_grants",
                 "小于重点培育主体台账中的授权合计", id="t01-grants-from-list"),
    pytest.param(10, "2025Q2", {}, None, {"mediation_accepted": 1}, "mediation_accepted", "上期的10倍以上", id="t10-jump"),
    pytest.param(10, "2025Q2", {"mediation_succeeded": 1, "judicial_confirmations": 1}, None, None, "mediation_succeeded",
                 "少于调解台账中结果为“成功”的条数", id="t10-success-from-list"),
    pytest.param(10, "2025Q2", {}, {"mediations": {1: {"closed_on": "2025-07-03"}}}, None, "mediations[1].closed_on",
                 "结案日期晚于报告期末", id="t10-row-closed-after-period"),
    pytest.param(10, "2025Q2", {}, {"mediations": {3: {"accepted_on": "2025-07-02"}}}, None, "mediations[3].accepted_on",
                 "受理日期晚于报告期末", id="t10-row-accepted-after-period"),
    pytest.param(11, "2025Q2", {"cases_closed": 19}, None, None, "cases_closed", "低于95%的目标", id="t11-closure-rate"),
    pytest.param(11, "2025Q2", {}, None, {"cases_opened": 1}, "cases_opened", "上期的10倍以上", id="t11-jump"),
    pytest.param(11, "2025Q2", {"cases_carried_over": 0, "cases_opened": 3, "cases_closed": 3, "ecommerce_cases": 1,
                                "tiequan_cases": 2, "special_marks_cases": 1}, None, None, "cases_opened",
                 "案件台账条数多于", id="t11-ledger-rows"),
    pytest.param(11, "2025Q2", {"fines": "500.00"}, None, None, "fines", "请核对单位是否为万元", id="t11-fines-vs-amount"),
    pytest.param(11, "2025Q2", {}, {"cases": {4: {"filed_on": "2025-07-01"}}}, None, "cases[4].filed_on",
                 "立案日期晚于报告期末", id="t11-row-filed-after-period"),
    pytest.param(11, "2025Q2", {}, {"cases": {1: {"closed_on": "2025-07-09"}}}, None, "cases[1].closed_on",
                 "结案日期晚于报告期末", id="t11-row-closed-after-period"),
    pytest.param(12, "2025H1", {"service_outlets": 5}, None, None, "service_outlets", "与网点台账条数不一致", id="t12-outlets"),
    pytest.param(12, "2025H1", {"consultations": 200}, None, None, "consultations", "少于网点台账中本期服务量合计",
                 id="t12-services-sum"),
    pytest.param(12, "2025H1", {}, {"outlets": {3: {"opened_on": "2025-07-10"}}}, None, "outlets[3].opened_on",
                 "挂牌日期晚于报告期末", id="t12-row-opened"),
    pytest.param(12, "2025H1", {}, None, {"consultations": 10}, "consultations", "上期的10倍以上", id="t12-jump"),
    pytest.param(13, "2025H1", {"matched_deals": 30}, None, {"matched_deals": 2}, "matched_deals", "上期的10倍以上",
                 id="t13-jump"),
    pytest.param(13, "2025H1", {}, None, {"platform_users": 500}, "platform_users", "比上期减少", id="t13-users-shrink"),
    pytest.param(13, "2025H1", {"linked_on": "2025-08-01"}, None, None, "linked_on", "对接日期晚于报告期末",
                 id="t13-linked-after"),
    pytest.param(13, "2025H1", {}, {"platforms": {1: {"launched_on": "2025-07-20"}}}, None, "platforms[1].launched_on",
                 "上线日期晚于报告期末", id="t13-row-launched"),
    pytest.param(14, "2025H1", {"practitioners": 140, "patent_attorneys": 100}, None, None, "practitioners",
                 "名录中从业人员合计大于", id="t14-list-staff"),
    pytest.param(14, "2025H1", {"agencies_patent": 2, "agencies_trademark": 0, "agencies_legal": 0, "agencies_info": 0,
                                "agencies_operation": 0, "agencies_other": 0}, None, None, "agencies_patent",
                 "名录条数多于各类机构数之和", id="t14-list-count"),
    pytest.param(14, "2025H1", {}, None, {"practitioners": 100}, "practitioners", "上期的10倍以上", id="t14-jump"),
    pytest.param(14, "2025H1", {"agency_interviews": 30}, None, None, "agency_interviews", "多于“检查代理机构”家次",
                 id="t14-interviews"),
    pytest.param(15, "2025H1", {"trainings": 4}, None, None, "trainings", "与培训活动台账条数不一致", id="t15-count"),
    pytest.param(15, "2025H1", {"trainees": 400}, None, None, "trainees", "参训人次合计不一致", id="t15-sum"),
    pytest.param(15, "2025H1", {}, {"courses": {1: {"held_on": "2025-07-03"}}}, None, "courses[1].held_on",
                 "培训日期不在本报告期内", id="t15-row-outside-period"),
    pytest.param(15, "2025H1", {}, None, {"trainees": 20}, "trainees", "上期的10倍以上", id="t15-jump"),
    pytest.param(16, "2025Q2", {"activities": 5}, None, None, "activities", "与宣传活动台账条数不一致", id="t16-count"),
    pytest.param(16, "2025Q2", {"activities_426": 1}, None, None, "activities_426", "少于台账中节点为“4·26宣传周”的条数",
                 id="t16-426-from-list"),
    pytest.param(16, "2025Q2", {"audience": 3000}, None, None, "audience", "少于宣传活动台账中受众人次合计",
                 id="t16-audience"),
    pytest.param(16, "2025Q2", {}, {"events": {3: {"held_on": "2025-03-28"}}}, None, "events[3].held_on",
                 "活动日期不在本报告期内", id="t16-row-outside-period"),
    pytest.param(16, "2025Q2", {}, {"events": {1: {"held_on": "2025-04-28"}}}, None, "events[1].held_on",
                 "不在当年4月20日—26日", id="t16-426-outside-week"),
    pytest.param(16, "2025Q2", {}, {"events": {2: {"held_on": "2025-04-19"}}}, None, "events[2].held_on",
                 "不在当年4月20日—26日", id="t16-426-day-before-week"),
    pytest.param(16, "2025Q2", {}, None, {"materials": 100}, "materials", "上期的10倍以上", id="t16-jump"),
]
# fmt: on


@pytest.mark.parametrize(("task", "period", "values", "rows", "previous", "key", "fragment"), WARNINGS)
def test_warning_rule_fires_as_warning_only(forms, plan, task, period, values, rows, previous, key, fragment):
    form = forms[task]
    ctx = ctx_for(plan, "SCJGJ", period)
    prev = {"values": previous} if previous else None
    issues = validate(form, ctx, edit(sample(task), values, rows), prev)
    assert [i for i in issues if i.is_error] == [], [(i.key, i.message) for i in issues if i.is_error]
    hits = [i for i in issues if i.key == key and fragment in i.message]
    assert hits and all(i.level == "warning" for i in hits), [(i.level, i.key, i.message) for i in issues]


@pytest.mark.parametrize(
    ("task", "key", "previous"),
    [
        (1, "high_value_invention_patents", {"high_value_invention_patents": 0}),  # when: prev > 0
        (1, "high_value_invention_patents", {"high_value_invention_patents": 846}),  # exactly 10×
        (11, "cases_opened", {}),  # no previous entry: not applicable
        (16, "materials", {"materials": 520}),
    ],
)
def test_jump_warning_is_quiet_without_a_comparable_previous_value(forms, plan, task, key, previous):
    issues = validate(forms[task], ctx_for(plan, "SCJGJ"), sample(task), {"values": previous})
    assert not [i for i in issues if i.key == key], issues


def test_closure_rate_exactly_95_percent_is_not_warned(forms, plan):
    """19 of 20 is 95.0%: the target is met, so no warning (the rule multiplies, never divides)."""
    data = edit(sample(11), {"cases_carried_over": 2, "cases_opened": 18, "cases_closed": 19})
    assert validate(forms[11], ctx_for(plan, "SCJGJ"), data) == []
    data = edit(
        data,
        {
            "cases_opened": 0,
            "cases_carried_over": 0,
            "cases_closed": 0,
            "ecommerce_cases": 0,
            "tiequan_cases": 0,
            "special_marks_cases": 0,
        },
    )
    issues = validate(forms[11], ctx_for(plan, "SCJGJ"), data)
    assert not [i for i in issues if "95%" in i.message]  # nothing to close: rate not applicable


@pytest.mark.parametrize("task", TASKS)
def test_every_rule_has_a_case_above(forms, task):
    """Each error rule is exercised by an INVALID case and each warning rule by a WARNINGS case."""
    form = forms[task]
    cases = {
        "error": [p.values for p in INVALID if p.values[0] == task],
        "warning": [p.values for p in WARNINGS if p.values[0] == task],
    }
    rules = [(r, "") for r in form.spec.rules] + [(r, t.key) for t in form.tables for r in t.rules]
    for rule, table in rules:
        anchor = rule.fields[0] if rule.fields else rule.key
        if rule.level == "error":
            hit = any(
                (c[4] == anchor or (table and c[4].startswith(f"{table}[") and c[4].endswith(f".{anchor}")))
                and any(fr in rule.message for fr in c[5])
                for c in cases["error"]
            )
        else:
            hit = any(
                (c[5] == anchor or (table and c[5].startswith(f"{table}[") and c[5].endswith(f".{anchor}")))
                and c[6] in rule.message
                for c in cases["warning"]
            )
        assert hit, f"task{task:02d} 规则 {rule.key}（{rule.level}）没有对应的测试用例"


# ---- the 结案率 contract -------------------------------------------------------------------


def test_task11_counts_feed_the_closure_rate_indicator(forms, plan):
    form = forms[11]
    indicator = next(i for i in plan.indicators if i.key == "case_closure_rate")
    keys = {indicator.numerator.field, *(d.field for d in indicator.denominators)}
    assert keys == {"cases_opened", "cases_closed", "cases_carried_over"}
    for unit in plan.expected_units(11):
        ev = Evaluator(form, ctx_for(plan, unit), {"values": {}, "tables": {}})
        visible = {f.key: f for f in ev.visible_fields()}
        for key in keys:
            f = visible[key]
            assert f.type == FieldType.integer and f.measure == "flow" and f.required and f.min == 0
    rule = next(r for r in form.rules if r.key == "closed_le_open")
    assert rule.level == "error" and rule.expr == "cases_closed <= cases_opened + cases_carried_over"
    assert form.cadence == "quarterly"


# ---- visibility ----------------------------------------------------------------------------

UNIT_BLOCKS = [
    # (task, field, units that see it, units that do not)
    (10, "fy_pre_litigation_mediation", ["FY"], ["SCJGJ", "JCY", "SFJ"]),
    (10, "jcy_public_interest", ["JCY"], ["SCJGJ", "FY", "GAFJ"]),
    (10, "aid_cases", ["SCJGJ"], ["FY", "WLJ"]),
    (11, "kl_cases_solved", ["GAFJ"], ["SCJGJ", "XCB", "FY"]),
    (11, "jw_online_cases", ["XCB", "WLJ"], ["SCJGJ", "GAFJ", "JCY"]),
    (11, "tiequan_cases", ["SCJGJ"], ["XCB", "WLJ", "GAFJ"]),
    (11, "enforcement_actions", ["SCJGJ", "XCB", "WLJ"], ["FY", "JCY", "GAFJ"]),
    (11, "damages_awarded", ["FY"], ["JCY", "SCJGJ"]),
    (11, "jcy_prosecuted_cases", ["JCY"], ["FY", "GAFJ"]),
    (12, "enterprises_visited", ["610113001", "610113007", "610113010"], ["SCJGJ", "KGJ", "GAFJ"]),
    (12, "resource_reports", ["SCJGJ"], ["610113001", "KGJ"]),
    (12, "govservice_items", ["XZSPJ", "SCJGJ"], ["KGJ", "610113002"]),
    (14, "agencies_patent", ["SCJGJ"], ["JRB"]),
    (15, "schools_with_ip_education", ["JYJ"], ["SCJGJ", "KGJ"]),
    (15, "talent_base_status", ["SCJGJ", "KGJ"], ["JYJ"]),
    (1, "high_value_invention_patents", ["SCJGJ"], ["KGJ", "FGW"]),
]


@pytest.mark.parametrize(("task", "key", "shown", "hidden"), UNIT_BLOCKS)
def test_unit_only_blocks_are_hidden_from_other_units(forms, plan, task, key, shown, hidden):
    form, data = forms[task], sample(task)
    assert key in data["values"]
    for unit in shown:
        ctx = ctx_for(plan, unit)
        assert key in {f.key for f in Evaluator(form, ctx, data).visible_fields()}, unit
        assert key in strip_hidden(form, ctx, data)["values"], unit
    for unit in hidden:
        ctx = ctx_for(plan, unit)
        assert key not in {f.key for f in Evaluator(form, ctx, data).visible_fields()}, unit
        assert key not in strip_hidden(form, ctx, data)["values"], unit


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        ("2025Q1", False),
        ("2025Q2", True),
        ("2025Q3", False),
        ("2025H1", True),
        ("2025H2", False),
        ("2025", True),
        ("2024Q2", True),
        ("2026Q2", True),
    ],
)
def test_426_count_only_in_periods_containing_april_26(forms, plan, period, shown):
    form, data = forms[16], sample(16)
    ctx = ctx_for(plan, "SCJGJ", period)
    assert ("activities_426" in {f.key for f in Evaluator(form, ctx, data).visible_fields()}) is shown
    assert ("activities_426" in strip_hidden(form, ctx, data)["values"]) is shown
    if not shown:  # not required where it is hidden
        issues = validate(form, ctx, strip_hidden(form, ctx, data))
        assert not [i for i in issues if i.key == "activities_426"]


@pytest.mark.parametrize(
    ("task", "answers", "key", "shown"),
    [
        (10, {"arbitration_explored": True}, "arbitration_cases", True),
        (10, {"arbitration_explored": False}, "arbitration_cases", False),
        (10, {"arbitration_explored": None}, "arbitration_cases", False),
        (13, {"link_status": "未对接"}, "linked_on", False),
        (13, {"link_status": "常态运行"}, "linked_on", True),
        (15, {"talent_base_status": "辅导培育中"}, "talent_base_applicants", False),
        (15, {"talent_base_status": "已申报"}, "talent_base_applicants", True),
        (15, {"talent_base_status": "已申报"}, "talent_bases_approved", False),
    ],
)
def test_answers_make_other_fields_relevant(forms, plan, task, answers, key, shown):
    form = forms[task]
    ctx = ctx_for(plan, "SCJGJ", "2025H1" if form.cadence == "half_yearly" else "2025Q2")
    data = edit(sample(task), answers)
    ev = Evaluator(form, ctx, normalise(form, data)[0])
    assert (key in {f.key for f in ev.visible_fields()}) is shown
    if not shown:
        issues = validate(form, ctx, edit(strip_hidden(form, ctx, data), {key: None}))
        assert not [i for i in issues if i.key == key], issues


def test_hidden_row_column_is_not_required(forms, plan):
    """task14 licence_no is only asked for 专利代理 rows; other rows pass without it."""
    data = sample(14)
    rows = data["tables"]["agencies"]
    assert rows[1]["kind"] != "专利代理" and "licence_no" not in rows[1]
    assert not [
        i for i in validate(forms[14], ctx_for(plan, "SCJGJ", "2025H1"), data) if "licence_no" in i.key
    ]
