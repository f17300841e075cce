"""The rules of the annual supervision plan and 执法质效评议 (issue 14, item 5), pure Python:
citations, the standards tree typed as lines, the scoring (total = sum of the rules unless a 单项否决,
grade band by the parameter), and when the results may be published."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.supervision.basis import PAGE_BASIS
from sanxiang.procedure.supervision.plans import (
    CRITERION_TEXT_MAX,
    EVALUATION_BASIS,
    FULL_MARKS_LIMIT,
    PLAN_BASIS,
    RULES_LIMIT,
    STANDARDS_SIZE_BASIS,
    ItemProgress,
    ItemScore,
    approval_violations,
    evaluation_result,
    grade_bands,
    grade_for,
    months_text,
    plan_item_matter_source,
    results_publish_violations,
    score_violations,
    standards_full_marks,
    standards_parse,
)

ON = dt.date(2026, 6, 1)


def test_citations():
    # 执法质效评议: 《行政执法监督条例》第十九条 (standards, process and results published); the annual
    # plan: 日常监督 (第十五条) and the provincial annual plan (山东 第二十条), never the national text alone.
    assert EVALUATION_BASIS == "《行政执法监督条例》第十九条"
    assert PLAN_BASIS == "《行政执法监督条例》第十五条；《山东省行政执法监督条例》第二十条"
    assert PAGE_BASIS["evaluation"] == EVALUATION_BASIS
    bands = parameters_default()["supervision.evaluation_grade_bands"]
    assert bands.unverified and "第十九条" in bands.reference and "待核实" in bands.note


def test_the_default_bands():
    bands = grade_bands(on=ON)
    assert [label for _, label in bands] == ["优秀", "良好", "合格", "不合格"]
    assert grade_for(total=Decimal("90"), full_marks=Decimal("100"), vetoed=False, bands=bands) == "优秀"
    assert grade_for(total=Decimal("89.9"), full_marks=Decimal("100"), vetoed=False, bands=bands) == "良好"
    assert grade_for(total=Decimal("30"), full_marks=Decimal("50"), vetoed=False, bands=bands) == "合格"  # 60%
    assert grade_for(total=Decimal("100"), full_marks=Decimal("100"), vetoed=True, bands=bands) == "不合格"


def test_a_county_may_set_its_own_bands():
    parameters = parameters_default().with_overrides({"supervision.evaluation_grade_bands": [
        ParameterPeriod(start=dt.date(2026, 1, 1), value=[{"min": 80, "label": "好"}, {"min": 0, "label": "差"}],
                        region="150626")]})
    assert grade_bands(on=ON, parameters=parameters, region="150626") == [(Decimal(80), "好"), (Decimal(0), "差")]
    assert grade_bands(on=ON, parameters=parameters, region="110105")[0][1] == "优秀"


STANDARDS = """
# 执法主体
## 执法人员持证
- 执法人员持有效执法证件 | 10
- 无证执法 | 5 | 否决
## 公示
- 按时公示 | 2.5
# 执法程序
## 全过程记录
- 音像记录完整 | 12.5
"""


def test_standards_parse_into_a_tree():
    specs, violations = standards_parse(STANDARDS)
    assert violations == []
    assert [(s.level, s.text, s.parent) for s in specs] == [
        (1, "执法主体", None), (2, "执法人员持证", 0), (3, "执法人员持有效执法证件", 1), (3, "无证执法", 1),
        (2, "公示", 0), (3, "按时公示", 4), (1, "执法程序", None), (2, "全过程记录", 6), (3, "音像记录完整", 7),
    ]
    assert [s.veto for s in specs if s.level == 3] == [False, True, False, False]
    assert standards_full_marks(specs) == Decimal("30")


def test_standards_problems_name_their_line():
    _, violations = standards_parse("## 没有一级\n# 一级\n- 没有二级 | 5\n# 二\n## 二级\n- 细则 | 零\n- 细则 | 3 | 也许\n")
    messages = [v.message for v in violations]
    assert messages == ["第1行：二级指标前应有一级指标", "第3行：评分细则应写在二级指标之下",
                        "第6行：分值应为大于0的数（最多一位小数）", "第7行：第三栏只能写“否决”"]
    _, violations = standards_parse("# 一级\n## 二级\n")
    assert [v.code for v in violations] == ["standards.empty", "standards.leaf"]


def test_standards_are_refused_beyond_what_can_be_stored_and_scored():
    """Platform rule (STANDARDS_SIZE_BASIS): a line longer than its column, more rules than one
    scoring takes, full marks beyond the score's column, each refused on the field, nothing stored
    (on PostgreSQL each was a 500: the column's limit, an overflow of the score)."""
    long_line = "# 一级\n## 二级\n- " + "细" * (CRITERION_TEXT_MAX + 1) + " | 5\n"
    _, violations = standards_parse(long_line)
    assert [(v.message, v.legal_basis, v.field) for v in violations] == [
        (f"第3行：内容不能超过{CRITERION_TEXT_MAX}字", STANDARDS_SIZE_BASIS, "standards")]
    specs, violations = standards_parse("# 一级\n## 二级\n- " + "细" * CRITERION_TEXT_MAX + " | 5\n")
    assert violations == [] and len(specs[2].text) == CRITERION_TEXT_MAX  # the longest allowed
    many = "# 一级\n## 二级\n" + "- 细则 | 1\n" * (RULES_LIMIT + 1)
    assert [v.code for v in standards_parse(many)[1]] == ["standards.too_many"]
    assert standards_parse("# 一级\n## 二级\n" + "- 细则 | 1\n" * RULES_LIMIT)[1] == []
    heavy = "# 一级\n## 二级\n" + "- 细则 | 1000\n" * (int(FULL_MARKS_LIMIT) // 1000 + 1)
    assert [v.code for v in standards_parse(heavy)[1]] == ["standards.full_marks"]


def test_every_heading_without_a_rule_is_named_however_many():
    """Each of 16,667 headings without a rule is named, and the standards without any rule. (The check
    is now one pass; comparing every node with every other took 7.5 s of CPU on this input, which a
    test does not time.)"""
    _, violations = standards_parse("#a\n" * 16_667)
    codes = [v.code for v in violations]
    assert codes == ["standards.empty"] + ["standards.leaf"] * 16_667


points = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("50"), places=1)


@st.composite
def scored_items(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    items = []
    for i in range(n):
        full = draw(points)
        awarded = draw(st.decimals(min_value=Decimal("0"), max_value=full, places=1))
        veto_allowed = draw(st.booleans())
        items.append(ItemScore(criterion_id=i, points=full, awarded=awarded, veto_allowed=veto_allowed,
                               veto=veto_allowed and draw(st.booleans()), reason="原因"))
    return items


@given(scored_items())
def test_total_is_the_sum_unless_a_veto_and_the_grade_follows_the_bands(items):
    bands = grade_bands(on=ON)
    result = evaluation_result(items=items, bands=bands)
    assert result.points_sum == sum(i.awarded for i in items)
    assert result.full_marks == sum(i.points for i in items)
    vetoed = any(i.veto for i in items)
    assert result.vetoed == vetoed
    if vetoed:
        assert (result.total, result.grade) == (0, "不合格")
    else:
        assert result.total == result.points_sum
        share = result.total * 100 / result.full_marks
        expected = next(label for bound, label in bands if share >= bound)
        assert result.grade == expected


def test_a_veto_on_a_rule_without_one_is_refused_and_counts_nothing():
    item = ItemScore(criterion_id=1, points=Decimal(10), awarded=Decimal(10), veto_allowed=False, veto=True, reason="x")
    assert [v.code for v in score_violations(state="approved", agency_in_evaluation=True, items=[item])] == ["score.veto"]
    assert evaluation_result(items=[item], bands=grade_bands(on=ON)).vetoed is False


def test_scoring_needs_every_rule_in_range_and_the_reason_of_a_deduction():
    items = [ItemScore(1, Decimal(10), None), ItemScore(2, Decimal(10), Decimal(11)),
             ItemScore(3, Decimal(10), Decimal(8), reason=" "), ItemScore(4, Decimal(10), Decimal(8), reason="记录不全")]
    violations = score_violations(state="approved", agency_in_evaluation=True, items=items,
                                  criterion_labels={1: "甲", 2: "乙", 3: "丙", 4: "丁"})
    assert [(v.code, v.message, v.field) for v in violations] == [
        ("score.missing", "“甲”尚未评分", "c1"), ("score.range", "“乙”的得分应在0至10分之间", "c2"),
        ("score.reason", "“丙”有扣分，请写明扣分原因", "c3")]
    assert all(v.legal_basis == EVALUATION_BASIS for v in violations)
    assert [v.code for v in score_violations(state="draft", agency_in_evaluation=False, items=[])] == [
        "score.draft", "score.agency"]


def test_results_are_published_only_when_every_agency_is_scored():
    # 第十九条: the results are published; a partial list would misstate the round.
    [violation] = results_publish_violations(state="approved", unscored=["甲局", "乙局"])
    assert violation.message == "尚有2个参评机关未评分：甲局、乙局"
    assert violation.legal_basis.startswith("《行政执法监督条例》第十九条") and "平台规则" in violation.legal_basis
    assert results_publish_violations(state="approved", unscored=[]) == []  # the lawful path
    assert [v.code for v in results_publish_violations(state="published", unscored=[])] == ["results.published"]


def test_approval_by_a_second_supervisor():
    blocked = approval_violations(what="plan", state="draft", drafted_by_id=1, approver_id=1,
                                  approver_may_approve=True, empty=False)
    assert [v.code for v in blocked] == ["plan.same_person"] and blocked[0].basis_kind == "platform"
    assert approval_violations(what="plan", state="draft", drafted_by_id=1, approver_id=2, approver_may_approve=True,
                               empty=False) == []


def test_months_progress_and_sources():
    assert months_text(range(1, 13)) == "全年"
    assert months_text([6, 3, 3]) == "3月、6月"
    assert [ItemProgress(0, 0).label, ItemProgress(2, 1).label, ItemProgress(2, 2).label] == ["尚未开展", "正在开展",
                                                                                               "已办结"]
    assert plan_item_matter_source("focused") == "focused"
    assert plan_item_matter_source("case_file_review") == "routine"


label = st.text(alphabet="执法公示记录审核程序证件案卷规范完整", min_size=1, max_size=12)


@st.composite
def standards_trees(draw):
    """A tree of 一级指标 → 二级指标 → 评分细则 (points with one decimal, some with a veto)."""
    tree = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        seconds = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            rules = draw(st.lists(st.tuples(label, points, st.booleans()), min_size=1, max_size=4))
            seconds.append((draw(label), rules))
        tree.append((draw(label), seconds))
    return tree


@given(standards_trees())
def test_standards_typed_as_lines_parse_back_into_the_same_tree(tree):
    lines = []
    for first, seconds in tree:
        lines.append(f"# {first}")
        for second, rules in seconds:
            lines.append(f"## {second}")
            lines += [f"- {text} | {p}" + (" | 否决" if veto else "") for text, p, veto in rules]
    specs, violations = standards_parse("\n".join(lines))
    assert violations == []
    rebuilt = []
    for index, spec in enumerate(specs):
        if spec.level == 1:
            rebuilt.append((spec.text, []))
        elif spec.level == 2:
            assert specs[spec.parent].level == 1
            rebuilt[-1][1].append((spec.text, []))
        else:
            assert specs[spec.parent].level == 2 and spec.parent < index
            rebuilt[-1][1][-1][1].append((spec.text, spec.points, spec.veto))
    assert rebuilt == tree
    assert standards_full_marks(specs) == sum(p for _, seconds in tree for _, rules in seconds for _, p, _ in rules)
