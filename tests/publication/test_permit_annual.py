"""年度行政执法数据 of 行政许可 (国办发〔2018〕118号; rows: procedure.permit.annual): each licence case
counts in the rows it reached, on each act's day — 申请, 受理, 准予/不予许可, 变更 and 延续 each time
(行政许可法第四十九条、第五十条, a deemed renewal on the day the licence would have expired), 撤销
(第六十九条) — and the category's figure is the sum of the rows the parameter names (a platform
rule, unverified, stated in the report's notes). 0 where the agency has the power and did nothing."""

import datetime as dt
from dataclasses import replace

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
                    "renewed": 0, "renewal_refused": 0, "withdrawn": 0, "revoked": 1, "cancelled": 0}
    # 准予 + 不予 + 变更 + 延续 + 不予延续 (the parameter's rows), labelled a platform rule in the notes.
    assert report["counts"]["permit"] == 3
    assert any("准予许可、不予许可、变更、延续、不予延续之和（平台规则，待核实）" in note for note in report["notes"])
    assert next(r for r in report["rows"] if r["key"] == "permit")["recorded"] is True
    # The stored acts and the recomputation from the cases' facts agree; another year counts nothing.
    assert annual_figures(agency=w.agency, year=DAY.year) == annual_figures_recomputed(agency=w.agency, year=DAY.year)
    assert annual_report_generate(agency=w.agency, year=DAY.year + 1)["counts"]["permit"] == 0


def test_a_refused_renewal_counts_on_its_day_even_after_a_new_application_clears_it():
    """第五十条 with 第三十八条第二款: each 不予延续 is a decision of its own, counted in its row."""
    from sanxiang.procedure.permit.catalogue import PERMIT_SPEC
    from sanxiang.procedure.permit.rules import Decision, Refusal, Renewal
    from tests.procedure.permit.support import context

    snapshot = accepted(state="in_force", decision=Decision("grant", D(2026, 10, 9), content="经营"),
                        expires_on=D(2027, 3, 31), renewal=Renewal(D(2027, 1, 4)),
                        renewal_refusal=Refusal(D(2027, 1, 20), "不符合条件", "可申请行政复议"))
    refused = PERMIT_SPEC.advance(snapshot, "permit_refuse_renewal", context(D(2027, 1, 20)))
    assert refused.renewal_refusals_on == (D(2027, 1, 20),)
    again = replace(refused, renewal=Renewal(D(2027, 2, 1)), renewal_refusal=None)  # what a new application does
    assert [a for a in permit_actions(again) if a.kind == "renewal_refused"] == [PermitAction("renewal_refused",
                                                                                             D(2027, 1, 20))]
    # A case stored before the days were kept still counts its standing refusal, once.
    legacy = replace(snapshot, renewal_refusals_on=())
    assert [a.on for a in permit_actions(legacy) if a.kind == "renewal_refused"] == [D(2027, 1, 20)]


@pytest.mark.django_db
def test_the_public_annual_report_carries_the_permit_rows_and_the_other_acts():
    """The public report (国办发〔2018〕118号: 行政执法总体情况有关数据) has the licence rows — 不予延续
    in a row of its own, a deemed renewal under 延续 — and the other acts' counts; the portal shows them."""
    from django.test import Client
    from django.urls import reverse

    from sanxiang.cases.services import case_create
    from sanxiang.publication.annual import annual_report_publish
    from sanxiang.publication.registry_sync import public_registry_refresh

    w = world_make()
    registry.matter_create(actor=None, agency=w.agency, code=f"XK-{w.agency.pk}", name="食品经营许可", kind="permit",
                           legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}])
    day = D(2025, 3, 3)
    case = lead_make(w, procedure="permit", title="食品经营许可申请", act_date=day, discovered_on=day)
    perform(case, "permit_materials", day, w.officer, materials_complete=True)
    perform(case, "permit_accept", day, w.officer)
    perform(case, "permit_grant", day, w.head, content="预包装食品销售", licence_name="食品经营许可证")
    perform(case, "permit_deliver", day, w.officer, delivered_on=day, expires_on=D(2025, 12, 31))
    perform(case, "permit_renewal_apply", D(2025, 11, 3), w.officer, applied_on=D(2025, 11, 3))
    perform(case, "permit_refuse_renewal", D(2025, 11, 10), w.head, reasons="经营场所已不符合要求",
            remedies="可以申请行政复议或者提起行政诉讼")
    perform(case, "permit_renewal_apply", D(2025, 11, 20), w.officer, applied_on=D(2025, 11, 20))
    perform(case, "permit_renew", D(2025, 11, 25), w.head, renewed_until=D(2030, 12, 31))
    award = case_create(actor=w.officer, agency=w.agency, title="见义勇为奖励", procedure="other_act", party=w.citizen,
                        officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=day, on=day,
                        options={"act_kind": "award"})
    perform(award, "other_act_draft", day, w.officer, bases=["《某条例》第十条"], content="奖励刘某", amount_yuan="2000")
    perform(award, "other_act_decide", day, w.head, remedies="可申请行政复议")

    public_registry_refresh(agency_id=w.agency.pk)
    report = annual_report_publish(actor=w.head, agency=w.agency, year=2025)
    assert report.permit_rows == {"application": 1, "accepted": 1, "not_accepted": 0, "granted": 1, "refused": 0,
                                  "changed": 0, "renewed": 1, "renewal_refused": 1, "withdrawn": 0, "revoked": 0,
                                  "cancelled": 0}
    assert report.counts["permit"] == 3  # 准予 1 + 延续 1 + 不予延续 1
    assert report.other_act_rows["other_act.award"] == 1 and report.other_act_rows["other_act.payment"] == 0
    page = Client().get(reverse("portal:annual_list") + "?year=2025").content.decode()
    assert 'data-testid="annual-permit-rows"' in page and "不予延续" in page
    assert 'data-testid="annual-other-act-rows"' in page and "行政奖励" in page
