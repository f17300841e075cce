"""The closing steps of the plan in the demo county (issue 15, item 7), produced through the services:
each agency's summary of the year drafted on 1 November from its records, submitted by its head (one
late, one returned and submitted again) and received by the 司法局; one acceptance round with a
checklist per agency (the reporting score follows the agency's monthly reports on time; the other
deductions are drawn from a fixed seed, each with its findings; one agency fails); the round closed
and the county's work report sent to the government. The year is the last whose round is over by
`today` (this year from 28 November, otherwise the year before). Loaded once: nothing when the bureau
already has a round. Call it after `demo_evaluation_reports_load` (the summaries count the reports)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.demo.evaluation_reports import _heads
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.evaluation.closing_services import (
    acceptance_check_score,
    acceptance_round_close,
    acceptance_round_open,
    summary_drafts_create,
    summary_receive,
    summary_return,
    summary_submit,
    work_report_save,
    work_report_submit,
)
from sanxiang.evaluation.models import AcceptanceRound, AnnualSummary, MonthlyReport
from sanxiang.ledger.services import ledger_batch
from sanxiang.procedure.evaluation.closing import CRITERIA, summary_draft_on, summary_due_on
from sanxiang.registry.models import Agency, AgencyStatus

_SECTIONS = {
    "work": (
        "成立了由主要负责同志任组长的“三项制度”工作领导小组，制定了本单位行政执法公示、执法全过程记录、"
        "重大执法决定法制审核的实施办法，明确了承办机构和人员。"
    ),
    "results": "行政执法决定按期公示，执法记录仪配备到一线执法人员，重大执法决定全部经法制审核后作出。",
    "problems": "个别执法人员音像记录不规范；法制审核人员力量不足；执法信息化水平有待提高。",
    "next": "继续开展培训和案卷评查，补齐执法记录仪等装备，推进执法信息与平台互联互通。",
}
_FINDINGS = {
    "documents": "服务指南未及时更新。",
    "training": "部分执法人员未达到年度培训学时。",
    "publicity": "个别行政处罚决定逾期公示。",
    "recording": "部分现场检查的音像记录不完整。",
    "review": "个别重大执法决定法制审核意见书内容过于简单。",
    "reporting": "部分月份未按期报送工作推进情况。",
}
_WORK_REPORT = {
    "overview": (
        "全旗各行政执法机关按照实施方案的部署，全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制"
        "审核制度。旗司法局在各单位总结评估的基础上组织了验收，各项数据见附表，每项数据均由平台根据执法记录生成。"
    ),
    "measures": "组织全旗执法人员专题培训；督促各单位制定或修订制度文件；每月调度工作推进情况；开展执法质效评议。",
    "problems": "个别单位月报和工作总结报送不及时；部分单位音像记录不完整；法制审核力量不足。",
    "next": "对验收不通过的单位限期整改并复验；将“三项制度”落实情况纳入法治政府建设考核；持续开展监督检查。",
}
ROUND_OVER_DAY = (11, 28)


def demo_closing_year(today: dt.date) -> int:
    return today.year if today >= dt.date(today.year, *ROUND_OVER_DAY) else today.year - 1


def _half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


@transaction.atomic
def demo_evaluation_closing_load(*, today: dt.date | None = None) -> int:
    """Load the summaries, the acceptance round and the work report (once); returns how many
    checklists the round has (0 when the demo county is not there)."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    supervisors = (
        list(User.objects.filter(role=Role.SUPERVISOR, agency=bureau).order_by("username")) if bureau else []
    )
    if bureau is None or main is None or not supervisors:
        return 0
    year = demo_closing_year(today)
    existing = AcceptanceRound.objects.filter(bureau=bureau, year=year).first()
    if existing is not None:
        return existing.checks.count()
    agencies = list(
        Agency.objects.filter(
            region_code=bureau.region_code, is_judicial_bureau=False, status=AgencyStatus.ACTIVE
        ).order_by("pk")
    )
    heads = _heads(agencies, main)
    rng = random.Random(f"{DEMO_SEED}:closing:{year}")
    others = [a for a in agencies if a.pk != main.pk]
    late = others[0] if others else None
    weak = others[-1] if len(others) > 1 else None
    due_on = summary_due_on(year=year)
    first, second = supervisors[0], supervisors[-1]
    with ledger_batch():
        summary_drafts_create(on=summary_draft_on(year=year), agencies=agencies)
        summaries = {s.agency_id: s for s in AnnualSummary.objects.filter(year=year, agency__in=agencies)}
        for n, agency in enumerate(agencies):
            summary = summaries.get(agency.pk)
            if summary is None or summary.state != "draft":
                continue
            submit_on = (
                due_on + dt.timedelta(days=3)
                if agency == late
                else due_on - dt.timedelta(days=1 + rng.randint(0, 10))
            )
            summary = summary_submit(
                summary=summary, actor=heads[agency.pk], on=submit_on, sections=_SECTIONS
            )
            if agency == main:
                summary = summary_return(
                    summary=summary,
                    actor=first,
                    on=submit_on + dt.timedelta(days=1),
                    reason="请补充本单位培训学时未达标人员的整改情况。",
                )
                summary = summary_submit(
                    summary=summary,
                    actor=heads[agency.pk],
                    on=submit_on + dt.timedelta(days=2),
                    sections=_SECTIONS
                    | {
                        "problems": _SECTIONS["problems"] + "培训学时未达标的执法人员已安排参加年底集中培训。"
                    },
                )
            summary_receive(
                summary=summary,
                actor=second if n % 2 else first,
                on=max(submit_on + dt.timedelta(days=3), due_on + dt.timedelta(days=1)),
            )

        opened_on = dt.date(year, 11, 20)
        round_ = acceptance_round_open(bureau=bureau, year=year, actor=first, on=opened_on)
        on_time = {a: (n_on, n_all) for a, n_on, n_all in _report_counts(year, [a.pk for a in agencies])}
        for n, check in enumerate(round_.checks.select_related("agency").order_by("agency_id")):
            scores, findings = {}, {}
            for criterion in CRITERIA:
                top = Decimal(str(round_.max_scores[criterion.code]))
                if criterion.code == "reporting":
                    n_on, n_all = on_time.get(check.agency_id, (0, 0))
                    score = _half(top * n_on / n_all) if n_all else top
                elif check.agency == weak:
                    score = _half(top * Decimal("0.6"))
                else:
                    score = top - rng.choice((0, 0, 0, 1, 2, 3))
                scores[criterion.code] = str(score)
                if score < top:
                    findings[criterion.code] = _FINDINGS[criterion.code]
            acceptance_check_score(
                check=check,
                actor=first if n % 2 else second,
                on=opened_on + dt.timedelta(days=1 + n % 4),
                scores=scores,
                findings=findings,
                conclude=True,
            )
        acceptance_round_close(round_=round_, actor=first, on=dt.date(year, 11, 26))
        report = work_report_save(
            bureau=bureau, year=year, actor=first, on=dt.date(year, 11, 27), sections=_WORK_REPORT
        )
        work_report_submit(report=report, actor=second, on=dt.date(year, 11, 28))
    return round_.checks.count()


def _report_counts(year: int, agency_ids: list[int]) -> list[tuple[int, int, int]]:
    """(agency, monthly reports submitted on time, monthly reports) of the year."""
    from django.db.models import Count, F, Q

    return list(
        MonthlyReport.objects.filter(year=year, agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(on=Count("pk", filter=Q(first_submitted_on__lte=F("due_on"))), n=Count("pk"))
        .values_list("agency_id", "on", "n")
    )
