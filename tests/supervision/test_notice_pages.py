"""The pages of person-level proposals (《行政执法监督条例》第三十二条), referrals to the 监察机关
(第三十三条) and 通报 (第三十一条): the pair named on each form, every reason beside its field or
its button, confirmation before what cannot be undone, CSRF checks on, agencies see only what
concerns them, every read of an instrument, a proposal or a 通报 access-logged, bounded queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.supervision.instrument_services import (
    instrument_issue,
    notice_draft,
    personal_propose,
    referral_record,
)
from sanxiang.supervision.models import Notice, PersonalProposal, Referral
from tests.factories import agency_make, officer_make, user_make
from tests.querycount import queries_counted
from tests.supervision.instruments_support import desk_with_matter, matter_make_for_tests

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, page_url: str, url: str, data: dict):
    html = client.get(page_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def errors_beside(html: str, field: str) -> str:
    """The error list Django renders just before the field's input (form.as_p)."""
    match = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>\s*<p>\s*<label for="id_' + field, html, re.S)
    return match.group(1) if match else ""


def test_a_proposal_from_an_instrument_is_made_by_the_pair_and_the_decision_revokes_the_certificate():
    """第三十二条: proposed by two supervisors; the competent body's decision recorded (confirmed),
    which revokes the certificate (取消执法资格); the agency's head sees it, another agency's does not."""
    desk, matter, head = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="钱执法")
    officer_make(agency=agency_make(name="别的局"), name="孙外人")  # not offered: another agency's officer
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题",
                                  supervisors=[desk.first, desk.second])
    supervisor = client_for(desk.first)
    detail = supervisor.get(instrument.get_absolute_url()).content.decode()
    url = reverse("supervision:proposal_new") + f"?instrument={instrument.pk}"
    assert url.replace("&", "&amp;") in detail or url in detail  # the link from the instrument page
    form = supervisor.get(url).content.decode()
    assert "钱执法" in form and "孙外人" not in form
    data = {"officer": officer.pk, "measure": "disqualification", "reasons": "多次未出示执法证",
            "competent_body": "乌审旗人民政府", "second": ""}
    assert supervisor.post(url, {**data, "second": desk.second.pk}).status_code == 403  # no CSRF token
    # Alone: refused, the pair rule beside the colleague's field, the input kept, nothing written.
    response = post(supervisor, url, url, data)
    html = response.content.decode()
    assert response.status_code == 400 and not PersonalProposal.objects.exists()
    assert "2名以上" in errors_beside(html, "second") and "多次未出示执法证" in html
    # Empty reasons: beside the field.
    response = post(supervisor, url, url, {**data, "reasons": "", "second": desk.second.pk})
    assert response.status_code == 400 and "必填" in errors_beside(response.content.decode(), "reasons")
    response = post(supervisor, url, url, {**data, "second": desk.second.pk})
    proposal = PersonalProposal.objects.get()
    page_url = reverse("supervision:proposal_detail", args=[proposal.pk])
    assert response.status_code == 302 and response["Location"] == page_url
    page = supervisor.get(page_url).content.decode()
    assert "取消执法资格" in page and "data-confirm" in page and "执法证将被注销" in page
    decide = reverse("supervision:proposal_decide", args=[proposal.pk])
    # A decision dated before the proposal: refused beside the date; the certificate unchanged.
    response = post(supervisor, page_url, decide, {"adopted": "1", "decided_on": "2020-01-01", "decision": "同意",
                                                       "second": desk.second.pk})
    assert response.status_code == 400 and "决定日期应当在提出建议之后" in errors_beside(response.content.decode(), "decided_on")
    assert officer.certificates.get().status == "valid"
    response = post(supervisor, page_url, decide, {"adopted": "1", "decided_on": TODAY.isoformat(), "decision": "同意",
                                                       "second": desk.second.pk})
    assert response.status_code == 302 and officer.certificates.get().status == "revoked"
    assert "已采纳" in supervisor.get(page_url).content.decode()
    # The agency's head sees the proposal about their officer; another agency's head does not.
    head_client = client_for(head)
    assert "钱执法" in head_client.get(reverse("supervision:proposal_list")).content.decode()
    assert head_client.get(page_url).status_code == 200
    stranger = client_for(user_make(role=Role.AGENCY_HEAD, agency=agency_make()))
    assert "钱执法" not in stranger.get(reverse("supervision:proposal_list")).content.decode()
    assert stranger.get(page_url).status_code == 404
    # Officers cannot record decisions.
    assert client_for(user_make(role=Role.OFFICER, agency=desk.agency)).get(page_url).status_code == 404
    # Each read of the proposal is access-logged.
    assert AccessLogEntry.objects.filter(object_kind="supervision.proposal", object_id=str(proposal.pk)).count() >= 3


