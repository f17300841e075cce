"""Compulsory decisions (行政强制) on the public portal: listed beside the penalties under their own
labels (执法类别, 决定种类, 理由, 执法结论 — never 处罚内容 for a seizure), found by search and by kind,
following the measure (解除), and nothing identifying a natural person, nor any frozen account,
anywhere in the public pages (list, detail, feeds, notice board). The 行政强制 rows of the annual
data show "—" where the agency has no such power."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.publication.models import AnnualReport, PublicAgency, Publication, PublicationDraft
from sanxiang.publication.services import publication_approve
from tests.cases.support import world_make
from tests.publication.test_compulsory_publication import (
    ACCOUNT,
    CONCLUSION,
    PROPOSAL,
    WITNESS,
    D,
    frozen,
    measure_case,
    perform,
    person,
    seized,
)

pytestmark = pytest.mark.django_db

PAGES = ("portal:decision_list", "portal:decision_feed_rss", "portal:decision_feed_atom", "portal:decision_feed_json")


def publish(case, head) -> Publication:
    publication = publication_approve(actor=head, draft=PublicationDraft.objects.get(case=case), on=D(2026, 3, 9))
    # The story is set in March 2026: keep it on display whatever day the tests run.
    Publication.objects.filter(pk=publication.pk).update(display_until=timezone.localdate() + dt.timedelta(days=365))
    return publication


@pytest.fixture
def w():
    return world_make()


def public_pages(client, publication: Publication) -> str:
    """Every public page that shows the decision, as one text."""
    pages = [client.get(reverse(name)).content.decode() for name in PAGES]
    pages.append(client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode())
    pages.append(client.get(reverse("portal:decision_notice"),
                            {"agency": publication.agency_id, "from": "2026-03-01", "to": "2026-03-31"}).content.decode())
    return "\n".join(pages)


def test_a_seizure_is_shown_under_its_own_labels_and_follows_its_release(client, w):
    case = seized(w)
    publication = publish(case, w.head)
    html = client.get(reverse("portal:decision_list")).content.decode()
    assert publication.number in html and '<span class="badge muted">行政强制措施</span> 扣押' in html

    detail = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    for label in ("执法类别", "决定种类", "理由", "依据", "执法结论"):
        assert f'<th scope="row">{label}</th>' in detail, label
    for label in ("处罚内容", "处罚种类", "违法事实", "处罚依据"):
        assert f'<th scope="row">{label}</th>' not in detail, label
    assert CONCLUSION in detail and PROPOSAL["reason"] in detail

    perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True)
    detail = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert f"{CONCLUSION}；已于2026年3月10日解除" in detail

    feed = client.get(reverse("portal:decision_feed_json")).json()
    (item,) = feed["items"]
    assert item["tags"] == ["扣押"] and "执法结论：" in item["content_text"] and "处罚内容" not in item["content_text"]


def test_it_is_found_by_search_and_by_kind(client, w):
    case = seized(w)
    publication = publish(case, w.head)
    for query in ("纯牛奶", "行政强制措施", "扣押"):
        html = client.get(reverse("portal:decision_list"), {"q": query}).content.decode()
        assert publication.number in html, query
    assert publication.number in client.get(reverse("portal:decision_list"), {"kind": "seizure"}).content.decode()
    assert publication.number not in client.get(reverse("portal:decision_list"), {"kind": "fine"}).content.decode()
    assert publication.number not in client.get(reverse("portal:decision_list"), {"kind": "freeze"}).content.decode()
    assert '<option value="seizure">扣押</option>' in client.get(reverse("portal:decision_list")).content.decode()


def test_no_public_page_shows_a_natural_persons_identifiers_or_a_third_party(client, w):
    citizen = person(w)
    proposal = PROPOSAL | {
        "reason": f"当事人乌日娜（公民身份号码{citizen.id_number}，电话13912345678）在其住所"
                  f"{citizen.address}存放过期纯牛奶，证人{WITNESS}在场",
    }
    case = seized(w, measure_case(w, party=citizen), proposal=proposal, party_present=False, present_person="",
                  statement="", witness=f"{WITNESS}（村委会主任）", party_signed=False)
    publication = publish(case, w.head)
    html = public_pages(client, publication)
    assert "乌日娜" in html and "过期纯牛奶" in html  # the page is really there
    for secret in (citizen.id_number, "13912345678", citizen.address, "团结路8号", WITNESS):
        assert secret not in html, secret


def test_no_public_page_shows_a_frozen_account(client, w):
    case = frozen(w)
    publication = publish(case, w.head)
    html = public_pages(client, publication)
    assert "冻结存款、汇款30000元" in html
    assert ACCOUNT not in html


def test_the_annual_page_shows_the_coercion_rows_with_a_dash_where_there_is_no_power(client):
    agency = PublicAgency.objects.create(source_id=990001, name="乌审旗市场监督管理局", kind="行政机关",
                                         refreshed_at=timezone.now())
    old = PublicAgency.objects.create(source_id=990002, name="乌审旗林业和草原局", kind="行政机关",
                                      refreshed_at=timezone.now())
    counts = {"permit": None, "penalty": 3, "coercion": 5, "levy": None, "requisition": None, "inspection": 2}
    rows = {"seal_up": 1, "seizure": 3, "freeze": None, "execution": None, "court_application": 1, "substitute": None}
    AnnualReport.objects.create(agency=agency, year=2025, counts=counts, coercion_rows=rows, published_at=timezone.now())
    # Published before the rows were counted: no row is shown for it, rather than six dashes.
    AnnualReport.objects.create(agency=old, year=2025, counts=counts | {"coercion": 0}, published_at=timezone.now())
    html = client.get(reverse("portal:annual_list"), {"year": 2025}).content.decode()
    table = html.split('data-testid="annual-coercion-rows"')[1].split("</table>")[0]
    assert "本机关强制执行" in table and "申请人民法院强制执行" in table
    assert "乌审旗市场监督管理局" in table and "乌审旗林业和草原局" not in table
    cells = [c.split("</td>")[0] for c in re.split(r"<td[^>]*>", table)[1:]]
    assert [c if c.isdigit() else "—" for c in cells] == ["1", "3", "—", "—", "1", "—"]
    assert '<span title="无此项执法职权">—</span>' in table
