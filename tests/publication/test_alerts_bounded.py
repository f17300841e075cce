"""The overdue-publication alerts of the homes, the drafts page and the county dashboard read a count
and the most overdue rows by the index of drafts waiting: two queries whatever the number of overdue
drafts (one when none is overdue), no windowed query over them all, and the count is every overdue
draft of the viewer's agencies, not only those shown."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.publication.selectors import publication_alerts
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def _drafts(agency, days_late: list[int], *, status: str = DraftStatus.DRAFT) -> list[PublicationDraft]:
    drafts = []
    for late in days_late:
        case = case_create(actor=None, agency=agency, title="测试案件", procedure="ordinary")
        due = ON - dt.timedelta(days=late)
        drafts.append(PublicationDraft.objects.create(case=case, agency=agency, decided_on=due, due_on=due,
                                                      original={}, public={}, status=status))
    return drafts


def _alerts(**kwargs):
    with CaptureQueriesContext(connection) as queries:
        alerts = publication_alerts(on=ON, **kwargs)
    return alerts, [q["sql"] for q in queries.captured_queries]


def test_the_alerts_take_two_queries_whatever_the_number_of_overdue_drafts():
    mine, other = agency_make(name="乌审旗甲局"), agency_make(name="乌审旗乙局")
    head = user_make(role=Role.AGENCY_HEAD, agency=mine)
    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True))

    alerts, sql = _alerts(viewer=head)
    assert alerts.count == 0 and not alerts and list(alerts) == []
    assert len(sql) == 1  # the count alone: no rows read when none is overdue

    _drafts(mine, [0, -3])  # due today and in 3 days: not overdue
    _drafts(mine, [9], status=DraftStatus.PUBLISHED)  # published: not an alert
    _drafts(mine, [1, 2])
    _drafts(other, [40])
    few, few_sql = _alerts(viewer=head, limit=3)
    _drafts(mine, list(range(3, 20)))
    many, many_sql = _alerts(viewer=head, limit=3)

    assert len(few_sql) == len(many_sql) == 2
    assert not any(" OVER " in q.upper() for q in few_sql + many_sql)
    assert (few.count, many.count) == (2, 19)  # the agency's own, every one of them
    assert [a.days_late for a in few] == [2, 1]
    assert [a.days_late for a in many] == [19, 18, 17] and many.more == 16
    assert {a.draft.agency_id for a in many} == {mine.pk}

    county, county_sql = _alerts(viewer=supervisor, limit=3)
    assert len(county_sql) == 2
    assert county.count == 20 and [a.days_late for a in county] == [40, 19, 18]

    # The limit of 0 reads the count alone.
    counted, counted_sql = _alerts(viewer=supervisor, limit=0)
    assert counted.count == 20 and list(counted) == [] and len(counted_sql) == 1
