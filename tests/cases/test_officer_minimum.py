"""The number of officers an act needs (第四十二条: at least two) is one rule, read from the parameter
`team.min_officers_who_may_act` in `procedure`: a deployment that sets it to 3 gets 3 everywhere:
the investigation, each recorded act, the documents that name the officers, a change of the
case's officers and the team-health findings."""

import shutil

import pytest

from sanxiang.procedure import parameters as parameter_module
from sanxiang.procedure.team import team_health
from sanxiang.procedure.violations import Refused
from tests.cases.support import OPEN, OPENED, D, inquiry, lead_make, perform, world_make

pytestmark = pytest.mark.django_db
LOCAL = "某地方规定（测试：执法人员不少于三人）"


@pytest.fixture
def three(tmp_path, monkeypatch):
    """The default parameters with a later period that asks for three officers."""
    folder = tmp_path / "parameters"
    shutil.copytree(parameter_module.PARAMETER_DIR, folder)
    with (folder / "registry.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[[team.min_officers_who_may_act.values]]\nfrom = 2024-01-01\nvalue = 3\nreference = "{LOCAL}"\n')
    monkeypatch.setattr(parameter_module, "PARAMETER_DIR", folder)
    # The default set is read once per process: read it again now, and again after the test.
    parameter_module.parameters_default.cache_clear()
    assert parameter_module.parameters_default().value("team.min_officers_who_may_act", on=D(2026, 3, 5)) == 3
    yield
    monkeypatch.undo()
    parameter_module.parameters_default.cache_clear()


def codes(call) -> dict:
    with pytest.raises(Refused) as refused:
        call()
    return {v.code: v for v in refused.value.violations}


def test_three_officers_everywhere_when_the_parameter_says_three(three):
    w = world_make()
    head_officer = w.head.officer
    case = lead_make(w, officers=[w.zhang, w.li])
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")

    # The 立案审批表 names the officers: three are needed, two are named.
    refused = codes(lambda: perform(case, "open", OPENED, w.officer, **OPEN))
    officers = next(v for v in refused.values() if v.field == "officers")
    assert "不少于3名，现有2名" in officers.message

    # Changing the officers: two are too few; three who may act are accepted.
    two = {"officer_ids": [str(w.zhang.pk), str(w.li.pk)], "reason": "补足承办人员"}
    too_few = codes(lambda: perform(case, "change_officers", OPENED, w.head, **two))["case.officers.too_few"]
    assert too_few.message == "承办人员须不少于3名可以执法的执法人员，现为2名" and too_few.legal_basis == LOCAL
    team = [str(w.zhang.pk), str(w.li.pk), str(head_officer.pk)]
    case = perform(case, "change_officers", OPENED, w.head, officer_ids=team, reason="补足承办人员")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    case = perform(case, "investigate", D(2026, 3, 9), w.officer)

    # A questioning by two of them is refused; by the three, recorded.
    day = D(2026, 3, 10)
    act = codes(lambda: perform(case, "record_inquiry", day, w.officer, **inquiry(w, day)))
    assert act["penalty.investigation.act_too_few_officers"].message.startswith("本次询问须由不少于3名")
    assert act["penalty.investigation.act_too_few_officers"].legal_basis == LOCAL
    case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day, officer_ids=team))
    assert case.documents.filter(kind="inquiry_record").count() == 1

    # Team health counts against three.
    findings = team_health([w.zhang.snapshot(), w.li.snapshot()], on=day, region=w.agency.region_code)
    short = next(f for f in findings if f.code == "agency.too_few_officers")
    assert "少于3人" in short.message and short.legal_basis == LOCAL


def test_the_investigation_needs_three_when_the_parameter_says_three(three):
    w = world_make()
    case = lead_make(w, officers=[w.zhang, w.li, w.head.officer])
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    # One of the three is recused: two remain, and the investigation may not start.
    case = perform(case, "request_recusal", OPENED, w.officer, officer=str(w.li.pk), requested_on=OPENED)
    case = perform(case, "decide_recusal", OPENED, w.head, decision="granted")
    blocked = codes(lambda: perform(case, "investigate", D(2026, 3, 9), w.officer))
    assert blocked["penalty.investigation.too_few_officers"].message == (
        "调查取证须由不少于3名持有有效执法证件的执法人员进行，本案目前只有2名"
    )
