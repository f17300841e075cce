"""The demo county's 行政强制 cases (`sanxiang.demo.coercion`): 查封、扣押, 冻结 and 行政强制执行 in every
state of their engines, each produced through `case_action_perform` (a refused step would have
stopped the load), some inside the demo's penalty cases; one seizure past its period shows overdue.

Loaded once for the module, on a day just after the 国庆 holidays so that the stories' working-day
counts cross them."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_deadlines, case_snapshot_build, officer_worklist
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.catalog import procedure_spec
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 10, 9)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PROCEDURES = ("seal_seizure", "freeze", "enforcement")
# A state no demo case can lawfully stand in would be listed here with its reason; none is.
UNREACHABLE: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        data_dir = loaded.data_dir
        yield data_dir


@pytest.fixture
def on_demo_day(monkeypatch):
    """The pages compute deadlines for today: today is the day the demo was loaded."""
    from django.utils import timezone

    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: TODAY if value is None else localdate(value, tz))


def compulsory(procedure: str):
    return Case.objects.filter(procedure=procedure).select_related("parent")


@pytest.mark.django_db
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_state_of_each_compulsory_procedure_has_a_demo_case(demo, procedure):
    engine = procedure_spec(procedure).engine
    wanted = {s.name for s in engine.states} - {state for (p, state) in UNREACHABLE if p == procedure}
    found = Counter(compulsory(procedure).values_list("state", flat=True))
    assert set(found) == wanted, f"missing {wanted - set(found)}, unknown {set(found) - wanted}"


@pytest.mark.django_db
def test_every_state_change_went_through_the_service_and_the_ledger(demo, settings):
    settings.DATA_DIR, settings.MEDIA_ROOT = demo, demo / "files"  # where the demo stored its files
    for case in Case.objects.filter(procedure__in=PROCEDURES):
        # Registered through the service; every state it left, it left by a step in the ledger.
        assert Entry.objects.filter(case_id=case.pk, kind=EventKind.CASE_OPENED).exists(), case.title
        if case.state != procedure_spec(case.procedure).engine.initial:
            assert Entry.objects.filter(case_id=case.pk, kind=EventKind.STEP_DONE).exists(), case.title
    documents = IssuedDocument.objects.filter(case__procedure__in=PROCEDURES)
    kinds = set(documents.values_list("kind", flat=True))
    assert {"measure_decision", "inventory", "on_site_record", "freeze_decision", "extension_notice", "release_decision",
            "demand", "execution_decision", "substitute_decision", "court_application"} <= kinds
    assert Entry.objects.filter(kind=EventKind.DOCUMENT_ISSUED, case_id__in=documents.values("case_id")).count() >= (
        documents.count())
    assert ledger_verify().ok


@pytest.mark.django_db
def test_both_kinds_of_seal_seizure_and_measures_inside_and_outside_penalty_cases(demo):
    kinds = {case_snapshot_build(c).kind for c in compulsory("seal_seizure")}
    assert kinds == {"seal_up", "seizure"}
    for procedure in ("seal_seizure", "freeze"):
        cases = list(compulsory(procedure))
        inside = [c for c in cases if c.parent is not None]
        assert inside and len(inside) < len(cases), procedure
        assert {c.parent.procedure for c in inside} == {"ordinary"}
        assert all(c.party_id == c.parent.party_id for c in inside)


@pytest.mark.django_db
def test_measures_that_were_taken_have_their_recording_where_the_list_asks_for_it(demo):
    for case in compulsory("seal_seizure").exclude(state__in=("proposed", "approved", "not_taken")):
        snapshot = case_snapshot_build(case)
        assert f"audio_video_{snapshot.kind}" in snapshot.records, case.title
        assert {"on_site_record", "measure_decision", "inventory"} <= snapshot.records, case.title
    emergency = compulsory("seal_seizure").filter(state="emergency_taken").get()
    assert case_snapshot_build(emergency).emergency_reason
    confiscated = compulsory("seal_seizure").get(state="confiscated")
    decision = IssuedDocument.objects.get(case=confiscated.parent, kind="decision_document")
    assert case_snapshot_build(confiscated).ended_on == decision.issued_on


@pytest.mark.django_db
def test_enforcement_executes_an_unpaid_demo_penalty_substitutes_and_asks_the_court(demo):
    executing = compulsory("enforcement").exclude(parent=None).get()
    assert (executing.parent.procedure, executing.parent.state) == ("ordinary", "served")
    decision = case_snapshot_build(executing).decision
    # The party paid a part of the fine (its step is recorded); the rest is to be enforced.
    assert decision.source == "penalty.ordinary" and decision.principal_fen > decision.paid_fen == 100_000
    substitute = compulsory("enforcement").get(state="executed")
    assert {"substitute_decision", "substitute_demand", "substitute_record",
            "audio_video_substitute_performance"} <= case_snapshot_build(substitute).records
    assert compulsory("enforcement").get(state="substitute_decided")
    applied = IssuedDocument.objects.filter(kind="court_application").values_list("case__state", flat=True)
    assert set(applied) == {"court_applied", "court_ruled", "closed"}


@pytest.mark.django_db
def test_one_measure_past_its_period_shows_overdue_on_the_case_page_and_the_worklist(demo, client, on_demo_day):
    """行政强制法第二十五条、第二十八条第一款第四项: a seizure whose period has run must be released; the
    demo leaves one standing, so that the pages show what a supervisor would see."""
    overdue = [
        case for case in Case.objects.filter(procedure__in=("seal_seizure", "freeze"), state__in=("in_force", "extended"))
        if any(d.state == "overdue" for d in case_deadlines(case=case, on=TODAY))
    ]
    assert len(overdue) == 1
    (case,) = overdue
    period = next(d for d in case_deadlines(case=case, on=TODAY) if d.code == "coercion.deadline.period")
    assert period.state == "overdue" and period.due < TODAY
    # The only lawful way on is a release (第二十八条第一款第四项), which the head decides.
    head = User.objects.get(username="head")
    client.force_login(head)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "已逾期" in html
    assert 'data-testid="action-coercion_release" data-allowed="1"' in html
    assert 'data-testid="action-coercion_extend" data-allowed="1"' not in html
    officer = User.objects.get(username="officer")
    row = next(r for r in officer_worklist(user=officer, on=TODAY) if r.case.pk == case.pk)
    assert row.next_deadline.state == "overdue"
    client.force_login(officer)
    home = client.get(reverse("web:home")).content.decode()
    assert case.number in home and "已逾期" in home
    # Nothing else of the demo's compulsory cases is overdue: the others were kept lawful.
    for other in Case.objects.filter(procedure__in=PROCEDURES).exclude(pk=case.pk):
        late = [d.code for d in case_deadlines(case=other, on=TODAY) if d.state == "overdue"]
        assert late == [], (other.title, other.state, late)


INTERNAL = re.compile(r"\b(?:coercion|enforcement)[._][a-z_.]+|\bseal_seizure\b|\b(?:in_force|emergency_taken)\b")


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_every_compulsory_case_page_renders_for_its_officer_in_chinese(demo, client, on_demo_day):
    officer = User.objects.get(username="officer")
    client.force_login(officer)
    for case in Case.objects.filter(procedure__in=PROCEDURES).prefetch_related("officers"):
        # The demo officer works on every one (the certificate covers the stories' days).
        assert officer.officer in case.officers.all(), case.title
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
        assert response.status_code == 200, case.title
        text = visible(response.content.decode())
        assert case.title in text
        assert INTERNAL.findall(text) == [], (case.title, INTERNAL.findall(text))
