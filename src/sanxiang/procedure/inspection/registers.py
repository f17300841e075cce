"""The registers of 双随机一公开: the list of inspection items (抽查事项清单), the register of
inspection targets (检查对象名录) and the officer pool (执法检查人员名录), as pure rules.

- Only listed items may be inspected, and the lists are published: 《优化营商环境条例》第五十四条
  (抽查事项及查处结果及时公开); 《海南省涉企行政检查条例（试行）》第七条 (only listed items).
- The target register holds the 市场主体 with its 统一社会信用代码 (GB 32100), legal representative,
  address, sector, risk grade and credit grade: tiered inspection by 风险等级、信用评价、行业特点
  (《海南省涉企行政检查条例（试行）》第九条; 《中华人民共和国民营经济促进法》第五十二条).
- An officer is in the pool of a task when they may act on the day in every item's field
  (《中华人民共和国行政处罚法》第四十二条, read through `registry_rules.officer_problems_on`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.draw import RANDOM_INSPECTION_BASIS
from sanxiang.procedure.identifiers import credit_code_validate
from sanxiang.procedure.parameters import ParameterSet
from sanxiang.procedure.registry_rules import OfficerSnapshot, officer_problems_on
from sanxiang.procedure.violations import FORM_BASIS, Violation

LISTED_ITEMS_BASIS = f"{RANDOM_INSPECTION_BASIS}；《海南省涉企行政检查条例（试行）》第七条"
TIERED_BASIS = "《中华人民共和国民营经济促进法》第五十二条；《海南省涉企行政检查条例（试行）》第九条"

RISK_GRADES = {"high": "高风险", "medium": "中风险", "low": "低风险"}
CREDIT_GRADES = {"A": "A类（信用良好）", "B": "B类（信用一般）", "C": "C类（信用较差）", "D": "D类（严重失信）"}
CHECK_KINDS = {"on_site": "现场检查", "documents": "书面检查", "off_site": "非现场检查", "sampling": "抽样检测"}

# The grades in words alone, for pages that must show no Latin letter (the parameters page).
CREDIT_GRADE_NAMES = {"A": "信用良好", "B": "信用一般", "C": "信用较差", "D": "严重失信"}
# The Chinese labels an Excel sheet may carry for the grades, mapped to the stored values.
RISK_GRADE_LABELS = {**{v: k for k, v in RISK_GRADES.items()}, "高": "high", "中": "medium", "低": "low"}
CREDIT_GRADE_LABELS = {**{v: k for k, v in CREDIT_GRADES.items()}, **{k: k for k in CREDIT_GRADES},
                       **{f"{k}类": k for k in CREDIT_GRADES},
                       **{name: k for k, name in CREDIT_GRADE_NAMES.items()}}


@dataclass(frozen=True)
class ItemSnapshot:
    code: str
    name: str
    legal_basis: str
    check_kind: str
    enforcement_field: str = ""
    offsite_first: bool = False


def item_validate(item: ItemSnapshot) -> list[Violation]:
    """Every reason why the item cannot be listed (all of them)."""
    violations = []
    if not item.code.strip():
        violations.append(Violation("inspection.item.code", "请填写事项编码", FORM_BASIS, "code"))
    if not item.name.strip():
        violations.append(Violation("inspection.item.name", "请填写抽查事项名称", FORM_BASIS, "name"))
    if not item.legal_basis.strip():
        violations.append(
            Violation("inspection.item.basis", "抽查事项须载明检查依据", LISTED_ITEMS_BASIS, "legal_basis")
        )
    if item.check_kind not in CHECK_KINDS:
        violations.append(Violation("inspection.item.kind", "请选择检查方式", FORM_BASIS, "check_kind"))
    if item.offsite_first and item.check_kind == "off_site":
        violations.append(
            Violation("inspection.item.offsite", "检查方式已是非现场检查，无须另设“先行非现场检查”", FORM_BASIS,
                      "offsite_first")
        )
    return violations


@dataclass(frozen=True)
class TargetSnapshot:
    name: str
    credit_code: str
    legal_representative: str = ""
    address: str = ""
    sector: str = ""
    risk_grade: str = "medium"
    credit_grade: str = "B"


def target_validate(target: TargetSnapshot) -> list[Violation]:
    """Every reason why the target cannot be entered in the register (all of them)."""
    violations = []
    if not target.name.strip():
        violations.append(Violation("inspection.target.name", "请填写市场主体名称", FORM_BASIS, "name"))
    violations += credit_code_validate(target.credit_code, field="credit_code")
    if target.risk_grade not in RISK_GRADES:
        violations.append(
            Violation("inspection.target.risk", f"风险等级应为{'、'.join(RISK_GRADES.values())}之一", TIERED_BASIS,
                      "risk_grade")
        )
    if target.credit_grade not in CREDIT_GRADES:
        violations.append(
            Violation("inspection.target.credit", f"信用等级应为{'、'.join(CREDIT_GRADE_NAMES.values())}之一", TIERED_BASIS,
                      "credit_grade")
        )
    return violations


def officer_pool_problems(
    officer: OfficerSnapshot, *, on: dt.date, fields: list[str] | tuple[str, ...], region: str = "",
    parameters: ParameterSet | None = None,
) -> list[Violation]:
    """Why the officer is not in the pool of a task drawn on `on` whose items need `fields`
    (every reason; [] when they are in it)."""
    problems: list[Violation] = []
    for field in sorted(set(fields)) or [""]:
        for problem in officer_problems_on(officer, on, enforcement_field=field, region=region, parameters=parameters):
            if problem not in problems:
                problems.append(problem)
    return problems
