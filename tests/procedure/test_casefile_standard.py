"""The 案卷评查 scoring standards (issue 16 item 1): the tree, the shared scoring core, versions."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.casefile_standard import (
    DEFAULT_STANDARDS,
    FileKind,
    ItemResult,
    Tier,
    file_score,
    item_result,
    standard_diff,
    standard_for,
    standard_from_data,
    standard_revise,
    standard_to_data,
)
from sanxiang.procedure.scoring import ScoredItem, score_total
from sanxiang.procedure.supervision.plans import ItemScore, evaluation_result

ON = dt.date(2026, 3, 1)
PENALTY = standard_for(FileKind.PENALTY_ORDINARY, ON)


def test_every_kind_has_a_standard_of_100_points_with_veto_items_and_a_basis_per_item():
    assert {s.kind for s in DEFAULT_STANDARDS} == set(FileKind)
    for standard in DEFAULT_STANDARDS:
        assert standard.full_marks == 100
        assert standard.veto_items and all(i.points == 0 and i.tier == Tier.BASIC for i in standard.veto_items)
        assert all(i.basis.startswith("《") for i in standard.items), standard.kind
        assert len({i.code for i in standard.items}) == len({i.title for i in standard.items}) == len(standard.items)
    # permits and inspections have no procedure on the platform yet: scored by hand only
    assert not standard_for(FileKind.PERMIT, ON).on_platform
    assert not standard_for(FileKind.INSPECTION, ON).automatic_items
    assert {i.code for i in PENALTY.automatic_items} >= {"basic.two_officers", "basic.qualified", "content.notice",
                                                          "content.service", "content.decision"}


def test_a_veto_gives_zero_and_the_lowest_grade_whatever_else_scores():
    veto = PENALTY.item("basic.two_officers")
    score = file_score(PENALTY, {veto.code: item_result(veto, defects=["只有一名执法人员"])})
    assert (score.total, score.grade, score.failed_vetoes) == (Decimal("0"), "不合格", ("basic.two_officers",))
    assert score.per_tier[Tier.CONTENT] == 80  # the tiers still show what the file would have scored


def test_a_deduction_beyond_the_tier_floors_at_zero_and_the_grade_follows_the_share():
    results = {i.code: ItemResult(lost=Decimal("30")) for i in PENALTY.items if i.tier == Tier.FORM}
    score = file_score(PENALTY, results)
    assert score.per_tier[Tier.FORM] == 0 and score.total == 80 and score.grade == "合格"
    assert score.lost["form.templates"] == 30 and score.unscored  # the others are not scored yet


def test_a_published_version_replaces_the_default_from_its_date_in_its_region_and_the_diff_says_what_changed():
    revised, problems = standard_revise(PENALTY, changes="事先告知 | 10 | 2\n卷面整洁、无缺页缺面 | 4 | 1\n+ 案卷电子化 | 卷面 | 归档 | 1 | 1 | 案卷未同步电子化的扣1分",
                                        version="2026-1", title="本县处罚案卷评查标准", valid_from=dt.date(2026, 5, 1),
                                        region="150626")
    assert problems == [] and revised is not None and revised.full_marks == 101
    added = revised.items[-1]
    assert (added.title, added.tier, added.automatic, added.code) == ("案卷电子化", Tier.FORM, False, "custom.2026-1.1")
    assert standard_for(FileKind.PENALTY_ORDINARY, dt.date(2026, 5, 1), "150626", published=[revised]) is revised
    assert standard_for(FileKind.PENALTY_ORDINARY, dt.date(2026, 4, 30), "150626", published=[revised]) is PENALTY
    assert standard_for(FileKind.PENALTY_ORDINARY, dt.date(2026, 5, 1), "110101", published=[revised]) is PENALTY
    assert standard_diff(PENALTY, revised) == ["“卷面整洁、无缺页缺面”分值由6分改为4分", "“事先告知”分值由8分改为10分",
                                               "“事先告知”每处扣分由8分改为2分", "新增“案卷电子化”（1分）",
                                               "总分由100分改为101分"]
    assert standard_from_data(standard_to_data(revised)) == revised


def test_a_revision_reports_every_problem():
    revised, problems = standard_revise(PENALTY, changes="事实清楚 | 5 | 1\nnope | 1 | 1\n事先告知 | -1 | 0\n+ 事先告知 | 内容 | 告知 | 1 | 1 | 重复",
                                        version="", title="", valid_from=dt.date(2020, 1, 1), region="")
    assert revised is None
    assert [p.code for p in problems] == ["standard.version", "standard.title", "standard.valid_from_order",
                                          "standard.line", "standard.line", "standard.line", "standard.line"]
    assert [p.message for p in problems[3:]] == ["第1行：“事实清楚”是单项否决项目，没有分值", "第2行：没有名称为“nope”的项目",
                                                 "第3行：分值和每处扣分都应为大于0的数（最多一位小数）",
                                                 "第4行：项目名称为空或者已经存在"]


item_scores = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 20), st.integers(0, 40),
                                 st.booleans()), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(item_scores)
def test_property_score_is_the_sum_of_items_never_below_zero_per_tier_and_a_veto_gives_the_lowest_grade(rows):
    items = [ScoredItem(code=str(n), tier=tier, points=Decimal(points), score=Decimal(points - lost), vetoed=veto)
             for n, (tier, points, lost, veto) in enumerate(rows)]
    bands = [(Decimal("90"), "优秀"), (Decimal("60"), "合格"), (Decimal("0"), "不合格")]
    total = score_total(items, bands=bands)
    for tier, value in total.per_tier.items():
        assert value == max(Decimal("0"), sum((i.score for i in items if i.tier == tier), Decimal("0")))
        assert value >= 0
    assert total.points_sum == sum(total.per_tier.values())
    if any(veto for *_, veto in rows):
        assert total.total == 0 and total.grade == "不合格"
    else:
        assert total.total == total.points_sum


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from([i.code for i in PENALTY.items]),
                       st.tuples(st.integers(0, 30), st.booleans()), max_size=20))
def test_property_file_score_of_the_default_standard(found):
    results = {code: ItemResult(lost=Decimal(lost), failed=failed) for code, (lost, failed) in found.items()}
    score = file_score(PENALTY, results)
    for tier in (Tier.FORM, Tier.CONTENT):
        tier_items = [i for i in PENALTY.items if i.tier == tier]
        expected = sum((i.points - results.get(i.code, ItemResult()).lost for i in tier_items), Decimal("0"))
        assert score.per_tier[tier] == max(Decimal("0"), expected)
    vetoed = any(PENALTY.item(c).veto and r.failed for c, r in results.items())
    assert score.vetoed == vetoed
    assert (score.total, score.grade) == (Decimal("0"), "不合格") if vetoed else score.total == sum(score.per_tier.values())


def test_the_supervision_evaluation_scores_through_the_same_core():
    items = [ItemScore(criterion_id=1, points=Decimal("10"), awarded=Decimal("9")),
             ItemScore(criterion_id=2, points=Decimal("10"), awarded=Decimal("10"), veto_allowed=True, veto=True)]
    result = evaluation_result(items=items, bands=[(Decimal("60"), "合格"), (Decimal("0"), "不合格")])
    assert (result.points_sum, result.total, result.grade, result.vetoed) == (Decimal("19"), Decimal("0"), "不合格", True)


def test_a_deduction_of_zero_is_refused_it_would_cost_the_whole_item_while_the_diff_says_0():
    """An item's deduction of 0 means, to the scoring core, that any defect loses the item's points
    (`item_result`): a 司法局 typing “事先告知 | 8 | 0” to stop the per-defect deduction would publish a
    version whose diff says “每处扣分由8分改为0分” and whose files lose all 8 points on one defect. The
    line is refused beside the field; a positive deduction is accepted and the diff says it."""
    revised, problems = standard_revise(PENALTY, changes="事先告知 | 8 | 0\n+ 案卷电子化 | 卷面 | 归档 | 1 | 0 | 未电子化的扣分",
                                        version="2026-1", title="本县标准", valid_from=dt.date(2026, 5, 1), region="150626")
    assert revised is None
    assert [(p.field, p.message) for p in problems] == [
        ("changes", "第1行：分值和每处扣分都应为大于0的数（最多一位小数）"),
        ("changes", "第2行：分值和每处扣分都应为大于0的数（最多一位小数）"),
    ]
    revised, problems = standard_revise(PENALTY, changes="事先告知 | 8 | 0.5", version="2026-1", title="本县标准",
                                        valid_from=dt.date(2026, 5, 1), region="150626")
    assert problems == [] and standard_diff(PENALTY, revised) == ["“事先告知”每处扣分由8分改为0.5分"]
    notice = revised.item("content.notice")
    assert item_result(notice, defects=["告知内容不全"]).lost == Decimal("0.5")
