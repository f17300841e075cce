"""事后公开 of the decisions of 行政征收征用 and of the other acts in the public read model (国办发〔2018〕
118号: 执法决定 other than penalties and licences within 20 working days; 政府信息公开条例第二十六条):
the decision drafts its publication in its own transaction, due 20 working days later on the
working-day calendar, overdue after that (the desk's alert); the head approves it, the portal shows
it under its own labels, a late one is marked late in the ledger; a natural person is named 某 and
their identifiers never shown (第十五条); a decision lawfully withheld (第十四条、第十五条) is never
published, with its ground; a revoked one is withdrawn with the public statement."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft
from sanxiang.publication.services import (
    publication_approve,
    publication_correct,
    publication_decision_change,
)
from sanxiang.supervision.alerts import publication_overdue_alerts
from tests.cases.support import D, perform, world_make

pytestmark = pytest.mark.django_db
DAY = D(2026, 9, 25)


def _registered(w, procedure, options, title, party):
    return case_create(actor=w.officer, agency=w.agency, title=title, procedure=procedure, party=party,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=DAY, on=DAY, options=options)


def _expropriation(w):
    case = _registered(w, "expropriation", {"expropriation_kind": "expropriation"}, "团结路棚户区改造房屋征收", w.company)
    perform(case, "expropriation_project", DAY, w.officer, purpose="团结路棚户区改造", scope="团结路12号房屋一处",
            bases=["《国有土地上房屋征收与补偿条例》第八条第五项"])
    perform(case, "expropriation_plan", DAY, w.officer, method="money", amount_yuan="500000.00")
    return perform(case, "expropriation_decide", DAY, w.head, remedies="可申请行政复议或者提起行政诉讼")


def _confirmation(w):
    case = _registered(w, "other_act", {"act_kind": "confirmation"}, "刘某工伤认定", w.citizen)
    perform(case, "other_act_draft", DAY, w.officer, bases=["《工伤保险条例》第十四条第一项"],
            content=f"认定刘某（身份证号码{w.citizen.id_number}）于2026年8月3日受到的事故伤害为工伤")
    return perform(case, "other_act_decide", DAY, w.head, remedies="可申请行政复议或者提起行政诉讼")


def test_an_expropriation_is_drafted_due_in_20_working_days_approved_and_public_on_the_portal():
    w = world_make()
    case = _expropriation(w)
    draft = PublicationDraft.objects.get(case=case)
    assert (draft.decision, draft.status, draft.is_act) == ("expropriation", DraftStatus.DRAFT, True)
    # 20 working days across National Day (10-01 to 10-07 off, Saturday 10-10 worked), with the 118号 basis.
    assert draft.due_on == working_day_calendar_current().working_days_after(DAY, 20).date == D(2026, 10, 29)
    assert "118号" in draft.facts["due_basis"] and "第二十六条" in draft.facts["due_basis"]
    assert draft.document_number == case.documents.get(kind="expropriation_decision").number
    drafted = Entry.objects.get(kind=EventKind.PUBLICATION_DRAFTED, subject=f"publication_draft:{draft.pk}")
    assert drafted.case_id == case.pk
    # Overdue the day after its due day: the desk's alert names it.
    assert [a for a in publication_overdue_alerts(on=draft.due_on) if a.agency_id == w.agency.pk] == []
    late = [a for a in publication_overdue_alerts(on=draft.due_on + dt.timedelta(days=1)) if a.agency_id == w.agency.pk]
    assert [a.origin for a in late] == [f"publication_draft:{draft.pk}"]

    # The desk's side-by-side page shows it under its own labels; it waits in the head's inbox.
    desk = Client()
    desk.force_login(w.head)
    page = desk.get(reverse("publication:draft_detail", args=[draft.pk])).content.decode()
    assert "决定内容" in page and "团结路12号房屋一处" in page
    from sanxiang.web.inbox import inbox_build

    (item,) = inbox_build(user=w.head, on=DAY).group("publication").items
    assert (item.what, item.due) == ("审核征收征用决定的公示", draft.due_on)
    # An officer may not publish; an edit of the rules' text is refused; the head approves it.
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whichever layer raises it
        publication_approve(actor=w.officer, draft=draft)
    with pytest.raises(Refused) as edited:
        publication_approve(actor=w.head, draft=draft, edits={"content": "改写"})
    assert edited.value.violations[0].code == "publication.act.edit"
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 11, 2))  # after the due day
    assert (publication.decision_kind, publication.number) == ("expropriation", draft.document_number)
    assert publication.labels["content"] == "决定内容" and publication.kinds_label == "征收决定"
    assert "团结路12号房屋一处" in publication.content and "500000元" in publication.content
    assert "团结路棚户区改造" in publication.facts and "第八条第五项" in publication.basis
    assert publication.party_name == "乌审旗草原味道餐饮有限公司" and publication.party_credit_code
    entry = Entry.objects.get(kind=EventKind.PUBLICATION, subject=f"publication:{publication.pk}")
    assert '"late":true' in bytes(entry.body).decode().replace(" ", "")  # flagged: published after the 20 days
    portal = Client()
    detail = portal.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "决定内容" in detail and "团结路12号房屋一处" in detail and "违法事实" not in detail
    assert publication.number in portal.get(reverse("portal:decision_list")).content.decode()
    # Its text follows the case: not corrected by hand.
    with pytest.raises(Refused) as corrected:
        publication_correct(actor=w.head, draft=draft, edits={"content": "x"}, reason="更正")
    assert corrected.value.violations[0].code == "publication.act.by_case"


def test_a_natural_persons_decision_names_them_masked_and_never_shows_their_identifiers():
    w = world_make()
    case = _confirmation(w)
    draft = PublicationDraft.objects.get(case=case)
    assert draft.decision == "other_act" and draft.public["kinds_label"] == "行政确认决定"
    text = "\n".join(str(v) for v in draft.public.values())
    assert w.citizen.id_number not in text and draft.public["party_name"] == "刘某"
    assert draft.public["party_kind"] == "自然人" and draft.public["party_credit_code"] == ""
    publication = publication_approve(actor=w.head, draft=draft, on=DAY)
    assert w.citizen.id_number not in publication.content and "工伤" in publication.content
    entry = Entry.objects.get(kind=EventKind.PUBLICATION, subject=f"publication:{publication.pk}")
    assert '"late":false' in bytes(entry.body).decode().replace(" ", "")
    # Revoked on 复议: withdrawn with the public statement, the content taken down.
    later = DAY + dt.timedelta(days=30)
    with pytest.raises(Refused):
        publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=later, statement="", on=later)
    publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=later,
                                statement="经行政复议，该决定被撤销", on=later)
    publication.refresh_from_db()
    assert publication.status == "withdrawn" and publication.content == "" and "被依法撤销" in publication.withdrawal_statement
    assert Entry.objects.filter(kind=EventKind.WITHDRAWAL, case_id=case.pk).count() == 1


def test_a_decision_lawfully_withheld_is_never_published_and_says_why():
    """政府信息公开条例第十四条、第十五条: the head's 依法不予公开 keeps the draft off the portal."""
    w = world_make()
    case = _confirmation(w)
    perform(case, "other_act_withhold", DAY, w.head, ground="privacy", facts="涉及病历，本人不同意公开")
    draft = PublicationDraft.objects.get(case=case)
    assert draft.status == DraftStatus.NOT_PUBLISHED
    [refusal] = draft.refusals
    assert refusal["code"] == "publication.act.withheld" and "个人隐私" in refusal["message"]
    assert "第十四条" in refusal["legal_basis"]
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, on=DAY)
    assert refused.value.violations[0].code == "publication.not_a_draft"
    assert not Publication.objects.filter(decision_kind="other_act").exists()
    assert Entry.objects.filter(kind=EventKind.PUBLICATION_NOT_PUBLISHED, subject=f"publication_draft:{draft.pk}").exists()
    # No overdue alert for a decision lawfully withheld.
    assert [a for a in publication_overdue_alerts(on=draft.due_on + dt.timedelta(days=1))
            if a.agency_id == w.agency.pk] == []
