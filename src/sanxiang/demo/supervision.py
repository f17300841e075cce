"""A year of supervision in the demo county (issue 14), produced through the services: the
bureau's supervisors and matters from every source (part A), complaints from the portal, the
12345 hotline and the enterprise channel (part D), instruments in every state with a public 通报
(part B), the filings of the demo's major decisions with coordination requests (part C), and the
year's published supervision plan with one 执法质效评议 round (item 5).
Loaded once: nothing when the bureau already has matters."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.demo.supervision_complaints import supervision_complaints_demo_load
from sanxiang.demo.supervision_filings import supervision_filings_demo_load
from sanxiang.demo.supervision_instruments import supervision_instruments_demo_load
from sanxiang.demo.supervision_matters import supervision_matters_demo_load
from sanxiang.demo.supervision_plans import supervision_plans_demo_load
from sanxiang.procedure.supervision.matters import MatterState
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Matter


@transaction.atomic
def demo_supervision_load(*, today: dt.date | None = None) -> int:
    """Load the supervision year (once); returns how many matters the bureau has afterwards (0 when
    the demo county is not there)."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    head = User.objects.filter(username="head", agency=main).first() if main else None
    if bureau is None or main is None or head is None:
        return 0
    if not supervision_matters_demo_load(today=today):
        return Matter.objects.filter(bureau=bureau).count()
    pair = list(User.objects.filter(username__in=("jiandu-wang", "jiandu-zhao")).order_by("username").reverse())
    supervision_complaints_demo_load(bureau=bureau, supervisors=pair, today=today)
    accepted = list(
        Matter.objects.filter(bureau=bureau, state=MatterState.ACCEPTED, agency__users__isnull=False)
        .distinct()
        .order_by("received_on", "id")[:9]
    )
    if accepted:
        supervision_instruments_demo_load(matters=accepted, supervisors=pair, today=today)
    supervision_filings_demo_load(agency=main, head=head, supervisors=pair, today=today)
    supervision_plans_demo_load(bureau=bureau, supervisors=pair, today=today)  # item 5: plan and 评议
    return Matter.objects.filter(bureau=bureau).count()
