"""Builders for the case tests: an agency with officers whose certificates are fixed in time (so
that no test depends on the day it runs), a head, a reviewer, a party, and the form data of each
step of a lawful ordinary case.

Dates: March 2026 has no public holiday. The act on Mon 03-02, discovered Thu 03-05, opened Fri
03-06, questioned Tue 03-10, notice served Tue 03-17: five working days later the statement window
ends Tue 03-24, so Wed 03-25 is the first day a decision may be made.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.procedure.penalty.snapshot import REVIEW_CHECKLIST
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from sanxiang.registry.models import Agency, Officer, Party
from tests.factories import agency_make, certificate_make, credit_code, id_number, officer_make, user_make

D = dt.date
ACT, DISCOVERED, OPENED = D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 6)
NOTICE_SERVED, WINDOW_END, FIRST_DECISION_DAY = D(2026, 3, 17), D(2026, 3, 24), D(2026, 3, 25)
LAW = "《中华人民共和国行政处罚法》"
_worlds = itertools.count(1)


def officer_with_certificate(agency: Agency, name: str, **fields) -> Officer:
    officer = officer_make(agency=agency, certificate=False, name=name, **fields)
    certificate_make(officer=officer, valid_from=D(2024, 1, 1), valid_to=D(2030, 12, 31))
    return officer


@dataclass
class World:
    agency: Agency
    zhang: Officer
    li: Officer
    reviewer_officer: Officer
    officer: User  # 张三's account
    colleague: User  # 李四's account
    head: User
    reviewer: User
    supervisor: User
    company: Party
    citizen: Party


def world_make() -> World:
    n = next(_worlds)
    agency = agency_make(name=f"乌审旗市场监督管理局{n}", parent_government="乌审旗人民政府",
                         address="乌审旗嘎鲁图镇", contact_phone="0477-7212345")
    zhang = officer_with_certificate(agency, "张三")
    li = officer_with_certificate(agency, "李四")
    head_officer = officer_with_certificate(agency, "王局长")
    reviewer_officer = officer_with_certificate(agency, "赵审核", is_legal_reviewer=True, has_legal_qualification=True)
    bureau = agency_make(name=f"乌审旗司法局{n}", is_judicial_bureau=True)
    company = registry.party_create(
        actor=None, agency=agency, kind="legal_person", name="乌审旗草原味道餐饮有限公司",
        credit_code=credit_code(prefix="91150626"), address="乌审旗嘎鲁图镇团结路12号", legal_representative="巴特尔",
    )
    citizen = registry.party_create(
        actor=None, agency=agency, kind="natural_person", name="刘某", id_type="resident_id_card",
        id_number=id_number(birth=D(1980, 5, 20)), address="乌审旗嘎鲁图镇",
    )
    return World(
        agency=agency,
        zhang=zhang,
        li=li,
        reviewer_officer=reviewer_officer,
        officer=user_make(role=Role.OFFICER, agency=agency, officer=zhang),
        colleague=user_make(role=Role.OFFICER, agency=agency, officer=li),
        head=user_make(role=Role.AGENCY_HEAD, agency=agency, officer=head_officer),
        reviewer=user_make(role=Role.REVIEWER, agency=agency, officer=reviewer_officer),
        supervisor=user_make(role=Role.SUPERVISOR, agency=bureau),
        company=company,
        citizen=citizen,
    )


def lead_make(w: World, *, party: Party | None = None, officers=None, procedure: str = "ordinary",
              act_date: dt.date = ACT, discovered_on: dt.date = DISCOVERED, title: str = "涉嫌经营超过保质期的食品案") -> Case:
    return case_create(
        actor=w.officer, agency=w.agency, title=title, procedure=procedure, party=party or w.company,
        officers=officers if officers is not None else [w.zhang, w.li], enforcement_field="市场监管",
        act_date=act_date, discovered_on=discovered_on, on=discovered_on,
    )


def perform(case: Case, action: str, day: dt.date, actor: User, /, **data) -> Case:
    return case_action_perform(actor=actor, case=case, action=action, data=data, on=day)


OPEN = {
    "source": "inspection",
    "summary": "执法人员在日常检查中发现当事人陈列销售超过保质期的纯牛奶。",
    "handler_opinion": "符合立案条件，建议立案调查。",
    "violated": ["《中华人民共和国食品安全法》第三十四条第（十）项"],
}
PENALTY = {
    "penalty_kinds": ["fine"],
    "fine_yuan": "3000",
    "penalty_bases": ["《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"],
}


def inquiry(w: World, on: dt.date, **changes) -> dict:
    return {
        "on": on,
        "start_time": "09:30",
        "end_time": "10:40",
        "place": "本局询问室",
        "officer_ids": [str(w.zhang.pk), str(w.li.pk)],
        "certificate_shown": True,
        "recorder": "李四",
        "interviewee": "巴特尔",
        "relation": "当事人的法定代表人",
        "exchanges": ["问：我们是乌审旗市场监督管理局的执法人员，这是我们的执法证件。", "答：看清楚了。"],
    } | changes


def end_investigation_data() -> dict:
    return {
        "process": "2026年3月5日检查发现，3月10日询问当事人法定代表人。",
        "facts": "当事人陈列销售超过保质期的纯牛奶12箱。",
        "evidence": ["现场检查笔录：陈列销售的事实", "询问笔录：进货和销售情况"],
        "violated": OPEN["violated"],
        **PENALTY,
    }


def notice_data(on: dt.date, **changes) -> dict:
    return {"served_on": on, "method": "direct", "place": "当事人经营场所", **PENALTY} | changes


def to_investigating(w: World, case: Case | None = None) -> Case:
    case = case or lead_make(w)
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    return perform(case, "investigate", D(2026, 3, 9), w.officer)


def to_notified(w: World, case: Case | None = None, *, inquiry_officers: list[Officer] | None = None) -> Case:
    case = to_investigating(w, case)
    changes = {"officer_ids": [str(o.pk) for o in inquiry_officers]} if inquiry_officers else {}
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10), **changes))
    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data())
    return perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))


def to_decided(w: World, case: Case | None = None, **penalty) -> Case:
    case = to_notified(w, case)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **(PENALTY | penalty))
    return perform(case, "decide", FIRST_DECISION_DAY, w.officer)


# --- legal review (法制审核) and collective discussion ------------------------------------------------

CHECKLIST_ITEMS = tuple(REVIEW_CHECKLIST)


def review_data(opinion: str = "agree", reasons: str = "事实清楚，证据确凿，适用依据正确，程序合法。", *,
                failing: dict[str, str] | None = None) -> dict:
    """A complete checklist: every item 符合, except `failing` (item → the problem found)."""
    failing = failing or {}
    data: dict = {"opinion": opinion, "reasons": reasons}
    for item in CHECKLIST_ITEMS:
        data[f"check_{item}"] = "fail" if item in failing else "pass"
        data[f"note_{item}"] = failing.get(item, "")
    return data


def submit_data(**changes) -> dict:
    return {
        "evidence_list": ["现场检查笔录", "询问笔录", "营业执照复印件"],
        "explanation": "当事人陈列销售超过保质期的食品，拟按裁量基准处罚。",
    } | changes


def discussion_data(on: dt.date, **changes) -> dict:
    return {
        "held_on": on,
        "place": "本局三楼会议室",
        "host": "王局长",
        "recorder": "办公室刘某",
        "participants": ["王局长（局长）", "陈某（副局长）", "周某（副局长）"],
        "leader_count": 3,
        "views": ["王局长：同意承办机构意见", "陈某：同意", "周某：同意"],
        "conclusion": "经集体讨论，同意承办机构拟作出的处罚决定。",
    } | changes


def investigating_today(w: World | None = None) -> tuple[World, Case]:
    """A case opened and under investigation today (by the clock, not the fixed days above): for
    pages and browser tests that act as of now."""
    w = w or world_make()
    today = timezone.localdate()
    case = lead_make(w, act_date=today - dt.timedelta(days=3), discovered_on=today - dt.timedelta(days=1))
    case = perform(case, "approve_opening", today, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", today, w.officer, source="inspection", summary="日常检查发现当事人销售过期食品。",
                   handler_opinion="符合立案条件，建议立案调查。", violated=["《中华人民共和国食品安全法》第三十四条第（十）项"])
    case = perform(case, "investigate", today, w.officer)
    return w, case


# --- pages, as a browser uses them ------------------------------------------------------------------


def refusal(thunk) -> list:
    """The reasons `thunk` is refused with (it must be refused)."""
    with pytest.raises(Refused) as caught:
        thunk()
    return caught.value.violations


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client: Client, case: Case, url: str, data: dict):
    """A POST as the browser sends it: the CSRF token taken from the case page's forms."""
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})
