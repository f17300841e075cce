"""A completed 案卷评查活动 of the demo county (issue 16, item 4), produced through the services: the
司法局 defines a campaign over the main agency's closed files (penalty ordinary procedure and the
compulsory measures), the agency self-checks each, the 司法局 draws half of them with two evaluators of
other agencies for each (reviewers made here, one in each of three other agencies), the evaluators
score, one file whose two scores differ too much is re-graded by the 司法局, and the results are
published, on the portal too. The files' closing days are those their last steps were recorded on
(when the demo was loaded), so the campaign runs on the day of loading. Loaded once."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.evaluation.campaign_selectors import file_automatic, file_standard_of
from sanxiang.evaluation.campaign_services import (
    campaign_define,
    campaign_draw_run,
    campaign_file_automatic_compute,
    campaign_regrade,
    campaign_results_publish,
    campaign_score,
    campaign_self_check,
)
from sanxiang.evaluation.models import CampaignAssignment, EvaluationCampaign
from sanxiang.procedure.evaluation.campaigns import CAMPAIGN_PROCEDURES, FAILED, MET, manual_items
from sanxiang.procedure.evaluation.casefile_standard import Standard
from sanxiang.registry.models import Agency, AgencyStatus

EVALUATING_AGENCIES = 3
HALF = Decimal("0.5")


def _results(standard: Standard, rng: random.Random, *, lost: int, veto_failed: bool = False,
             automatic: dict | None = None) -> dict[str, str]:
    """Scores losing about `lost` points, in half points, on the manual items drawn from the standard
    (the automatic items, `automatic`, are computed from the records, not scored by hand)."""
    manual = manual_items(standard, automatic)
    results = {i.code: (FAILED if veto_failed and n == 0 else MET) for n, i in enumerate(i for i in manual if i.veto)}
    items = [i for i in manual if not i.veto]
    for item in items:
        results[item.code] = "0"
    remaining = Decimal(lost)
    for item in rng.sample(items, len(items)):
        if remaining <= 0:
            break
        take = min(item.points, remaining, Decimal(rng.randint(1, 8)) * HALF)
        results[item.code] = f"{take.normalize():f}"
        remaining -= take
    return results


@transaction.atomic
def demo_evaluation_campaign_load(*, today: dt.date | None = None) -> int:
    """Load the campaign (once); returns how many files it drew (0 when the demo county or its
    closed files are not there)."""
    from sanxiang.accounts.services import user_create

    generator = CountyGenerator(seed=DEMO_SEED, today=today or timezone.localdate())
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    supervisor = User.objects.filter(role=Role.SUPERVISOR, agency=bureau).order_by("username").first()
    head = User.objects.filter(role=Role.AGENCY_HEAD, agency=main).order_by("pk").first()
    if bureau is None or main is None or supervisor is None or head is None:
        return 0
    existing = EvaluationCampaign.objects.filter(bureau=bureau).first()
    if existing is not None:
        return existing.sample_count
    on = timezone.localdate()
    others = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False,
                                        status=AgencyStatus.ACTIVE).exclude(pk=main.pk).order_by("pk"))
    evaluators = [
        User.objects.filter(username=f"pingcha-{agency.pk}").first()
        or user_create(actor=None, username=f"pingcha-{agency.pk}", password=None, role=Role.REVIEWER, agency=agency,
                       display_name=f"{agency.name}评查员", validate=False)
        for agency in others[:EVALUATING_AGENCIES]
    ]
    campaign = campaign_define(
        actor=supervisor, title=f"{on.year}年度行政执法案卷评查", period_start=on - dt.timedelta(days=365),
        period_end=on, procedures=list(CAMPAIGN_PROCEDURES), agencies=[main], sample_size=None, sample_percent=50,
        evaluators=evaluators, results_public=True, today=on,
    )
    rng = random.Random(f"{DEMO_SEED}:campaign:{on.isoformat()}")
    region = bureau.region_code
    for file in campaign.files.order_by("case_number"):
        automatic = campaign_file_automatic_compute(file=file, actor=head)
        campaign_self_check(actor=head, file=file, results=_results(file_standard_of(file, region=region), rng,
                                                                    lost=rng.randint(2, 12), automatic=automatic))
    campaign_draw_run(actor=supervisor, campaign=campaign)
    regraded = None
    # The file re-graded: the first drawn whose computed items fail no veto item (one that does
    # scores 0 with both evaluators, who then agree).
    target = next((f for f in campaign.files.filter(sampled=True).order_by("draw_position")
                   if not any(r.failed for r in (file_automatic(f) or {}).values())), None)
    for assignment in CampaignAssignment.objects.filter(file__campaign=campaign).select_related(
            "file", "evaluator").order_by("file__draw_position", "position"):
        standard = file_standard_of(assignment.file, region=region)
        automatic = file_automatic(assignment.file)
        lost, veto = rng.randint(3, 12), False  # two of them differ by 9 at most: no re-grading
        # That file's second evaluator finds much more wrong, a veto item failed among it (the
        # other did not): re-graded by the 司法局.
        if target is not None and assignment.file_id == target.pk and assignment.position == 2:
            lost, veto, regraded = 30, True, assignment.file
        campaign_score(actor=assignment.evaluator, assignment=assignment,
                       results=_results(standard, rng, lost=lost, veto_failed=veto, automatic=automatic))
    if regraded is not None:
        regraded.refresh_from_db()
        if regraded.regrade_required:
            campaign_regrade(actor=supervisor, file=regraded, results=_results(
                file_standard_of(regraded, region=region), rng, lost=22, automatic=file_automatic(regraded)))
    campaign = campaign_results_publish(actor=supervisor, campaign=campaign, today=on)
    return campaign.sample_count