def test_a_referral_to_the_supervisory_commission_is_logged_from_the_matter():
    """第三十三条: the transfer is recorded with what, to whom, when and the reference number."""
    desk, matter, head = desk_with_matter()
    supervisor = client_for(desk.first)
    url = reverse("supervision:referral_new") + f"?matter={matter.pk}"
    assert "data-confirm" in supervisor.get(url).content.decode()
    data = {"what": "执法人员涉嫌收受财物", "to_body": "乌审旗监察委员会", "reference_number": "乌司移〔2026〕1号",
            "referred_on": "明天", "second": desk.second.pk}
    response = post(supervisor, url, url, data)
    assert response.status_code == 400 and "日期格式不正确" in errors_beside(response.content.decode(), "referred_on")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = post(supervisor, url, url, {**data, "referred_on": tomorrow})
    assert response.status_code == 400 and "不能晚于今日" in errors_beside(response.content.decode(), "referred_on")
    assert not Referral.objects.exists()
    response = post(supervisor, url, url, {**data, "referred_on": TODAY.isoformat()})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.ledger_seq is not None  # in the ledger
    listing = supervisor.get(reverse("supervision:referral_list")).content.decode()
    assert "乌司移〔2026〕1号" in listing and "乌审旗监察委员会" in listing
    assert client_for(head).get(reverse("supervision:referral_list")).status_code == 403
    assert client_for(head).get(url).status_code == 403


def test_a_notice_is_approved_by_a_second_supervisor_and_the_named_agencies_see_an_internal_one():
    """第三十一条: the drafter cannot approve (the reason beside the button, and the POST refused);
    a second supervisor approves; an internal 通报 is seen by the agencies it names only."""
    desk, _matter, head = desk_with_matter()
    other = agency_make(name="未通报局")
    drafter = client_for(desk.first)
    url = reverse("supervision:notice_new")
    form = drafter.get(url).content.decode()
    assert desk.agency.name in form and desk.bureau.name not in re.sub(r"<header.*?</header>", "", form, flags=re.S)
    response = post(drafter, url, url, {"scope": "internal", "title": "", "body": "正文"})
    html = response.content.decode()
    assert response.status_code == 400 and "必填" in errors_beside(html, "title") and not Notice.objects.exists()
    response = post(drafter, url, url, {"scope": "internal", "agencies": [desk.agency.pk], "title": "关于执法公示的通报",
                                         "body": "部分单位未按期公示。", "indicators": "按期公示率 80%"})
    notice = Notice.objects.get()
    page_url = reverse("supervision:notice_detail", args=[notice.pk])
    assert response.status_code == 302 and response["Location"] == page_url
    page = drafter.get(page_url).content.decode()
    assert "通报须由起草人以外的监督人员或者负责人审核批准" in page and "disabled" in page
    approve = reverse("supervision:notice_approve", args=[notice.pk])
    response = post(drafter, page_url, approve, {})
    assert response.status_code == 400 and "起草人以外" in response.content.decode()
    notice.refresh_from_db()
    assert notice.approved_on is None
    # Before approval the named agency sees nothing.
    head_client = client_for(head)
    assert head_client.get(page_url).status_code == 404
    second = client_for(desk.second)
    assert "disabled" not in second.get(page_url).content.decode()
    assert post(second, page_url, approve, {}).status_code == 302
    notice.refresh_from_db()
    assert notice.approved_by_id == desk.second.pk
    assert "关于执法公示的通报" in head_client.get(reverse("supervision:notice_list")).content.decode()
    assert "按期公示率" in head_client.get(page_url).content.decode()
    stranger = client_for(user_make(role=Role.OFFICER, agency=other))
    assert "关于执法公示的通报" not in stranger.get(reverse("supervision:notice_list")).content.decode()
    assert stranger.get(page_url).status_code == 404
    assert AccessLogEntry.objects.filter(object_kind="supervision.notice", object_id=str(notice.pk)).exists()


def test_a_public_notice_is_confirmed_before_publishing_and_reaches_the_portal(client):
    desk, matter, _ = desk_with_matter()
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="公开通报一则", body="某单位逾期未公示。",
                          scope="public", agencies=[desk.agency], matters=[matter])
    page_url = reverse("supervision:notice_detail", args=[notice.pk])
    second = client_for(desk.second)
    assert "确定批准并公开" in second.get(page_url).content.decode()
    assert "公开通报一则" not in client.get(reverse("portal:supervision_notice_list")).content.decode()
    assert post(second, page_url, reverse("supervision:notice_approve", args=[notice.pk]), {}).status_code == 302
    assert "公开通报一则" in client.get(reverse("portal:supervision_notice_list")).content.decode()


