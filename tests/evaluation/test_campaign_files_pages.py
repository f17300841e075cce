"""A 案卷评查 campaign's page lists its files a page at a time (it listed them all: a county's campaign
has hundreds), with the shared pager; the counts in its heading stay the campaign's, whatever page
and whoever reads it (an agency's user sees only its own files and those it evaluates)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.evaluation import campaign_selectors
from sanxiang.evaluation.campaign_services import campaign_define, campaign_self_check
from tests.evaluation.campaign_support import county_make, define_kwargs, scores

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(response) -> list[str]:
    assert response.status_code == 200
    return [f.case_number for f in response.context["files"]]


def test_the_files_are_paginated_and_the_counts_stay_the_campaigns(monkeypatch):
    monkeypatch.setattr(campaign_selectors, "FILES_PAGE_SIZE", 2)
    county = county_make(files_per_agency=2)  # 3 agencies, 6 files
    campaign = campaign_define(**define_kwargs(county))
    first = campaign.files.select_related("agency").order_by("case_number").first()
    campaign_self_check(actor=county.heads[county.agencies.index(first.agency)], file=first, results=scores(90))
    url = reverse("evaluation:campaign_detail", args=[campaign.pk])
    bureau = _client(county.supervisor)

    seen = []
    for number in (1, 2, 3):
        response = bureau.get(url, {"page": number})
        rows = _rows(response)
        assert len(rows) == 2
        seen += rows
        text = response.content.decode()
        assert "案卷（共6份，已自查1份" in text and f"第 {number} / 3 页，共 6 条" in text
    assert seen == sorted(campaign.files.values_list("case_number", flat=True))
    assert _rows(bureau.get(url, {"page": "zz"})) == seen[:2]  # not a number: the first page
    assert _rows(bureau.get(url, {"page": "999"})) == seen[4:]  # past the end: the last
    assert _rows(bureau.get(url, {"page": "9" * 40})) == seen[4:]

    # An agency's head: its own two files on one page, the campaign's counts.
    head = county.heads[county.agencies.index(first.agency)]
    response = _client(head).get(url)
    own = sorted(campaign.files.filter(agency=first.agency).values_list("case_number", flat=True))
    assert _rows(response) == own
    text = response.content.decode()
    assert "案卷（共6份，已自查1份" in text and "下一页" not in text


def test_the_counts_by_the_database_are_those_of_the_files():
    from sanxiang.evaluation.campaign_services import campaign_draw_run, campaign_score
    from tests.evaluation.campaign_support import automatic_met

    county = county_make(files_per_agency=2)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=3))
    automatic_met(campaign)

    def both():
        return (campaign_selectors.campaign_counts_of(campaign=campaign),
                campaign_selectors.campaign_counts(files=campaign_selectors.campaign_files(campaign=campaign)))

    by_database, by_files = both()
    assert by_database == by_files and by_database["listed"] == 6 and by_database["self_checked"] == 0
    for file in campaign.files.select_related("agency"):
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(90))
    campaign_draw_run(actor=county.supervisor, campaign=campaign)
    drawn = list(campaign.files.filter(sampled=True).order_by("draw_position"))
    for assignment in drawn[0].assignments.all():  # one file scored alike: final, passed
        campaign_score(actor=assignment.evaluator, assignment=assignment, results=scores(90))
    first, second = drawn[1].assignments.order_by("position")  # one far apart: to re-grade
    campaign_score(actor=first.evaluator, assignment=first, results=scores(100))
    campaign_score(actor=second.evaluator, assignment=second, results=scores(62))
    by_database, by_files = both()
    assert by_database == by_files
    assert by_database == {"listed": 6, "self_checked": 6, "sampled": 3, "final": 1, "passed": 1, "regrade": 1}


def test_the_api_pages_the_files_and_the_campaign_carries_only_the_first_page(monkeypatch):
    """GET …/campaigns/{id} returned every file; now its first page with a link to the rest, and
    GET …/campaigns/{id}/files pages them (limit, signed cursor) as the page lists them."""
    from sanxiang.api import campaigns as api_campaigns
    from tests.api.support import bearer

    monkeypatch.setattr(api_campaigns, "DEFAULT_LIMIT", 4)
    county = county_make(files_per_agency=2)  # 3 agencies, 6 files
    campaign = campaign_define(**define_kwargs(county))
    api = Client(enforce_csrf_checks=True)
    auth = bearer(county.supervisor)
    every = sorted(campaign.files.values_list("case_number", flat=True))

    detail = api.get(f"/api/evaluation/campaigns/{campaign.pk}", **auth).json()
    assert [f["case_number"] for f in detail["files"]] == every[:4]
    assert detail["counts"]["listed"] == 6 and detail["files_url"] == f"/api/evaluation/campaigns/{campaign.pk}/files"
    rest = api.get(detail["files_next"], **auth).json()
    assert [f["case_number"] for f in rest["items"]] == every[4:] and rest["next"] is None

    seen, url = [], f"{detail['files_url']}?limit=2"
    while url:
        page = api.get(url, **auth).json()
        assert len(page["items"]) <= 2
        seen += [f["case_number"] for f in page["items"]]
        url = page["next"]
    assert seen == every
    assert api.get(f"{detail['files_url']}?cursor=forged", **auth).status_code == 422
    assert api.get(f"{detail['files_url']}?limit=0", **auth).status_code == 422

    # An agency's head: its own files only; the counts stay the campaign's.
    agency = county.agencies[0]
    head = bearer(county.heads[0])
    own = sorted(campaign.files.filter(agency=agency).values_list("case_number", flat=True))
    assert [f["case_number"] for f in api.get(detail["files_url"], **head).json()["items"]] == own
    detail = api.get(f"/api/evaluation/campaigns/{campaign.pk}", **head).json()
    assert [f["case_number"] for f in detail["files"]] == own and detail["files_next"] is None
    assert detail["counts"]["listed"] == 6
    assert api.get("/api/evaluation/campaigns/999999/files", **head).status_code == 404
