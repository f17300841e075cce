"""The articles a page cites come from `procedure.citations` through the view (the CI rule
`tests/ci/test_law_in_procedure.py` now reads templates too): the registration page's 简易程序
(行政处罚法第五十一条), the case page's collective discussion (第五十七条第二款) and the publication
draft's withdrawal (第四十八条第二款) show the citation the procedure package holds."""

import pytest
from django.urls import reverse

from sanxiang.procedure import citations
from sanxiang.publication.models import PublicationDraft
from sanxiang.publication.services import publication_approve
from tests.cases.support import FIRST_DECISION_DAY, PENALTY, D, perform, to_decided, to_notified, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_registration_page_cites_the_summary_procedure_from_procedure(client, w):
    assert citations.SUMMARY_PROCEDURE == "《中华人民共和国行政处罚法》第五十一条"
    html = page(client, w.officer, reverse("cases:case_create"))
    assert f"简易程序用于当场作出的警告或者小额罚款（{citations.SUMMARY_PROCEDURE}）" in html


def test_a_case_for_collective_discussion_cites_article_57_from_procedure(client, w):
    # 减轻处罚 below the discretion standard makes the case major: the leaders discuss it (第五十七条第二款).
    case = perform(to_notified(w), "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty",
                   discretion="mitigated", reasoning="当事人主动消除违法后果，依法减轻处罚。", **PENALTY)
    html = page(client, w.officer, case.get_absolute_url())
    assert citations.COLLECTIVE_DISCUSSION == "《中华人民共和国行政处罚法》第五十七条第二款"
    assert f"须经机关负责人集体讨论决定（{citations.COLLECTIVE_DISCUSSION}）" in html


def test_a_published_draft_cites_the_withdrawal_article_from_procedure(client, w):
    draft = PublicationDraft.objects.get(case=to_decided(w))
    publication_approve(actor=w.head, draft=draft, on=D(2026, 4, 2))
    html = page(client, w.head, reverse("publication:draft_detail", args=[draft.pk]))
    assert citations.PUBLICATION_WITHDRAWAL == "《中华人民共和国行政处罚法》第四十八条第二款"
    assert f"撤回公示信息并公开说明理由（{citations.PUBLICATION_WITHDRAWAL}）" in html
