"""An imported licence decision is a licence decision like one made here: the same XK_* row (the
pure function of the decision, procedure.publication_permit), the same draft due 7 working days
after the decision (国办发〔2018〕118号), the same annual rows; a refusal is recorded and counted
but not published; a changed row under the same source id is a conflict, never an overwrite."""

import datetime as dt
import json

import pytest
from django.db import transaction

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, PermitImport
from sanxiang.cases.permit_import import permit_decisions_import
from sanxiang.ledger.models import Entry
from sanxiang.procedure.dual_publicity import dual_publicity_row_problems
from sanxiang.publication.models import AnnualAct, PublicationDraft
from tests.cases.support import DISCOVERED, lead_make, perform, world_make
from tests.permit_import.support import DECIDED, numbered, row_make


class _Undone(Exception):
    pass


def _native_row(w) -> tuple[dict, str, list]:
    """A grant made here, step by step; its XK row, its 文号 and annual rows, then undone (so that
    the same 文号 can be imported into the same agency)."""
    try:
        with transaction.atomic():
            case = lead_make(w, procedure="permit", title="食品经营许可申请", party=w.company)
            perform(case, "permit_materials", DECIDED, w.officer, materials_complete=True)
            perform(case, "permit_accept", DECIDED, w.officer)
            perform(case, "permit_grant", DECIDED, w.head, content="预包装食品销售", licence_name="食品经营许可证",
                    category="普通")
            perform(case, "permit_deliver", DECIDED, w.officer, delivered_on=DECIDED, expires_on=dt.date(2030, 3, 31),
                    licence_number="JY11506260001234")
            draft = PublicationDraft.objects.get(case=case, decision="permit_grant")
            found = (draft.facts["xk_row"], draft.public["number"],
                     sorted(AnnualAct.objects.filter(case=case).values_list("kind", "on")), draft.due_on)
            raise _Undone
    except _Undone:
        return found


@pytest.mark.django_db
def test_an_imported_and_a_native_grant_with_the_same_facts_give_identical_xk_rows():
    w = world_make()
    native_row, number, native_acts, native_due = _native_row(w)
    assert not Case.objects.filter(procedure="permit").exists()
    row = row_make(w, 1, party_name=w.company.name, party_credit_code=w.company.credit_code,
                   legal_representative=w.company.legal_representative, number=number, licence_number="JY11506260001234",
                   received_on=DISCOVERED.isoformat())
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([row]), today=DECIDED)
    assert report.errors == [] and report.imported == 1
    case = PermitImport.objects.get().case
    assert case.party_id == w.company.pk  # the agency's own party, found by its credit code
    draft = PublicationDraft.objects.get(case=case, decision="permit_grant")
    assert draft.facts["xk_row"] == native_row
    assert dual_publicity_row_problems(draft.facts["xk_row"], layout="XK") == []
    assert draft.due_on == native_due == working_day_calendar_current().working_days_after(DECIDED, 7).date
    assert sorted(AnnualAct.objects.filter(case=case).values_list("kind", "on")) == native_acts
    # Recorded in the ledger as imported, with its source.
    (entry,) = Entry.objects.filter(kind="case.imported", case_id=case.pk)
    payload = json.loads(bytes(entry.body))["payload"]
    assert (payload["source_system"], payload["source_id"], payload["decision"]) == ("内蒙古政务服务网", "XK00000001",
                                                                                    "grant")


@pytest.mark.django_db
def test_a_refusal_is_recorded_and_counted_but_not_published():
    """行政许可法第三十八条: a refusal gives its reasons; not published (a platform rule:
    procedure.publication_permit.REFUSALS_NOT_PUBLISHED)."""
    w = world_make()
    refusal = row_make(w, 1, decision="不予", category="", content="", licence_name="", licence_number="",
                       valid_until="", delivered_on="")
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([refusal]), today=DECIDED)
    assert report.errors
    assert [(e.row, e.column, e.message) for e in report.errors] == [(1, "不予许可的理由", "不予许可时必须写明理由")]
    refusal["reasons"] = "经营场所不符合食品安全要求"
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([refusal]), today=DECIDED)
    assert report.errors == [] and report.imported == 1
    case = PermitImport.objects.get().case
    assert case.state == "refused" and not PublicationDraft.objects.filter(case=case).exists()
    assert AnnualAct.objects.filter(case=case, kind="permit_refused").count() == 1


