"""重大执法决定备案 (issue 14, part C, item 1): a major penalty or compulsory decision is filed with the
county's 司法局 automatically, in the decision's transaction, within the period of
`supervision.major_decision_filing_days` (《四川省行政执法监督条例》第三十六条; unverified parameter,
15 days from the decision); the supervisors of that bureau examine it.

Each legal test shows the block (violation, message, basis) and the lawful path."""

import datetime as dt
import json

import pytest

from sanxiang.cases import services as case_services
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.supervision.filings import (
    FilingState,
    compulsory_decision_major,
    filing_basis,
    filing_in_force,
)
from sanxiang.supervision.filing_selectors import filing_rates, filings_awaiting, filings_for
from sanxiang.supervision.filing_services import filing_examine, filing_opinion_take
from sanxiang.supervision.models import Filing
from tests.cases.support import (
    FIRST_DECISION_DAY,
    PENALTY,
    D,
    discussion_data,
    perform,
    refusal,
    review_data,
    submit_data,
    to_decided,
    to_notified,
    world_make,
)
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
SICHUAN_36 = "《四川省行政执法监督条例》第三十六条"
AGREED = D(2026, 3, 31)


def major_decided(w, case=None):
    """减轻处罚 (major under the default catalogue), reviewed, discussed and decided on 2026-03-31."""
    case = to_notified(w, case)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="当事人主动消除违法后果，依法减轻处罚。", **PENALTY)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", AGREED, w.reviewer, **review_data())
    case = perform(case, "record_collective_discussion", AGREED, w.head, **discussion_data(AGREED))
    return perform(case, "decide", AGREED, w.officer)


def bureau_of(w):
    from sanxiang.registry.models import Agency

    return Agency.objects.get(pk=w.supervisor.agency_id)


def payloads(kind: EventKind, filing: Filing) -> list[dict]:
    bodies = Entry.objects.filter(kind=kind, subject=f"supervision_filing:{filing.pk}").order_by("seq")
    return [json.loads(bytes(b))["payload"] for b in bodies.values_list("body", flat=True)]


def test_the_period_is_the_provincial_unverified_parameter():
    parameter = parameters_default()["supervision.major_decision_filing_days"]
    assert parameter.unverified and SICHUAN_36 in parameter.reference
    assert filing_basis() == parameter.reference
    # The regulation (and so the filing duty) is in force from 2026-02-01: nothing to file before.
    assert filing_in_force(on=D(2026, 2, 1)) and not filing_in_force(on=D(2026, 1, 31))


def test_a_major_penalty_decision_files_itself_at_decision_time():
    """四川省条例第三十六条: 重大行政处罚决定 filed within 15 days; the platform files it in the
    decision's transaction, so it is on time."""
    w = world_make()
    case = major_decided(w)
    filing = Filing.objects.get(case=case)
    days = parameters_default().value("supervision.major_decision_filing_days", on=AGREED)
    assert (filing.kind, filing.decision_label, filing.decided_on, filing.filed_on) == (
        "penalty", "行政处罚决定", AGREED, AGREED)
    assert filing.due_on == AGREED + dt.timedelta(days=days) == D(2026, 4, 15)
    assert filing.on_time and filing.state == FilingState.AWAITING
    assert filing.bureau == bureau_of(w) and filing.agency == w.agency
    assert filing.criteria == ["catalogue.discretion"]
    # The decision's documents are linked to the filing.
    assert [d.kind for d in filing.documents.all()] == ["decision_document"]
    [made] = payloads(EventKind.SUPERVISION_FILING_MADE, filing)
    assert made["due_on"] == "2026-04-15" and SICHUAN_36 in made["basis"] and made["case"] == case.pk
    # The receiving bureau's supervisors see it waiting; the agency sees its own filing.
    supervisor = supervisor_user_make(bureau=bureau_of(w))
    assert list(filings_awaiting(viewer=supervisor)) == [filing]
    assert list(filings_for(viewer=w.officer)) == [filing]


def test_a_decision_that_is_not_major_is_not_filed():
    w = world_make()
    case = to_decided(w)  # a fine of 3,000 yuan on a company: below the catalogue's amount
    assert case.state == "decided"
    assert not Filing.objects.filter(case=case).exists()


def test_a_decision_rolled_back_leaves_no_filing(monkeypatch):
    w = world_make()
    case = major_decided_until_decision(w)

    def broken(**kwargs):
        raise RuntimeError("projection store unavailable")

    monkeypatch.setattr(case_services, "case_projection_refresh_related", broken)
    with pytest.raises(RuntimeError):
        perform(case, "decide", AGREED, w.officer)
    assert not Filing.objects.filter(case=case).exists()
    assert not Entry.objects.filter(kind=EventKind.SUPERVISION_FILING_MADE).exists()
    monkeypatch.undo()
    perform(case, "decide", AGREED, w.officer)
    assert Filing.objects.filter(case=case).count() == 1


def major_decided_until_decision(w):
    case = to_notified(w)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="当事人主动消除违法后果，依法减轻处罚。", **PENALTY)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", AGREED, w.reviewer, **review_data())
    return perform(case, "record_collective_discussion", AGREED, w.head, **discussion_data(AGREED))


