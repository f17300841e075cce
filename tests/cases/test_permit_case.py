"""A case of kind 行政许可 (the `permit` procedure, issue 18 item 1) registered through the API and
driven by its steps: the application is accepted only once its materials are complete
(《中华人民共和国行政许可法》第三十二条, 409 with the reason and the path), then accepted; its
decision period of 20 working days is listed; the facts are stored and every step is in the ledger."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.cases.support import ACT, world_make

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict, auth: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def test_a_permit_case_is_registered_and_accepted_only_with_complete_materials():
    w = world_make()
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    api, auth = Client(enforce_csrf_checks=True), {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = post(api, "/api/cases", {"procedure": "permit", "title": "食品经营许可申请", "party_id": w.company.pk,
                                       "officer_ids": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管",
                                       "act_date": ACT.isoformat()}, auth)
    assert created.status_code == 201, created.content
    assert created.json()["state_label"] == "已收到申请，待受理"
    case_id = created.json()["id"]
    assert [d["label"] for d in created.json()["deadlines"]] == ["一次性告知补正或者决定是否受理"]

    refused = post(api, f"/api/cases/{case_id}/actions/permit_accept", {"data": {}}, auth)
    assert refused.status_code == 409, refused.content
    violation = next(v for v in refused.json()["violations"] if v["code"] == "permit.accept.incomplete")
    assert "第三十二条" in violation["legal_basis"] and "一次性告知" in violation["message"]
    assert Case.objects.get(pk=case_id).state == "received"

    recorded = post(api, f"/api/cases/{case_id}/actions/permit_materials",
                    {"data": {"materials_complete": True, "on_spot_possible": False}}, auth)
    assert recorded.status_code == 200, recorded.content
    accepted = post(api, f"/api/cases/{case_id}/actions/permit_accept", {"data": {}}, auth)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert "作出行政许可决定（20个工作日）" in [d["label"] for d in accepted.json()["deadlines"]]
    case = Case.objects.get(pk=case_id)
    assert case.facts["materials_complete"] is True and case.facts["accepted_on"]
    assert Entry.objects.filter(case_id=case_id, kind=EventKind.STEP_DONE).count() == 2

    # The generic case page serves it (no page of its own yet): its state and its next steps.
    browser = Client()
    browser.force_login(w.officer)
    page = browser.get(reverse("cases:case_detail", args=[case_id]))
    assert page.status_code == 200
    assert "已受理，审查中" in page.content.decode() and 'data-testid="action-permit_extend"' in page.content.decode()


def test_the_permit_steps_issue_their_numbered_documents_into_the_ledger_and_a_grant_states_its_content():
    """第三十二条: the acceptance is answered with a 受理通知书; 第三十八条: a grant is written (its
    content required, else refused with the item), a revocation (第六十九条) cites the grant's 文号."""
    from sanxiang.cases.models import IssuedDocument
    from tests.cases.support import lead_make, perform, refusal

    w = world_make()
    case = lead_make(w, procedure="permit", title="食品经营许可申请")
    day = ACT.replace(month=4, day=1)
    perform(case, "permit_materials", day, w.officer, materials_complete=True)
    perform(case, "permit_accept", day, w.officer)
    notice = IssuedDocument.objects.get(case=case, kind="permit_acceptance_notice")
    assert notice.title == "受理通知书" and "许受" in notice.number and notice.ledger_seq is not None
    assert Entry.objects.filter(case_id=case.pk, kind=EventKind.DOCUMENT_ISSUED).count() == 1

    blocked = refusal(lambda: perform(case, "permit_grant", day, w.head, content=""))
    assert any("准予行政许可的内容" in v.message and "第三十八条" in v.legal_basis for v in blocked)
    assert not IssuedDocument.objects.filter(case=case, kind="permit_grant_decision").exists()

    perform(case, "permit_grant", day, w.head, content="准予从事预包装食品销售", licence_name="食品经营许可证")
    grant = IssuedDocument.objects.get(case=case, kind="permit_grant_decision")
    assert "许准" in grant.number
    perform(case, "permit_deliver", day, w.officer, delivered_on=day, expires_on=day.replace(year=2031),
            licence_number="JY11506260001234")
    perform(case, "permit_revoke", day, w.head, reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
            facts="提交的租赁合同系伪造", remedies="可以申请行政复议或者提起行政诉讼")
    case.refresh_from_db()
    assert case.state == "revoked" and case.facts["licence_number"] == "JY11506260001234"
    revocation = IssuedDocument.objects.get(case=case, kind="permit_revocation_decision")
    assert revocation.title == "撤销行政许可决定书" and revocation.pdf is not None
    from sanxiang.evidence.storage import blob_store_get
    from tests.documents.reading import pdf_text

    with blob_store_get().open(revocation.pdf.stored_file.sha256) as blob:
        text = pdf_text(blob.read())
    assert grant.number in text and "第六十九条" in text and "六十日内" in text


def test_the_case_page_shows_the_decision_period_with_its_extension_and_paused_time():
    """第四十二条: 20 working days, +10 with the head's approval; 第四十五条: a hearing's time told in
    writing does not count — the page says so beside the due date, and offers the next steps."""
    from tests.cases.support import lead_make, perform

    w = world_make()
    case = lead_make(w, procedure="permit", title="食品经营许可申请")
    day = ACT.replace(month=4, day=1)
    perform(case, "permit_materials", day, w.officer, materials_complete=True)
    perform(case, "permit_accept", day, w.officer)
    perform(case, "permit_exclusion", day.replace(day=8), w.officer, kind="hearing", start=day.replace(day=7),
            end=day.replace(day=8), told_on=day.replace(day=7))
    perform(case, "permit_exclusion", day.replace(day=9), w.officer, kind="testing", start=day.replace(day=9),
            end=day.replace(day=9))
    perform(case, "permit_extend", day.replace(day=10), w.head, reasons="需要现场核查经营场所", told_on=day.replace(day=10))
    # 第四十五条: the period told in writing has its 告知书; the untold one has none (and is not deducted).
    from sanxiang.cases.models import IssuedDocument

    assert IssuedDocument.objects.filter(case=case, kind="permit_exclusion_notice").count() == 1
    browser = Client()
    browser.force_login(w.officer)
    html = browser.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "作出行政许可决定（20个工作日＋经批准延长10个工作日；不计入期限：听证4月7日至4月8日，共2个工作日；" in html
    assert "1段未书面告知申请人的时间不予扣除" in html
    assert 'data-testid="action-permit_grant"' in html and "延长审查期限告知书" in html
    # The decision is drafted by the grant's own form: before it is sent, that is no reason to block it.
    browser.force_login(w.head)
    html = browser.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    grant = re.search(r'<[^>]*data-testid="action-permit_grant"[^>]*>', html).group(0)
    assert 'data-allowed="1"' in grant, grant
