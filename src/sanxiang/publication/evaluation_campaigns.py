"""案卷评查活动 in the public read model (issue 16, item 4): the subscriber that writes
`PublicEvaluationCampaign` when the evaluation app publishes the results of a campaign made public
(inside the publishing transaction; subscribed in `PublicationConfig.ready`). What is written is the
event's own text: scope, results by file and the draw's public inputs."""

from __future__ import annotations

from dataclasses import asdict

from sanxiang.public_events import EvaluationCampaignPublished
from sanxiang.publication.models import PublicEvaluationCampaign


def public_evaluation_campaign_record(event: EvaluationCampaignPublished) -> PublicEvaluationCampaign:
    """Write the public campaign, once (the same event again changes nothing)."""
    campaign, _created = PublicEvaluationCampaign.objects.get_or_create(
        source_id=event.campaign_id,
        defaults={
            "bureau_name": event.bureau_name, "title": event.title, "period_start": event.period_start,
            "period_end": event.period_end, "kinds": list(event.kinds), "agencies": list(event.agencies),
            "population_count": event.population_count, "seed_commitment": event.seed_commitment,
            "draw_inputs": event.draw_inputs, "results": [asdict(r) for r in event.results],
            "published_on": event.published_on, "basis": event.basis,
        },
    )
    return campaign
