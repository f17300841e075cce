"""Issue 19: 案卷评查 through the API, as its pages: a campaign defined by the county's 司法局 (every bad
field named in a 422, nothing stored; an Idempotency-Key replayed once), self-checked by each agency,
drawn (409 with every agency that has not self-checked), scored by the two evaluators drawn (the other's
name and score hidden until the results are published; the copy of the file read under the grant and
logged), re-graded by the 司法局 when the scores differ too much, its results published; who sees
what (another county's campaign 404); the standards in force and the 司法局's next version; a case
file's live score. A small county (tests/evaluation/campaign_support.py), Bearer tokens, CSRF on."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.models import IssuedDocument
from sanxiang.evaluation.campaign_services import campaign_define, campaign_self_check
from sanxiang.evaluation.models import (
    CampaignAssignment,
    CampaignFile,
    CaseFileStandardVersion,
    EvaluationCampaign,
)
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from tests.api.query_bounds import queries_of
from tests.api.support import assert_safe_download, bearer
from tests.evaluation.campaign_support import (
    automatic_met,
    closed_case_make,
    county_make,
    define_kwargs,
    scores,
)
from tests.factories import agency_make, user_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
URL = "/api/evaluation/campaigns"
KEY = "0d4c6e2a-3b1f-4d5e-8a9b-7c6d5e4f3a21"


def post(client, url: str, auth: dict, body: dict | None = None, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth, **headers)


def get(client, url: str, auth: dict):
    return client.get(url, **auth)


def body_of(county, **fields) -> dict:
    kwargs = define_kwargs(county)
    return {"title": kwargs["title"], "period_start": kwargs["period_start"].isoformat(),
            "period_end": kwargs["period_end"].isoformat(), "procedures": ["ordinary"],
            "agency_ids": [a.pk for a in county.agencies], "sample_size": 1,
            "evaluator_ids": [u.pk for u in county.evaluators], "results_public": False} | fields


def fields_of(response) -> set:
    return {v["field"] for v in response.json()["violations"]}


def codes_of(response) -> list:
    return [v["code"] for v in response.json()["violations"]]


def defined(client, county) -> tuple[EvaluationCampaign, dict]:
    auth = bearer(county.supervisor)
    response = post(client, URL, auth, body_of(county))
    assert response.status_code == 201, response.content
    campaign = EvaluationCampaign.objects.get(pk=response.json()["id"])
    automatic_met(campaign)
    return campaign, auth


def self_checked_and_drawn(client, county) -> tuple[EvaluationCampaign, dict, CampaignFile]:
    campaign, auth = defined(client, county)
    for file in campaign.files.all():
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(90))
    assert post(client, f"{URL}/{campaign.pk}/draw", auth).status_code == 200
    return campaign, auth, campaign.files.get(sampled=True)


def test_a_campaign_is_defined_with_every_bad_field_named_and_replayed_once(client):
    county = county_make(files_per_agency=1)
    auth = bearer(county.supervisor)
    elsewhere = agency_make(name="外县评查局", region_code="150627")
    future = (county.today + dt.timedelta(days=5)).isoformat()
    for bad, field in [({"agency_ids": [elsewhere.pk]}, "agency_ids"), ({"evaluator_ids": [county.supervisor.pk]}, "evaluator_ids"),
                       ({"procedures": ["nonsense"]}, "procedures.0"), ({"sample_size": None}, "sample_size"),
                       ({"sample_size": 0}, "sample_size"), ({"period_end": future}, "period_end"),
                       ({"title": " "}, "title"), ({"evaluator_ids": [county.evaluators[0].pk]}, "evaluator_ids"),
                       ({"period_start": "2026-13-01"}, "period_start"),
                       # Issue 19 review, finding 6: no coercion of a boolean or a word.
                       ({"sample_size": True}, "sample_size"), ({"sample_percent": "50"}, "sample_percent"),
                       ({"results_public": "yes"}, "results_public"), ({"agency_ids": [True]}, "agency_ids.0")]:
        response = post(client, URL, auth, body_of(county, **bad))
        assert response.status_code == 422, (bad, response.content)
        assert field in fields_of(response), (bad, response.json())
    # Several at once: each named.
    several = post(client, URL, auth, body_of(county, title="", procedures=[], agency_ids=[]))
    assert several.status_code == 422 and fields_of(several) >= {"title", "procedures", "agency_ids"}
    assert not EvaluationCampaign.objects.exists()
    # An agency's head may not define one.
    assert post(client, URL, bearer(county.heads[0]), body_of(county)).status_code == 403

    first = post(client, URL, auth, body_of(county), key=KEY)
    assert first.status_code == 201, first.content
    again = post(client, URL, auth, body_of(county), key=KEY)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert EvaluationCampaign.objects.count() == 1
    body = first.json()
    assert body["status"] == "self_check" and body["seed"] is None and len(body["seed_commitment"]) == 64
    assert body["counts"]["listed"] == 3 and len(body["files"]) == 3 and body["may_draw"]
    assert [e["id"] for e in body["evaluators"]] == sorted([u.pk for u in county.evaluators],
                                                            key=lambda pk: next(u.agency.name for u in county.evaluators
                                                                                if u.pk == pk))


def test_self_checked_drawn_scored_and_published_through_the_api(client):
    county = county_make(files_per_agency=1)
    campaign, auth = defined(client, county)
    url = f"{URL}/{campaign.pk}"
    assert get(client, f"{url}/draw-inputs", auth).status_code == 404
    # The draw waits for every agency's self-check: one reason per agency, nothing drawn.
    early = post(client, f"{url}/draw", auth)
    assert early.status_code == 409 and codes_of(early) == ["campaign.self_check_open"] * 3
    assert not CampaignAssignment.objects.exists()

    file = campaign.files.get(agency=county.agencies[0])
    head = bearer(county.heads[0])
    file_url = f"{url}/files/{file.pk}"
    seen = get(client, file_url, head).json()
    assert seen["action"] == "self_check" and {i["code"] for i in seen["manual_items"]} == set(scores(90))
    assert seen["copy"] is None
    # Bad results: each item named on its field; an unknown item too.
    missing = post(client, f"{file_url}/self-check", head, {"results": {}})
    assert missing.status_code == 422 and fields_of(missing) == {f"results.{code}" for code in scores(90)}
    unknown = post(client, f"{file_url}/self-check", head, {"results": scores(90) | {"X99": "0"}})
    assert unknown.status_code == 422 and fields_of(unknown) == {"results.X99"}
    # Only the agency's legal reviewer or head; another agency's users do not see the file.
    officer = bearer(user_make(role=Role.OFFICER, agency=county.agencies[0]))
    assert post(client, f"{file_url}/self-check", officer, {"results": scores(90)}).status_code == 403
    assert get(client, file_url, bearer(county.heads[1])).status_code == 404
    done = post(client, f"{file_url}/self-check", head, {"results": scores(90)})
    assert done.status_code == 200, done.content
    assert done.json()["self_total"] == "90" and done.json()["action"] == ""
    twice = post(client, f"{file_url}/self-check", head, {"results": scores(80)})
    assert twice.status_code == 409 and codes_of(twice) == ["campaign.self_done"]

    for other in campaign.files.exclude(pk=file.pk):
        campaign_self_check(actor=county.heads[county.agencies.index(other.agency)], file=other, results=scores(90))
    # An agency's head may not draw.
    assert post(client, f"{url}/draw", head).status_code == 403
    drawn = post(client, f"{url}/draw", auth)
    assert drawn.status_code == 200, drawn.content
    campaign.refresh_from_db()
    assert drawn.json()["seed"] == campaign.seed and drawn.json()["counts"]["sampled"] == 1
    assert get(client, f"{url}/draw-inputs", auth).json() == campaign.draw_inputs
    again = post(client, f"{url}/draw", auth)
    assert again.status_code == 409 and codes_of(again) == ["campaign.drawn"]

    sampled = campaign.files.get(sampled=True)
    first, second = sampled.assignments.order_by("position")
    sampled_url = f"{url}/files/{sampled.pk}"
    one = bearer(first.evaluator)
    logged = AccessLogEntry.objects.count()
    read = get(client, sampled_url, one).json()
    assert read["action"] == "score" and read["copy"]["number"] == sampled.case_number
    assert AccessLogEntry.objects.count() == logged + 1
    mine, theirs = read["assignments"]
    assert mine["evaluator_id"] == first.evaluator_id and theirs["evaluator_id"] is None and theirs["evaluator_name"] is None
    # The sampled file's agency sees its file, not who evaluates it; a user of no assignment may not score.
    own = get(client, sampled_url, bearer(county.heads[county.agencies.index(sampled.agency)])).json()
    assert own["copy"] is None and [a["evaluator_id"] for a in own["assignments"]] == [None, None]
    assert post(client, f"{sampled_url}/score", bearer(county.heads[county.agencies.index(sampled.agency)]),
                {"results": scores(90)}).status_code == 403

    scored = post(client, f"{sampled_url}/score", one, {"results": scores(90)})
    assert scored.status_code == 200, scored.content
    assert scored.json()["assignments"][0]["total"] == "90" and scored.json()["assignments"][1]["total"] is None
    again = post(client, f"{sampled_url}/score", one, {"results": scores(90)})
    assert again.status_code == 409 and codes_of(again) == ["campaign.scored"]
    early = post(client, f"{url}/publish", auth)
    assert early.status_code == 409 and codes_of(early) == ["campaign.unscored"]
    assert post(client, f"{sampled_url}/score", bearer(second.evaluator), {"results": scores(86)}).status_code == 200
    published = post(client, f"{url}/publish", auth)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and published.json()["counts"]["final"] == 1
    [row] = [f for f in published.json()["files"] if f["sampled"]]
    assert row["final_total"] == "88" and row["final_grade"]
    # Once published, the evaluators and their scores are shown to the file's agency.
    own = get(client, sampled_url, bearer(county.heads[county.agencies.index(sampled.agency)])).json()
    assert [a["total"] for a in own["assignments"]] == ["90", "86"]
    again = post(client, f"{url}/publish", auth)
    assert again.status_code == 409 and codes_of(again) == ["campaign.published"]


def test_scores_too_far_apart_are_regraded_by_the_bureau(client):
    county = county_make(files_per_agency=1)
    campaign, auth, sampled = self_checked_and_drawn(client, county)
    url = f"{URL}/{campaign.pk}"
    first, second = sampled.assignments.order_by("position")
    sampled_url = f"{url}/files/{sampled.pk}"
    # Not yet needed: 409 with its reason; an agency's head: 403.
    assert codes_of(post(client, f"{sampled_url}/regrade", auth, {"results": scores(80)})) == ["campaign.no_regrade"]
    own_head = bearer(county.heads[county.agencies.index(sampled.agency)])
    assert post(client, f"{sampled_url}/regrade", own_head, {"results": scores(80)}).status_code == 403
    post(client, f"{sampled_url}/score", bearer(first.evaluator), {"results": scores(100)})
    apart = post(client, f"{sampled_url}/score", bearer(second.evaluator), {"results": scores(62)})
    assert apart.json()["regrade_required"] and apart.json()["final_total"] is None
    refused = post(client, f"{url}/publish", auth)
    assert refused.status_code == 409 and codes_of(refused) == ["campaign.regrade_open"]
    # The bureau reads the copy while the file waits for its re-grading, and re-grades it.
    read = get(client, sampled_url, auth).json()
    assert read["action"] == "regrade" and read["copy"] is not None
    bad = post(client, f"{sampled_url}/regrade", auth, {"results": scores(80) | {next(iter(scores(80))): "maybe"}})
    assert bad.status_code == 422 and len(fields_of(bad)) == 1
    regraded = post(client, f"{sampled_url}/regrade", auth, {"results": scores(80)})
    assert regraded.status_code == 200, regraded.content
    assert regraded.json()["final_total"] == "80"
    assert post(client, f"{url}/publish", auth).status_code == 200


def test_who_sees_which_campaign(client):
    county = county_make(files_per_agency=1)
    campaign, auth = defined(client, county)
    other_bureau = agency_make(name="外县司法局", is_judicial_bureau=True, region_code="150627")
    stranger = bearer(supervisor_user_make(bureau=other_bureau))
    assert get(client, URL, stranger).json()["items"] == []
    assert get(client, f"{URL}/{campaign.pk}", stranger).status_code == 404
    file = campaign.files.first()
    assert get(client, f"{URL}/{campaign.pk}/files/{file.pk}", stranger).status_code == 404
    assert post(client, f"{URL}/{campaign.pk}/draw", stranger).status_code == 404
    # An agency's user: the campaign, only their agency's file (the counts stay the campaign's).
    head = bearer(county.heads[0])
    assert [c["id"] for c in get(client, URL, head).json()["items"]] == [campaign.pk]
    detail = get(client, f"{URL}/{campaign.pk}", head).json()
    assert [f["agency_id"] for f in detail["files"]] == [county.agencies[0].pk] and detail["counts"]["listed"] == 3
    assert not detail["may_draw"]
    # A system administrator sees every campaign, and may not define one.
    admin = bearer(user_make(role=Role.SYSTEM_ADMIN))
    assert [c["id"] for c in get(client, URL, admin).json()["items"]] == [campaign.pk]
    assert post(client, URL, admin, body_of(county)).status_code == 403
    # An agency outside the campaign: nothing.
    outsider = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="未评查局")))
    assert get(client, URL, outsider).json()["items"] == []
    # The list's conventions: filter, ordering, a bad value named.
    assert get(client, f"{URL}?status=drawn", auth).json()["items"] == []
    assert [c["id"] for c in get(client, f"{URL}?status=self_check&ordering=id", auth).json()["items"]] == [campaign.pk]
    bad = get(client, f"{URL}?ordering=seed&status=open", auth)
    assert bad.status_code == 422 and fields_of(bad) >= {"status"}


def test_standards_in_force_read_and_the_next_version_published(client):
    county = county_make(files_per_agency=0, agencies=1)
    auth = bearer(county.supervisor)
    listed = get(client, "/api/evaluation/casefile-standards", auth)
    assert listed.status_code == 200
    assert [s["kind"] for s in listed.json()["items"]] == ["penalty_ordinary", "coercion_measure", "permit", "inspection"]
    one = get(client, "/api/evaluation/casefile-standards/penalty_ordinary", auth).json()
    assert one["items"] and one["versions"] == [] and not one["county"]
    item = next(i for i in one["items"] if not i["veto"] and float(i["points"]) >= 4)
    body = {"kind": "penalty_ordinary", "title": "本县行政处罚案卷评查标准", "version": "2027版",
            "valid_from": county.today.isoformat(), "changes": f"{item['title']} | {int(float(item['points'])) - 1} | 1"}
    assert post(client, "/api/evaluation/casefile-standards", bearer(county.heads[0]), body).status_code == 403
    past = post(client, "/api/evaluation/casefile-standards", auth,
                body | {"valid_from": (county.today - dt.timedelta(days=1)).isoformat(), "changes": "没有的项目 | 5 | 1"})
    assert past.status_code == 422 and "valid_from" in fields_of(past) and len(past.json()["violations"]) >= 2
    assert get(client, "/api/evaluation/casefile-standards/nonsense", auth).status_code == 422
    published = post(client, "/api/evaluation/casefile-standards", auth, body)
    assert published.status_code == 201, published.content
    assert published.json()["county"] and published.json()["version"] == "2027版"
    assert [v["version"] for v in published.json()["versions"]] == ["2027版"]
    # Issue 19 review, finding 5: as the page, date, title, version and changes; not who published it nor when.
    [version] = get(client, "/api/evaluation/casefile-standards/penalty_ordinary", bearer(county.heads[0])).json()["versions"]
    assert set(version) == {"id", "kind", "version", "title", "valid_from", "changes"}
    # The same version number again (a later day): refused on its field; the same day: on the date.
    later = (county.today + dt.timedelta(days=1)).isoformat()
    duplicate = post(client, "/api/evaluation/casefile-standards", auth, body | {"valid_from": later})
    assert duplicate.status_code == 422 and fields_of(duplicate) == {"version"}, duplicate.content
    same_day = post(client, "/api/evaluation/casefile-standards", auth, body | {"version": "2027版二"})
    assert same_day.status_code == 422 and fields_of(same_day) == {"valid_from"}
    assert CaseFileStandardVersion.objects.count() == 1


def test_a_case_files_live_score_is_read_by_who_reads_the_case(client):
    county = county_make(files_per_agency=1, agencies=2)
    case = county.cases[0]
    head = bearer(county.heads[0])
    logged = AccessLogEntry.objects.count()
    response = get(client, f"/api/cases/{case.pk}/casefile-score", head)
    assert response.status_code == 200, response.content
    score = response.json()["score"]
    assert score["kind"] == "penalty_ordinary" and score["tiers"] and score["manual_count"] > 0
    assert AccessLogEntry.objects.count() == logged + 1
    assert get(client, f"/api/cases/{case.pk}/casefile-score", bearer(county.heads[1])).status_code == 404
    # A summary-procedure case has no 案卷评查 standard: no score.
    summary = closed_case_make(county.agencies[0], procedure="summary")
    assert get(client, f"/api/cases/{summary.pk}/casefile-score", head).json() == {"case_id": summary.pk, "score": None}


def test_the_copys_documents_are_served_under_the_grant_logged_and_a_late_score_is_refused_with_every_reason(client):
    county = county_make(files_per_agency=1)
    campaign, auth, sampled = self_checked_and_drawn(client, county)
    assignment = sampled.assignments.order_by("position").first()
    evaluator = bearer(assignment.evaluator)
    case = sampled.case
    uploader = user_make(role=Role.OFFICER, agency=case.agency)
    pdf = evidence_ingest(actor=uploader, source=io.BytesIO(b"%PDF-1.4\n%%EOF\n"), meta=evidence_metadata_check(
        actor=uploader, kind="document", original_name="决定书.pdf", case=case))
    document = IssuedDocument.objects.create(
        case=case, agency=case.agency, kind="penalty_decision", title="行政处罚决定书", record_kind="penalty_decision",
        action="decide", issued_on=county.today, pdf=pdf, docx=pdf, filename_stem="行政处罚决定书", issued_by=uploader)
    file_url = f"{URL}/{campaign.pk}/files/{sampled.pk}"
    [listed] = get(client, file_url, evaluator).json()["copy"]["documents"]
    assert listed["pdf_url"] == f"{file_url}/documents/{document.pk}/pdf"
    logged = AccessLogEntry.objects.filter(user=assignment.evaluator).count()
    served = get(client, listed["pdf_url"], evaluator)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    assert_safe_download(served)
    assert AccessLogEntry.objects.filter(user=assignment.evaluator).count() == logged + 1
    # Not to the file's agency, nor to the bureau before a re-grading; not another case's document.
    own = bearer(county.heads[county.agencies.index(sampled.agency)])
    assert get(client, listed["pdf_url"], own).status_code == 404
    assert get(client, listed["pdf_url"], auth).status_code == 404
    assert get(client, f"{file_url}/documents/{document.pk + 1}/pdf", evaluator).status_code == 404
    # Once the grant has run out: no copy, no document, and a score refused with every reason, nothing stored.
    CampaignAssignment.objects.filter(pk=assignment.pk).update(grant_expires_at=timezone.now())
    assert get(client, listed["pdf_url"], evaluator).status_code == 404
    read = get(client, file_url, evaluator).json()
    assert read["copy"] is None and read["action"] == ""
    late = post(client, f"{file_url}/score", evaluator, {"results": {}})
    assert late.status_code == 409 and codes_of(late)[0] == "campaign.grant_expired"
    assert {v["field"] for v in late.json()["violations"][1:]} == {f"results.{code}" for code in scores(90)}
    assignment.refresh_from_db()
    assert assignment.scored_at is None


def test_the_campaign_read_costs_the_same_whatever_the_number_of_files(client):
    county = county_make(files_per_agency=1)
    auth = bearer(county.supervisor)
    get(client, URL, auth)  # the token's first use is recorded once
    counts = []
    for extra in (0, 4):
        for _ in range(extra):
            closed_case_make(county.agencies[0])
        campaign = campaign_define(**define_kwargs(county, title=f"评查{extra}"))
        counts.append(queries_of(client, f"{URL}/{campaign.pk}", auth))
    assert counts[0] == counts[1]
    # The list pages with a signed cursor: each campaign once, the newest first by default (id the tie-break).
    first = get(client, f"{URL}?limit=1", auth).json()
    second = get(client, first["next"], auth).json()
    assert [c["title"] for c in first["items"] + second["items"]] == ["评查4", "评查0"] and second["next"] is None
    assert get(client, f"{URL}?cursor=forged", auth).status_code == 422


def test_a_write_answers_without_the_copy_so_a_replay_after_the_reading_period_gives_none(client):
    """Issue 19 review: the score's answer is kept 24 h by the Idempotency-Key middleware and replayed;
    it must not carry the copy (nor log a reading of it): the copy is read with the logged GET."""
    county = county_make(files_per_agency=1)
    campaign, _auth, sampled = self_checked_and_drawn(client, county)
    assignment = sampled.assignments.order_by("position").first()
    evaluator = bearer(assignment.evaluator)
    file_url = f"{URL}/{campaign.pk}/files/{sampled.pk}"
    assert get(client, file_url, evaluator).json()["copy"] is not None  # readable now, under the grant
    logged = AccessLogEntry.objects.count()
    scored = post(client, f"{file_url}/score", evaluator, {"results": scores(90)}, key=KEY)
    assert scored.status_code == 200, scored.content
    assert scored.json()["copy"] is None and AccessLogEntry.objects.count() == logged
    # The reading period ends; the same request sent again is replayed: still no copy.
    CampaignAssignment.objects.filter(pk=assignment.pk).update(grant_expires_at=timezone.now())
    again = post(client, f"{file_url}/score", evaluator, {"results": scores(90)}, key=KEY)
    assert again["Idempotent-Replayed"] == "true" and again.json()["copy"] is None
    assert b"documents" not in again.content


def test_the_draw_inputs_and_a_files_result_are_withheld_from_who_could_recompute_hidden_facts(client):
    """Issue 19 review, finding 4: from the seed and each file's pool (the draw inputs) the drawn evaluators,
    hidden from the file's agency, can be recomputed: only the bureau sees them before publication. From the
    average and their own score an evaluator derives the other's: no result for the file's evaluators before."""
    county = county_make(files_per_agency=1)
    campaign, auth, sampled = self_checked_and_drawn(client, county)
    url = f"{URL}/{campaign.pk}"
    own = bearer(county.heads[county.agencies.index(sampled.agency)])
    first, second = sampled.assignments.order_by("position")
    one = bearer(first.evaluator)
    assert get(client, f"{url}/draw-inputs", auth).status_code == 200
    assert get(client, f"{url}/draw-inputs", bearer(user_make(role=Role.SYSTEM_ADMIN))).status_code == 200
    for who in (own, one):
        assert get(client, f"{url}/draw-inputs", who).status_code == 404
        assert get(client, url, who).json()["seed"] is None
    assert get(client, url, auth).json()["seed"] == campaign.seed
    post(client, f"{url}/files/{sampled.pk}/score", one, {"results": scores(90)})
    post(client, f"{url}/files/{sampled.pk}/score", bearer(second.evaluator), {"results": scores(86)})
    mine = get(client, f"{url}/files/{sampled.pk}", one).json()
    assert (mine["final_total"], mine["final_grade"], mine["final_passed"]) == (None, "", None)
    [row] = [f for f in get(client, url, one).json()["files"] if f["id"] == sampled.pk]
    assert row["final_total"] is None
    assert get(client, f"{url}/files/{sampled.pk}", auth).json()["final_total"] == "88"
    assert post(client, f"{url}/publish", auth).status_code == 200
    # Published: whoever sees the campaign sees the inputs, the seed and the result.
    for who in (own, one):
        assert get(client, f"{url}/draw-inputs", who).status_code == 200
        assert get(client, url, who).json()["seed"] == campaign.seed
    assert get(client, f"{url}/files/{sampled.pk}", one).json()["final_total"] == "88"
