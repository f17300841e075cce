"""Opening a 案卷评查 file (its page or the API's GET) does not change its record: the automatic items
are shown computed from the records without being stored, and are stored, with their ledger entry,
by the write that first needs them (here the self-check), so that the ledger still holds what a
score was based on when it is given. (They were stored, and entered in the ledger, by a GET.)"""

from __future__ import annotations

import json

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from sanxiang.evaluation.campaign_services import campaign_define, campaign_self_check
from sanxiang.evaluation.models import CampaignFile
from sanxiang.ledger.models import Entry
from tests.api.support import bearer
from tests.evaluation.campaign_support import county_make, define_kwargs, scores

pytestmark = pytest.mark.django_db

AUTOMATIC = "evaluation.campaign_automatic_computed"


def _state(file: CampaignFile) -> tuple:
    file.refresh_from_db()
    return model_to_dict(file), Entry.objects.count()


def test_reading_a_file_stores_nothing_and_the_self_check_stores_what_it_was_based_on():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    file = campaign.files.select_related("agency").first()
    head = county.heads[county.agencies.index(file.agency)]
    page, api = Client(), Client(enforce_csrf_checks=True)
    page.force_login(head)
    auth = bearer(head)
    before = _state(file)
    assert before[0]["automatic_results"] is None

    response = page.get(reverse("evaluation:campaign_file", args=[campaign.pk, file.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="automatic"' in text and "结果在提交评分时按当时的案卷记录计算并保存" in text
    answer = api.get(f"/api/evaluation/campaigns/{campaign.pk}/files/{file.pk}", **auth)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["action"] == "self_check" and body["automatic"] and body["automatic_at"] is None
    assert _state(file) == before  # neither read changed the file nor appended an entry
    assert not Entry.objects.filter(kind=AUTOMATIC).exists()

    # The self-check stores the automatic items it is scored with, entered before the score.
    campaign_self_check(actor=head, file=file, results=scores(100))
    file.refresh_from_db()
    assert file.automatic_results is not None and file.automatic_at is not None
    computed = Entry.objects.get(kind=AUTOMATIC, case_id=file.case_id)
    checked = Entry.objects.get(kind="evaluation.campaign_self_checked", case_id=file.case_id)
    assert computed.seq < checked.seq
    assert json.loads(bytes(computed.body))["payload"]["results"] == file.automatic_results
    assert {i["code"] for i in body["automatic"]} == set(file.automatic_results)
    # Read again: what is stored, with its time.
    again = api.get(f"/api/evaluation/campaigns/{campaign.pk}/files/{file.pk}", **auth).json()
    assert again["automatic_at"] is not None
    assert Entry.objects.filter(kind=AUTOMATIC).count() == 1
