"""执法协调 (issue 14, part C, item 2; 《行政执法监督条例》第七条、第十三条): an agency raises a problem or
a competence dispute with another agency through the 司法局; the supervisors accept, ask for
materials, coordinate, and record the opinion, or propose a handling opinion to the government and
record its decision. Both agencies see the request and its outcome, other agencies do not."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.accounts.models import Role
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.coordination import (
    ACTIONS,
    ART_13,
    BUREAU,
    REQUESTER,
    CoordinationState,
    coordination_action_violations,
    coordination_raise_violations,
)
from sanxiang.supervision.coordination_selectors import coordinations_for, coordinations_waiting
from sanxiang.supervision.coordination_services import coordination_act, coordination_raise
from sanxiang.web.inbox import inbox_count
from tests.cases.support import refusal
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 4, 1)


def test_art13_a_competence_dispute_names_the_other_agency():
    """第十三条 concerns disputes between agencies: the other agency must be named, not itself."""
    [v] = coordination_raise_violations(kind="competence", subject="占道经营由谁查处", description="两局均认为不属本局",
                                        requester_id=1, other_agency_id=None, other_in_county=False)
    assert (v.code, v.message, v.legal_basis, v.field) == (
        "coordination.other_agency_missing", "执法职责争议须写明与哪个机关发生争议", ART_13, "other_agency")
    assert ART_13 == "《行政执法监督条例》第十三条"
    [v] = coordination_raise_violations(kind="competence", subject="x", description="y", requester_id=1,
                                        other_agency_id=1, other_in_county=True)
    assert v.code == "coordination.other_agency_self"
    # Every reason at once.
    codes = [v.code for v in coordination_raise_violations(kind="", subject=" ", description="", requester_id=None,
                                                            other_agency_id=None, other_in_county=False)]
    assert codes == ["coordination.requester", "coordination.kind", "coordination.subject", "coordination.description"]
    # The lawful path: a problem needs no other agency.
    assert coordination_raise_violations(kind="problem", subject="x", description="y", requester_id=1,
                                         other_agency_id=None, other_in_county=False) == []


@given(state=st.sampled_from([s.value for s in CoordinationState]), action=st.sampled_from(sorted(ACTIONS)),
       side=st.sampled_from([BUREAU, REQUESTER, None]))
def test_a_step_is_allowed_only_in_its_states_for_its_side(state, action, side):
    spec = ACTIONS[action]
    data = {"text": "内容", "decided_on": ON}
    violations = coordination_action_violations(state=state, action=action, side=side, data=data, on=ON)
    assert (violations == []) == (state in spec.states and side == spec.side)
    # Closed requests take no step.
    if state in (CoordinationState.DECLINED, CoordinationState.AGREED, CoordinationState.DECIDED):
        assert violations


def test_a_government_decision_is_not_dated_before_the_coordination_was_raised():
    """A decision recorded with a day before the request was raised is refused on the field, as one
    after today is; the days from the raising to today pass."""
    data = {"text": "政府决定由城管局查处", "decided_on": ON - dt.timedelta(days=11)}
    args = {"state": CoordinationState.FAILED, "action": "record_government_decision", "side": BUREAU, "on": ON}
    [v] = coordination_action_violations(**args, data=data, raised_on=ON - dt.timedelta(days=10))
    assert (v.code, v.message, v.field) == ("coordination.decided_on_early", "决定日期不能早于提请协调的日期", "decided_on")
    for day in (ON - dt.timedelta(days=10), ON):
        assert coordination_action_violations(**args, data=data | {"decided_on": day}, raised_on=ON - dt.timedelta(days=10)) == []


def world():
    desk = desk_make()
    other = agency_make(name="乌审旗城市管理综合执法局")
    stranger_agency = agency_make(name="乌审旗农牧局")
    return desk, other, stranger_agency, user_make(role=Role.AGENCY_HEAD, agency=desk.agency)


def steps_logged(coordination) -> list[dict]:
    bodies = Entry.objects.filter(subject=f"supervision_coordination:{coordination.pk}").order_by("seq")
    return [json.loads(bytes(b))["payload"] for b in bodies.values_list("body", flat=True)]


def test_a_dispute_coordination_fails_and_the_government_decides():
    desk, other, stranger_agency, head = world()
    c = coordination_raise(actor=head, kind="competence", subject="流动摊贩占道经营的查处职责",
                           description="本局认为属于城市管理部门职责，城管局认为属于市场监管。", other_agency=other, on=ON)
    assert (c.state, c.bureau, c.other_agency) == ("submitted", desk.bureau, other)
    # Both agencies and the bureau see it; a third agency does not.
    other_head = user_make(role=Role.AGENCY_HEAD, agency=other)
    assert c in coordinations_for(viewer=other_head) and c in coordinations_for(viewer=desk.first)
    assert not coordinations_for(viewer=user_make(role=Role.AGENCY_HEAD, agency=stranger_agency)).exists()
    assert inbox_count(user=desk.first) == 1

    # The agency may not accept its own request; the supervisor must give the opinion's text.
    assert [v.code for v in refusal(lambda: coordination_act(coordination=c, actor=head, action="accept", data={},
                                                             on=ON))] == ["coordination.side"]
    c = coordination_act(coordination=c, actor=desk.first, action="accept", data={}, on=ON)
    c = coordination_act(coordination=c, actor=desk.first, action="ask_materials", data={"text": "双方职责依据"}, on=ON)
    assert list(coordinations_waiting(viewer=head)) == [c]  # shown on the agency's list
    c = coordination_act(coordination=c, actor=head, action="supply_materials", data={"text": "已上传三定方案"}, on=ON)
    c = coordination_act(coordination=c, actor=desk.second, action="record_meeting",
                         data={"text": "4月3日在司法局召开协调会，两局参加"}, on=ON)
    [v] = refusal(lambda: coordination_act(coordination=c, actor=desk.first, action="propose_to_government",
                                           data={"text": " "}, on=ON))
    assert (v.code, v.message, v.legal_basis, v.field) == ("coordination.text_missing", "请填写处理意见", ART_13, "text")
    c = coordination_act(coordination=c, actor=desk.first, action="propose_to_government",
                         data={"text": "建议由城市管理综合执法局负责查处"}, on=ON)
    c = coordination_act(coordination=c, actor=desk.first, action="record_government_decision",
                         data={"text": "由城市管理综合执法局负责", "decided_on": dt.date(2026, 4, 10)}, on=dt.date(2026, 4, 12))
    assert (c.state, c.government_decided_on, c.handling_opinion) == (
        "decided", dt.date(2026, 4, 10), "建议由城市管理综合执法局负责查处")
    assert [s.action for s in c.steps.all()] == [
        "raise", "accept", "ask_materials", "supply_materials", "record_meeting", "propose_to_government",
        "record_government_decision"]
    logged = steps_logged(c)
    assert [p.get("action", "raise") for p in logged] == [s.action for s in c.steps.all()]
    # Free text is recorded by its digest only.
    assert "城市管理综合执法局负责" not in json.dumps(logged, ensure_ascii=False)
    # Closed: nothing more, and the inbox is empty.
    assert inbox_count(user=desk.first) == 0
    assert refusal(lambda: coordination_act(coordination=c, actor=desk.first, action="record_opinion",
                                            data={"text": "x"}, on=ON))


def test_a_supervisor_with_an_expired_certificate_may_not_act():
    desk, _other, _s, head = world()
    c = coordination_raise(actor=head, kind="problem", subject="重大复杂问题", description="情况", other_agency=None, on=ON)
    today = timezone.localdate()
    expired = supervisor_user_make(bureau=desk.bureau, valid_from=today - dt.timedelta(days=900),
                                   valid_to=ON - dt.timedelta(days=1))
    codes = [v.code for v in refusal(lambda: coordination_act(coordination=c, actor=expired, action="accept",
                                                              data={}, on=ON))]
    assert codes == ["supervisor.certificate_expired"]


def test_the_pages_raise_and_accept_with_csrf_and_errors_beside_fields():
    desk, other, _s, head = world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(head)
    new = reverse("supervision:coordination_new")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(new).content.decode()).group(1)
    assert client.post(new, {"kind": "competence", "subject": "x", "description": "y"}).status_code == 403
    response = client.post(new, {"csrfmiddlewaretoken": token, "kind": "competence", "subject": "占道经营",
                                 "description": "两局意见不一"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "执法职责争议须写明与哪个机关发生争议" in page and "占道经营" in page  # nothing lost
    response = client.post(new, {"csrfmiddlewaretoken": token, "kind": "competence", "subject": "占道经营",
                                 "description": "两局意见不一", "other_agency": other.pk})
    assert response.status_code == 302
    detail = response["Location"]

    supervisor = Client(enforce_csrf_checks=True)
    supervisor.force_login(desk.first)
    page = supervisor.get(detail).content.decode()
    assert 'data-testid="act-accept"' in page and "data-confirm" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    act = detail + "act/"
    assert supervisor.post(act, {"csrfmiddlewaretoken": token, "action": "accept"}).status_code == 302
    page = supervisor.get(detail).content.decode()
    assert "已受理，协调中" in page
    response = supervisor.post(act, {"csrfmiddlewaretoken": token, "action": "record_opinion", "record_opinion-text": ""})
    assert response.status_code == 409 and "请填写协调意见" in response.content.decode()
    assert supervisor.post(act, {"csrfmiddlewaretoken": token, "action": "record_opinion",
                                 "record_opinion-text": "由城管局查处"}).status_code == 302
    # The other agency reads the outcome.
    reader = Client()
    reader.force_login(user_make(role=Role.OFFICER, agency=other))
    assert "由城管局查处" in reader.get(detail).content.decode()
    stranger = Client()
    stranger.force_login(user_make(role=Role.OFFICER, agency=agency_make()))
    assert stranger.get(detail).status_code == 404
