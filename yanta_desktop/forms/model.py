"""The declarative form format (``yanta-form/1``), as pydantic models.

One YAML file per task in ``forms/``; ``forms/common.yaml`` holds the envelope every form shares
(工作进展, 存在问题, 填报人 …). ``yanta forms schema`` exports the JSON Schema of this format so an
editor can check form files as they are typed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .expr import ExprError, compile_expr

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")]


class FieldType(StrEnum):
    integer = "integer"  # 计数（件、次、人次 …）
    decimal = "decimal"  # 金额（万元）、人口（万人）…，以文本形式保存，保留 decimals 位
    text = "text"  # 单行文本
    textarea = "textarea"  # 多行文本（工作进展等）
    date = "date"  # YYYY-MM-DD
    choice = "choice"  # 单选
    multichoice = "multichoice"  # 多选
    boolean = "boolean"  # 是/否
    uscc = "uscc"  # 统一社会信用代码（18 位，含校验位）
    phone = "phone"  # 手机或座机


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_expr(value: str | None) -> str | None:
    if value is not None:
        try:
            compile_expr(value)
        except ExprError as exc:
            raise ValueError(str(exc)) from None
    return value


class FieldSpec(Strict):
    """One input: a field of a section, or a column of a record table."""

    key: Key
    label: str = Field(min_length=1, description="中文标签")
    type: FieldType
    unit: str | None = Field(None, description="单位，显示为后缀，如 件、万元、人次")
    help: str | None = Field(None, description="口径说明：时点/时期、新增/累计、数据来源")
    measure: Literal["stock", "flow"] | None = Field(None, description="stock=时点数（期末）；flow=时期数（本期）")
    basis: Literal["new", "cumulative"] | None = Field(None, description="new=新增；cumulative=累计")
    required: bool = False
    required_if: str | None = Field(None, description="满足该表达式时必填")
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = Field(2, ge=0, le=6)
    max_length: int | None = Field(None, ge=1, le=32000)
    pattern: str | None = None
    pattern_message: str | None = None
    choices: list[str] | None = None
    visible_to: list[str] | None = Field(None, description="只对这些单位代码或单位组代码显示")
    visible_if: str | None = Field(None, description="满足该表达式时才显示")
    placeholder: str | None = None

    _expr = field_validator("required_if", "visible_if")(classmethod(lambda cls, v: _check_expr(v)))

    @field_validator("pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"正则表达式无效：{exc}") from None
        return v

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.type in (FieldType.choice, FieldType.multichoice) and not self.choices:
            raise ValueError(f"字段 {self.key}: 选择题必须给出 choices")
        if self.choices and self.type not in (FieldType.choice, FieldType.multichoice):
            raise ValueError(f"字段 {self.key}: 只有选择题可以有 choices")
        if (self.min is not None or self.max is not None) and self.type not in (
            FieldType.integer,
            FieldType.decimal,
        ):
            raise ValueError(f"字段 {self.key}: 只有数字可以设置 min/max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"字段 {self.key}: min 大于 max")
        return self

    @property
    def text_limit(self) -> int:
        if self.max_length:
            return self.max_length
        return 5000 if self.type == FieldType.textarea else 500


class RuleSpec(Strict):
    """A check that must hold: ``expr`` true, else ``message`` at ``fields``."""

    key: Key
    level: Literal["error", "warning"] = "error"
    expr: str
    message: str = Field(min_length=1)
    fields: list[str] = Field(default_factory=list, description="出错时标红的字段（表内规则为列）")
    when: str | None = Field(None, description="只在满足该表达式时检查")
    visible_to: list[str] | None = None

    _expr = field_validator("expr", "when")(classmethod(lambda cls, v: _check_expr(v)))


class SectionSpec(Strict):
    key: Key
    title: str
    help: str | None = None
    visible_to: list[str] | None = None
    visible_if: str | None = None
    fields: list[FieldSpec] = Field(min_length=1)

    _expr = field_validator("visible_if")(classmethod(lambda cls, v: _check_expr(v)))


class TableSpec(Strict):
    """A repeatable list of records (cases, events, projects …)."""

    key: Key
    title: str
    help: str | None = None
    visible_to: list[str] | None = None
    visible_if: str | None = None
    columns: list[FieldSpec] = Field(min_length=1)
    min_rows: int = Field(0, ge=0)
    max_rows: int = Field(100_000, ge=1)
    unique: list[str] = Field(default_factory=list, description="这些列组合在表内不得重复（台账编号等）")
    rules: list[RuleSpec] = Field(default_factory=list, description="逐行检查的规则")

    _expr = field_validator("visible_if")(classmethod(lambda cls, v: _check_expr(v)))


class EvidenceSpec(Strict):
    """佐证材料: attachments kept by SHA-256."""

    required_if: str | None = Field("period_kind == 'year'", description="满足时至少需要一个附件")
    max_files: int = Field(50, ge=0)
    max_file_mb: int = Field(20, ge=1, le=200)
    extensions: list[str] = Field(
        default_factory=lambda: ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ofd", "wps", "et", "zip"]
    )
    kinds: list[str] = Field(
        default_factory=lambda: ["文件/通知", "会议纪要", "签到表", "照片", "台账", "合同/证书", "媒体报道", "盖章页扫描件", "其他"]
    )

    _expr = field_validator("required_if")(classmethod(lambda cls, v: _check_expr(v)))


class CommonSpec(Strict):
    """``forms/common.yaml``: the envelope appended to every task form."""

    format: Literal["yanta-common/1"]
    sections: list[SectionSpec]
    rules: list[RuleSpec] = Field(default_factory=list)


class FormSpec(Strict):
    """One task's form."""

    format: Literal["yanta-form/1"] = Field(description="表单文件格式版本")
    id: Annotated[str, StringConstraints(pattern=r"^task(0[1-9]|1[0-6])$")]
    task: int = Field(ge=1, le=16)
    version: int = Field(ge=1, description="表单版本；改动字段时加一")
    title: str
    cadence: Literal["quarterly", "half_yearly", "annual"]
    description: str | None = None
    sections: list[SectionSpec] = Field(min_length=1)
    tables: list[TableSpec] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    evidence: EvidenceSpec = Field(default_factory=EvidenceSpec)

    @model_validator(mode="after")
    def _keys(self) -> FormSpec:
        if self.id != f"task{self.task:02d}":
            raise ValueError(f"id {self.id} 与 task {self.task} 不一致")
        seen: set[str] = set()
        for key in [f.key for s in self.sections for f in s.fields] + [t.key for t in self.tables]:
            if key in seen:
                raise ValueError(f"字段键 {key} 重复")
            seen.add(key)
        for table in self.tables:
            cols = [c.key for c in table.columns]
            if len(set(cols)) != len(cols):
                raise ValueError(f"表 {table.key} 的列键重复")
            for u in table.unique:
                if u not in cols:
                    raise ValueError(f"表 {table.key}: unique 中的列 {u} 不存在")
        return self
