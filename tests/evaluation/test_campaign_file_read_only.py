"""Opening a 案卷评查 file (its page or the API's GET) does not change its record: the automatic items
are shown computed from the records without being stored, and are stored, with their ledger entry,
by the write that first needs them (here the self-check), so that the ledger still holds what a
score was based on when it is given. (They were stored, and entered in the ledger, by a GET.)"""

from __future__ import annotations

import json
import re

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


def _records_changed(monkeypatch):
    """The file's records change after it was read (an evidence file, a certificate): the write's
    computation gives other results than those shown."""
    from dataclasses import replace as changed_result

    from sanxiang.evaluation import campaign_selectors, campaign_services

    real = campaign_selectors.file_automatic_compute

    def computed(file, standard):
        results = real(file, standard)
        code = sorted(results)[0]
        return results | {code: changed_result(results[code], findings=(*results[code].findings, "记录已变动"))}

    monkeypatch.setattr(campaign_services, "file_automatic_compute", computed)
    monkeypatch.setattr(campaign_selectors, "file_automatic_compute", computed)


def test_a_self_check_on_automatic_results_other_than_those_shown_is_refused(monkeypatch):
    """What a self-checker is shown is what is stored and scored: the page's form and the API's body
    carry the digest of the automatic results shown, and the write refuses (409) when the results it
    computes differ, showing the new ones; nothing is stored."""
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    file = campaign.files.select_related("agency").first()
    head = county.heads[county.agencies.index(file.agency)]
    page, api = Client(), Client(enforce_csrf_checks=True)
    page.force_login(head)
    auth = bearer(head)
    url = reverse("evaluation:campaign_file", args=[campaign.pk, file.pk])
    api_url = f"/api/evaluation/campaigns/{campaign.pk}/files/{file.pk}"
    text = page.get(url).content.decode()
    shown = re.search(r'name="automatic_sha256" value="([0-9a-f]{64})"', text).group(1)
    body = api.get(api_url, **auth).json()
    assert body["automatic_sha256"] == shown
    before = _state(file)

    _records_changed(monkeypatch)
    response = page.post(url, {"action": "self_check", **scores(100), "automatic_sha256": shown})
    assert response.status_code == 409
    text = response.content.decode()
    assert "自动评查的结果在您打开案卷之后已有变化" in text and "记录已变动" in text  # the new results shown
    assert "campaign." not in text
    assert _state(file) == before  # nothing stored, nothing entered
    answer = api.post(f"{api_url}/self-check", data=json.dumps({"results": scores(100), "automatic_sha256": shown}),
                      content_type="application/json", **auth)
    assert answer.status_code == 409, answer.content
    assert [v["code"] for v in answer.json()["violations"]] == ["campaign.automatic_changed"]
    assert _state(file) == before
    bad = api.post(f"{api_url}/self-check", data=json.dumps({"results": scores(100), "automatic_sha256": "x"}),
                   content_type="application/json", **auth)
    assert bad.status_code == 422

    # Resubmitted on the results now shown (the refused page's digest): scored with them.
    now_shown = re.search(r'name="automatic_sha256" value="([0-9a-f]{64})"', text).group(1)
    assert now_shown != shown
    assert page.post(url, {"action": "self_check", **scores(100), "automatic_sha256": now_shown}).status_code == 302
    file.refresh_from_db()
    assert file.self_total is not None
    assert any("记录已变动" in r["findings"] for r in file.automatic_results.values())


def test_the_api_digest_is_optional():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    file = campaign.files.select_related("agency").first()
    head = county.heads[county.agencies.index(file.agency)]
    api, auth = Client(enforce_csrf_checks=True), bearer(head)
    answer = api.post(f"/api/evaluation/campaigns/{campaign.pk}/files/{file.pk}/self-check",
                      data=json.dumps({"results": scores(100)}), content_type="application/json", **auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["automatic_at"] is not None and answer.json()["automatic_sha256"]
