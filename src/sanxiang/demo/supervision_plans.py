"""The demo county's annual supervision work plan and one 执法质效评议 round (issue 14, item 5),
through the services: the plan drafted by one supervisor, approved by another and published, with
matters opened from its 重点监督 item (one concluded); an evaluation of four agencies whose scheme,
process and standards are published on approval, each agency scored by the pair (one 单项否决), and
the results published once every agency is scored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sanxiang.accounts.models import User
from sanxiang.registry.models import Agency
from sanxiang.supervision import plan_services as services
from sanxiang.supervision.models import Plan
from sanxiang.supervision.services import matter_accept, matter_conclude, matter_pair_assign

STANDARDS = """# 执法主体和人员
## 执法主体合法
- 以本机关名义执法，未超越法定职权 | 10
## 持证执法
- 执法人员均持有有效执法证件，两人以上执法 | 10
- 有无证人员独立执法情形 | 5 | 否决
# 行政执法公示
## 事前公开
- 执法主体、人员、职责、依据、程序、救济渠道按规定公开 | 10
## 事后公开
- 行政处罚决定自作出之日起7个工作日内公开 | 15
# 执法全过程记录
## 文字记录
- 执法文书规范、完整，案卷材料齐全 | 15
## 音像记录
- 现场检查、查封扣押等环节音像记录完整并归档 | 15
# 重大执法决定法制审核
## 审核范围和程序
- 重大执法决定均经法制审核，未经审核不作决定 | 20
"""

SCHEME = ("为推动本旗行政执法机关全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
          "旗司法局对各行政执法机关本年度的执法质量和效果进行评议。评议采取机关自查、案卷评查、"
          "网上检查和现场检查相结合的方式进行，评议结果作为法治政府建设成效评价的重要内容。")
PROCESS = ("一、部署阶段：印发评议方案和评议标准，并向社会公开。\n"
           "二、自查阶段：各参评机关对照评议标准开展自查，提交自查报告。\n"
           "三、评查阶段：旗司法局组织两名以上监督人员，随机抽取各机关已办结的行政处罚、行政许可案卷进行评查，"
           "并开展网上检查和现场检查。\n"
           "四、公布阶段：汇总评分，确定等次，评议结果向社会公开。")


def supervision_plans_demo_load(*, bureau: Agency, supervisors: Sequence[User], today: dt.date) -> Plan | None:
    """Load the plan and the evaluation (once: nothing when the bureau already has a plan this year)."""
    if Plan.objects.filter(bureau=bureau, year=today.year).exists() or len(supervisors) < 2:
        return None
    first, second = supervisors[0], supervisors[1]
    start = max(dt.date(2026, 2, 1), dt.date(today.year, 1, 1), today - dt.timedelta(days=300))

    def day(n: int) -> dt.date:
        return min(start + dt.timedelta(days=n), today)

    agencies = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False)
                    .order_by("id")[:4])
    plan = services.plan_draft(
        actor=first, year=today.year, title=f"{bureau.name}{today.year}年度行政执法监督工作计划", on=day(0),
        objectives=("以行政执法三项制度落实情况为重点，开展日常监督和重点监督，组织案卷评查和执法质效评议，"
                    "推动严格规范公正文明执法，年内实现全旗行政执法机关监督全覆盖。"),
    )
    focused = services.plan_item_add(
        actor=first, plan=plan, kind="focused", subject="行政处罚决定公示情况专项监督",
        description="检查行政处罚决定是否在规定期限内公开、公开内容是否依法隐去个人信息。", all_agencies=False,
        agencies=agencies[:2], months=[3, 4, 5], supervisors=[first, second],
    )
    services.plan_item_add(
        actor=first, plan=plan, kind="routine", subject="执法全过程记录日常监督",
        description="通过平台数据随时检查音像记录、文书归档情况。", all_agencies=True, months=list(range(1, 13)),
        supervisors=[first, second],
    )
    services.plan_item_add(
        actor=first, plan=plan, kind="case_file_review", subject="行政执法案卷评查",
        description="随机抽取已办结的行政处罚、行政许可案卷进行评查。", all_agencies=True, months=[6, 9],
        supervisors=[first, second],
    )
    evaluation_item = services.plan_item_add(
        actor=first, plan=plan, kind="evaluation", subject="年度执法质效评议",
        description="制定并公开评议方案和标准，组织评议并公开结果。", all_agencies=True, months=[10, 11],
        supervisors=[first, second],
    )
    services.plan_item_add(
        actor=first, plan=plan, kind="training", subject="行政执法人员公共法律知识培训",
        description="组织全旗行政执法人员参加公共法律知识培训。", all_agencies=True, months=[5],
        supervisors=[second],
    )
    services.plan_approve(actor=second, plan=plan, on=day(3))
    services.plan_publish(actor=first, plan=plan, on=day(5))
    # The 重点监督 item carried out: a matter about each of its agencies, the first one concluded.
    opened = [services.plan_item_matter_open(actor=first, item=focused, agency=agency, received_on=day(40))
              for agency in agencies[:2]]
    matter_pair_assign(matter=opened[0], users=[first, second], actor=first)
    matter_accept(matter=opened[0], actor=first)
    matter_conclude(matter=opened[0], outcome="抽查的行政处罚决定均已按期公开，个人信息已依法隐去。", actor=first)
    # The evaluation round.
    evaluation = services.evaluation_draft(
        actor=first, title=f"{today.year}年度行政执法质效评议", scheme=SCHEME, process=PROCESS,
        period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31), agencies=agencies,
        standards=STANDARDS, plan_item=evaluation_item, on=day(60),
    )
    services.evaluation_approve(actor=second, evaluation=evaluation, on=day(62))
    rules = list(evaluation.criteria.filter(level=3).order_by("position"))
    # Deductions per agency: (rule index, points off, reason); the last agency has a 单项否决.
    deductions: list[list[tuple[int, Decimal, str]]] = [
        [(4, Decimal("2"), "1件行政处罚决定超过7个工作日公开")],
        [(4, Decimal("5"), "3件行政处罚决定未按期公开"), (6, Decimal("5"), "2件现场检查无音像记录")],
        [(5, Decimal("8"), "抽查案卷中4件文书不规范"), (6, Decimal("10"), "查封扣押环节音像记录缺失"),
         (3, Decimal("4"), "执法依据未及时更新")],
        [(1, Decimal("5"), "1名执法人员证件过期仍参与执法")],
    ]
    for index, agency in enumerate(agencies):
        scores = {c.pk: (c.points, False, "") for c in rules}
        for rule, off, reason in deductions[index % len(deductions)]:
            scores[rules[rule].pk] = (rules[rule].points - off, False, reason)
        if index == 3:
            scores[rules[2].pk] = (Decimal("0"), True, "1名执法人员证件过期后仍独立执法")
        services.evaluation_score(actor=first, evaluation=evaluation, agency=agency, supervisors=[first, second],
                                  scores=scores, comment="", on=day(90 + index))
    services.evaluation_results_publish(actor=first, evaluation=evaluation, on=day(100))
    return plan
