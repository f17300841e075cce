"""The demo county's cases: one in every state of both procedures, produced through the service
(each state change has its STEP_DONE entry), the same for the same day, and loaded once."""

import datetime as dt
from collections import Counter

import pytest

from sanxiang.cases.models import IMPORTED_DOCUMENT_ACTION, Case, IssuedDocument
from sanxiang.demo.county import demo_county_load
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.catalog import procedure_spec
from sanxiang.procedure.penalty import ORDINARY, SUMMARY
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 10, 9)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.conf import settings

    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        data_dir = loaded.data_dir
        assert settings.DATA_DIR == data_dir
        yield data_dir


@pytest.mark.django_db
def test_every_state_of_both_procedures_has_a_demo_case(demo):
    states = Counter(Case.objects.values_list("procedure", "state"))
    assert {s.name for s in ORDINARY.states} == {state for procedure, state in states if procedure == "ordinary"}
    assert {s.name for s in SUMMARY.states} == {state for procedure, state in states if procedure == "summary"}


@pytest.mark.django_db
def test_every_state_change_went_through_the_service_and_the_ledger(demo, settings):
    settings.DATA_DIR, settings.MEDIA_ROOT = demo, demo / "files"  # where the demo stored its files
    for case in Case.objects.all():
        if case.state == procedure_spec(case.procedure).engine.initial:
            continue  # registered, no step yet
        # A step, or (a licence decided in the 政务服务 system) the import that brought the case in.
        steps = Entry.objects.filter(case_id=case.pk, kind__in=(EventKind.STEP_DONE, EventKind.CASE_IMPORTED)).count()
        assert steps >= 1, case
    # An imported decision without its PDF is entered by its import's own entry (case.imported), not as a document.
    documents = IssuedDocument.objects.exclude(action=IMPORTED_DOCUMENT_ACTION, pdf__isnull=True).count()
    assert Entry.objects.filter(kind=EventKind.DOCUMENT_ISSUED).count() == documents > 50
    assert IssuedDocument.objects.filter(kind="decision_document").exclude(number="").count() >= 5
    assert ledger_verify().ok


@pytest.mark.django_db
def test_loading_again_adds_no_case(demo):
    before = Case.objects.count(), Entry.objects.count()
    demo_county_load(today=TODAY + dt.timedelta(days=3))
    assert (Case.objects.count(), Entry.objects.count()) == before


@pytest.mark.django_db
def test_the_demo_has_a_licence_in_every_state_of_the_permit_procedure(demo):
    """Issue 18 item 6: every state of 行政许可, each reached through its steps (行政许可法第三十二条
    受理、补正、不予受理; 第四十二条 the extension with the head's approval; 第四十五条 a paused period
    told in writing; 第四十七条 a hearing; 第三十八条 a refusal with reasons and remedies; 第四十九条、
    第五十条 change and renewal; 第八条、第六十九条、第七十条 withdrawal, revocation, cancellation)."""
    from sanxiang.procedure.permit.procedures import PERMIT

    permits = Case.objects.filter(procedure="permit", permit_import__isnull=True)  # the native ones
    assert {s.name for s in PERMIT.states} == set(permits.values_list("state", flat=True))
    assert all(c.created_by is not None and c.matter is not None and c.matter.kind == "permit" for c in permits)

    def done(action: str) -> set[int]:
        return set(Entry.objects.filter(kind=EventKind.STEP_DONE, subject__endswith=f":{action}",
                                        case_id__in=permits.values("pk")).values_list("case_id", flat=True))

    for action in ("permit_notify_missing", "permit_refuse_acceptance", "permit_hearing_held", "permit_exclusion",
                   "permit_deliver", "permit_change", "permit_renew", "permit_withdraw",
                   "permit_revoke", "permit_cancel"):
        assert done(action), action
    (extended,) = done("permit_extend")
    facts = Case.objects.get(pk=extended).facts
    assert facts["extension"]["head_name"] and facts["extension"]["told_on"] and Case.objects.get(pk=extended).state == "accepted"
    paused = [c for c in permits.filter(state="accepted") if any(p["kind"] == "testing" and p["told_on"]
                                                                 for p in c.facts.get("exclusions") or [])]
    assert len(paused) == 1
    hearing = Case.objects.get(pk=next(iter(done("permit_hearing_held"))))
    assert hearing.state == "accepted" and hearing.facts["hearing_requested_on"] and hearing.facts["hearing_held_on"]
    # Nothing is dated after the load day.
    assert Entry.objects.filter(case_id__in=permits.values("pk")).exists()
    for case in permits:
        for name in ("received_on", "accepted_on", "delivered_on"):
            assert case.facts.get(name) is None or dt.date.fromisoformat(case.facts[name]) <= TODAY, (case, name)


