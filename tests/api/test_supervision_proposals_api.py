"""Issue 19: person-level proposals (《行政执法监督条例》第三十二条) and referrals of clues to the 监察机关
(第三十三条) through the API, as their pages: made by two supervisors of the bureau (one alone is
refused with the pair rule), the competent body's decision recorded once (adopted, the officer's
certificate follows), seen by whom the pages show them. Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.supervision.models import PersonalProposal, Referral
from tests.api.support import bearer
from tests.factories import agency_make, officer_make, user_make
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_a_proposal_is_made_by_a_pair_and_its_adopted_decision_revokes_the_certificate(client):
    """第三十二条: 取消执法资格 proposed by two supervisors; the decision, adopted, revokes the certificate."""
    desk, matter, head = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="钱执法")
    outsider = officer_make(agency=agency_make(name="别的局"), name="孙外人")
    first = bearer(desk.first)
    proposal = {"matter_id": matter.pk, "officer_id": officer.pk, "measure": "disqualification",
                "reasons": "多次未出示执法证", "competent_body": "乌审旗人民政府"}
    # The block: one supervisor alone, 422 with the pair rule and its basis; nothing written.
    alone = post(client, "/api/supervision/proposals", first, proposal)
    assert alone.status_code == 422, alone.content
    assert "supervisors.too_few" in [v["code"] for v in alone.json()["violations"]]
    assert all(v["legal_basis"] for v in alone.json()["violations"]) and not PersonalProposal.objects.exists()
    # An officer of another agency: 422 on officer_id.
    wrong = post(client, "/api/supervision/proposals", first,
                 proposal | {"officer_id": outsider.pk, "second_supervisor_id": desk.second.pk})
    assert wrong.status_code == 422 and wrong.json()["violations"][0]["field"] == "officer_id"
    # The allowed path: with a colleague.
    made = post(client, "/api/supervision/proposals", first, proposal | {"second_supervisor_id": desk.second.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "proposed" and body["measure_label"] == "取消执法资格" and body["certificate_effect"] == "注销"
    url = f"/api/supervision/proposals/{body['id']}"

    decision = {"adopted": True, "decided_on": "2020-01-01", "decision": "同意", "second_supervisor_id": desk.second.pk}
    early = post(client, f"{url}/decision", first, decision)
    assert early.status_code == 409 and "decided_on" in [v["field"] for v in early.json()["violations"]]
    assert officer.certificates.get().status == "valid"
    assert post(client, f"{url}/decision", bearer(head), decision | {"decided_on": TODAY.isoformat()}).status_code == 403
    decided = post(client, f"{url}/decision", first, decision | {"decided_on": TODAY.isoformat()})
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "adopted" and officer.certificates.get().status == "revoked"
    again = post(client, f"{url}/decision", first, decision | {"decided_on": TODAY.isoformat()})
    assert again.status_code == 409 and "proposal.decided" in [v["code"] for v in again.json()["violations"]]

    # The agency's head reads it (access-logged); another agency's head does not; an officer may not list.
    assert client.get(url, **bearer(head)).status_code == 200
    assert AccessLogEntry.objects.filter(object_kind="supervision.proposal", object_id=str(body["id"]), user=head).exists()
    listed = client.get("/api/supervision/proposals", **bearer(head)).json()["items"]
    assert [p["id"] for p in listed] == [body["id"]]
    # The reasons and the decision's text only in the one read, which is logged (the page's list too).
    assert listed[0]["measure"] == body["measure"] and not {"reasons", "decision"} & set(listed[0])
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make()))
    assert client.get(url, **stranger).status_code == 404
    assert client.get("/api/supervision/proposals", **stranger).json()["items"] == []
    assert client.get("/api/supervision/proposals", **bearer(user_make(role=Role.OFFICER, agency=desk.agency))
                      ).status_code == 403
    # Another bureau's supervisor: the matter is not theirs (404).
    other = bearer(desk_make().first)
    assert post(client, "/api/supervision/proposals", other, proposal).status_code == 404
    assert client.get(url, **other).status_code == 404


def test_proposals_are_listed_with_the_list_conventions(client):
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency)
    first = bearer(desk.first)
    ids = [post(client, "/api/supervision/proposals", first, {
        "matter_id": matter.pk, "officer_id": officer.pk, "measure": measure, "reasons": "理由",
        "competent_body": "本局", "second_supervisor_id": desk.second.pk}).json()["id"]
        for measure in ("criticism", "removal", "criticism")]
    post(client, f"/api/supervision/proposals/{ids[0]}/decision", first, {
        "adopted": False, "decided_on": TODAY.isoformat(), "decision": "不予采纳", "second_supervisor_id": desk.second.pk})

    def listed(query: str = "") -> list[int]:
        url, seen = f"/api/supervision/proposals?limit=2{query}", []
        while url:
            page = client.get(url, **first).json()
            seen += [p["id"] for p in page["items"]]
            url = page["next"]
        return seen

    assert listed() == ids[::-1] and listed("&ordering=id") == ids
    assert listed("&measure=criticism") == [ids[2], ids[0]]
    assert listed("&status=rejected") == [ids[0]] and listed("&status=proposed") == [ids[2], ids[1]]
    assert listed("&status=adopted") == []
    for bad in ("status=done", "ordering=reasons", "ordering=decided_on", "measure=fine", "until=2026-02-30"):
        response = client.get(f"/api/supervision/proposals?{bad}", **first)
        assert response.status_code == 422 and response.json()["violations"][0]["field"], bad


def test_a_referral_is_logged_by_a_pair_and_seen_by_the_bureau_only(client):
    """第三十三条: what, to whom, when, under which reference number; in the ledger."""
    desk, matter, head = desk_with_matter()
    first = bearer(desk.first)
    what = "执法人员涉嫌收受财物" + "，具体情况见附件" * 20  # longer than the list shows
    referral = {"matter_id": matter.pk, "what": what, "to_body": "乌审旗监察委员会",
                "reference_number": "乌司移〔2026〕1号", "referred_on": TODAY.isoformat()}
    alone = post(client, "/api/supervision/referrals", first, referral)
    assert alone.status_code == 422 and "supervisors.too_few" in [v["code"] for v in alone.json()["violations"]]
    blank = post(client, "/api/supervision/referrals", first,
                 referral | {"to_body": " ", "second_supervisor_id": desk.second.pk})
    assert blank.status_code == 422 and "to_body" in [v["field"] for v in blank.json()["violations"]]
    late = post(client, "/api/supervision/referrals", first, referral | {
        "referred_on": (TODAY + dt.timedelta(days=1)).isoformat(), "second_supervisor_id": desk.second.pk})
    assert late.status_code == 422 and "referred_on" in [v["field"] for v in late.json()["violations"]]
    assert not Referral.objects.exists()
    made = post(client, "/api/supervision/referrals", first, referral | {"second_supervisor_id": desk.second.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["reference_number"] == "乌司移〔2026〕1号" and body["ledger_seq"] is not None
    url = f"/api/supervision/referrals/{body['id']}"
    assert client.get(url, **bearer(desk.second)).json()["what"] == what
    listed = client.get("/api/supervision/referrals?matter=" + str(matter.pk), **first).json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]
    # The list shows the first characters, as the referrals page does; the whole text only in the logged read.
    assert "what" not in listed[0] and listed[0]["what_excerpt"] == what[:119] + "…" and len(what) > 120
    # The agency neither lists (403) nor reads (404); another bureau's supervisor reads nothing.
    assert client.get("/api/supervision/referrals", **bearer(head)).status_code == 403
    assert client.get(url, **bearer(head)).status_code == 404
    other = bearer(desk_make().first)
    assert client.get(url, **other).status_code == 404
    assert client.get("/api/supervision/referrals", **other).json()["items"] == []
    assert post(client, "/api/supervision/referrals", bearer(head), referral).status_code == 403
