"""A year of monthly progress reports (月报) in the demo county (issue 15, item 4), produced through the
services: each month's drafts on its 1st; most agencies submit on time and the bureau receives them;
some submit late, one is returned and resubmitted, a few never submit (overdue), and one missing
report became a supervision matter. The previous month's reports are left as the platform drafted
them (or, past the 25th, overdue) for the demo's users to work on. Loaded once: nothing when the
bureau already has reports.

Every agency's head signs its submissions: the main agency's demo account `head`, elsewhere an account
per agency made here without a password (it cannot log in; it stands for the head who submitted)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.evaluation.models import MonthlyReport
from sanxiang.evaluation.report_services import (
    report_comment,
    report_drafts_create,
    report_matter_open,
    report_receive,
    report_return,
    report_submit,
)
from sanxiang.ledger.services import ledger_batch
from sanxiang.procedure.evaluation.reports import ReportMonth
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Agency, AgencyStatus

MONTHS = 12
_PROBLEMS = (
    "个别行政处罚决定未在规定期限内公示，已责成专人每日核对公示情况。",
    "部分执法人员使用执法记录仪不规范，现场音像记录有中断。",
    "法制审核人员力量不足，重大执法决定审核周期偏长。",
    "无。",
)
_RESULTS = (
    "本月行政执法决定全部按期公示，执法全过程记录完整。",
    "组织“三项制度”专题培训一次，执法人员全部参训。",
    "重大执法决定全部经法制审核后作出。",
)
_PLANS = (
    "开展行政执法案卷自查，整改发现的问题。",
    "完善执法记录仪管理制度，落实音像记录归档。",
    "更新行政执法事项清单和服务指南。",
)


def _heads(agencies: list[Agency], main: Agency) -> dict[int, User]:
    """The head who signs each agency's reports (made here where the demo has none)."""
    from sanxiang.accounts.services import user_create

    heads = {u.agency_id: u for u in User.objects.filter(role=Role.AGENCY_HEAD, agency__in=agencies).order_by("pk")}
    for agency in agencies:
        if agency.pk not in heads:
            heads[agency.pk] = user_create(actor=None, username=f"yuebao-{agency.pk}", password=None,
                                           role=Role.AGENCY_HEAD, agency=agency, display_name=f"{agency.name}负责人",
                                           validate=False)
    return heads


@transaction.atomic
def demo_evaluation_reports_load(*, today: dt.date | None = None) -> int:
    """Load the year of monthly reports (once); returns how many reports the bureau has afterwards (0
    when the demo county is not there). Call it after `demo_supervision_load` (its supervisors
    receive the reports)."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    if bureau is None or main is None:
        return 0
    if MonthlyReport.objects.filter(bureau=bureau).exists():
        return MonthlyReport.objects.filter(bureau=bureau).count()
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, agency=bureau).order_by("username"))
    if not supervisors:
        return 0
    agencies = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False,
                                          status=AgencyStatus.ACTIVE).order_by("pk"))
    heads = _heads(agencies, main)
    rng = random.Random(f"{DEMO_SEED}:monthly-reports")
    # Agencies that never report in some months (the bureau's overdue list) and one slow reporter.
    silent = {a.pk for a in rng.sample(agencies[1:], k=min(2, max(0, len(agencies) - 1)))}
    slow = next((a.pk for a in agencies if a.pk not in silent and a.pk != main.pk), None)
    this_month = ReportMonth.of(today)
    months = []
    month = this_month
    for _ in range(MONTHS):
        month = month.previous()
        months.append(month)
    months.reverse()
    matter_opened = False
    with ledger_batch():
        for n, month in enumerate(months):
            drafted_on = month.next().first_day
            report_drafts_create(on=drafted_on, agencies=agencies)
            reports = {r.agency_id: r for r in MonthlyReport.objects.filter(year=month.year, month=month.month,
                                                                             agency__in=agencies)}
            latest = month == this_month.previous()
            for agency in agencies:
                report = reports.get(agency.pk)
                if report is None or (latest and agency.pk == main.pk):
                    continue  # the main agency's head writes last month's report in the demo
                if agency.pk in silent and n % 4 == 3:
                    continue  # never submitted: overdue
                if agency.pk == slow and n % 3 == 1:
                    submit_on = report.due_on + dt.timedelta(days=3)  # late
                else:
                    submit_on = drafted_on + dt.timedelta(days=rng.randint(5, 22))
                if submit_on > today:
                    continue
                sections = {"problems": rng.choice(_PROBLEMS), "results": rng.choice(_RESULTS),
                            "next_plan": rng.choice(_PLANS), "coordination": ""}
                report = report_submit(report=report, actor=heads[agency.pk], on=submit_on, sections=sections)
                receive_on = min(submit_on + dt.timedelta(days=2), today)
                supervisor = supervisors[n % len(supervisors)]
                if agency.pk == main.pk and n == len(months) - 3:
                    report = report_return(report=report, actor=supervisor, on=receive_on,
                                           reason="请补充逾期公示的案件及整改措施。")
                    resubmit_on = min(receive_on + dt.timedelta(days=1), today)
                    report = report_submit(report=report, actor=heads[agency.pk], on=resubmit_on, sections=sections | {
                        "problems": "两件行政处罚决定逾期公示，原因是录入延误；已指定专人每日核对，并对承办人员进行了批评教育。"})
                    receive_on = min(resubmit_on + dt.timedelta(days=1), today)
                if latest and receive_on >= today:
                    continue  # waiting for the bureau
                if n % 5 == 2:
                    report_comment(report=report, actor=supervisor, on=receive_on, text="请持续关注公示及时性。")
                report_receive(report=report, actor=supervisor, on=receive_on)
            # One missing report became a supervision matter (日常监督), the day after its due day.
            if not matter_opened and n % 4 == 3:
                missing = next((reports[a] for a in sorted(silent) if a in reports), None)
                opened_on = missing.due_on + dt.timedelta(days=1) if missing else None
                if missing is not None and opened_on <= today:
                    try:
                        report_matter_open(report=missing, actor=supervisors[0], on=opened_on)
                    except Refused:  # before the supervision regulation was in force: left overdue
                        continue
                    matter_opened = True
    return MonthlyReport.objects.filter(bureau=bureau).count()
