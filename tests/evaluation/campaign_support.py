"""A small county for 案卷评查活动 (issue 16, item 4): a 司法局, three agencies each with closed files,
an evaluator in each agency, and a supervisor. Cases are put in a closed state directly, with a
ledger step dated today (the campaign reads the closing day from the ledger): the course of a case
is not what these tests are about."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from sanxiang.evaluation.models import CampaignFile, EvaluationCampaign
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.campaigns import FAILED, MET, automatic_to_data, file_standard
from sanxiang.procedure.evaluation.casefile_checks import CHECKERS
from sanxiang.procedure.evaluation.casefile_standard import ItemResult
from sanxiang.registry.models import Agency
from tests.factories import agency_make, user_make
from tests.supervision.support import supervisor_user_make

_n = itertools.count(1)


def closed_case_make(agency: Agency, *, state: str = "closed", procedure: str = "ordinary") -> Case:
    n = next(_n)
    case = case_create(actor=None, agency=agency, number=f"PC-{agency.pk}-{n:04d}", title=f"评查案件{n}")
    Case.objects.filter(pk=case.pk).update(state=state, procedure=procedure)
    with transaction.atomic():
        entry_append(event=LedgerEvent(EventKind.STEP_DONE, {"action": "close"}, agency_id=agency.pk, case_id=case.pk,
                                       subject=f"case:{case.pk}:close"))
    return case


@dataclass
class CampaignCounty:
    today: dt.date
    bureau: Agency
    agencies: list[Agency]
    supervisor: User
    heads: list[User]
    evaluators: list[User]
    cases: list[Case] = field(default_factory=list)


def county_make(*, files_per_agency: int = 2, agencies: int = 3) -> CampaignCounty:
    bureau = agency_make(name="评查司法局", is_judicial_bureau=True)
    made = [agency_make(name=f"评查{'甲乙丙丁戊'[i]}局") for i in range(agencies)]
    county = CampaignCounty(
        today=timezone.localdate(), bureau=bureau, agencies=made, supervisor=supervisor_user_make(bureau=bureau),
        heads=[user_make(role=Role.AGENCY_HEAD, agency=a) for a in made],
        evaluators=[user_make(role=Role.REVIEWER, agency=a) for a in made],
    )
    for agency in made:
        county.cases += [closed_case_make(agency) for _ in range(files_per_agency)]
    return county


def _checked(item) -> bool:
    return item.automatic and item.function in CHECKERS


def scores(total: int = 100, *, veto_failed: bool = False) -> dict[str, str]:
    """The manual items' results on the default standard of ordinary penalty files (100 points)
    giving `total` points when the automatic items are all met (`automatic_met`): the points lost
    taken off the largest manual items first (38 points in all); the first manual veto item failed
    if asked."""
    standard = file_standard("ordinary", on=dt.date.today())
    vetoes = [i for i in standard.items if i.veto and not _checked(i)]
    results = {item.code: FAILED if veto_failed and n == 0 else MET for n, item in enumerate(vetoes)}
    lost = 100 - total
    for item in sorted((i for i in standard.items if not i.veto and not _checked(i)), key=lambda i: -i.points):
        take = min(lost, int(item.points))
        results[item.code] = str(take)
        lost -= take
    return results


def define_kwargs(county: CampaignCounty, **overrides) -> dict:
    return {
        "actor": county.supervisor,
        "title": "2026年度案卷评查",
        "period_start": county.today - dt.timedelta(days=30),
        "period_end": county.today,
        "procedures": ["ordinary"],
        "agencies": county.agencies,
        "sample_size": None,
        "sample_percent": 50,
        "evaluators": county.evaluators,
        "results_public": True,
        "today": county.today,
    } | overrides


def automatic_met(campaign: EvaluationCampaign) -> None:
    """The files of this small county have no records (their cases are put in a closed state
    directly): their automatic items are stored as met, as if computed from a sound file, so that
    the totals are those the evaluators give (the computing itself is tested apart)."""
    standard = file_standard("ordinary", on=dt.date.today())
    met = automatic_to_data({i.code: ItemResult() for i in standard.items if _checked(i)})
    CampaignFile.objects.filter(campaign=campaign).update(automatic_results=met, automatic_standard=standard.version,
                                                         automatic_at=timezone.now())
