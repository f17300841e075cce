"""The legal staff's parameters page (issue 13 item 6): every unverified parameter with its value,
its basis and its status, for reviewers, supervisors and system administrators; officers are
neither shown it nor told on their pages that a rule is unverified."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.procedure.parameters import ParameterSet, parameters_default, parameters_parse
from sanxiang.review.parameter_list import parameters_unverified
from tests.factories import agency_make, officer_make, user_make
from tests.web.crawl import english_words, page_read

pytestmark = pytest.mark.django_db


def _user(role):
    agency = agency_make(is_judicial_bureau=role == Role.SUPERVISOR) if role != Role.SYSTEM_ADMIN else None
    return user_make(role=role, agency=agency)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.SUPERVISOR, Role.SYSTEM_ADMIN])
def test_the_legal_staff_reach_every_unverified_parameter_from_the_navigation(client, role):
    client.force_login(_user(role))
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("review:parameters")}"' in home and "待核实参数" in home
    page = client.get(reverse("review:parameters"))
    assert page.status_code == 200
    html = page.content.decode()
    parameters = parameters_default()
    unverified = [parameters[n] for n in parameters.names() if parameters[n].unverified]
    assert html.count("<tr><td>") == len(unverified) > 20
    for parameter in unverified:
        assert parameter.reference in html
        assert parameter.description.replace("true：", "是：").replace("false：", "否：") in html
    # Status and values in Chinese, never the parameter's name or the English checking notes.
    assert "待核实" in html and "5%" in html and "22:00至次日06:00" in html and "5,000元" in html
    assert page_read(html)[0] == []
    assert "penalty.review.period_working_days" not in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN])
def test_other_roles_neither_see_the_entry_nor_open_the_page(client, role):
    client.force_login(_user(role))
    assert reverse("review:parameters") not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("review:parameters")).status_code == 403


def test_an_officers_home_does_not_say_that_a_rule_is_unverified(client):
    agency = agency_make()
    officer_make(agency=agency, certificate=False, name="无证的人")  # a team finding with its basis
    client.force_login(user_make(role=Role.OFFICER, agency=agency))
    html = client.get(reverse("web:home")).content.decode()
    assert "无证的人没有有效的执法证" in html
    assert "国办发〔2018〕118号" in html  # the basis of the reviewers finding, once with “（待核实：…）”
    assert "待核实" not in html and "unverified" not in html


def test_values_are_read_in_chinese_units():
    rows = {r.description: r for r in parameters_unverified(on=dt.date(2026, 12, 1))}
    parameters = parameters_default()
    describe = lambda name: rows[parameters[name].description]  # noqa: E731
    assert describe("penalty.review.period_working_days").value == "5个工作日"
    assert describe("penalty.hearing.large_fine_organization_fen").value == "100,000元"
    assert describe("penalty.recording.audio_video_steps").value == "听证、留置送达、先行登记保存"
    assert describe("coercion.deadlines.due_soon_days").status == "平台规则，待核实"
    assert describe("team.legal_reviewer_min_ratio").status == "待核实"
    assert all(english_words(r.value + r.reference) == [] for r in rows.values())


def test_the_page_is_in_chinese_only_and_shows_what_is_to_be_checked_in_chinese(client):
    # The checking notes of the parameter files (“（待核实：…）”) are written in Chinese and shown to
    # the legal staff beside the basis; no Latin word is on the page, not even in a note.
    parameters = parameters_default()
    noted = [parameters[n] for n in parameters.names() if parameters[n].note]
    assert len(noted) > 30
    assert [p.name for p in noted if re.search(r"[A-Za-z]", p.note)] == []
    client.force_login(_user(Role.REVIEWER))
    html = client.get(reverse("review:parameters")).content.decode()
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", main)
    assert re.findall(r"[A-Za-z]+", text) == []
    assert page_read(html)[0] == []
    assert "核实要点：法律未规定期限" in html  # penalty.statement.window_working_days's note
    assert html.count('data-testid="parameter-note"') == sum(1 for p in noted if p.unverified)


def test_a_platform_rule_is_told_by_its_chinese_note():
    # A basis that does not say so itself is a platform rule when its note says 平台规则.
    text = """
[local.alert_days]
description = "到期前提醒的日数"
reference = "某县执法监督办法（待核实：平台规则，不是法律规定）"
unverified = true
unit = "days"
[[local.alert_days.values]]
from = 2020-01-01
value = 3

[local.review_days]
description = "审核期限"
reference = "某县法制审核办法（待核实：各地规定不同）"
unverified = true
unit = "working days"
[[local.review_days.values]]
from = 2020-01-01
value = 5
"""
    rows = parameters_unverified(on=dt.date(2026, 12, 1), parameters=ParameterSet(parameters_parse(text)))
    assert [(r.reference, r.status, r.note) for r in rows] == [
        ("某县执法监督办法", "平台规则，待核实", "平台规则，不是法律规定"),
        ("某县法制审核办法", "待核实", "各地规定不同"),
    ]
