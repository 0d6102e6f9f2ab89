"""The three open resources and their fields: one definition that the CSV/NDJSON/JSON
writers, the Table Schemas of the data package and the docs page all read, so a field
cannot be described one way and written another."""

from dataclasses import dataclass, field
from typing import Any

# Suppressed cells and absent scores are written as an empty CSV field (null in JSON);
# the Table Schemas declare it, so a validator reads them as missing, not as zero.
MISSING_VALUES = [""]
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class OpenField:
    name: str
    type: str  # Table Schema type: integer, number, string, boolean, date, datetime, yearmonth
    zh: str
    en: str
    constraints: dict[str, Any] = field(default_factory=dict)

    def table_schema(self) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.zh,
            "description": self.en,
        }
        if self.constraints:
            spec["constraints"] = self.constraints
        return spec


@dataclass(frozen=True)
class OpenResource:
    name: str
    zh: str
    en: str
    fields: tuple[OpenField, ...]
    primary_key: tuple[str, ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def key_kinds(self) -> list[type]:
        """Python types of the primary key's parts, as a paging cursor carries them."""
        types = {f.name: f.type for f in self.fields}
        return [int if types[name] == "integer" else str for name in self.primary_key]

    def table_schema(self) -> dict[str, Any]:
        return {
            "fields": [f.table_schema() for f in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": MISSING_VALUES,
        }


_COUNT = {"minimum": 0}
_RATE = {"minimum": 0, "maximum": 1}
_LEVEL = {"minimum": 1, "maximum": 5}
_CODE = {"required": True}


def _level_counts(*, nullable: bool) -> tuple[OpenField, ...]:
    names = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
    english = {
        5: "very satisfied",
        4: "satisfied",
        3: "basically satisfied",
        2: "dissatisfied",
        1: "very dissatisfied",
    }
    constraints = _COUNT if nullable else {**_COUNT, "required": True}
    return tuple(
        OpenField(
            f"count_{level}",
            "integer",
            f"“{names[level]}”（{level} 分）的计入评价数",
            f"Counted reviews at level {level} ({english[level]})",
            constraints,
        )
        for level in range(5, 0, -1)
    )


PROVIDERS = OpenResource(
    name="providers",
    zh="服务机构评分",
    en="Provider scores",
    primary_key=("id",),
    fields=(
        OpenField(
            "id",
            "integer",
            "机构编号（稳定，不复用）",
            "Provider id (stable)",
            {"required": True, "unique": True, "minimum": 1},
        ),
        OpenField("name", "string", "机构名称", "Provider name", {"required": True}),
        OpenField("sector", "string", "行业代码", "Sector code", _CODE),
        OpenField(
            "district",
            "string",
            "区县代码（GB/T 2260）",
            "District code (GB/T 2260)",
            {"required": True, "pattern": "[0-9]{6}"},
        ),
        OpenField("address", "string", "经营地址", "Business address"),
        OpenField(
            "credit_code",
            "string",
            "统一社会信用代码",
            "Unified social credit code",
            {"required": True, "pattern": "[0-9A-HJ-NPQRTUWXY]{18}"},
        ),
        OpenField(
            "status",
            "string",
            "经营状态",
            "Trading status",
            {"required": True, "enum": ["active", "suspended", "closed"]},
        ),
        OpenField(
            "is_demo",
            "boolean",
            "是否为演示数据（生成的机构）",
            "True for generated demo providers",
        ),
        OpenField(
            "review_count",
            "integer",
            "计入评分的评价总数",
            "Counted reviews (published, not held or removed)",
            {**_COUNT, "required": True},
        ),
        *_level_counts(nullable=False),
        OpenField(
            "good_rate", "number", "好评率（4–5 分占比）", "Share of 好评 (levels 4–5)", _RATE
        ),
        OpenField(
            "bad_rate", "number", "差评率（1–2 分占比）", "Share of 差评 (levels 1–2)", _RATE
        ),
        OpenField(
            "score",
            "number",
            "综合评分；计入评价少于 k 条时为空",
            "Score; empty when the provider has fewer than k counted reviews",
            _LEVEL,
        ),
        OpenField(
            "score_low", "number", "评分区间下限", "Lower end of the score's interval", _LEVEL
        ),
        OpenField(
            "score_high", "number", "评分区间上限", "Upper end of the score's interval", _LEVEL
        ),
        OpenField(
            "score_as_of",
            "date",
            "评分计算日期（随时间衰减，每日重算）",
            "Day the score was computed for (scores decay with time; recomputed daily)",
        ),
        OpenField(
            "bad_review_answer_rate",
            "number",
            "差评按期答复率：按期答复的差评 ÷（已答复 + 逾期未答复的差评）；"
            "无到期或已答复的差评、或计入评价少于 k 条时为空",
            "Share of bad reviews answered by their deadline, of those answered or past their "
            "deadline unanswered; empty when there are none, or below k counted reviews",
            _RATE,
        ),
        OpenField(
            "warning",
            "boolean",
            "当前是否有生效的消费提示",
            "A consumer warning (消费提示) is in force",
        ),
        OpenField(
            "blacklisted", "boolean", "当前是否在黑名单中", "A blacklist entry (黑名单) is in force"
        ),
        OpenField(
            "updated_at",
            "datetime",
            "机构信息、评价或处罚最近一次变化的时间（UTC）",
            "Last change of the provider's record, its counted reviews or its sanctions (UTC)",
            {"required": True},
        ),
    ),
)

SECTOR_DISTRICT_MONTH = OpenResource(
    name="sector-district-month",
    zh="行业 × 区县 × 月份汇总",
    en="Sector × district × month aggregates",
    primary_key=("sector", "district", "month"),
    fields=(
        OpenField("sector", "string", "行业代码", "Sector code", _CODE),
        OpenField("district", "string", "区县代码", "District code", _CODE),
        OpenField("month", "yearmonth", "月份（北京时间）", "Month (China time)", _CODE),
        OpenField(
            "suppressed",
            "boolean",
            "是否已隐去：为 true 时本行所有数值为空（见隐私规则）",
            "True when the cell is suppressed: every number in it is empty (see the privacy rules)",
            {"required": True},
        ),
        OpenField("review_count", "integer", "计入评分的评价数", "Counted reviews", _COUNT),
        *_level_counts(nullable=True),
        OpenField("mean_level", "number", "平均评价等级", "Mean level", _LEVEL),
        OpenField(
            "good_rate", "number", "好评率（4–5 分占比）", "Share of 好评 (levels 4–5)", _RATE
        ),
        OpenField(
            "prepaid_complaints",
            "integer",
            "预付卡投诉数：声明涉及预付卡且为差评（1–2 分）的评价",
            "Prepaid-card complaints: reviews that state a prepaid card and are 差评 (level 1–2)",
            _COUNT,
        ),
    ),
)

SANCTIONS = OpenResource(
    name="sanctions",
    zh="消费提示与黑名单",
    en="Consumer warnings and blacklist entries",
    primary_key=("id",),
    fields=(
        OpenField(
            "id", "integer", "编号", "Sanction id", {"required": True, "unique": True, "minimum": 1}
        ),
        OpenField(
            "kind",
            "string",
            "类别：warning 消费提示，blacklist 黑名单",
            "warning (消费提示) or blacklist (黑名单)",
            {"required": True, "enum": ["warning", "blacklist"]},
        ),
        OpenField("provider_id", "integer", "机构编号", "Provider id", {"required": True}),
        OpenField("sector", "string", "行业代码", "Sector code", _CODE),
        OpenField("district", "string", "区县代码", "District code", _CODE),
        OpenField("text", "string", "提示内容或列入理由", "The warning, or the blacklist reason"),
        OpenField("legal_basis", "string", "法律依据（黑名单）", "Legal basis (blacklist)"),
        OpenField("starts_on", "date", "生效日期", "First day in force", {"required": True}),
        OpenField(
            "ends_on", "date", "截止日期（空：直至撤销）", "Last day in force (empty: until lifted)"
        ),
        OpenField(
            "lifted_on", "date", "提前撤销日期（北京时间）", "Day it was lifted early (China time)"
        ),
        OpenField("in_force", "boolean", "今天是否生效", "In force today", {"required": True}),
        OpenField(
            "updated_at",
            "datetime",
            "发布或撤销的时间（UTC）",
            "When it was published or lifted (UTC)",
            {"required": True},
        ),
    ),
)

RESOURCES: dict[str, OpenResource] = {
    r.name: r for r in (PROVIDERS, SECTOR_DISTRICT_MONTH, SANCTIONS)
}
