"""The medium and low findings of the attacker's review of issue 14, each shown refused (or hidden)
with its lawful path beside it."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.publication import leaks
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicSupervisionNotice
from sanxiang.registry.models import Party
from sanxiang.supervision import instrument_services, services
from sanxiang.supervision.instrument_services import personal_decision_record, personal_propose
from sanxiang.supervision.models import Complaint
from tests.factories import officer_make
from tests.supervision.complaint_support import complaint_file
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def codes(refused) -> list[str]:
    return [v.code for v in refused.value.violations]


# --- 1. The competent body's decision on a person-level proposal is recorded by the pair ---------


def test_a_single_supervisor_cannot_record_the_decision_that_changes_an_officers_certificate():
    """《行政执法监督条例》第三十二条: the competent body decides; recording its decision changes the
    officer's certificate, so it takes the pair (《四川省行政执法监督条例》第二十九条, the parameter
    supervision.min_supervisors), like every other act of the desk."""
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="孙执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="disqualification",
                                reasons="多次未出示执法证", competent_body="乌审旗人民政府",
                                supervisors=[desk.first, desk.second])
    with pytest.raises(Refused) as alone:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first])
    assert codes(alone) == ["supervisors.too_few"]
    violation = alone.value.violations[0]
    assert "2名以上" in violation.message and "第二十九条" in violation.legal_basis
    # Not the matter's pair: a supervisor of the bureau who does not handle the matter.
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    outsider = supervisor_user_make(bureau=desk.bureau, name="郑监督")
    with pytest.raises(Refused) as stranger:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first, outsider])
    assert codes(stranger) == ["supervisors.not_assigned"]
    officer.refresh_from_db()
    assert officer.certificates.get().status == "valid"  # nothing changed by the refusals
    # The lawful path: the matter's pair records it, and the ledger names both.
    personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                             decided_on=TODAY, supervisors=[desk.first, desk.second])
    assert officer.certificates.get().status == "revoked"
    payload = json.loads(bytes(Entry.objects.get(kind=EventKind.SUPERVISION_PERSONAL_DECIDED).body))["payload"]
    assert payload["supervisors"] == sorted([desk.first.pk, desk.second.pk])


def test_the_decision_form_asks_for_the_second_supervisor(client):
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="周执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="off_post_training",
                                reasons="理由", competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
    client.force_login(desk.first)
    url = f"/staff/supervision/proposals/{proposal.pk}/decision/"
    data = {"adopted": "1", "decided_on": TODAY.isoformat(), "decision": "同意离岗教育"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "2名以上" in refused.content.decode()
    assert officer.certificates.get().status == "valid"
    done = client.post(url, {**data, "second": str(desk.second.pk)})
    assert done.status_code == 302
    assert officer.certificates.get().status == "suspended"


# --- 2. A public 通报 hides the natural persons of the cases it cites ------------------------------


def _accepted_matter(desk):
    matter = services.matter_open(bureau=desk.bureau, source=MatterSource.ROUTINE, subject="执法证件出示问题",
                                  summary="", received_on=TODAY, agency=desk.agency, actor=desk.first)
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return services.matter_accept(matter=matter, actor=desk.first)


def _party(agency, **fields):
    return Party.objects.create(agency=agency, **fields)


def test_a_public_notice_hides_the_natural_persons_of_the_cases_it_cites_even_typed_in_its_text(client):
    """A public 通报 (《行政执法监督条例》第三十一条) is redacted like a decision: the natural-person parties
    of the cases it cites (called up on its matters, or named in its text by case or document number)
    are hidden wherever their name, ID number, phone or address is typed; an organisation keeps its
    name."""
    desk = desk_make()
    matter = _accepted_matter(desk)
    person = _party(desk.agency, kind="natural_person", name="张三丰", id_type="resident_id_card",
                    id_number="150626198001011234", phone="0477-8123456", address="嘎鲁图镇幸福路9号")
    called_up = case_create(actor=None, agency=desk.agency, number="fix2-001", title="未出示证件案", party=person)
    services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[called_up])
    other = _party(desk.agency, kind="natural_person", name="欧阳小龙", phone="04778765432")
    case_create(actor=None, agency=desk.agency, number="乌综执立〔2026〕77号", title="占道经营案", party=other)
    company = _party(desk.agency, kind="legal_person", name="乌审旗某某商贸有限公司", credit_code="91150626MA0000000X")
    case_create(actor=None, agency=desk.agency, number="乌综执立〔2026〕78号", title="商贸公司案", party=company)
    body = ("经调阅案卷，执法人员在对张三丰（电话0477-8123456，住嘎鲁图镇幸福路9号）检查时未出示执法证件；"
            "在乌综执立〔2026〕77号案中，当事人欧阳小龙（联系电话04778765432）多次反映未获答复；"
            "乌综执立〔2026〕78号案的当事人乌审旗某某商贸有限公司亦反映同样问题。")
    notice = instrument_services.notice_draft(actor=desk.first, bureau=desk.bureau, title="关于执法证件出示问题的通报",
                                              body=body, scope="public", agencies=[desk.agency], matters=[matter])
    instrument_services.notice_approve(actor=desk.second, notice=notice)
    public = PublicSupervisionNotice.objects.get(source_id=notice.pk)
    secrets = ["张三丰", "150626198001011234", "0477-8123456", "嘎鲁图镇幸福路9号", "欧阳小龙", "04778765432"]
    assert leaks(public.body, secrets) == []
    assert "乌审旗某某商贸有限公司" in public.body and "未出示执法证件" in public.body
    page = client.get(reverse("portal:supervision_notice_detail", args=[notice.pk])).content.decode()
    assert leaks(page, secrets) == []


def test_a_public_notice_on_a_complaint_hides_the_complainant():
    desk = desk_make()
    receipt = complaint_file(desk, description="执法人员检查时未出示证件。", name="钱多多", phone="13900001111")
    matter = Complaint.objects.get(receipt_number=receipt.receipt_number).matter
    notice = instrument_services.notice_draft(
        actor=desk.first, bureau=desk.bureau, title="关于投诉办理情况的通报",
        body="群众钱多多投诉执法人员未出示证件，经查属实。", scope="public", agencies=[desk.agency], matters=[matter])
    instrument_services.notice_approve(actor=desk.second, notice=notice)
    public = PublicSupervisionNotice.objects.get(source_id=notice.pk)
    assert "钱多多" not in public.body and "经查属实" in public.body