@pytest.mark.django_db
def test_a_changed_row_under_the_same_source_id_is_a_conflict_and_nothing_is_written():
    w = world_make()
    first = row_make(w, 1)
    permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([first]), today=DECIDED)
    entries = Entry.objects.count()
    changed = dict(first, content="预包装食品销售、散装食品销售")
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([row_make(w, 2), changed]),
                                     today=DECIDED)
    (error,) = report.errors
    assert (error.row, error.column) == (2, "来源编号") and "许可内容" in error.message and "不会被覆盖" in error.message
    assert report.imported == 0 and PermitImport.objects.count() == 1 and Entry.objects.count() == entries
    case = PermitImport.objects.get().case
    assert case.facts["decision"]["content"] == "预包装食品销售"


@pytest.mark.django_db
def test_each_bad_field_is_named_by_row_and_column_in_chinese():
    w = world_make()
    rows = [
        row_make(w, 1, party_kind="自然人", party_credit_code="", legal_representative="", party_name="刘某",
                 party_id_number="150626198005200011"),  # a wrong check digit
        row_make(w, 2, decided_on="2025-02-30"),
        row_make(w, 3, category="豁免"),
        row_make(w, 4, agency_credit_code=row_make(w, 9)["party_credit_code"]),
        row_make(w, 5, source_id="XK00000004"),  # the id of row 4 again
        row_make(w, 6, decided_on=(DECIDED + dt.timedelta(days=1)).isoformat()),
    ]
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered(rows), today=DECIDED)
    got = {(e.row, e.column) for e in report.errors}
    assert {(1, "身份证号码"), (2, "决定日期"), (3, "许可类别"), (4, "许可机关统一社会信用代码"), (5, "来源编号"),
            (6, "决定日期")} <= got
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "2025-02-30" in messages[(2, "决定日期")] and "第4行" in messages[(5, "来源编号")]
    assert "普通" in messages[(3, "许可类别")] and "XK_" not in "".join(messages.values())
    assert not PermitImport.objects.exists() and not Case.objects.filter(procedure="permit").exists()


@pytest.mark.django_db
def test_a_natural_person_is_registered_once_and_a_grant_not_yet_delivered_waits_for_its_delivery():
    from tests.factories import id_number

    w = world_make()
    person = id_number(birth=dt.date(1990, 1, 2))
    rows = [row_make(w, n, party_kind="自然人", party_credit_code="", legal_representative="", party_name="王某",
                     party_id_number=person, delivered_on="") for n in (1, 2)]
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered(rows), today=DECIDED)
    assert report.errors == [] and report.imported == 2
    cases = Case.objects.filter(permit_import__isnull=False)
    assert {c.party_id for c in cases} == {cases[0].party_id} and {c.state for c in cases} == {"granted"}
    draft = PublicationDraft.objects.get(case=cases[0])
    assert draft.facts["xk_row"]["XK_XDR_SHXYM"] == "" and person not in str(draft.public)


@pytest.mark.django_db
def test_a_decision_the_catalogue_lists_as_major_is_imported_only_with_its_legal_review():
    """国办发〔2018〕118号: a major decision is made after its legal review: a matter the agency's
    published catalogue lists is imported with the day of its review in the source system, and
    refused without it (the row, the column and the reason)."""
    from sanxiang.registry import services as registry
    from sanxiang.review.services import catalogue_publish, catalogue_update

    w = world_make()
    listed = registry.matter_create(actor=None, agency=w.agency, code="XK-001", name="食品生产许可", kind="permit",
                                    legal_bases=[{"law": "中华人民共和国食品安全法", "article": "第三十五条"}])
    catalogue_update(actor=w.head, agency=w.agency, matters=[listed])
    catalogue_publish(actor=w.head, agency=w.agency)
    row = row_make(w, 1, matter="食品生产许可", matter_code="XK-001")
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([row]), today=DECIDED)
    (error,) = report.errors
    assert (error.row, error.column) == (1, "法制审核日期") and "未经法制审核不得作出决定" in error.message
    assert not PermitImport.objects.exists()
    row["review_on"] = "2026-03-30"
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([row]), today=DECIDED)
    assert report.errors == [] and report.imported == 1
    case = PermitImport.objects.get().case
    assert case.matter_id == listed.pk and case.details["imported"]["review_on"] == "2026-03-30"
    # A matter code that is not a licence matter of the agency is named as such.
    wrong = row_make(w, 2, matter_code="XK-999")
    (error,) = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([wrong]), today=DECIDED).errors
    assert (error.column, "不是本机关权责清单中的行政许可事项" in error.message) == ("事项编码", True)


@pytest.mark.django_db
def test_a_party_registered_under_another_name_is_named_not_replaced():
    w = world_make()
    row = row_make(w, 1, party_name="乌审旗草原味道餐饮公司", party_credit_code=w.company.credit_code)
    (error,) = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered([row]), today=DECIDED).errors
    assert (error.row, error.column) == (1, "行政相对人名称") and w.company.name in error.message
    assert not PermitImport.objects.exists()
