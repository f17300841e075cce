"""The plan's targets pages: the county's share now against the target and its date, the agencies
holding it back with why (each reason opening its records), an agency head's own agency only, the
司法局's campaign form (bad input answered in Chinese, nothing stored), and a cost in queries that
does not grow with the number of agencies and records."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.evaluation.models import TargetCampaign
from sanxiang.evaluation.target_services import target_snapshots_refresh
from sanxiang.publication.registry_sync import public_registry_refresh
from tests.evaluation.indicator_support import draft_make, tally_make
from tests.evaluation.target_support import county_make, documents_submit, matter_make
from tests.factories import agency_make, user_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

TARGETS = reverse("evaluation:targets")
NEW = reverse("evaluation:target_campaign_new")
RECORDS_LINK = re.compile(r'<a href="(/staff/evaluation/targets/agencies/\d+/records/\?[^"]+)">查看记录</a>')


@pytest.fixture
def county():
    return county_make(timezone.localdate())


def test_the_supervisor_sees_the_share_against_the_target_and_who_holds_it_back(client, county):
    client.force_login(county.supervisor)
    response = client.get(TARGETS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="share">33.3%' in html
    assert "目标：实施方案目标，到2023年10月31日达到<strong>100%</strong>" in html and "未达到" in html
    assert "外县戊局" not in html
    held = re.findall(r'data-testid="held-back" data-agency="(\d+)"', html)
    assert held == [str(county.d.pk), str(county.b.pk)]
    assert "1项执法事项未公开：乙新增事项" in html
    assert "未报送：制度、清单、服务指南、流程图、执法工作手册" in html
    assert "丙局" in html and "不计入" in html
    # Every reason opens the records it was judged on.
    links = [unescape(href) for href in RECORDS_LINK.findall(html)]
    assert links
    for href in links:
        page = client.get(href)
        assert page.status_code == 200, href
        assert 'data-testid="target-records"' in page.content.decode()
    # The assessment hub lists the page.
    assert TARGETS in client.get(reverse("web:evaluation_hub")).content.decode()


def test_the_records_page_lists_the_late_decision(client, county):
    client.force_login(county.supervisor)
    url = reverse("evaluation:target_records", args=[county.b.pk])
    html = client.get(url, {"kind": "penalty", "criterion": "publication_timely"}).content.decode()
    assert 'data-count="1"' in html and "逾期公示" in html and "低于95%的达标线" in html


def test_an_agency_head_sees_their_own_agency_only(client, county):
    client.force_login(county.head_b)
    html = client.get(TARGETS).content.decode()
    assert "乙局" in html and "甲局" not in html and "丁局" not in html
    assert 'data-testid="campaign-new"' not in html
    assert client.get(reverse("evaluation:target_agency", args=[county.b.pk])).status_code == 200
    assert client.get(reverse("evaluation:target_agency", args=[county.a.pk])).status_code == 404
    other = reverse("evaluation:target_records", args=[county.a.pk])
    assert client.get(other, {"kind": "penalty", "criterion": "pre_publicity"}).status_code == 404
    assert client.get(NEW).status_code == 403


def test_an_officer_cannot_open_the_targets(client, county):
    client.force_login(county.officer_a)
    assert client.get(TARGETS).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "nothing", "criterion": "pre_publicity"},
        {"kind": "penalty", "criterion": "nothing"},
        {"kind": "penalty", "criterion": "pre_publicity", "on": "2026-02-30"},
        {"kind": "penalty", "criterion": "pre_publicity", "on": "2999-01-01"},
        {"kind": "penalty", "criterion": "pre_publicity", "on": "2001-01-01"},
    ],
)
def test_bad_record_queries_get_a_chinese_error_not_a_500(client, county, query):
    client.force_login(county.supervisor)
    response = client.get(reverse("evaluation:target_records", args=[county.a.pk]), query)
    assert response.status_code == 400
    assert "查询条件有误" in response.content.decode()


def test_the_agency_page_reads_a_past_day_and_refuses_a_bad_one(client, county):
    client.force_login(county.supervisor)
    url = reverse("evaluation:target_agency", args=[county.a.pk])
    html = client.get(url).content.decode()
    assert 'data-criterion="legal_review" data-status="met"' in html
    response = client.get(url, {"on": "明天"})
    assert response.status_code == 400 and "日期有误" in response.content.decode()
    # Before the plan's parameters are in force there is nothing to judge against: refused, not a 500.
    response = client.get(url, {"on": "2020-01-01"})
    assert response.status_code == 400 and "2022年11月3日至今天之间" in response.content.decode()
    assert client.get(url, {"on": "2022-11-03"}).status_code == 200


def test_the_bureau_defines_a_campaign_through_the_form(client, county):
    client.force_login(county.supervisor)
    assert client.get(NEW).status_code == 200
    bad = client.post(
        NEW,
        {
            "title": "",
            "due_on_1": "2027-06-30",
            "percent_1": "120",
            "due_on_2": "2027-01-01",
            "percent_2": "90",
            "due_on_3": "不是日期",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    for message in (
        "请填写目标名称",
        "第1阶段的单位占比应为1至100",
        "第2阶段的期限应晚于前一阶段",
        "请填写有效的日期",
    ):
        assert message in text, message
    assert not TargetCampaign.objects.exists()
    good = client.post(NEW, {"title": "2027年目标", "due_on_1": "2099-06-30", "percent_1": "95"})
    assert good.status_code == 302 and good["Location"] == TARGETS
    html = client.get(TARGETS).content.decode()
    assert "目标：2027年目标，到2099年6月30日达到<strong>95%</strong>" in html


def test_query_count_does_not_grow_with_agencies_and_records(client, county):
    client.force_login(county.supervisor)
    today = timezone.localdate()

    def cost() -> tuple[int, int]:
        with queries_without_ledger_writes() as page:
            assert client.get(TARGETS).status_code == 200
        with queries_without_ledger_writes() as agency:
            assert client.get(reverse("evaluation:target_agency", args=[county.b.pk])).status_code == 200
        return page.count, agency.count

    few = cost()
    for n in range(4):
        agency = agency_make(name=f"新增局{n}")
        head = user_make(role=Role.AGENCY_HEAD, agency=agency)
        matter_make(agency, f"N-{n}-1", f"新增事项{n}", "penalty")
        matter_make(agency, f"N-{n}-2", f"新增强制事项{n}", "coercion")
        documents_submit(head, today)
        for days in (5, 10, 15):
            draft_make(
                agency, due=today - dt.timedelta(days=days), published=today - dt.timedelta(days=days + 1)
            )
            tally_make(agency, on=today - dt.timedelta(days=days))
        draft_make(county.b, due=today - dt.timedelta(days=n + 3))
    public_registry_refresh(on=today)
    many = cost()
    assert many == few
    assert few[0] <= 40, few


def test_the_history_shows_each_months_share_and_the_agencies_behind_it(client, county):
    target_snapshots_refresh(on=county.on)
    client.force_login(county.supervisor)
    html = client.get(TARGETS).content.decode()
    month = re.search(r'<tr data-month="[\d-]+">(.*?)</tr>', html, re.S).group(1)
    assert "33.3%" in month and "1 / 3" in month
    assert "全面实行：甲局" in month and "乙局：行政处罚：事前公开完整、及时更新" in month
    # An agency head's history is their own agency's only.
    client.force_login(county.head_b)
    html = client.get(TARGETS).content.decode()
    month = re.search(r'<tr data-month="[\d-]+">(.*?)</tr>', html, re.S).group(1)
    assert "0 / 1" in month and "甲局" not in html and "丁局" not in html
