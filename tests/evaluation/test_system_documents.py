"""制度文件 (issue 15, item 5): an agency submits against the plan's checklist (乌政办发〔2022〕115号
三、（一）2, the kinds and the due date being parameters), the 司法局 accepts or returns with a reason,
the agency resubmits; every step is in the ledger; what is accepted and public reaches the portal's
public read model; overdue items show on both sides."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sanxiang.evaluation import document_selectors as selectors
from sanxiang.evaluation.document_services import (
    system_document_resubmit,
    system_document_review,
    system_document_submit,
)
from sanxiang.evaluation.models import SystemDocument
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.documents import (
    DocumentSnapshot,
    checklist_items,
    document_kinds_required,
    documents_due_on,
    plan_basis,
)
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicSystemDocument
from tests.evaluation.support import PNG, Upload, county_make
from tests.factories import user_make

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 20)


def ledger_payloads(document: SystemDocument) -> list[tuple[str, dict]]:
    rows = Entry.objects.filter(subject=f"system_document:{document.pk}").order_by("seq").values_list("kind", "body")
    return [(kind, json.loads(bytes(body))["payload"]) for kind, body in rows]


def test_the_checklist_and_the_due_date_are_the_plans_parameters():
    kinds = document_kinds_required(on=ON)
    assert [k.value for k in kinds] == ["rules", "list", "service_guide", "flow_chart", "manual"]
    assert documents_due_on(on=ON) == dt.date(2022, 11, 30)
    assert "乌政办发〔2022〕115号" in plan_basis()


def test_submit_review_return_resubmit_accept_with_a_ledger_entry_each_and_the_public_row():
    county = county_make()
    document = system_document_submit(actor=county.head, kind="service_guide", title="行政许可服务指南", public=True,
                                       upload=Upload(), on=ON)
    assert (document.state, document.version, document.bureau_id) == ("submitted", 1, county.bureau.pk)
    # Returned: the reason is required and kept; nothing is published.
    with pytest.raises(Refused) as refused:
        system_document_review(actor=county.supervisor, document=document, action="return", reason=" ", on=ON)
    assert [v.field for v in refused.value.violations] == ["reason"]
    document = system_document_review(actor=county.supervisor, document=document, action="return",
                                       reason="未列明办理时限", on=ON)
    assert (document.state, document.return_reason) == ("returned", "未列明办理时限")
    assert not PublicSystemDocument.objects.exists()
    # Resubmitted with a corrected file, then accepted: the public row carries the second file.
    document = system_document_resubmit(actor=county.head, document=document, upload=Upload(PNG, "指南.png"), on=ON)
    assert (document.state, document.version) == ("submitted", 2)
    document = system_document_review(actor=county.supervisor, document=document, action="accept", on=ON)
    public = PublicSystemDocument.objects.get(source_id=document.pk)
    assert (public.title, public.kind_label, public.content_type, public.version, public.agency.source_id) == (
        "行政许可服务指南", "服务指南", "image/png", 2, county.agency.pk)
    assert public.sha256 == document.file.stored_file.sha256
    kinds = [(kind, payload.get("action")) for kind, payload in ledger_payloads(document)]
    assert kinds == [
        ("evaluation.document_submitted", "submit"), ("evaluation.document_reviewed", "return"),
        ("evaluation.document_submitted", "resubmit"), ("evaluation.document_reviewed", "accept"),
    ]
    # The reason, free text, is in the ledger by digest only.
    returned = ledger_payloads(document)[1][1]
    assert "未列明办理时限" not in json.dumps(returned, ensure_ascii=False) and returned["reason_sha256"]
    assert [s.action for s in selectors.document_steps(document=document)] == ["submit", "return", "resubmit",
                                                                                "accept"]


def test_a_document_not_public_is_accepted_without_a_public_row():
    county = county_make()
    document = system_document_submit(actor=county.head, kind="manual", title="执法工作手册", public=False,
                                       upload=Upload(), on=ON)
    system_document_review(actor=county.supervisor, document=document, action="accept", on=ON)
    assert not PublicSystemDocument.objects.exists()


def test_an_accepted_revision_replaces_the_public_row_which_stays_until_then():
    county = county_make()
    document = system_document_submit(actor=county.head, kind="flow_chart", title="行政处罚流程图", public=True,
                                       upload=Upload(), on=ON)
    system_document_review(actor=county.supervisor, document=document, action="accept", on=ON)
    first = PublicSystemDocument.objects.get().sha256
    system_document_resubmit(actor=county.head, document=document, upload=Upload(PNG, "流程图.png"), on=ON)
    assert PublicSystemDocument.objects.get().sha256 == first  # still the accepted version
    system_document_review(actor=county.supervisor, document=document, action="accept", on=ON)
    public = PublicSystemDocument.objects.get()
    assert (public.version, public.content_type) == (2, "image/png") and public.sha256 != first


def test_bad_input_is_refused_with_every_reason_and_nothing_is_stored():
    county = county_make()
    with pytest.raises(Refused) as refused:
        system_document_submit(actor=county.head, kind="poster", title="", public=True,
                               upload=Upload(b"plain text, not a document", "a.pdf"), on=ON)
    by_field = {v.field: v.message for v in refused.value.violations}
    assert set(by_field) == {"kind", "title", "upload"}
    assert "PDF" in by_field["upload"] and "不看扩展名" in by_field["upload"]
    with pytest.raises(Refused) as refused:
        system_document_submit(actor=county.head, kind="rules", title="制度", public=True,
                               upload=Upload(b"", "a.pdf"), on=ON)
    assert [v.message for v in refused.value.violations] == ["上传的文件是空的，请重新选择"]
    with pytest.raises(Refused):
        system_document_submit(actor=county.head, kind="rules", title="制度", public=True, upload=None, on=ON)
    with pytest.raises(Refused) as refused:  # PostgreSQL refuses NUL: a clear reason, not an error
        system_document_submit(actor=county.head, kind="rules", title="制\x00度", public=True, upload=Upload(), on=ON)
    assert [v.field for v in refused.value.violations] == ["title"]
    assert not SystemDocument.objects.exists() and not Entry.objects.filter(kind__startswith="evaluation.").exists()


def test_a_file_over_the_size_limit_is_refused_on_the_file_field(settings):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 64
    county = county_make()
    with pytest.raises(Refused) as refused:
        system_document_submit(actor=county.head, kind="rules", title="制度", public=True,
                               upload=Upload(b"%PDF-1.4\n" + b"0" * 200), on=ON)
    [violation] = refused.value.violations
    assert violation.field == "upload" and "上限" in violation.message
    assert not SystemDocument.objects.exists()


def test_only_the_agencys_head_or_admin_submits_and_only_its_countys_supervisor_reviews():
    from sanxiang.accounts.models import Role

    county, elsewhere = county_make(), county_make(region="150627")
    officer = user_make(role=Role.OFFICER, agency=county.agency)
    with pytest.raises(Refused) as refused:
        system_document_submit(actor=officer, kind="rules", title="制度", public=True, upload=Upload(), on=ON)
    assert refused.value.violations[0].legal_basis.startswith("平台规则")
    document = system_document_submit(actor=county.head, kind="rules", title="制度", public=True, upload=Upload(),
                                       on=ON)
    for stranger in (elsewhere.supervisor, county.head, county.other_head):
        with pytest.raises(Refused):
            system_document_review(actor=stranger, document=document, action="accept", on=ON)
    with pytest.raises(Refused):  # the other agency cannot resubmit it; and nothing to resubmit while submitted
        system_document_resubmit(actor=county.other_head, document=document, upload=Upload(), on=ON)
    with pytest.raises(Refused) as refused:
        system_document_resubmit(actor=county.head, document=document, upload=Upload(), on=ON)
    assert "待司法局审查" in refused.value.violations[0].message
    document.refresh_from_db()
    assert document.state == "submitted" and document.version == 1


def test_overdue_after_the_due_date_missing_or_returned_not_resubmitted():
    """The rule: after the due date an item is overdue when nothing of its kind was submitted, or a
    document of its kind was returned and not resubmitted; waiting for review is not overdue."""
    due = dt.date(2022, 11, 30)
    kinds = document_kinds_required(on=ON)
    documents = [DocumentSnapshot(1, "rules", "accepted"), DocumentSnapshot(2, "list", "returned"),
                 DocumentSnapshot(3, "service_guide", "submitted")]
    before = checklist_items(kinds=kinds, documents=documents, due_on=due, today=due)
    assert not any(item.overdue for item in before)
    after = {i.kind.value: i for i in checklist_items(kinds=kinds, documents=documents, due_on=due,
                                                       today=due + dt.timedelta(days=1))}
    assert {k for k, i in after.items() if i.overdue} == {"list", "flow_chart", "manual"}
    assert after["list"].why == "应于2022-11-30前报送，被退回后至今未重新报送"
    assert after["manual"].why == "应于2022-11-30前报送，至今未报送"


def test_both_sides_see_the_overdue_items_and_no_agency_sees_another():
    county, elsewhere = county_make(), county_make(region="150627")
    document = system_document_submit(actor=county.head, kind="rules", title="制度", public=True, upload=Upload(),
                                       on=ON)
    system_document_review(actor=county.supervisor, document=document, action="return", reason="缺少依据", on=ON)
    [own] = selectors.checklists(viewer=county.head, today=ON)
    assert own.agency == county.agency and {i.kind.value for i in own.overdue} == {
        "rules", "list", "service_guide", "flow_chart", "manual"}
    bureau_side = {c.agency.pk: c for c in selectors.checklists_overdue(viewer=county.supervisor, today=ON)}
    assert set(bureau_side) == {county.agency.pk, county.other.pk}  # not the other county's agency
    assert list(selectors.documents_for(viewer=county.other_head)) == []
    assert list(selectors.documents_for(viewer=elsewhere.supervisor)) == []
    assert list(selectors.documents_for(viewer=county.supervisor)) == [document]
