"""Case pages: registration, the case page (actions with reasons, deadlines, documents,
timeline), performing a step through its form, downloads recorded in the access log, scoping."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.cases.models import Case, IssuedDocument
from tests.cases.support import OPEN, OPENED, D, lead_make, perform, to_decided, world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def page(client, case) -> str:
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_registers_a_case_through_the_form(client, w):
    client.force_login(w.officer)
    today = timezone.localdate()
    response = client.post(reverse("cases:case_create"), {
        "procedure": "ordinary", "title": "涉嫌无照经营案", "party": w.company.pk,
        "officers": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管", "act_date": today.isoformat(),
    })
    case = Case.objects.get(title="涉嫌无照经营案")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.state == "lead" and set(case.officers.all()) == {w.zhang, w.li}
    # A date in the future is refused with its reason beside the field.
    response = client.post(reverse("cases:case_create"), {
        "procedure": "ordinary", "title": "未来案", "party": w.company.pk, "officers": [w.zhang.pk],
        "act_date": (today.replace(year=today.year + 1)).isoformat(),
    })
    assert response.status_code == 400 and "违法行为发生日期晚于今天" in response.content.decode()


def test_the_case_page_shows_blocked_steps_with_their_reasons_and_the_head_can_act(client, w):
    case = lead_make(w)
    client.force_login(w.officer)
    html = page(client, case)
    assert 'data-testid="action-open" data-allowed="0"' in html
    assert "立案（或者不予立案）须经行政机关负责人批准，尚无负责人审批意见" in html
    assert "《中华人民共和国行政处罚法》第五十四条第二款" in html
    assert "“负责人审批立案”须由机关负责人办理" in html  # blocked for the officer, with the reason
    client.force_login(w.head)
    response = client.post(reverse("cases:case_action", args=[case.pk]), {"action": "approve_opening", "approval": "agree", "opinion": "同意立案"})
    assert response.status_code == 302
    html = page(client, case)
    assert "负责人审批立案" in html.split('data-testid="timeline"')[1]
    client.force_login(w.officer)
    assert 'data-testid="action-open" data-allowed="1"' in page(client, case)


def test_a_refused_step_shows_every_reason_and_is_a_recorded_view(client, w):
    case = lead_make(w)
    client.force_login(w.officer)
    views_before = AccessLogEntry.objects.filter(object_kind="case").count()
    response = client.post(reverse("cases:case_action", args=[case.pk]), {"action": "open", **OPEN, "violated": "\n".join(OPEN["violated"])})
    # Post/redirect/get: the refusal is shown on the case page the POST redirects to, at the step.
    assert response.status_code == 302 and response["Location"].endswith("#step-open")
    html = client.get(response["Location"]).content.decode()
    step = html.split('data-testid="action-open"')[1].split('data-testid="action-')[0]
    assert "未能办理，原因如下" in step and "尚无负责人审批意见" in step
    assert AccessLogEntry.objects.filter(object_kind="case").count() == views_before + 1
    # A form that does not parse says which field, beside it.
    client.force_login(w.head)
    response = client.post(reverse("cases:case_action", args=[case.pk]), {"action": "approve_opening"})
    assert response.status_code == 302
    step = client.get(response["Location"]).content.decode().split('data-testid="action-approve_opening"')[1]
    assert "请按各项旁的提示修改后再提交" in step and "这个字段是必填项" in step


def test_documents_are_listed_and_their_download_is_recorded(client, w):
    case = to_decided(w)
    client.force_login(w.officer)
    html = page(client, case)
    decision = IssuedDocument.objects.get(case=case, kind="decision_document")
    assert decision.number in html and reverse("cases:document_pdf", args=[decision.pk]) in html
    response = client.get(reverse("cases:document_pdf", args=[decision.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLogEntry.objects.filter(object_kind="document").latest("id")
    assert (entry.action, entry.object_id, entry.case_id) == ("download", str(decision.pk), case.pk)
    response = client.get(reverse("cases:document_docx", args=[decision.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    # Deadlines with their rule: the service of the decision is due within 7 working days.
    assert "送达决定书" in html and "第六十一条" in html


def test_supervisors_read_a_case_under_a_read_grant_and_act_on_none_other_agencies_see_nothing(client, w):
    from tests.supervision.support import read_grant_give

    case = lead_make(w)
    client.force_login(w.supervisor)
    refused = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert refused.status_code == 403 and "需经调阅" in refused.content.decode()
    read_grant_give(case=case, user=w.supervisor)
    html = page(client, case)
    assert "司法局监督人员和系统管理员可以查看案件，不能办理" in html
    assert 'data-allowed="1"' not in html
    response = client.post(reverse("cases:case_action", args=[case.pk]), {"action": "approve_opening", "approval": "agree", "opinion": "x"})
    assert response.status_code == 403
    stranger = user_make(role="officer", agency=agency_make())
    client.force_login(stranger)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:case_action", args=[case.pk]), {"action": "approve_opening"}).status_code == 404
    assert case.number not in client.get(reverse("cases:case_list")).content.decode()


def test_the_officers_home_lists_their_cases_by_nearest_deadline(client, w):
    later = to_decided(w)  # service due within 7 working days of 03-25
    sooner = lead_make(w, title="另一案件")
    perform(sooner, "approve_opening", OPENED, w.head, approval="agree", opinion="同意")
    perform(sooner, "open", D(2026, 3, 6), w.officer, **OPEN)  # decision due 90 days later: after the service
    client.force_login(w.officer)
    html = client.get(reverse("web:home")).content.decode()
    worklist = html.split('data-testid="worklist"')[1]
    assert worklist.index(later.number) < worklist.index(sooner.number)
    assert "送达决定书" in worklist and "已逾期" in worklist