@pytest.mark.django_db
def test_one_demo_licence_is_deemed_renewed_and_one_refused_with_reasons_and_remedies(demo):
    """第五十条第二款: the renewal applied for in time and not decided before expiry counts as
    granted (no decision document, the new expiry in force); 第三十八条: a refusal is written with
    its reasons and the right to 复议 or 诉讼."""
    (deemed,) = Entry.objects.filter(kind=EventKind.STEP_DONE, subject__endswith=":permit_renew_deemed").values_list(
        "case_id", flat=True)
    case = Case.objects.get(pk=deemed)
    assert case.state == "in_force" and case.facts["renewal"] is None and len(case.facts["renewals_on"]) == 1
    assert dt.date.fromisoformat(case.facts["renewals_on"][0]) < TODAY < dt.date.fromisoformat(case.facts["expires_on"])
    assert not IssuedDocument.objects.filter(case=case, kind="permit_renewal_decision").exists()

    (refused,) = Case.objects.filter(procedure="permit", state="refused", permit_import__isnull=True)
    decision = refused.facts["decision"]
    assert decision["outcome"] == "refuse" and "不符合" in decision["reasons"] and "行政复议" in decision["remedies"]
    assert IssuedDocument.objects.filter(case=refused, kind="permit_refusal_decision").exclude(number="").exists()


@pytest.mark.django_db
def test_the_demo_licences_are_published_with_their_xk_rows_and_counted_in_the_annual_data(demo):
    """The grants approved by the head are on the portal (国办发〔2018〕118号) with their 双公示 XK
    rows; the year's permit rows of the annual data come from the cases and are not zero."""
    from django.test import Client
    from django.urls import reverse

    from sanxiang.procedure.dual_publicity import dual_publicity_row_problems
    from sanxiang.publication.annual import annual_report_generate
    from sanxiang.publication.dual_publicity import dual_publicity_rows
    from sanxiang.publication.models import Publication, PublicationDraft

    published = Publication.objects.filter(decision_kind="permit", status="published").order_by("pk")
    assert published.count() >= 5
    waiting = PublicationDraft.objects.filter(case__procedure="permit", decision="permit_grant", status="draft")
    assert waiting.exclude(case__permit_import__isnull=False).count() == 1  # the undelivered native grant
    listing = Client().get(reverse("portal:decision_list"), {"kind": "permit"}).content.decode()
    assert any(p.number in listing for p in published)
    rows = dual_publicity_rows(agency_ids=None, start=TODAY - dt.timedelta(days=366), end=TODAY, layout="XK")
    assert rows and all(dual_publicity_row_problems(row, layout="XK") == [] for row in rows)

    agency = Case.objects.filter(procedure="permit").first().agency
    report = annual_report_generate(agency=agency, year=TODAY.year)
    lines = {line["key"]: line["value"] for line in report["permit_lines"]}
    assert all(lines[key] > 0 for key in ("application", "accepted", "not_accepted", "granted", "refused", "changed",
                                          "renewed", "withdrawn", "revoked", "cancelled")), lines
    assert report["counts"]["permit"] > 0


@pytest.mark.django_db
def test_the_demo_expropriation_is_reviewed_decided_and_published_and_an_award_decided(demo):
    """征收 (宪法第十三条第三款; 《国有土地上房屋征收与补偿条例》): its basis, assessment, compensation
    not below it, the legal review its bureau's catalogue asks for (118号), the decision served and
    published; a 举报奖励 (行政奖励) decided and published."""
    (case,) = Case.objects.filter(procedure="expropriation")
    facts = case.facts
    assert case.state == "published" and case.matter.kind == "expropriation" and facts["bases"]
    assert facts["plan"]["amount_fen"] >= facts["assessment"]["amount_fen"] > 0
    assert [o["opinion"] for o in facts["review_opinions"]] == ["agree"] and facts["publicity"]["place"]
    assert IssuedDocument.objects.filter(case=case, kind="expropriation_decision").exclude(number="").exists()
    (award,) = Case.objects.filter(procedure="other_act")
    assert award.state == "published" and award.facts["kind"] == "award" and award.facts["decision"]["amount_fen"] == 200000
    # Published on the portal as well: no draft of either left waiting (双公示, 国办发〔2018〕118号).
    from sanxiang.publication.models import PublicationDraft

    drafts = PublicationDraft.objects.filter(case__in=[case, award]).select_related("publication")
    assert sorted(d.case_id for d in drafts) == sorted([case.pk, award.pk])
    assert all(d.status == "published" and d.publication.status == "published" for d in drafts)


@pytest.mark.django_db
def test_the_demo_has_licence_decisions_imported_from_the_government_service_system(demo):
    """Issue 18 item 4: an agency whose licences are decided in the 政务服务 system brings them in;
    each is a permit case recorded in the ledger as imported with its source, and published like a
    native decision (a draft within 7 working days, 国办发〔2018〕118号)."""
    from sanxiang.cases.models import PermitImport
    from sanxiang.demo.permit_import import SOURCE_SYSTEM
    from sanxiang.publication.models import PublicationDraft

    imported = list(PermitImport.objects.filter(source_system=SOURCE_SYSTEM).select_related("case"))
    assert len(imported) == 4 and {i.decision for i in imported} == {"grant", "refuse"}
    assert all(i.case.procedure == "permit" for i in imported)
    entries = Entry.objects.filter(kind=EventKind.CASE_IMPORTED)
    assert sorted(e.subject for e in entries) == sorted(f"case:{i.case_id}" for i in imported)
    # Each grant has its draft as a native grant has (a refusal is not published: it has none).
    grants = [i.case for i in imported if i.decision == "grant"]
    assert set(PublicationDraft.objects.filter(case__in=[i.case for i in imported]).values_list("case_id", flat=True)) == {
        c.pk for c in grants}
