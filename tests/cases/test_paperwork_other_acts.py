"""The remedies a decision of the generic act prints (行政复议法第二十条: 60 days; 行政诉讼法第四十六条:
6 months): a parameter per kind of act, so that a 行政裁决 whose law gives a special period (待核实)
prints that one once the county sets it, and every other kind keeps the general periods. Pure: no
database."""

import datetime as dt

from sanxiang.cases.paperwork import AgencyInfo, CaseInfoIn, Issue, PartyInfo
from sanxiang.cases.paperwork_other_acts import act_document_context
from sanxiang.documents import document_render
from sanxiang.procedure.other_acts.rules import ActDecision, OtherActSnapshot, remedy_periods
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from tests.documents.reading import flat, pdf_text
from tests.procedure.permit.support import context

AGENCY = AgencyInfo("乌审旗自然资源局", "11150626MB1234567X", "嘎鲁图镇", "0477-1", "乌审旗人民政府")
ON = dt.date(2026, 9, 25)
GENERAL = "可以自收到本决定书之日起六十日内向乌审旗人民政府申请行政复议，也可以自收到本决定书之日起六个月内依法向乌审旗人民法院提起行政诉讼"
# A county's own period for its 裁决 (the value is a test's, not a statement of any law).
SPECIAL = parameters_default().with_overrides({
    "other_act.remedies.adjudication.reconsideration_days": [ParameterPeriod(dt.date(2020, 1, 1), 30, region="150626")],
    "other_act.remedies.adjudication.litigation_months": [ParameterPeriod(dt.date(2020, 1, 1), 3, region="150626")],
})


def _decided(kind: str) -> OtherActSnapshot:
    return OtherActSnapshot(state="decided", records=frozenset({"act_decision"}), kind=kind, region="150626",
                            bases=("《中华人民共和国土地管理法》第十四条",), content="争议土地的使用权归申请人",
                            decision=ActDecision(ON, "争议土地的使用权归申请人", "可申请行政复议"))


def _printed(kind: str, parameters=None) -> str:
    case = CaseInfoIn(number="乌自然资裁〔2026〕1号", title="土地使用权争议", agency=AGENCY,
                      party=PartyInfo("natural_person", "刘某", "", "嘎鲁图镇", "", ""), officers=(),
                      assigned_ids=())
    kwargs = {} if parameters is None else {"parameters": parameters}
    document_context = act_document_context(case=case, snapshot=_decided(kind), texts=None,
                                            issue=Issue("act_decision", "乌自然资决〔2026〕1号", ON),
                                            context=context(ON, **kwargs))
    return pdf_text(document_render(kind="act_decision", context=document_context).pdf)


def test_every_kind_prints_the_general_periods_until_a_county_sets_its_own():
    for kind in ("payment", "confirmation", "award", "adjudication", "other"):
        periods = remedy_periods(kind, on=ON, region="150626")
        assert (periods.reconsideration_days, periods.litigation_months) == (60, 6)
        assert "行政复议法》第二十条" in periods.basis and "行政诉讼法》第四十六条" in periods.basis
    adjudication = parameters_default()["other_act.remedies.adjudication.litigation_months"]
    assert adjudication.unverified and "待核实" in adjudication.note and "裁决" in adjudication.note
    assert flat(GENERAL) in _printed("adjudication")


def test_a_special_period_set_for_adjudication_is_printed_on_the_adjudication_only():
    printed = _printed("adjudication", SPECIAL)
    assert flat("三十日内向乌审旗人民政府申请行政复议") in printed and flat("三个月内依法向乌审旗人民法院提起行政诉讼") in printed
    assert flat(GENERAL) in _printed("confirmation", SPECIAL)
