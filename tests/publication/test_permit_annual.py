"""年度行政执法数据 of 行政许可 (国办发〔2018〕118号; rows: procedure.permit.annual): each licence case
counts in the rows it reached, on each act's day — 申请, 受理, 准予/不予许可, 变更 and 延续 each time
(行政许可法第四十九条、第五十条, a deemed renewal on the day the licence would have expired), 撤销
(第六十九条) — and the category's figure is the sum of the rows the parameter names (a platform
rule, unverified, stated in the report's notes). 0 where the agency has the power and did nothing."""

import datetime as dt

import pytest

from sanxiang.procedure.permit.annual import PermitAction, permit_actions
from sanxiang.publication.annual import annual_figures, annual_figures_recomputed, annual_report_generate
from sanxiang.registry import services as registry
from tests.cases.support import ACT, lead_make, perform, world_make
from tests.procedure.permit.support import accepted

D = dt.date
DAY = ACT.replace(month=4, day=1)


def test_a_licence_counts_each_change_and_renewal_and_a_deemed_renewal_on_the_expiry_day():
    from sanxiang.procedure.permit.catalogue import PERMIT_SPEC
    from sanxiang.procedure.permit.rules import Decision, Renewal
    from tests.procedure.permit.support import context

    snapshot = accepted(state="in_force", decision=Decision("grant", D(2026, 10, 9), content="经营"),
                        expires_on=D(2027, 3, 31), changes_on=(D(2026, 11, 2), D(2026, 12, 1)),
                        renewal=Renewal(D(2027, 1, 4)))
    renewed = PERMIT_SPEC.advance(snapshot, "permit_renew_deemed", context(D(2027, 4, 6)))
    assert renewed.renewals_on == (D(2027, 3, 31),)
    kinds = [(a.kind, a.on) for a in permit_actions(renewed)]
    assert kinds == [("application", D(2026, 9, 24)), ("accepted", D(2026, 9, 24)), ("granted", D(2026, 10, 9)),
                     ("changed", D(2026, 11, 2)), ("changed", D(2026, 12, 1)), ("renewed", D(2027, 3, 31))]
    with pytest.raises(ValueError):
        PermitAction("licensed", D(2026, 1, 1))


@pytest.mark.django_db
def test_the_years_permit_rows_and_figure_come_from_the_cases():
    w = world_make()
    registry.matter_create(actor=None, agency=w.agency, code=f"XK-{w.agency.pk}", name="食品经营许可", kind="permit",
                           legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}])
    empty = annual_report_generate(agency=w.agency, year=DAY.year)
    assert empty["counts"]["permit"] == 0 and all(line["value"] == 0 for line in empty["permit_lines"])

    granted = lead_make(w, procedure="permit", title="食品经营许可申请")
    refused = lead_make(w, procedure="permit", title="食品经营许可申请", party=w.citizen)
    for case in (granted, refused):
        perform(case, "permit_materials", DAY, w.officer, materials_complete=True)
        perform(case, "permit_accept", DAY, w.officer)
    perform(granted, "permit_grant", DAY, w.head, content="预包装食品销售", licence_name="食品经营许可证")
    perform(granted, "permit_deliver", DAY, w.officer, delivered_on=DAY, expires_on=D(2031, 3, 31))
    perform(granted, "permit_change", DAY, w.head, content="增加冷藏冷冻食品销售")
    perform(granted, "permit_revoke", DAY, w.head, reason="被许可人以欺骗、贿赂等不正当手段取得行政许可",
            facts="提交的租赁合同系伪造", remedies="可以申请行政复议或者提起行政诉讼")
    perform(refused, "permit_refuse", DAY, w.head, reasons="经营场所不符合要求", remedies="可以申请行政复议或者提起行政诉讼")

    report = annual_report_generate(agency=w.agency, year=DAY.year)
    rows = {line["key"]: line["value"] for line in report["permit_lines"]}
    assert rows == {"application": 2, "accepted": 2, "not_accepted": 0, "granted": 1, "refused": 1, "changed": 1,
                    "renewed": 0, "withdrawn": 0, "revoked": 1, "cancelled": 0}
    # 准予 + 不予 + 变更 + 延续 (the parameter's rows), labelled a platform rule in the notes.
    assert report["counts"]["permit"] == 3
    assert any("准予许可、不予许可、变更、延续之和（平台规则，待核实）" in note for note in report["notes"])
    assert next(r for r in report["rows"] if r["key"] == "permit")["recorded"] is True
    # The stored acts and the recomputation from the cases' facts agree; another year counts nothing.
    assert annual_figures(agency=w.agency, year=DAY.year) == annual_figures_recomputed(agency=w.agency, year=DAY.year)
    assert annual_report_generate(agency=w.agency, year=DAY.year + 1)["counts"]["permit"] == 0
