"""Person-level proposals (《行政执法监督条例》第三十二条), referral of clues to the 监察机关
(第三十三条) and 通报 (第三十一条)."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.supervision.instrument_selectors import notices_visible
from sanxiang.supervision.instrument_services import (
    notice_approve,
    notice_draft,
    personal_decision_record,
    personal_propose,
    referral_record,
)
from tests.factories import agency_make, officer_make, user_make
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def state_on_portal(client, officer) -> str:
    from sanxiang.publication.models import PublicCertificate

    public = PublicCertificate.objects.get(source_id=officer.certificates.get().pk)
    page = client.get(reverse("portal:certificate_verify", args=[public.token])).content.decode()
    return re.search(r'data-testid="certificate-state"[^>]*>([^<]+)<', page).group(1).strip()


@pytest.mark.parametrize(("measure", "status", "shown"), [
    ("disqualification", "revoked", "已注销"),
    ("off_post_training", "suspended", "暂扣"),
    ("criticism", "valid", "有效"),
])
def test_a_proposal_adopted_by_the_competent_body_changes_the_certificate_and_the_public_page_shows_it(
        client, measure, status, shown):
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="钱执法")
    public_registry_refresh()
    assert state_on_portal(client, officer) == "有效"
    with pytest.raises(Refused) as refused:  # a single supervisor cannot propose
        personal_propose(actor=desk.first, matter=matter, officer=officer, measure=measure, reasons="多次未出示执法证",
                         competent_body="乌审旗人民政府", supervisors=[desk.first])
    assert [v.code for v in refused.value.violations] == ["supervisors.too_few"]
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure=measure,
                                reasons="多次未出示执法证", competent_body="乌审旗人民政府",
                                supervisors=[desk.first, desk.second])
    personal_decision_record(actor=desk.second, proposal=proposal, adopted=True, decision="同意", decided_on=TODAY,
                                 supervisors=[desk.first, desk.second])
    public_registry_refresh()
    assert officer.certificates.get().status == status
    assert state_on_portal(client, officer) == shown
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_PERSONAL_DECIDED).count() == 1
    if status != "valid":
        assert Entry.objects.filter(kind=EventKind.CERTIFICATE_UPDATED).exists()
    with pytest.raises(Refused):  # recorded once
        personal_decision_record(actor=desk.second, proposal=proposal, adopted=True, decision="同意", decided_on=TODAY,
                                 supervisors=[desk.first, desk.second])


def test_a_proposal_not_adopted_leaves_the_certificate():
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency)
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="disqualification",
                                reasons="理由", competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
    personal_decision_record(actor=desk.first, proposal=proposal, adopted=False, decision="不予采纳", decided_on=TODAY,
                                 supervisors=[desk.first, desk.second])
    assert officer.certificates.get().status == "valid"


def test_a_proposal_names_an_officer_of_the_supervised_agency():
    desk, matter, _ = desk_with_matter()
    stranger = officer_make(agency=agency_make())
    with pytest.raises(Refused) as refused:
        personal_propose(actor=desk.first, matter=matter, officer=stranger, measure="criticism", reasons="",
                         competent_body="", supervisors=[desk.first, desk.second])
    assert {v.code for v in refused.value.violations} == {
        "proposal.officer", "supervision.reasons_required", "supervision.competent_body_required"}


def test_a_referral_to_the_supervisory_commission_is_logged():
    desk, matter, _ = desk_with_matter()
    with pytest.raises(Refused) as refused:
        referral_record(actor=desk.first, matter=matter, what="", to_body="", referred_on=TODAY + dt.timedelta(days=1),
                        reference_number="", supervisors=[desk.first, desk.second])
    assert {v.code for v in refused.value.violations} == {
        "supervision.what_required", "supervision.to_body_required", "supervision.reference_number_required",
        "referral.date"}
    referral = referral_record(actor=desk.first, matter=matter, what="执法人员涉嫌收受当事人财物",
                               to_body="乌审旗监察委员会", referred_on=TODAY, reference_number="乌司移〔2026〕1号",
                               supervisors=[desk.first, desk.second])
    entry = Entry.objects.get(kind=EventKind.SUPERVISION_REFERRAL)
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["to"] == "乌审旗监察委员会" and payload["reference_number"] == "乌司移〔2026〕1号"
    assert "收受" not in bytes(entry.body).decode()  # the clue by its digest only
    referral.refresh_from_db()
    assert referral.ledger_seq == entry.seq


def test_a_notice_is_approved_by_a_second_supervisor_and_then_seen_by_the_named_agencies_only():
    desk, matter, agency_user = desk_with_matter()
    other_user = user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="他局"))
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="关于行政执法公示情况的通报", body="经检查……",
                          scope="internal", agencies=[desk.agency], matters=[matter], indicators="事后公开及时率 82%")
    assert notice not in notices_visible(user=agency_user)  # not yet approved
    with pytest.raises(Refused) as refused:
        notice_approve(actor=desk.first, notice=notice)
    assert [v.code for v in refused.value.violations] == ["notice.same_person"]
    notice_approve(actor=desk.second, notice=notice)
    assert notice in notices_visible(user=agency_user)
    assert notice not in notices_visible(user=other_user)
    other_bureau = agency_make(name="他县司法局", is_judicial_bureau=True, region_code="150627")
    assert notice not in notices_visible(user=supervisor_user_make(bureau=other_bureau))


def test_a_public_notice_is_published_redacted_and_no_personal_data_reaches_the_portal(client):
    """第三十一条: a 通报 may be published to society; the public page carries no natural person's
    name, ID number, phone, address or bank account (the redaction of decisions)."""
    from sanxiang.publication.models import PublicSupervisionNotice

    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="周执法")
    body = (f"经查，{desk.agency.name}执法人员周执法在检查中未出示执法证件，当事人李四（身份证号110101199003077777，"
            "电话13912345678，住址：乌审旗嘎鲁图镇萨拉乌苏路88号，账号6222020200112233445）投诉后仍未纠正。")
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="关于执法证件出示问题的通报", body=body,
                          scope="public", agencies=[desk.agency], matters=[matter], indicators="出示率 76%")
    assert not PublicSupervisionNotice.objects.exists()  # not before approval
    notice_approve(actor=desk.second, notice=notice)
    listing = client.get(reverse("portal:supervision_notice_list")).content.decode()
    assert "关于执法证件出示问题的通报" in listing
    page = client.get(reverse("portal:supervision_notice_detail", args=[notice.pk])).content.decode()
    assert desk.agency.name in page and "未出示执法证件" in page and "出示率 76%" in page
    for secret in (officer.name, "110101199003077777", "13912345678", "萨拉乌苏路88号", "6222020200112233445"):
        assert secret not in page, secret
    # An internal 通报 is not published.
    internal = notice_draft(actor=desk.first, bureau=desk.bureau, title="内部通报", body="内部", scope="internal",
                            agencies=[desk.agency])
    notice_approve(actor=desk.second, notice=internal)
    assert client.get(reverse("portal:supervision_notice_detail", args=[internal.pk])).status_code == 404
