"""The work plan file (``forms/plan.yaml``, format ``yanta-plan/1``) as pydantic models."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

UnitCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_]{1,15}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(Strict):
    code: UnitCode = Field(description="稳定的单位代码（证书 CN 即此代码）")
    name: str = Field(description="规范名称")
    short_name: str | None = Field(None, description="界面上的简称")
    aliases: list[str] = Field(default_factory=list, description="方案中的其他写法，均可解析到本单位")
    kind: Literal["bureau", "street"] = "bureau"
    note: str | None = None


class GroupSpec(Strict):
    """A responsible 'unit' that is really a group: 各街办, 领导小组成员单位."""

    code: UnitCode
    name: str
    aliases: list[str] = Field(default_factory=list)
    members: list[UnitCode] = Field(min_length=1)
    note: str | None = None


class TaskSpec(Strict):
    number: int = Field(ge=1, le=16)
    title: str
    responsible: list[str] = Field(min_length=1, description="责任单位，按方案原文的写法与顺序")


class TaskGroupSpec(Strict):
    number: int = Field(ge=1, le=6)
    title: str
    tasks: list[TaskSpec] = Field(min_length=1)


class Operand(Strict):
    """Where an indicator's number comes from. Never a number a clerk types as a rate."""

    aggregate: Literal["sum", "latest", "distinct", "count_where"] = Field(
        description=(
            "sum: 时期数，对各单位、各报告期求和；latest: 时点数，取各单位截至报告期末的最新值再求和；"
            "distinct: 对台账中某列去重计数；count_where: 字段取值在 values 中的单位数"
        )
    )
    task: int | None = Field(None, ge=1, le=16)
    field: str | None = None
    sources: list[TableColumn] = Field(default_factory=list, description="distinct: 参与去重的 任务/台账/列")
    values: list[str] = Field(default_factory=list, description="count_where 的取值")
    cumulative: bool = Field(False, description="从方案起始（2024年1月）累计到报告期末，而非仅本期")
    units: list[UnitCode] | None = Field(None, description="只取这些单位的数据（如分母只取区知识产权局填报的常住人口）")

    @model_validator(mode="after")
    def _shape(self) -> Operand:
        if self.aggregate == "distinct":
            if not self.sources:
                raise ValueError("distinct 需要 sources")
        elif self.task is None or self.field is None:
            raise ValueError(f"{self.aggregate} 需要 task 与 field")
        if self.aggregate == "count_where" and not self.values:
            raise ValueError("count_where 需要 values")
        return self


class TableColumn(Strict):
    task: int = Field(ge=1, le=16)
    table: str
    column: str


class IndicatorSpec(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    unit: str
    target: Decimal
    comparison: Literal["ge", "le", "eq"] = "ge"
    target_text: str = Field(description="方案原文中的目标表述")
    numerator: Operand
    denominators: list[Operand] = Field(default_factory=list, description="分母各项之和；为空则指标值即分子")
    scale: Decimal = Decimal(1)
    decimals: int = Field(2, ge=0, le=4)
    definition: str = Field(description="口径说明")


class PhaseSpec(Strict):
    key: str
    name: str
    start: Annotated[str, StringConstraints(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
    end: Annotated[str, StringConstraints(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
    description: str


class ScheduleSpec(Strict):
    first_year: int
    last_year: int
    due_days_after_period_end: int = Field(15, ge=0, le=90, description="季度、半年报：期末后若干天截止")
    annual_due: Annotated[str, StringConstraints(pattern=r"^\d\d-\d\d$")] = Field(
        "01-15", description="年报：次年该月-日截止"
    )
    rule_text: str = Field(description="截止日期规则的中文说明")


class PlanSpec(Strict):
    format: Literal["yanta-plan/1"]
    id: str
    version: int = Field(ge=1)
    title: str
    source: str = Field(description="依据的方案文本")
    ip_bureau: UnitCode = Field(description="汇总单位（区知识产权局）的代码")
    units: list[UnitSpec]
    groups: list[GroupSpec]
    task_groups: list[TaskGroupSpec] = Field(min_length=1)
    indicators: list[IndicatorSpec]
    phases: list[PhaseSpec]
    schedule: ScheduleSpec


Operand.model_rebuild()
