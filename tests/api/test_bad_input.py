"""Issue 10, items 2 and 3: bad input is refused before anything is written (422 with the field,
the web form with a Chinese field error), and a case that already holds a date the law has no
value for still renders, the problem shown on the case instead of a 500."""

import datetime as dt
import json

import pytest
from django.test import Client

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Entry
from sanxiang.procedure.parameters import parameters_default
from tests.cases.support import ACT, lead_make, world_make

pytestmark = pytest.mark.django_db
BIG = 2**63  # one above the databases' integer


@pytest.fixture
def w():
    return world_make()


def api_client(user) -> tuple[Client, dict]:
    _, token = api_token_create(actor=user, user=user, name="对接")
    return Client(enforce_csrf_checks=True), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def case_body(w, **changes) -> dict:
    return {"title": "涉嫌无证经营案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
            "act_date": ACT.isoformat(), **changes}


def fields_of(response) -> set:
    return {v["field"] for v in response.json()["violations"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"act_date": "1900-01-01"}, "act_date"),
        ({"act_date": "9999-12-31"}, "act_date"),
        ({"discovered_on": "1900-01-01"}, "discovered_on"),
        ({"title": "案" * 201}, "title"),
        ({"title": "无证\x00经营"}, "title"),
        ({"title": "无证\x1b经营"}, "title"),
        ({"title": "无证\n经营"}, "title"),
        ({"enforcement_field": "市场\x07监管"}, "enforcement_field"),
        # A lone surrogate ("\ud800" in the JSON): neither database can store it (it was a 500).
        ({"title": "无证\ud800经营"}, "title"),
        ({"enforcement_field": "市场\udfff监管"}, "enforcement_field"),
        ({"party_id": BIG}, "party_id"),
        ({"officer_ids": [BIG]}, "officer_ids.0"),
        ({"matter_id": BIG}, "matter_id"),
        ({"procedure": "martial"}, "procedure"),
    ],
)
def test_api_refuses_bad_case_input_with_422_and_writes_nothing(w, changes, field):
    client, auth = api_client(w.officer)
    entries = Entry.objects.count()
    response = client.post("/api/cases", json.dumps(case_body(w, **changes)), content_type="application/json", **auth)
    assert response.status_code == 422, response.content
    assert field in fields_of(response)
    assert all(v["message"] and v["legal_basis"] for v in response.json()["violations"])
    assert Case.objects.count() == 0 and Entry.objects.count() == entries


def test_api_messages_are_chinese(w):
    client, auth = api_client(w.officer)
    response = client.post("/api/cases", json.dumps(case_body(w, act_date="1900-01-01", title="a\x00")),
                           content_type="application/json", **auth)
    messages = {v["field"]: v["message"] for v in response.json()["violations"]}
    assert messages == {"act_date": "日期应在1990-01-01至2099-12-31之间", "title": "不能包含空字符（NUL）"}


def test_the_web_form_shows_chinese_field_errors_and_writes_nothing(w):
    client = Client()  # a page's form, not the API: CSRF is Django's middleware's business here
    client.force_login(w.officer)
    entries = Entry.objects.count()
    response = client.post("/staff/cases/new/", {
        "procedure": "ordinary", "title": "无证\x1b经营", "party": w.company.pk, "officers": [w.zhang.pk, w.li.pk],
        "act_date": "1900-01-01",
    })
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["act_date"] == ["日期应在1990-01-01至2099-12-31之间"]
    assert form.errors["title"] == ["不能包含换行、制表符等控制字符"]
    assert Case.objects.count() == 0 and Entry.objects.count() == entries


def test_step_data_with_control_characters_or_old_dates_is_a_422(w):
    case = lead_make(w)
    client, auth = api_client(w.head)
    response = client.post(f"/api/cases/{case.pk}/actions/approve_opening",
                           json.dumps({"data": {"approval": "agree", "opinion": "同意\x00立案"}}), content_type="application/json", **auth)
    assert response.status_code == 422 and fields_of(response) == {"opinion"}
    response = client.post(f"/api/cases/{case.pk}/actions/approve_opening",
                           json.dumps({"data": {"approval": "agree", "opinion": "同意\udc00立案"}}), content_type="application/json", **auth)
    assert response.status_code == 422 and fields_of(response) == {"opinion"}


@pytest.mark.parametrize("value", [["2026-03-02"], {"date": "2026-03-02"}])
def test_step_data_with_a_list_or_object_for_one_value_is_a_422(w, value):
    # A date field given a JSON list answered 500 (AttributeError in Django's DateField).
    from tests.cases.support import to_investigating

    case = to_investigating(w)
    client, auth = api_client(w.officer)
    entries = Entry.objects.count()
    response = client.post(f"/api/cases/{case.pk}/actions/record_inquiry", json.dumps({"data": {"on": value}}),
                           content_type="application/json", **auth)
    assert response.status_code == 422, response.content
    assert fields_of(response) == {"on"} and Entry.objects.count() == entries


def test_a_parameter_without_a_value_on_the_date_is_a_violation_with_its_reason():
    parameter = parameters_default()["penalty.limitation.general_years"]
    with pytest.raises(LookupError) as caught:  # ParameterMissing, a LookupError
        parameter.value_on(dt.date(1990, 1, 1))
    violation = getattr(caught.value, "violation", None)
    assert violation is not None
    assert violation.code == "parameter.missing.penalty.limitation.general_years"
    assert "1990-01-01" in violation.message and violation.legal_basis == parameter.reference


@pytest.mark.parametrize(("act_date", "problem"), [
    (dt.date(1900, 1, 1), "parameter.missing.penalty.limitation.general_years"),
    (dt.date(9999, 12, 31), "penalty.deadline.out_of_range"),
])
def test_a_case_already_holding_an_impossible_date_renders_everywhere_with_the_problem_shown(client, w, act_date, problem):
    case = lead_make(w)
    Case.objects.filter(pk=case.pk).update(act_date=act_date)  # data written before the fix
    api, auth = api_client(w.officer)
    got = api.get(f"/api/cases/{case.pk}", **auth)
    assert got.status_code == 200, got.content
    assert [p["code"] for p in got.json()["problems"]] == [problem]
    assert api.get(f"/api/cases/{case.pk}/actions", **auth).status_code == 200
    client.force_login(w.officer)
    page = client.get(f"/staff/cases/{case.pk}/")
    assert page.status_code == 200
    assert 'data-testid="deadline-problems"' in page.content.decode()
    assert client.get("/").status_code == 200
    assert client.get("/staff/cases/").status_code == 200


def test_the_case_title_enters_the_ledger_as_its_digest_and_the_timeline_still_shows_it(w):
    import hashlib

    from sanxiang.cases.selectors import case_timeline

    title = "涉嫌刘某某无证经营案"
    client, auth = api_client(w.officer)
    created = client.post("/api/cases", json.dumps(case_body(w, title=title)), content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    entry = Entry.objects.get(case_id=created.json()["id"])
    body = json.loads(bytes(entry.body))
    assert body["payload"]["title_sha256"] == hashlib.sha256(title.encode()).hexdigest()
    assert "title" not in body["payload"] and "刘某某" not in json.dumps(body, ensure_ascii=False)
    assert title in case_timeline(case=Case.objects.get())[0].detail