def test_major_compulsory_decisions_are_the_listed_steps():
    """The regulation does not list 重大行政强制决定: the parameter does (unverified)."""
    parameter = parameters_default()["supervision.filing_major_compulsory_actions"]
    assert parameter.unverified and SICHUAN_36 in parameter.reference
    on = D(2026, 3, 5)
    assert compulsory_decision_major(procedure="freeze", action="coercion_take", on=on)
    assert compulsory_decision_major(procedure="enforcement", action="decide_execution", on=on)
    assert not compulsory_decision_major(procedure="seal_seizure", action="coercion_take", on=on)
    assert not compulsory_decision_major(procedure="freeze", action="coercion_release", on=on)


def test_a_freeze_files_itself_and_a_seizure_does_not():
    from tests.cases.test_coercion_cases import to_frozen, to_in_force

    w = world_make()
    frozen = to_frozen(w)
    filing = Filing.objects.get(case=frozen)
    assert (filing.kind, filing.decision_label, filing.decided_on) == ("compulsory", "冻结决定", D(2026, 3, 5))
    assert filing.due_on == D(2026, 3, 20) and filing.criteria == ["freeze:coercion_take"]
    seized = to_in_force(w)
    assert not Filing.objects.filter(case=seized).exists()


def test_examination_by_a_supervisor_of_the_bureau_with_a_valid_certificate():
    """A supervisor acts with a valid supervision certificate (四川省条例第二十九条): an expired one
    is refused, with its message and basis; a supervisor of the bureau with a valid one records it."""
    w = world_make()
    filing = Filing.objects.get(case=major_decided(w))
    bureau = bureau_of(w)
    expired = supervisor_user_make(bureau=bureau, valid_from=D(2020, 1, 1), valid_to=D(2026, 3, 31))
    [v] = refusal(lambda: filing_examine(filing=filing, actor=expired, on=D(2026, 4, 2)))
    assert v.code == "supervisor.certificate_expired"
    assert "已于2026-03-31到期" in v.message and "《四川省行政执法监督条例》第二十九条" in v.legal_basis
    # An officer of the agency (or the bureau's account without a supervisor record) may not.
    assert [v.code for v in refusal(lambda: filing_examine(filing=filing, actor=w.officer, on=D(2026, 4, 2)))] == [
        "filing.examiner"]
    assert [v.code for v in refusal(lambda: filing_examine(filing=filing, actor=w.supervisor, on=D(2026, 4, 2)))] == [
        "filing.examiner"]

    valid = supervisor_user_make(bureau=bureau)
    filing = filing_examine(filing=filing, actor=valid, on=D(2026, 4, 2), note="决定合法，无异议。")
    assert (filing.state, filing.examined_on, filing.examined_by) == ("examined", D(2026, 4, 2), valid)
    assert payloads(EventKind.SUPERVISION_FILING_EXAMINED, filing)[0]["outcome"] == "examined"
    assert not filings_awaiting(viewer=valid).exists()
    # Examined once: both ways are closed, every reason given.
    codes = [v.code for v in refusal(lambda: filing_opinion_take(filing=filing, actor=valid, on=D(2026, 4, 3)))]
    assert codes == ["filing.examined_already"]


def test_taking_a_filing_to_an_opinion_is_recorded():
    w = world_make()
    filing = Filing.objects.get(case=major_decided(w))
    supervisor = supervisor_user_make(bureau=bureau_of(w))
    filing = filing_opinion_take(filing=filing, actor=supervisor, on=D(2026, 4, 2), note="减轻处罚理由不充分")
    assert filing.state == FilingState.OPINION
    assert payloads(EventKind.SUPERVISION_FILING_EXAMINED, filing)[0]["outcome"] == "opinion"


def test_another_county_sees_nothing():
    from tests.factories import agency_make

    w = world_make()
    filing = Filing.objects.get(case=major_decided(w))
    other_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    other = supervisor_user_make(bureau=other_bureau)
    assert not filings_for(viewer=other).exists() and not filings_awaiting(viewer=other).exists()
    assert [v.code for v in refusal(lambda: filing_examine(filing=filing, actor=other, on=D(2026, 4, 2)))] == [
        "filing.examiner"]
    other_agency_officer = world_make().officer
    assert filing not in filings_for(viewer=other_agency_officer)


def test_filing_rate_and_timeliness_by_sql(django_assert_num_queries):
    """重大决定备案率/及时率: filed major penalty decisions ÷ major penalty decisions; filed within the
    period ÷ filed. One late filing (entered as if filed after its period) shows in the figure."""
    w = world_make()
    major_decided(w)
    to_decided(w)  # not major: in neither figure
    late = Filing.objects.get()
    Filing.objects.filter(pk=late.pk).update(filed_on=D(2026, 4, 20))  # past 04-15
    major_decided(w)
    bureau = bureau_of(w)
    with django_assert_num_queries(2):
        [rate] = filing_rates(bureau=bureau, year=2026)
    assert (rate.agency_id, rate.major_penalties, rate.filed, rate.filed_penalties, rate.on_time) == (
        w.agency.pk, 2, 2, 2, 1)
    assert (rate.rate_percent, rate.on_time_percent) == (100, 50)
    assert filing_rates(bureau=bureau_of(w), year=2025) == []