def test_reading_an_instrument_page_is_access_logged():
    desk, matter, head = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题",
                                  supervisors=[desk.first, desk.second])
    assert client_for(head).get(instrument.get_absolute_url()).status_code == 200
    entry = AccessLogEntry.objects.get(object_kind="supervision_instrument", object_id=str(instrument.pk))
    assert entry.user_id == head.pk and entry.action == "view"
    # A refused read (another agency) is no access.
    assert client_for(user_make(role=Role.AGENCY_HEAD, agency=agency_make())).get(
        instrument.get_absolute_url()).status_code == 404
    assert AccessLogEntry.objects.filter(object_kind="supervision_instrument").count() == 1


def _rows(desk, head, n: int) -> None:
    for i in range(n):
        matter = matter_make_for_tests(desk=desk)
        officer = officer_make(agency=desk.agency, name=f"执法员{i}")
        personal_propose(actor=desk.first, matter=matter, officer=officer, measure="criticism", reasons="理由",
                         competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
        referral_record(actor=desk.first, matter=matter, what="线索", to_body="监察委员会", referred_on=TODAY,
                        reference_number=f"移{i}", supervisors=[desk.first, desk.second])
        notice_draft(actor=desk.first, bureau=desk.bureau, title=f"通报{i}", body="正文", scope="internal",
                     agencies=[desk.agency], matters=[matter])


@pytest.mark.parametrize("name", ["supervision:proposal_list", "supervision:referral_list", "supervision:notice_list"])
def test_the_lists_cost_the_same_queries_for_one_row_and_ten(name):
    counts = []
    for n in (1, 10):
        desk, _, head = desk_with_matter()
        _rows(desk, head, n)
        client = client_for(desk.first)
        client.get(reverse(name))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts.append(queries_counted(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_inbox_of_the_other_supervisor_shows_the_notice_to_approve_and_the_drafters_does_not():
    from sanxiang.supervision.instrument_services import notice_approve
    from sanxiang.web.inbox import inbox_build, inbox_count

    desk, _, head = desk_with_matter()
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="待批通报", body="正文", scope="internal",
                          agencies=[desk.agency])

    def titles(user):
        group = [g for g in inbox_build(user=user).groups if g.kind == "supervision_notice"]
        return [i.title for g in group for i in g.items]

    assert titles(desk.second) == ["待批通报"] and inbox_count(user=desk.second) == 1
    assert titles(desk.first) == [] and inbox_count(user=desk.first) == 0  # the drafter cannot approve it
    assert titles(head) == []
    notice_approve(actor=desk.second, notice=notice)
    assert titles(desk.second) == [] and inbox_count(user=desk.second) == 0


def latin_words(html: str) -> set[str]:
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    return set(re.findall(r"(?<![\w/=\"'-])[A-Za-z]{2,}(?![\w/=\"'-])", re.sub(r"<[^>]+>", " ", main)))


def test_every_page_is_in_chinese_only():
    desk, matter, head = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="钱执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="removal", reasons="理由",
                                competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
    referral_record(actor=desk.first, matter=matter, what="线索", to_body="监察委员会", referred_on=TODAY,
                    reference_number="移1", supervisors=[desk.first, desk.second])
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="通报", body="正文", scope="public",
                          agencies=[desk.agency], matters=[matter])
    supervisor = client_for(desk.first)
    urls = [reverse("supervision:proposal_list"), reverse("supervision:proposal_new") + f"?matter={matter.pk}",
            reverse("supervision:proposal_detail", args=[proposal.pk]), reverse("supervision:referral_list"),
            reverse("supervision:referral_new") + f"?matter={matter.pk}", reverse("supervision:notice_list"),
            reverse("supervision:notice_new"), reverse("supervision:notice_detail", args=[notice.pk])]
    for url in urls:
        response = supervisor.get(url)
        assert response.status_code == 200, url
        assert latin_words(response.content.decode()) == set(), url
    # A refused form too (every reason in Chinese).
    url = reverse("supervision:proposal_new") + f"?matter={matter.pk}"
    html = post(supervisor, url, url, {"officer": "x", "measure": "nonsense", "reasons": "", "competent_body": ""}
                ).content.decode()
    assert "请选择" in html and latin_words(html) == set()
    assert latin_words(client_for(head).get(reverse("supervision:proposal_list")).content.decode()) == set()
