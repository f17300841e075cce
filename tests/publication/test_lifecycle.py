"""事后公开 from decision to take-down: the draft a decision creates, the deadlines the calendar
computes, the side-by-side approval, the withdrawal, and the automatic take-down.

Dates: a decision on Wed 2026-03-25 is due for publication 7 working days later, Fri 04-03 (清明:
04-04 to 04-06 are rest days). A decision revoked on Thu 04-02 must be withdrawn by Wed 04-08.
"""

import json
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.cases.facts import facts_dump
from sanxiang.cases.selectors import case_texts
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.penalty.texts import HearingTexts, PartyTexts
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.selectors import publication_alerts
from sanxiang.publication.services import (
    publication_approve,
    publication_correct,
    publication_decision_change,
    publications_expire,
)
from sanxiang.registry import services as registry
from tests.cases.support import (
    FIRST_DECISION_DAY,
    LAW,
    PENALTY,
    D,
    lead_make,
    perform,
    to_decided,
    to_notified,
    world_make,
)
from tests.factories import id_number

pytestmark = pytest.mark.django_db
DUE = D(2026, 4, 3)


def texts_change(case, **changes) -> None:
    """Change the case's typed texts as no step does (what a document in the file shows)."""
    case.details = {**case.details, "texts": facts_dump(replace(case_texts(case), **changes))}
    case.save(update_fields=["details"])


@pytest.fixture
def w():
    return world_make()


def payloads(kind: str, case_id: int) -> list[dict]:
    bodies = Entry.objects.filter(kind=kind, case_id=case_id).order_by("seq").values_list("body", flat=True)
    return [json.loads(bytes(b))["payload"] for b in bodies]


def test_a_decision_creates_a_redacted_draft_due_in_seven_working_days(w):
    """国办发〔2018〕118号: penalty decisions are published within 7 working days."""
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    assert draft.status == DraftStatus.DRAFT
    assert draft.due_on == DUE
    assert payloads(EventKind.PUBLICATION_DRAFTED, case.pk)[0]["due_on"] == "2026-04-03"
    # Kept: the company's own name, its credit code and legal representative. Hidden: the
    # interviewee (a third party) wherever the texts name him.
    assert draft.public["party_name"] == w.company.name
    assert draft.public["party_credit_code"] == w.company.credit_code
    assert draft.public["legal_representative"] == "巴特尔"


def test_a_draft_published_on_time_and_one_overdue(w):
    on_time = to_decided(w)
    late = to_decided(w, lead_make(w, title="涉嫌销售过期饮料案"))
    publication = publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=on_time), on=D(2026, 4, 2))
    assert publication.status == PublicationStatus.PUBLISHED and publication.published_on == D(2026, 4, 2)
    assert payloads(EventKind.PUBLICATION, on_time.pk)[0]["late"] is False
    # On the due day nothing is overdue; the next working day, the other draft is, for the agency
    # and for the supervisors.
    assert publication_alerts(viewer=w.head, on=DUE).count == 0
    alerts = publication_alerts(viewer=w.supervisor, on=D(2026, 4, 7))
    assert [(a.draft.case_id, a.what, a.days_late) for a in alerts] == [(late.pk, "公示", 4)]
    assert publication_alerts(viewer=w.supervisor, on=D(2026, 4, 7)).count == 1
    assert [a.draft.case_id for a in publication_alerts(viewer=w.officer, on=D(2026, 4, 7))] == [late.pk]
    late_publication = publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=late), on=D(2026, 4, 8))
    assert payloads(EventKind.PUBLICATION, late.pk)[0]["late"] is True
    # 3 months from the decision (not from the late publication): a fine of 3,000元 is a 较低数额罚款.
    assert late_publication.display_until == D(2026, 6, 24)


def test_only_the_head_or_administrator_publishes(w):
    case = to_decided(w)
    with pytest.raises(PermissionDenied) as denied:
        publication_approve(actor=w.officer, draft=PublicationDraft.objects.get(case=case), on=D(2026, 4, 2))
    assert "只有本机关负责人或者管理员" in str(denied.value)
    assert not Publication.objects.exists()


def test_a_withdrawal_is_due_three_working_days_after_the_change_across_a_holiday(w):
    """第四十八条第二款: withdrawn within 3 working days, with a public statement of the reason."""
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 1))
    with pytest.raises(Refused) as refused:
        publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=D(2026, 4, 2), statement="",
                                    on=D(2026, 4, 7))
    assert refused.value.violations[0].legal_basis == f"{LAW}第四十八条第二款"
    draft = publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=D(2026, 4, 2),
                                        statement="经行政复议，原处罚决定被撤销。", on=D(2026, 4, 7))
    assert draft.withdrawal_due_on == D(2026, 4, 8)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.withdrawn_on == D(2026, 4, 7)
    assert publication.withdrawal_statement.startswith("本决定已于2026年04月02日被依法撤销。经行政复议")
    # What was published is withdrawn: only the fact of the decision and the statement stay.
    assert publication.facts == publication.content == publication.basis == ""
    entry = payloads(EventKind.WITHDRAWAL, case.pk)[0]
    assert entry["due_on"] == "2026-04-08" and entry["late"] is False


