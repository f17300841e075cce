"""Writes of the plan's targets (issue 15, item 3): a county's 司法局 defines its next campaign (the
share of its agencies that must fully apply the three systems, by a date), and the scheduled task
keeps each county's monthly snapshot of that share. Each write and its ledger entry are one
transaction."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.evaluation.models import TargetCampaign, TargetSnapshot
from sanxiang.evaluation.target_selectors import campaign_in_force, targets_compute, user_defines_campaigns
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.targets import CAMPAIGN_BASIS, campaign_violations
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry.models import Agency, AgencyStatus


@transaction.atomic
def target_campaign_define(
    *, actor: User, title: str, milestones: list[tuple[dt.date | None, int | None]], on: dt.date
) -> TargetCampaign:
    """A supervisor of a 司法局 defines the county's next campaign; it is in force from now on.
    Raises Refused with every reason before anything is stored."""
    violations = []
    if not user_defines_campaigns(actor):
        violations.append(
            Violation("evaluation.target.side", "只有县司法局监督人员可以确定本县的实施目标", CAMPAIGN_BASIS)
        )
    violations += campaign_violations(title=title, milestones=milestones)
    if violations:
        raise Refused(violations)
    stages = [
        {"due_on": d.isoformat(), "percent": p} for d, p in milestones if d is not None and p is not None
    ]
    campaign = TargetCampaign.objects.create(
        bureau=actor.agency, title=title.strip(), milestones=stages, defined_on=on, defined_by=actor
    )
    entry_append(
        event=LedgerEvent(
            EventKind.EVALUATION_TARGET_CAMPAIGN_DEFINED,
            {
                "campaign": campaign.pk,
                "bureau": actor.agency_id,
                "title": campaign.title,
                "milestones": stages,
                "defined_on": on.isoformat(),
            },
            agency_id=actor.agency_id,
            subject=f"target_campaign:{campaign.pk}",
        ),
        actor=actor,
    )
    return campaign


def target_snapshots_refresh(*, on: dt.date, today: dt.date | None = None) -> int:
    """Each county's share on `on`, kept as the snapshot of `on`'s month (the latest run of a month
    replaces the earlier one). A month's row is final once the month ends: a run for a day of an
    ended month (a catch-up or a retry, run `today`) writes the row only where there is none, as
    the publicity and documents it reads are those of today, not of that day. One transaction and
    one ledger entry per county written. Returns the number of counties written."""
    today = today or timezone.localdate()
    month = on.replace(day=1)
    bureaus = list(Agency.objects.filter(is_judicial_bureau=True).order_by("region_code", "pk"))
    regions = list(dict.fromkeys(b.region_code for b in bureaus))
    if month < today.replace(day=1):
        final = set(TargetSnapshot.objects.filter(month=month).values_list("region_code", flat=True))
        regions = [r for r in regions if r not in final]
    for region in regions:
        bureau = next(b for b in bureaus if b.region_code == region)
        agencies = list(
            Agency.objects.filter(
                is_judicial_bureau=False, status=AgencyStatus.ACTIVE, region_code=region
            ).order_by("name", "pk")
        )
        table = targets_compute(
            agencies=agencies, on=on, campaign=campaign_in_force(bureau=bureau, on=on), region=region
        )
        results = {
            str(r.agency.pk): {
                "name": r.agency.name,
                "status": r.judgement.status.value,
                "reason": r.judgement.reason,
                "failures": [f"{k.label}：{c.criterion.name}（{c.judgement.reason}）" for k, c in r.failures],
            }
            for r in table.results
        }
        _snapshot_write(region=region, bureau=bureau, on=on, table=table, results=results)
    return len(regions)


@transaction.atomic
def _snapshot_write(*, region: str, bureau: Agency, on: dt.date, table, results: dict) -> TargetSnapshot:
    milestone = table.milestone
    snapshot, _ = TargetSnapshot.objects.update_or_create(
        region_code=region,
        month=on.replace(day=1),
        defaults={
            "computed_on": on,
            "counted": table.counted,
            "met": table.met,
            "agencies": results,
            "campaign_title": table.campaign.title[:100],
            "target_percent": milestone.percent if milestone else None,
            "target_due_on": milestone.due_on if milestone else None,
        },
    )
    entry_append(
        event=LedgerEvent(
            EventKind.EVALUATION_TARGET_SNAPSHOT,
            {
                "snapshot": snapshot.pk,
                "region": region,
                "month": f"{on:%Y-%m}",
                "computed_on": on.isoformat(),
                "counted": table.counted,
                "met": table.met,
                "agencies_sha256": hashlib.sha256(canonical_json(results)).hexdigest(),
            },
            agency_id=bureau.pk,
            subject=f"target_snapshot:{snapshot.pk}",
        )
    )
    return snapshot
