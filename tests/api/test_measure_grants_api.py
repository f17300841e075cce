"""Security review findings 2 and 3: a read grant on a case (a supervisor reading its records) comes only
from 调阅案卷 (file_call), and never for longer than the parameter `supervision.read_grant_days`
(平台规则：调阅案卷限时授权). Another measure naming `case_ids` or `grant_until` is a 422 naming the
field and grants nothing; a file_call without `grant_until` takes the parameter's length; a `grant_until`
without a time zone is read as the server's local time (Asia/Shanghai), never a 500. Bearer token, CSRF on."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.procedure.parameters import parameters_default
from sanxiang.supervision.models import Matter, Measure, ReadGrant
from sanxiang.supervision.services import matter_accept, matter_open, matter_pair_assign
from tests.api.support import bearer
from tests.evaluation.report_support import case_on
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def post(client, url: str, auth: dict, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


@pytest.fixture
def desk_case():
    desk = desk_make()
    matter: Matter = matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject="未按期公示行政处罚决定",
                                 summary="日常监督发现。", received_on=dt.date.today(), actor=desk.first)
    matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    matter_accept(matter=matter, actor=desk.first)
    case = case_on(agency=desk.agency, day=dt.date.today(), title="某公司无证经营案")
    return f"/api/supervision/matters/{matter.pk}/measures", bearer(desk.first), case


def days() -> int:
    return int(parameters_default().value("supervision.read_grant_days", on=timezone.localdate()))


@pytest.mark.parametrize("extra", [
    {"case_ids": "CASE"},
    {"case_ids": "CASE", "grant_until": "FAR"},  # the length check used to run for file_call only
    {"grant_until": "SOON"},
])
@pytest.mark.parametrize("kind", ["inspection", "statistics"])
def test_only_a_file_call_grants_a_read(client, desk_case, kind, extra):
    url, auth, case = desk_case
    now = timezone.now()
    values = {"CASE": [case.pk], "FAR": (now + dt.timedelta(days=3650)).isoformat(),
              "SOON": (now + dt.timedelta(days=1)).isoformat()}
    body = {"kind": kind, "taken_on": dt.date.today().isoformat(), "summary": "检查"}
    body |= {key: values[value] for key, value in extra.items()}
    response = post(client, url, auth, body)
    assert response.status_code == 422, response.content
    fields = {v["field"] for v in response.json()["violations"]}
    assert fields == set(extra), fields
    assert all("平台规则" in v["legal_basis"] for v in response.json()["violations"])
    assert not ReadGrant.objects.exists() and not Measure.objects.exists()
    # The allowed path: the same measure without them.
    plain = post(client, url, auth, {"kind": kind, "taken_on": dt.date.today().isoformat(), "summary": "检查"})
    assert plain.status_code == 201, plain.content
    assert not ReadGrant.objects.exists()


def test_a_file_call_is_bounded_by_the_parameter(client, desk_case):
    url, auth, case = desk_case
    today = dt.date.today().isoformat()
    too_long = (timezone.now() + dt.timedelta(days=days() + 1)).isoformat()
    refused = post(client, url, auth, {"kind": "file_call", "taken_on": today, "case_ids": [case.pk],
                                       "grant_until": too_long})
    assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == ["grant_until"]
    assert not ReadGrant.objects.exists()
    # Without grant_until: the parameter's length, not a 500 (null expires_at).
    called = post(client, url, auth, {"kind": "file_call", "taken_on": today, "case_ids": [case.pk]})
    assert called.status_code == 201, called.content
    grant = ReadGrant.objects.get()
    assert dt.timedelta(days=days()) - dt.timedelta(minutes=1) < grant.expires_at - grant.starts_at \
        <= dt.timedelta(days=days())


def test_a_naive_grant_until_is_the_servers_local_time(client, desk_case):
    url, auth, case = desk_case
    local = timezone.localtime() + dt.timedelta(days=1)
    naive = local.replace(tzinfo=None, microsecond=0)
    called = post(client, url, auth, {"kind": "file_call", "taken_on": dt.date.today().isoformat(),
                                      "case_ids": [case.pk], "grant_until": naive.isoformat()})
    assert called.status_code == 201, called.content
    assert ReadGrant.objects.get().expires_at == timezone.make_aware(naive)
    too_long = (local + dt.timedelta(days=days())).replace(tzinfo=None).isoformat()
    refused = post(client, url, auth, {"kind": "file_call", "taken_on": dt.date.today().isoformat(),
                                       "case_ids": [case.pk], "grant_until": too_long})
    assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == ["grant_until"]
    past = (local - dt.timedelta(days=2)).replace(tzinfo=None).isoformat()
    refused = post(client, url, auth, {"kind": "file_call", "taken_on": dt.date.today().isoformat(),
                                       "case_ids": [case.pk], "grant_until": past})
    assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == ["grant_until"]
