"""On the demo county, every published 处罚内容 is what the 决定书 imposes (the rule and its other
tests: test_content_from_decision.py)."""

import datetime as dt

import pytest

from sanxiang.publication.models import PublicationDraft
from tests.publication.test_content_from_decision import assert_content_is_the_decisions
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 6, 15)
pytestmark = [pytest.mark.django_db, pytest.mark.shared_demo(day=TODAY)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded


def test_every_demo_publication_states_the_penalty_its_decision_imposes(demo, settings):
    settings.DATA_DIR, settings.MEDIA_ROOT = demo.data_dir, demo.data_dir / "files"  # the demo's files
    every = list(PublicationDraft.objects.select_related("case").order_by("pk"))
    # The compulsory, licence, 征收 and other acts' decisions are drafted too (their content is tested with them).
    assert {d.case.procedure for d in every} == {"ordinary", "summary", "seal_seizure", "freeze", "enforcement", "permit",
                                                 "expropriation", "other_act"}
    drafts = [d for d in every if d.case.procedure in ("ordinary", "summary")]
    assert len(drafts) >= 8  # ordinary and summary decisions, published, drafted and not published
    for draft in drafts:
        assert_content_is_the_decisions(draft)
        if draft.publication is not None:
            assert draft.publication.content == draft.public["content"] == draft.original["content"]