def test_publications_are_taken_down_when_their_period_ends(w):
    """The display period (公示期限) ends on 公示截止期; the next day the publication is down."""
    case = to_decided(w)
    publication = publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=D(2026, 4, 1))
    assert publication.display_until == D(2026, 6, 24)
    assert publications_expire(on=D(2026, 6, 24)) == 0
    assert publications_expire(on=D(2026, 6, 25)) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EXPIRED
    assert PublicationDraft.objects.get(case=case).status == DraftStatus.EXPIRED
    assert Entry.objects.filter(kind=EventKind.PUBLICATION_EXPIRED, subject=f"publication:{publication.pk}").count() == 1


def test_a_minors_case_is_never_published(w):
    """未成年人保护法第一百零三条 with 行政处罚法第四十八条: a party under 18 at the time of the act."""
    teen = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name="小刚", id_type="resident_id_card",
                                 id_number=id_number(birth=D(2010, 6, 1)), address="乌审旗嘎鲁图镇团结路3号")
    case = to_notified(w, lead_make(w, party=teen))
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", mitigation_recorded=True,
            **(PENALTY | {"fine_yuan": "500"}))
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    draft = PublicationDraft.objects.get(case=case)
    assert draft.status == DraftStatus.NOT_PUBLISHED
    assert [r["code"] for r in draft.refusals] == ["publication.minor"]
    assert draft.refusals[0]["legal_basis"] == (
        "《中华人民共和国未成年人保护法》第一百零三条、第二条；《中华人民共和国行政处罚法》第四十八条"
    )
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, on=D(2026, 3, 30))
    assert "publication.minor" in {v.code for v in refused.value.violations}
    assert not Publication.objects.exists()


def test_a_value_the_patterns_cannot_see_still_blocks_the_approval(w):
    """A passport number is no pattern's business, but it is the party's: the approval is refused
    while it appears in the public text, and passes once the approver hides it."""
    foreigner = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name="JOHN SMITH",
                                      id_type="passport", id_number="E98765432", address="乌审旗嘎鲁图镇团结路8号")
    case = lead_make(w, party=foreigner)
    texts_change(case, party=PartyTexts(birth_date=D(1980, 1, 1)))  # from the passport
    case = to_notified(w, case)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    draft = PublicationDraft.objects.get(case=case)
    facts = draft.public["facts"] + "（护照号码E98765432）"
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, edits={"facts": facts}, on=D(2026, 3, 30))
    assert {v.code for v in refused.value.violations} == {"publication.leak"}
    publication = publication_approve(actor=w.head, draft=draft, edits={"facts": draft.public["facts"]}, on=D(2026, 3, 30))
    assert "E98765432" not in publication.facts


# --- found in review, each closed ---------------------------------------------------------------


def test_the_withdrawal_statement_is_redacted_and_only_its_digest_goes_to_the_ledger(w):
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 1))
    publication_decision_change(actor=w.head, draft=draft, kind="changed", changed_on=D(2026, 4, 2), on=D(2026, 4, 3),
                                statement="申请人代理人联系电话13912345678，身份证150626198005201238。")
    publication.refresh_from_db()
    assert "13912345678" not in publication.withdrawal_statement
    assert "150626198005201238" not in publication.withdrawal_statement
    entry = payloads(EventKind.WITHDRAWAL, case.pk)[0]
    assert "statement" not in entry and len(entry["statement_sha256"]) == 64


def test_a_change_before_the_decision_is_refused(w):
    draft = PublicationDraft.objects.get(case=to_decided(w))
    with pytest.raises(Refused) as refused:
        publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=D(2002, 5, 1),
                                    statement="撤销", on=D(2026, 4, 3))
    assert {v.code for v in refused.value.violations} == {"publication.change_before_decision"}


def test_hearing_attendees_with_their_role_are_masked(w):
    """A line "王小五（委托代理人）" names 王小五: he is a third party, hidden wherever he appears."""
    case = to_notified(w)
    texts_change(case, hearing=HearingTexts(attendees=("王小五（委托代理人）", "敖其尔巴特尔其木格")),
                 findings=replace(case_texts(case).findings, facts="当事人的代理人王小五、证人敖其尔巴特尔其木格到场陈述。"))
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    facts = PublicationDraft.objects.get(case=case).public["facts"]
    assert "王小五" not in facts and "敖其尔巴特尔其木格" not in facts and "王某某" in facts


