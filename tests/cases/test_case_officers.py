"""Who carries a case (行政处罚法第四十二条: enforcement by at least two officers holding valid
certificates). Registration refuses an officer who cannot act, with every reason and its basis,
instead of leaving a case that can never be investigated; the head changes the officers of a case
later with a reason that the ledger keeps (a step like the others: on the case page and in the
API's list of actions)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_texts
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.cases.support import OPEN, OPENED, D, lead_make, perform, world_make
from tests.factories import certificate_make, officer_make

pytestmark = pytest.mark.django_db
ART_42 = "《中华人民共和国行政处罚法》第四十二条"


@pytest.fixture
def w():
    return world_make()


def refused(call) -> list:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.violations


def test_registration_refuses_officers_who_cannot_act_with_every_reason(w):
    """第四十二条: an officer whose certificate has expired, and one whose staffing type may not
    enforce (a 劳务派遣 worker, who holds a certificate nonetheless), are refused at registration;
    nothing is written, and the case registered with officers who can act goes on."""
    expired = officer_make(agency=w.agency, certificate=False, name="钱过期")
    certificate_make(officer=expired, valid_from=D(2020, 1, 1), valid_to=D(2026, 3, 1))
    dispatched = officer_make(agency=w.agency, certificate=False, name="孙派遣", staffing_type="agency_dispatched")
    certificate_make(officer=dispatched, valid_from=D(2024, 1, 1), valid_to=D(2030, 12, 31))
    before = (Case.objects.count(), Entry.objects.count())

    violations = refused(lambda: lead_make(w, officers=[w.zhang, expired, dispatched]))
    by_code = {v.code: v for v in violations}
    assert set(by_code) == {"case.officers.no_valid_certificate", "case.officers.staffing_type"}
    certificate = by_code["case.officers.no_valid_certificate"]
    assert certificate.message.startswith("钱过期在2026-03-05没有有效的执法证")
    assert "已于2026-03-01到期" in certificate.message and certificate.message.endswith("不能承办本案")
    assert certificate.legal_basis == ART_42 and certificate.field == "officers"
    staffing = by_code["case.officers.staffing_type"]
    assert staffing.message == "孙派遣的人员身份不能从事行政执法，不能承办本案"
    assert "行政执法证件管理办法" in staffing.legal_basis
    assert (Case.objects.count(), Entry.objects.count()) == before

    # The allowed path: the officers who can act.
    case = lead_make(w, officers=[w.zhang, w.li])
    assert sorted(case.officers.values_list("name", flat=True)) == ["张三", "李四"]


def test_the_head_changes_the_officers_with_a_reason_kept_in_the_ledger(client, w):
    """李四's certificate ran out after registration: the case cannot be investigated (第四十二条)
    until the head assigns another officer who can act, giving the reason."""
    leaving = officer_make(agency=w.agency, certificate=False, name="周到期")
    certificate_make(officer=leaving, valid_from=D(2020, 1, 1), valid_to=D(2026, 3, 7))
    case = lead_make(w, officers=[w.zhang, leaving])
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    day = D(2026, 3, 9)
    blocked = refused(lambda: perform(case, "investigate", day, w.officer))
    assert "penalty.investigation.too_few_officers" in {v.code for v in blocked}

    change = {"officer_ids": [str(w.zhang.pk), str(w.li.pk)], "reason": "周到期的执法证已到期，改由李四承办"}
    # Only the head changes them; a reason is required; an officer who cannot act is refused.
    role = refused(lambda: perform(case, "change_officers", day, w.officer, **change))
    assert [v.code for v in role] == ["case.role"]
    no_reason = refused(lambda: perform(case, "change_officers", day, w.head, **(change | {"reason": " "})))
    assert [v.code for v in no_reason] == ["case.officers.reason_missing"]
    invalid = refused(lambda: perform(case, "change_officers", day, w.head,
                                      **(change | {"officer_ids": [str(w.zhang.pk), str(leaving.pk)]})))
    assert [v.code for v in invalid] == ["case.officers.too_few", "case.officers.no_valid_certificate"]
    assert invalid[0].message == "承办人员须不少于2名可以执法的执法人员，现为1名" and ART_42 in invalid[0].legal_basis
    assert sorted(case.officers.values_list("name", flat=True)) == ["周到期", "张三"]

    case = perform(case, "change_officers", day, w.head, **change)
    assert case.state == "opened"
    assert sorted(case.officers.values_list("name", flat=True)) == ["张三", "李四"]
    entry = Entry.objects.filter(kind=EventKind.STEP_DONE, case_id=case.pk).order_by("-seq").first()
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["action"] == "change_officers"
    assert payload["data"]["reason"] == "周到期的执法证已到期，改由李四承办"
    assert sorted(payload["data"]["officer_ids"]) == sorted([str(w.zhang.pk), str(w.li.pk)])
    assert list(case_texts(case).officer_changes[0].from_ids) == sorted([w.zhang.pk, leaving.pk])
    # The case goes on.
    assert perform(case, "investigate", day, w.officer).state == "investigating"


def test_the_step_is_on_the_case_page_and_in_the_api_actions(w):
    case = lead_make(w)
    browser = Client()
    browser.force_login(w.head)
    html = browser.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="action-change_officers"' in html and "变更承办人员" in html

    api = Client(enforce_csrf_checks=True)
    _, token = api_token_create(actor=w.head, user=w.head, name="对接")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    actions = {a["action"]: a for a in api.get(f"/api/cases/{case.pk}/actions", **auth).json()}
    step = actions["change_officers"]
    assert step["label"] == "变更承办人员" and step["allowed"] is True
    assert {f["name"]: f["kind"] for f in step["fields"]} == {"officer_ids": "team", "reason": "text"}
    # Performed through the API with the token, CSRF checks on, as a real client would.
    body = {"data": {"officer_ids": [w.zhang.pk, w.reviewer_officer.pk], "reason": "李四调岗"}}
    done = api.post(f"/api/cases/{case.pk}/actions/change_officers", data=json.dumps(body),
                    content_type="application/json", **auth)
    assert done.status_code == 200, done.content
    assert sorted(Case.objects.get(pk=case.pk).officers.values_list("name", flat=True)) == ["张三", "赵审核"]
