"""The demo county's part C of supervision (issue 14): 重大执法决定备案 and 执法协调, through the services.

The filings themselves are made by the demo's major decisions when they are decided (the cases
module decides them; the supervision app files them in the same transaction). This module adds what
people do with them: the supervisors examine the older filings (one taken to an opinion), and two
coordination requests of the main agency: a competence dispute coordinated to an opinion, and a
problem still waiting for the bureau. The annual plan and the 评议 are not built yet (see the
report of part C). Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.accounts.models import User
from sanxiang.registry.models import Agency
from sanxiang.supervision.coordination_services import coordination_act, coordination_raise
from sanxiang.supervision.filing_services import filing_examine, filing_opinion_take
from sanxiang.supervision.models import Coordination, Filing

DISPUTE = "流动摊贩占道经营销售食品的查处职责"
PROBLEM = "网络订餐平台入网餐饮单位的属地管辖问题"


@dataclass(frozen=True)
class SupervisionFilingsDemo:
    filings_examined: int
    filings_to_opinion: int
    coordinations: int


def supervision_filings_demo_load(
    *, agency: Agency, head: User, supervisors: list[User], today: dt.date
) -> SupervisionFilingsDemo:
    """`agency` is the demo's main agency and `head` its head; `supervisors` are two supervisors of
    the county's 司法局 with valid supervision certificates (part A's demo registers them)."""
    examined = to_opinion = 0
    awaiting = list(Filing.objects.filter(agency=agency, state="awaiting", bureau__isnull=False).order_by("decided_on", "pk"))
    if Filing.objects.filter(agency=agency).exclude(state="awaiting").exists():
        awaiting = []  # examined when the demo was loaded before
    # The older half is examined (a week after filing, or today if sooner); the newest stay waiting.
    for index, filing in enumerate(awaiting[: len(awaiting) // 2]):
        on = min(filing.filed_on + dt.timedelta(days=7), today)
        actor = supervisors[index % len(supervisors)]
        if index == 0:
            filing_opinion_take(filing=filing, actor=actor, on=on, note="减轻处罚的理由和证据不充分，拟制发监督意见书。")
            to_opinion += 1
        else:
            filing_examine(filing=filing, actor=actor, on=on, note="决定事实清楚、程序合法，审查无异议。")
            examined += 1

    created = 0
    if not Coordination.objects.filter(agency=agency, subject=DISPUTE).exists():
        other = (Agency.objects.filter(region_code=agency.region_code, is_judicial_bureau=False)
                 .exclude(pk=agency.pk).order_by("pk").first())
        if other is not None:
            raised = today - dt.timedelta(days=40)
            c = coordination_raise(
                actor=head, kind="competence", subject=DISPUTE, other_agency=other, on=raised,
                description="本局认为流动摊贩占道经营应由城市管理部门查处，对方认为涉及食品销售应由本局查处，双方各执一词。",
            )
            c = coordination_act(coordination=c, actor=supervisors[0], action="accept", data={}, on=raised + dt.timedelta(days=2))
            c = coordination_act(coordination=c, actor=supervisors[1], action="record_meeting", on=raised + dt.timedelta(days=9),
                                 data={"text": "在旗司法局召开协调会，两机关分管负责人和法制机构负责人参加。"})
            coordination_act(coordination=c, actor=supervisors[0], action="record_opinion", on=raised + dt.timedelta(days=12),
                             data={"text": "占道经营行为由城市管理部门查处；所售食品涉嫌不符合食品安全标准的，移送市场监管部门依法处理。"})
            created += 1
    if not Coordination.objects.filter(agency=agency, subject=PROBLEM).exists():
        coordination_raise(actor=head, kind="problem", subject=PROBLEM, other_agency=None, on=today - dt.timedelta(days=3),
                           description="入网餐饮单位实际经营地与平台登记地不一致，请求协调明确管辖。")
        created += 1
    return SupervisionFilingsDemo(filings_examined=examined, filings_to_opinion=to_opinion, coordinations=created)
