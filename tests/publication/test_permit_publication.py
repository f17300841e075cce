"""事后公开 of licence decisions (行政许可法第四十条; 国办发〔2018〕118号: 7 working days) and their
“双公示” rows (XK_*): a grant is drafted in its own transaction, due 7 working days after the
decision, overdue after that (the desk's alert), completed by the delivery (licence number and
validity), published on approval; a refusal is never published. The XK row is a pure function of
the decision: the native decision and the same decision imported give the same row."""

import datetime as dt
from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.procedure.dual_publicity import dual_publicity_row_problems
from sanxiang.procedure.publication_permit import (
    DecisionParty,
    PermitDecision,
    permit_dual_publicity_row,
    permit_publication_content,
)
from sanxiang.procedure.violations import Refused
from sanxiang.publication.dual_publicity import dual_publicity_rows
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft
from sanxiang.publication.permit import permit_decision_build, permit_decision_stored
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publication_approve, publication_decision_change
from sanxiang.supervision.alerts import publication_overdue_alerts
from tests.cases.support import ACT, lead_make, perform, world_make
from tests.factories import credit_code

D = dt.date
DAY = ACT.replace(month=4, day=1)


def _accepted(w, *, party=None):
    case = lead_make(w, procedure="permit", title="食品经营许可申请", party=party)
    perform(case, "permit_materials", DAY, w.officer, materials_complete=True)
    return perform(case, "permit_accept", DAY, w.officer)


@pytest.mark.django_db
def test_a_grant_is_drafted_due_in_7_working_days_completed_by_delivery_and_published_with_its_xk_row():
    w = world_make()
    case = _accepted(w)
    perform(case, "permit_grant", DAY, w.head, content="预包装食品销售", licence_name="食品经营许可证", category="普通")
    draft = PublicationDraft.objects.get(case=case)
    assert draft.decision == "permit_grant" and draft.status == DraftStatus.DRAFT
    assert draft.due_on == working_day_calendar_current().working_days_after(DAY, 7).date
    assert "118号" in draft.facts["due_basis"]
    # Overdue the day after its due day: the desk's alert names it.
    assert [a.origin for a in publication_overdue_alerts(on=draft.due_on)] == []
    late = [a for a in publication_overdue_alerts(on=draft.due_on + dt.timedelta(days=1)) if a.agency_id == w.agency.pk]
    assert [a.origin for a in late] == [f"publication_draft:{draft.pk}"]

    perform(case, "permit_deliver", DAY, w.officer, delivered_on=DAY, expires_on=D(2031, 3, 31),
            licence_number="JY11506260001234")
    draft.refresh_from_db()
    row = draft.facts["xk_row"]
    assert (row["XK_XKBH"], row["XK_YXQZ"], row["XK_YXQZI"], row["XK_ZT"]) == (
        "JY11506260001234", DAY.isoformat(), "2031-03-31", "1")
    assert row["XK_XKWS"] == "准予行政许可决定书" and "许准" in row["XK_WSH"] and row["XK_XKLB"] == "普通"
    assert dual_publicity_row_problems(row, layout="XK") == []

    # Identical rows: the decision rebuilt from the case, the one stored, and the same values "imported".
    case.refresh_from_db()
    native = permit_decision_build(case=case, decision="permit_grant")
    imported = PermitDecision(**{**native.__dict__, "party": DecisionParty(**native.party.__dict__)})
    assert permit_dual_publicity_row(native) == permit_dual_publicity_row(imported) == row
    assert permit_decision_stored(draft.facts["decision"]) == native

    # A licence decision is no 行政强制决定 in the monthly report's figures.
    from sanxiang.evaluation.report_figures import decisions_figures
    from sanxiang.procedure.evaluation.reports import ReportMonth

    figures = decisions_figures(agency_ids=[w.agency.pk], month=ReportMonth(DAY.year, DAY.month))[w.agency.pk]
    assert next(f for f in figures if f.key == "decisions.compulsory").value == 0
    # It waits in the inbox of whoever approves publications, with its due day.
    from sanxiang.web.inbox import inbox_build

    (item,) = inbox_build(user=w.head, on=DAY).group("publication").items
    assert (item.what, item.number, item.due) == ("审核准予行政许可决定的公示", case.number, draft.due_on)
    # The desk's side-by-side page shows it under a licence's labels.
    desk = Client()
    desk.force_login(w.head)
    page = desk.get(reverse("publication:draft_detail", args=[draft.pk]))
    assert page.status_code == 200 and "许可内容" in page.content.decode() and "预包装食品销售" in page.content.decode()
    # A person's edit of the rules' public text is refused; published as it stands.
    public_registry_refresh(agency_id=w.agency.pk)
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, edits={"content": "改写"})
    assert refused.value.violations[0].code == "publication.permit.edit"
    publication = publication_approve(actor=w.head, draft=draft, on=DAY + dt.timedelta(days=2))
    assert publication.decision_kind == "permit" and publication.labels["content"] == "许可内容"
    assert publication.display_until >= D(2031, 3, 31)
    exported = dual_publicity_rows(agency_ids=None, start=DAY, end=DAY, layout="XK")
    assert exported == [row]
    # The public sees it under a licence's own labels, in the list and on its page.
    portal = Client()
    detail = portal.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "许可内容" in detail and "预包装食品销售" in detail and "违法事实" not in detail
    assert publication.number in portal.get(reverse("portal:decision_list")).content.decode()

    # The desk does not withdraw it by hand: the case does (第六十九条). Revoking the licence takes
    # the grant down the same day, with the public statement, and drafts the revocation itself.
    with pytest.raises(Refused) as by_hand:
        publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=DAY, statement="撤销")
    assert by_hand.value.violations[0].code == "publication.permit.by_case" and "在案件中办理" in str(by_hand.value)
    later = DAY + dt.timedelta(days=7)
    perform(case, "permit_revoke", later, w.head, reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
            facts="提交的租赁合同系伪造", remedies="可以申请行政复议或者提起行政诉讼")
    publication.refresh_from_db()
    draft.refresh_from_db()
    assert (publication.status, draft.status, draft.change_kind) == ("withdrawn", DraftStatus.WITHDRAWN, "revoked")
    assert "被依法撤销" in publication.withdrawal_statement and publication.withdrawn_on == later
    revocation = PublicationDraft.objects.get(case=case, decision="permit_revoke")
    assert revocation.facts["xk_row"]["XK_ZT"] == "2" and revocation.facts["xk_row"]["XK_XKWS"] == "撤销行政许可决定书"
    assert dual_publicity_rows(agency_ids=None, start=DAY, end=DAY, layout="XK") == []


