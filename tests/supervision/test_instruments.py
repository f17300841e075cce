"""Supervision instruments (《行政执法监督条例》第二十六条至第三十条): issued by two supervisors with
valid supervision certificates, numbered without gaps, rendered and stored with digests, served on
the agency, answered inside the platform."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.accounts.models import Role
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.supervision import instruments as rules
from sanxiang.procedure.supervision.instruments import InstrumentState, review_period
from sanxiang.procedure.violations import Refused
from sanxiang.supervision.instrument_selectors import instrument_rows, instruments_visible
from sanxiang.supervision.instrument_services import instrument_act, instrument_issue
from sanxiang.supervision.models import Instrument
from tests.factories import agency_make, user_make
from tests.supervision.instruments_support import desk_with_matter, matter_make_for_tests
from tests.supervision.support import Desk, supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def codes(refusal):
    return [v.code for v in refusal.value.violations]


def issue(desk, matter, kind="opinion", **kw):
    return instrument_issue(actor=desk.first, matter=matter, kind=kind, findings="未在七个工作日内公示行政处罚决定",
                            supervisors=[desk.first, desk.second], **kw)


def test_a_single_supervisor_cannot_issue_an_instrument_and_a_pair_can():
    """《四川省行政执法监督条例》第二十九条: two supervisors at least; nothing is written when refused."""
    desk, matter, _ = desk_with_matter()
    with pytest.raises(Refused) as refused:
        instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题", supervisors=[desk.first])
    assert codes(refused) == ["supervisors.too_few"]
    violation = refused.value.violations[0]
    assert "2名以上" in violation.message and "四川省行政执法监督条例" in violation.legal_basis
    assert not Instrument.objects.exists()
    instrument = issue(desk, matter)  # the lawful path: the pair
    assert instrument.state == InstrumentState.ISSUED


def test_a_supervisor_with_an_expired_certificate_cannot_act():
    desk, matter, _ = desk_with_matter()
    expired = supervisor_user_make(bureau=desk.bureau, valid_to=TODAY - dt.timedelta(days=1), name="过期监督")
    with pytest.raises(Refused) as refused:
        instrument_issue(actor=expired, matter=matter, kind="opinion", findings="问题", supervisors=[expired, desk.second])
    assert codes(refused) == ["supervisor.certificate_expired"]
    violation = refused.value.violations[0]
    assert "过期监督" in violation.message and "到期" in violation.message
    assert "四川省行政执法监督条例" in violation.legal_basis  # the pair's certificates (第二十九条)
    assert not Instrument.objects.exists()
    # The lawful path: a colleague whose certificate runs takes the expired one's place.
    assert issue(desk, matter).state == InstrumentState.ISSUED


def test_every_reason_at_once():
    desk, matter, _ = desk_with_matter()
    with pytest.raises(Refused) as refused:
        instrument_issue(actor=desk.first, matter=matter, kind="nonsense", findings=" ", supervisors=[desk.first])
    assert set(codes(refused)) == {"instrument.kind", "supervision.findings_required", "supervisors.too_few"}


def test_numbers_have_no_gaps_per_bureau_kind_and_year_and_a_refusal_takes_none():
    desk, matter, _ = desk_with_matter()
    first = issue(desk, matter)
    with pytest.raises(Refused):
        instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="", supervisors=[desk.first, desk.second])
    second = issue(desk, matter)
    letter = issue(desk, matter, kind="supervise_letter")
    assert (first.sequence, second.sequence, letter.sequence) == (1, 2, 1)
    assert first.number.endswith(f"监意〔{TODAY.year}〕1号") and second.number.endswith("2号")
    assert "监督〔" in letter.number


def test_the_instrument_is_rendered_stored_with_digests_and_in_the_ledger():
    desk, matter, _ = desk_with_matter()
    instrument = issue(desk, matter)
    assert instrument.pdf.stored_file.size > 0 and instrument.docx.stored_file.size > 0
    entry = Entry.objects.get(kind=EventKind.SUPERVISION_INSTRUMENT_ISSUED)
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["number"] == instrument.number
    assert payload["files_sha256"] == [instrument.pdf.stored_file.sha256, instrument.docx.stored_file.sha256]
    instrument.refresh_from_db()
    assert instrument.ledger_seq == entry.seq


def test_only_the_bureaus_supervisors_issue():
    desk, matter, agency_user = desk_with_matter()
    with pytest.raises(PermissionDenied):
        instrument_issue(actor=agency_user, matter=matter, kind="opinion", findings="x", supervisors=[desk.first, desk.second])
    other_bureau = agency_make(name="他县司法局", is_judicial_bureau=True, region_code="150627")
    stranger = supervisor_user_make(bureau=other_bureau)
    with pytest.raises(PermissionDenied):
        instrument_issue(actor=stranger, matter=matter, kind="opinion", findings="x", supervisors=[stranger, desk.second])


class File(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name


def test_the_agency_reports_with_evidence_and_the_pair_accepts():
    desk, matter, agency_user = desk_with_matter()
    instrument = issue(desk, matter)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已于次日公示。",
                   files=[File(pdf, "整改材料.pdf")])
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.REPLIED and instrument.due_on is None
    step = instrument.steps.get()
    assert step.files.count() == 1
    with pytest.raises(Refused) as refused:  # a single supervisor cannot accept either
        instrument_act(actor=desk.first, instrument=instrument, action="accept", supervisors=[desk.first])
    assert codes(refused) == ["supervisors.too_few"]
    instrument_act(actor=desk.first, instrument=instrument, action="accept", supervisors=[desk.first, desk.second])
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.ACCEPTED
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_INSTRUMENT_STEP).count() == 2


def test_another_agency_cannot_reply():
    desk, matter, _ = desk_with_matter()
    instrument = issue(desk, matter)
    other = user_make(role=Role.AGENCY_HEAD, agency=agency_make())
    with pytest.raises(PermissionDenied):
        instrument_act(actor=other, instrument=instrument, action="report", text="x")


def test_a_return_needs_reasons_and_the_agency_replies_again():
    desk, matter, agency_user = desk_with_matter()
    instrument = issue(desk, matter)
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已整改")
    with pytest.raises(Refused) as refused:
        instrument_act(actor=desk.first, instrument=instrument, action="return", supervisors=[desk.first, desk.second])
    assert codes(refused) == ["instrument.return_reasons"]
    instrument_act(actor=desk.first, instrument=instrument, action="return", text="未附公示截图",
                   supervisors=[desk.first, desk.second])
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.RETURNED and instrument.due_on > TODAY
    instrument_act(actor=agency_user, instrument=instrument, action="report", text="补充公示截图")
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.REPLIED


def test_an_objection_needs_reasons_within_its_period_and_is_answered_on_review():
    """第三十条: the agency may object; the supervisors answer (复查) within its period."""
    desk, matter, agency_user = desk_with_matter()
    instrument = issue(desk, matter)
    with pytest.raises(Refused) as refused:
        instrument_act(actor=agency_user, instrument=instrument, action="object", text="")
    assert codes(refused) == ["instrument.objection_reasons"]
    assert "第三十条" in refused.value.violations[0].legal_basis
    late = instrument.objection_deadline + dt.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        instrument_act(actor=agency_user, instrument=instrument, action="object", text="理由", on=late)
    assert codes(refused) == ["instrument.objection_late"]
    instrument_act(actor=agency_user, instrument=instrument, action="object", text="该决定已于期限内公示，见网址")
    instrument.refresh_from_db()
    answer_due = review_period(start=TODAY, calendar=working_day_calendar_current()).due_on
    assert instrument.state == InstrumentState.OBJECTED and instrument.due_on == answer_due
    instrument_act(actor=desk.second, instrument=instrument, action="uphold", text="经复查，公示晚于期限，维持意见",
                   supervisors=[desk.first, desk.second])
    instrument.refresh_from_db()
    assert instrument.state == InstrumentState.ISSUED


def test_escalation_proposes_a_decision_which_is_recorded_when_the_government_issues_it():
    """第二十九条: a letter or opinion not followed → a 决定书 proposed to the government."""
    desk, matter, agency_user = desk_with_matter()
    instrument = issue(desk, matter)
    instrument_act(actor=desk.first, instrument=instrument, action="escalate", supervisors=[desk.first, desk.second])
    proposal = Instrument.objects.get(kind="decision_proposal")
    assert proposal.source == instrument and proposal.state == InstrumentState.PROPOSED and proposal.due_on is None
    assert proposal not in instruments_visible(user=agency_user)  # the government has not issued it yet
    with pytest.raises(Refused) as refused:
        instrument_act(actor=desk.first, instrument=proposal, action="decision_record",
                       supervisors=[desk.first, desk.second])
    assert set(codes(refused)) == {"instrument.decision_number", "instrument.decision_on", "instrument.decision_content"}
    instrument_act(actor=desk.first, instrument=proposal, action="decision_record", supervisors=[desk.first, desk.second],
                   decision_number="乌政监决〔2026〕1号", decision_on=TODAY, text="责令限期公示")
    proposal.refresh_from_db()
    assert proposal.state == InstrumentState.ISSUED and proposal.decision_number == "乌政监决〔2026〕1号"
    assert proposal in instruments_visible(user=agency_user)
    assert proposal.due_on > TODAY
    # A recommendation is not escalated.
    recommendation = issue(desk, matter, kind="recommendation")
    with pytest.raises(Refused) as refused:
        instrument_act(actor=desk.first, instrument=recommendation, action="escalate", supervisors=[desk.first, desk.second])
    assert codes(refused) == ["instrument.not_escalatable"]
    assert "第二十九条" in refused.value.violations[0].legal_basis


@pytest.mark.parametrize(("working", "due"), [(False, dt.date(2026, 4, 1)), (True, dt.date(2026, 4, 14))])
def test_an_overdue_reply_is_flagged_on_the_day_the_named_rule_gives(monkeypatch, working, due):
    """《行政执法监督条例》第二十八条 (the national text: 规定时限; 《四川省行政执法监督条例》第三十四条: 30
    days), counted by calendar days or by working days as `supervision.periods_count_working_days`
    names (重庆 counts so). An opinion issued through the service on Monday 2026-03-02 is due on
    04-01 (calendar days) or 04-14 (30 working days, 清明 04-04..06 not counted); both sides see it in
    time on its due day and overdue from the next."""
    if working:
        named = parameters_default().with_overrides(
            {"supervision.periods_count_working_days": [ParameterPeriod(start=dt.date(2026, 2, 2), value=True)]})
        monkeypatch.setattr(rules, "parameters_default", lambda: named)
    served = dt.date(2026, 3, 2)
    bureau = agency_make(name="期限旗司法局", is_judicial_bureau=True)
    first, second = (supervisor_user_make(bureau=bureau, valid_from=dt.date(2026, 1, 1)) for _ in range(2))
    desk = Desk(bureau=bureau, agency=agency_make(), first=first, second=second)
    matter = matter_make_for_tests(desk=desk)
    matter.received_on = served
    matter.save(update_fields=["received_on"])
    agency_user = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    instrument = issue(desk, matter, on=served)
    assert instrument.due_on == due and "第二十八条" in instrument.due_basis
    for user in (desk.first, agency_user):
        for on, flagged in ((due, False), (due + dt.timedelta(days=1), True)):
            [row], _ = instrument_rows(user=user, on=on)
            assert row.overdue == flagged, (user, on)