def test_a_case_heard_in_private_for_secrets_or_privacy_is_not_published(w):
    """《政府信息公开条例》第十四条、第十五条: a hearing held in private marks the case."""
    case = to_notified(w)
    texts_change(case, hearing=HearingTexts(public=False))
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    draft = PublicationDraft.objects.get(case=case)
    assert draft.status == DraftStatus.NOT_PUBLISHED
    assert [r["code"] for r in draft.refusals] == ["publication.secrets"]


def test_a_published_text_is_corrected_with_a_reason_and_never_unredacted(w):
    """§1.1 (更正) and 《市场监督管理行政处罚信息公示规定》第十二条: an inaccurate text is corrected, not
    withdrawn; the correction goes through the redaction and into the ledger with its reason's digest."""
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 1))
    with pytest.raises(Refused) as refused:
        publication_correct(actor=w.head, draft=draft, edits={"facts": "更正后的事实"}, reason="")
    assert {v.code for v in refused.value.violations} == {"publication.reason_missing"}
    publication_correct(actor=w.head, draft=draft, reason="违法事实表述有误",
                        edits={"facts": "当事人陈列销售超过保质期的纯牛奶12箱，联系人电话13912345678。"})
    publication.refresh_from_db()
    assert publication.facts.startswith("当事人陈列销售超过保质期的纯牛奶12箱") and "13912345678" not in publication.facts
    entry = payloads(EventKind.PUBLICATION_CORRECTED, case.pk)[0]
    assert entry["fields"] == ["facts"] and len(entry["reason_sha256"]) == 64


# --- review r3 F4: a withdrawn decision of a natural person kept his name in its title -------------------


def _public_pages(publication) -> dict[str, str]:
    """What the public reads of `publication`: the list, its page, the three feeds and the public API."""
    from django.test import Client

    client = Client()
    pages = {url: client.get(url) for url in ("/decisions/", f"/decisions/{publication.pk}/", "/decisions/feed.json",
                                              "/decisions/feed.rss", "/decisions/feed.atom",
                                              "/api/public/decisions", f"/api/public/decisions/{publication.pk}")}
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(pages, 200)
    # JSON may escape the characters ("\u738b"): read as the reader's program does.
    return {url: json.dumps(r.json(), ensure_ascii=False) if "json" in r["Content-Type"] else r.content.decode()
            for url, r in pages.items()}


def test_a_withdrawn_decision_of_a_natural_person_names_him_nowhere_public(w):
    person = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name="王大明",
                                   id_type="resident_id_card", id_number=id_number(birth=D(1980, 6, 1)),
                                   address="乌审旗嘎鲁图镇团结路3号")
    # A case title as counties write them: the party, then the act; no matter, so the 违法行为类型
    # is the title's words too.
    case = to_decided(w, lead_make(w, party=person, title="王大明涉嫌经营超过保质期的食品案"))
    draft = PublicationDraft.objects.get(case=case)
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 1))
    # Published under his name while in force (the law allows it).
    assert publication.party_name == "王大明" and "王大明" in publication.title
    # The fixtures' dates are in March 2026: seen as within the display period, as the public sees a
    # withdrawal made within it.
    Publication.objects.filter(pk=publication.pk).update(display_until=D(2099, 1, 1))
    assert all("王大明" in page for page in _public_pages(publication).values())
    publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=D(2026, 4, 2),
                                statement="经行政复议，王大明的处罚决定被撤销。", on=D(2026, 4, 7))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    assert (publication.party_name, publication.title) == ("王某某", "王某某涉嫌经营超过保质期的食品案")
    assert publication.violation_type == "王某某涉嫌经营超过保质期的食品"
    assert publication.withdrawal_statement.endswith("经行政复议，王某某的处罚决定被撤销。")
    assert {url for url, page in _public_pages(publication).items() if "王大明" in page} == set()
    assert "王某某涉嫌经营超过保质期的食品案" in _public_pages(publication)[f"/decisions/{publication.pk}/"]
    # The internal records keep what they keep: the case, and the draft's originals.
    case.refresh_from_db()
    assert case.title == "王大明涉嫌经营超过保质期的食品案"


def test_a_withdrawn_decision_of_a_company_keeps_its_name(w):
    case = to_decided(w, lead_make(w, title=f"{w.company.name}涉嫌经营超过保质期的食品案"))
    draft = PublicationDraft.objects.get(case=case)
    publication = publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 1))
    publication_decision_change(actor=w.head, draft=draft, kind="revoked", changed_on=D(2026, 4, 2),
                                statement="经行政复议，原处罚决定被撤销。", on=D(2026, 4, 7))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    assert publication.party_name == w.company.name and publication.title.startswith(w.company.name)