@pytest.mark.django_db
def test_every_change_and_renewal_of_a_licence_is_published_each_under_its_own_document():
    """行政许可法第四十条; 118号: each decision on the licence is published within 7 working days. A
    second change (or renewal) is a decision of its own with its own 文号: it gets its own draft and
    publication, instead of being lost behind the first one's (one draft per case and kind)."""
    w = world_make()
    case = _accepted(w)
    perform(case, "permit_grant", DAY, w.head, content="预包装食品销售", licence_name="食品经营许可证")
    perform(case, "permit_deliver", DAY, w.officer, delivered_on=DAY, expires_on=D(2031, 3, 31),
            licence_number="JY11506260001234")
    public_registry_refresh(agency_id=w.agency.pk)
    numbers = []
    for n, content in enumerate(("增加冷藏冷冻食品销售", "增加散装食品销售"), start=1):
        on = DAY + dt.timedelta(days=7 * n)
        perform(case, "permit_change", on, w.head, content=content)
        [draft] = PublicationDraft.objects.filter(case=case, decision="permit_change", status=DraftStatus.DRAFT)
        assert draft.document_number and draft.document_number not in numbers
        assert draft.facts["decision"]["number"] == draft.document_number and draft.public["content"] == content
        assert draft.due_on == working_day_calendar_current().working_days_after(on, 7).date
        publication = publication_approve(actor=w.head, draft=draft, on=on)
        assert (publication.number, publication.content) == (draft.document_number, content)
        numbers.append(draft.document_number)
    for n in (1, 2):
        on = D(2031, 1, 6) + dt.timedelta(days=7 * n)
        perform(case, "permit_renewal_apply", on, w.officer, applied_on=on)
        perform(case, "permit_renew", on, w.head, renewed_until=D(2031 + 5 * n, 3, 31))
    renewals = PublicationDraft.objects.filter(case=case, decision="permit_renewal").order_by("pk")
    assert [d.facts["decision"]["valid_until"] for d in renewals] == ["2036-03-31", "2041-03-31"]
    assert len({d.document_number for d in renewals}) == 2
    # Both changes are public side by side, each under its own number; the grant's draft is one.
    public = Publication.objects.filter(decision_kind="permit", title="变更行政许可决定书")
    assert sorted(public.values_list("number", flat=True)) == sorted(numbers)
    assert PublicationDraft.objects.filter(case=case, decision="permit_grant").count() == 1
    # The migration that added the key fills it for the drafts made before, from their facts.
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sanxiang.publication.migrations.0019_draft_document_number")
    expected = dict(PublicationDraft.objects.filter(case=case).values_list("pk", "document_number"))
    PublicationDraft.objects.filter(case=case, decision="permit_grant").update(document_number="")
    migration.number_fill(apps, None)
    assert dict(PublicationDraft.objects.filter(case=case).values_list("pk", "document_number")) == expected


@pytest.mark.django_db
def test_a_refusal_is_not_published():
    """第四十条 asks for the grants only: a 不予行政许可 decision makes no draft (a platform rule)."""
    w = world_make()
    case = _accepted(w)
    perform(case, "permit_refuse", DAY, w.head, reasons="经营场所不符合要求", remedies="可以申请行政复议或者提起行政诉讼")
    case.refresh_from_db()
    assert case.state == "refused" and not PublicationDraft.objects.filter(case=case).exists()
    assert not Publication.objects.filter(decision_kind="permit").exists()


