"""What the attacker's review of issue 14 found, each shown refused with its lawful path beside it:
instruments respect the matter's pair and recusal and need a matter under way (《四川省行政执法监督条例》
第二十九条、第三十条); a read grant is no longer than the platform's period and ends with its matter; a
supervisor reads a publication draft (the decision's own text) only under a read grant; the agency
complained about does not read a complaint's own words."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.procedure.supervision.matters import MatterState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicationDraft
from sanxiang.supervision import selectors, services
from sanxiang.supervision.instrument_services import instrument_issue
from sanxiang.supervision.models import Complaint
from tests.factories import user_make
from tests.supervision.complaint_support import complaint_file
from tests.supervision.support import desk_make, read_grant_give, supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def codes(refused) -> list[str]:
    return [v.code for v in refused.value.violations]


def accepted(desk):
    matter = services.matter_open(bureau=desk.bureau, source=MatterSource.ROUTINE, subject="执法公示不及时",
                                  summary="", received_on=TODAY, agency=desk.agency, actor=desk.first)
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return matter


def test_an_instrument_needs_the_matter_under_way_and_its_own_unrecused_pair():
    desk = desk_make()
    matter = accepted(desk)
    # Still to be accepted: refused, with the reason.
    with pytest.raises(Refused) as not_open:
        instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未按期公示",
                         supervisors=[desk.first, desk.second])
    assert "matter.not_open" in codes(not_open)
    matter = services.matter_accept(matter=matter, actor=desk.first)
    # A supervisor not assigned to the matter cannot stand in as the second.
    stranger = supervisor_user_make(bureau=desk.bureau, name="周监督")
    with pytest.raises(Refused) as outsider:
        instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未按期公示",
                         supervisors=[desk.first, stranger])
    assert "supervisors.not_assigned" in codes(outsider)
    # The lawful path: the matter's pair.
    issued = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未按期公示",
                              supervisors=[desk.first, desk.second])
    assert issued.number
    # One who withdrew from the matter issues nothing on it, even with the caller saying nothing of it.
    services.matter_supervisor_recuse(matter=matter, user=desk.second, reason="与被监督机关负责人系近亲属",
                                      actor=desk.second)
    with pytest.raises(Refused) as recused:
        instrument_issue(actor=desk.second, matter=matter, kind="supervise_letter", findings="逾期未履行",
                         supervisors=[desk.second, desk.first])
    assert "supervisor.recused" in codes(recused)


def test_a_read_grant_is_no_longer_than_the_platform_period_and_ends_with_its_matter():
    desk = desk_make()
    matter = services.matter_accept(matter=accepted(desk), actor=desk.first)
    case = case_create(actor=None, agency=desk.agency, number="fix-001", title="被调阅案件")
    with pytest.raises(Refused) as too_long:
        services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case],
                                grant_until=timezone.now() + dt.timedelta(days=3650))
    assert codes(too_long) == ["measure.grant_too_long"]
    assert "7日" in too_long.value.violations[0].message
    services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case])
    assert selectors.read_grant_active(user=desk.first, case_id=case.pk, at=timezone.now())
    services.matter_conclude(matter=matter, outcome="已整改", actor=desk.first)
    assert selectors.read_grant_active(user=desk.first, case_id=case.pk, at=timezone.now()) is None
    assert selectors.case_ids_granted(user=desk.first, at=timezone.now()) == []


def test_a_supervisor_reads_a_publication_draft_only_under_a_read_grant(client):
    desk = desk_make()
    case = case_create(actor=None, agency=desk.agency, number="fix-002", title="公示稿案件")
    draft = PublicationDraft.objects.create(case=case, agency=desk.agency, decided_on=TODAY, due_on=TODAY,
                                            original={"title": "张三违法案"}, public={"title": "某某违法案"})
    supervisor = user_make(role=Role.SUPERVISOR, agency=desk.bureau)
    client.force_login(supervisor)
    url = f"/staff/publication/drafts/{draft.pk}/"
    refused = client.get(url)
    assert refused.status_code == 403 and "需经调阅" in refused.content.decode()
    read_grant_give(case=case, user=supervisor)
    assert client.get(url).status_code == 200


def test_the_agency_complained_about_does_not_read_the_complaints_own_words(client):
    desk = desk_make()
    receipt = complaint_file(desk, description="我是李举报，住在幸福路8号，执法人员未出示证件。")
    matter = Complaint.objects.get(receipt_number=receipt.receipt_number).matter
    assert matter.state == MatterState.RECEIVED
    officer = user_make(role=Role.OFFICER, agency=desk.agency)
    client.force_login(officer)
    page = client.get(f"/staff/supervision/matters/{matter.pk}/")
    assert page.status_code == 200 and "幸福路" not in page.content.decode()
    client.force_login(desk.first)
    assert "幸福路" in client.get(f"/staff/supervision/matters/{matter.pk}/").content.decode()


def test_the_supervisors_open_the_files_of_a_correction_report_and_other_agencies_do_not(client):
    from tests.supervision.instruments_support import desk_with_matter
    from tests.supervision.test_instruments import File, issue

    desk, matter, agency_user = desk_with_matter()
    instrument = issue(desk, matter)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from sanxiang.supervision.instrument_services import instrument_act

    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已于次日公示。",
                   files=[File(pdf, "整改材料.pdf")])
    record = instrument.steps.get().files.get()
    url = f"/staff/supervision/instruments/{instrument.pk}/attachments/{record.pk}/"
    client.force_login(desk.first)
    detail = client.get(f"/staff/supervision/instruments/{instrument.pk}/").content.decode()
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    # Not a file of this instrument: not served through it.
    assert client.get(f"/staff/supervision/instruments/{instrument.pk}/attachments/{instrument.pdf_id}/").status_code == 404
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=desk_make().agency))
    assert client.get(url).status_code == 404


def test_only_the_supervisor_or_a_colleague_on_the_matter_decides_a_recusal_and_the_recused_leave_the_complaint(client):
    desk = desk_make()
    receipt = complaint_file(desk, description="执法人员检查时未出示证件。")
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    matter = complaint.matter
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    outsider = supervisor_user_make(bureau=desk.bureau, name="吴监督")
    with pytest.raises(Refused) as refused:
        services.matter_supervisor_recuse(matter=matter, user=desk.second, reason="利害关系", actor=outsider)
    assert codes(refused) == ["recusal.actor"]
    services.matter_supervisor_recuse(matter=matter, user=desk.second, reason="利害关系", actor=desk.first)
    url = f"/staff/supervision/complaints/{complaint.pk}/"
    client.force_login(desk.second)
    assert client.get(url).status_code == 404
    assert client.get(url + "complainant/").status_code == 404
    client.force_login(desk.first)
    assert client.get(url).status_code == 200


def test_a_notice_names_only_agencies_the_bureau_supervises():
    from sanxiang.supervision.instrument_services import notice_draft
    from tests.factories import agency_make

    desk = desk_make()
    elsewhere = agency_make(region_code="110101", parent_government="东城区人民政府")
    with pytest.raises(Refused) as refused:
        notice_draft(actor=desk.first, bureau=desk.bureau, title="关于执法公示不及时的通报", body="经查……",
                     scope="internal", agencies=[elsewhere])
    assert codes(refused) == ["notice.agency_outside"]
    assert notice_draft(actor=desk.first, bureau=desk.bureau, title="关于执法公示不及时的通报", body="经查……",
                        scope="internal", agencies=[desk.agency]).pk