AGENCY_CODE = credit_code(serial=1)
NAMES = st.text(alphabet="张王李赵刘陈杨黄某三四五", min_size=2, max_size=4)


@settings(max_examples=40, deadline=None)
@given(name=NAMES, ending=st.booleans(), phone=st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_natural_persons_row_is_valid_and_never_carries_the_id_number_phone_or_address(name, ending, phone):
    person = DecisionParty(kind="natural_person", name=name, id_number="150626198005200012", address="嘎鲁图镇团结路12号",
                         phone=phone)
    decision = PermitDecision(
        decision="permit_revoke" if ending else "permit_grant", decided_on=D(2026, 4, 1), number="乌市监许准〔2026〕3号",
        agency_name="乌审旗市场监督管理局", agency_credit_code=AGENCY_CODE, party=person,
        matter="食品经营许可", reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
        content=f"准予从事预包装食品销售（联系电话{phone}，住址嘎鲁图镇团结路12号，身份证150626198005200012）",
    )
    row = permit_dual_publicity_row(decision)
    assert dual_publicity_row_problems(row, layout="XK") == []
    text = "".join(row.values())
    assert phone not in text and "150626198005200012" not in text and "团结路12号" not in text
    assert row["XK_XDR_MC"] == name and row["XK_XDR_SHXYM"] == "" and row["XK_ZT"] == ("2" if ending else "1")
    assert permit_publication_content(replace(decision)).public == permit_publication_content(decision).public


@pytest.mark.django_db
def test_a_cancelled_licence_keeps_its_grant_public_only_a_revocation_takes_it_down():
    """注销 (第七十条) and 撤回 (第八条) end a licence lawfully granted: the grant stays public beside the
    ending decision; only 撤销 (第六十九条, the grant unlawful) takes it down (118号: 撤销的 … 撤下)."""

    w = world_make()
    case = _accepted(w)
    perform(case, "permit_grant", DAY, w.head, content="预包装食品销售", licence_name="食品经营许可证", category="普通")
    perform(case, "permit_deliver", DAY, w.officer, delivered_on=DAY, expires_on=D(2031, 3, 31),
            licence_number="JY11506260001234")
    draft = PublicationDraft.objects.get(case=case, decision="permit_grant")
    public_registry_refresh(agency_id=w.agency.pk)
    publication = publication_approve(actor=w.head, draft=draft, on=DAY + dt.timedelta(days=2))
    case.refresh_from_db()
    reason = "法人或者其他组织依法终止"
    perform(case, "permit_cancel", DAY + dt.timedelta(days=30), w.head, reason=reason, facts="被许可人已依法注销登记")
    publication.refresh_from_db()
    draft.refresh_from_db()
    assert publication.status == "published" and draft.status == DraftStatus.PUBLISHED
    cancellation = PublicationDraft.objects.get(case=case, decision="permit_cancel")
    assert cancellation.facts["xk_row"]["XK_ZT"] == "2"  # the ending decision says the licence no longer stands


@pytest.mark.django_db
def test_a_grant_to_a_natural_person_taken_down_on_revocation_no_longer_names_him():
    """As every withdrawn decision (review r3 F4): the grant taken down names its holder nowhere,
    whose name the case's title may carry as well."""
    from sanxiang.registry import services as registry
    from tests.factories import id_number

    w = world_make()
    person = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name="王大明",
                                   id_type="resident_id_card", id_number=id_number(birth=D(1980, 6, 1)),
                                   address="乌审旗嘎鲁图镇团结路3号")
    case = lead_make(w, procedure="permit", title="王大明食品经营许可申请", party=person)
    perform(case, "permit_materials", DAY, w.officer, materials_complete=True)
    case = perform(case, "permit_accept", DAY, w.officer)
    perform(case, "permit_grant", DAY, w.head, content="预包装食品销售", licence_name="食品经营许可证", category="普通")
    perform(case, "permit_deliver", DAY, w.officer, delivered_on=DAY, expires_on=D(2031, 3, 31),
            licence_number="JY11506260001234")
    draft = PublicationDraft.objects.get(case=case, decision="permit_grant")
    public_registry_refresh(agency_id=w.agency.pk)
    publication = publication_approve(actor=w.head, draft=draft, on=DAY + dt.timedelta(days=2))
    assert publication.party_name == "王大明"
    perform(case, "permit_revoke", DAY + dt.timedelta(days=7), w.head, reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
            facts="提交的租赁合同系伪造", remedies="可以申请行政复议或者提起行政诉讼")
    publication.refresh_from_db()
    assert publication.status == "withdrawn" and publication.party_name == "王某某"
    assert all("王大明" not in str(getattr(publication, f)) for f in
               ("title", "party_name", "violation_type", "content", "withdrawal_statement"))
