"""裁量基准 applied when a penalty decision is drafted (《中华人民共和国行政处罚法》第三十二条至第三十四条):
the platform proposes the tier and band from the facts entered and from the party's earlier cases
of the same matter, refuses an amount outside the band without a written reason (every reason at
once), records the version applied, and the decision states how discretion was applied.

Two cases of the same party and matter: the first is a first offence (首违不罚 possible, 第三十三条
第一款) and drafted at 3000 元 inside the 从轻 band; the second, two days of act later, is a
repeated offence: 首违不罚 no longer applies (the first case named), the tier is 从重, 3000 元 is
below its band, and the draft needs a reason, after which the discretion is "mitigated" (a major
case for legal review when the agency's catalogue says so)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.cases.selectors import case_texts
from sanxiang.cases.services import case_create
from sanxiang.procedure.discretion import (
    MITIGATION_BASIS,
    Band,
    Benchmark,
    Condition,
    Entry,
    NoPenaltyRule,
    RangeFine,
    Tier,
)
from sanxiang.procedure.penalty.review import major_assessment
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from sanxiang.registry.discretion_services import discretion_benchmark_add
from tests.cases.support import (
    ACT,
    DISCOVERED,
    FIRST_DECISION_DAY,
    PENALTY,
    perform,
    to_decided,
    to_notified,
    world_make,
)
from tests.cases.test_outcome_documents import pdf_text

pytestmark = pytest.mark.django_db

Y = 100
CORRECTED = Condition("及时改正", "及时改正")
REPEATED = Condition("repeat_count", "同类违法次数", ">=", 1)


def benchmark_for(matter) -> None:
    entry = Entry(
        "1",
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第三十四条",
        "《中华人民共和国食品安全法》第一百二十四条",
        RangeFine(1000 * Y, 5000 * Y),
        (
            Tier("heavier", (REPEATED,), Band(4000 * Y, 5000 * Y), explanation="一年内再次违法，从重处罚"),
            Tier("lighter", (CORRECTED,), Band(1000 * Y, 3000 * Y)),
            Tier("ordinary", (), Band(3000 * Y, 4000 * Y)),
        ),
    )
    rule = NoPenaltyRule("first_offence", "1", 12, (), (CORRECTED,))
    discretion_benchmark_add(
        actor=None,
        matter=matter,
        benchmark=Benchmark(
            matter.code, "1", dt.date(2026, 1, 1), None, "某局食品安全行政处罚裁量基准", (entry,), (rule,)
        ),
    )


def lead_of(w, matter, act_date=ACT):
    return case_create(
        actor=w.officer,
        agency=w.agency,
        title="涉嫌经营超过保质期的食品案",
        procedure="ordinary",
        party=w.company,
        officers=[w.zhang, w.li],
        enforcement_field="市场监管",
        act_date=act_date,
        discovered_on=DISCOVERED,
        on=DISCOVERED,
        matter=matter,
    )


def test_repeat_offence_across_two_cases_of_the_same_party():
    w = world_make()
    matter = registry.matter_create(
        actor=None,
        agency=w.agency,
        code=f"SP-{w.agency.pk}",
        name="对经营超过保质期食品的处罚",
        kind="penalty",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"}],
    )
    benchmark_for(matter)
    facts = ["及时改正：是"]

    first = to_decided(w, lead_of(w, matter), discretion_facts=facts)
    details = case_texts(first).discretion
    assert details.benchmark == f"{matter.code}/1" and details.tier == "lighter"
    assert details.band == "1000元以上3000元以下" and details.position == "within"
    assert [(n.kind, n.eligible, n.reasons) for n in details.no_penalty] == [
        ("first_offence", True, ("近12个月内首次违法", "及时改正"))
    ]
    statement = case_texts(first).decision.discretion
    assert statement.startswith("本机关依据某局食品安全行政处罚裁量基准第1版（2026-01-01起）")
    assert "适用从轻处罚（及时改正）" in statement and "本案罚款3000元，在裁量基准范围内" in statement
    assert first.facts["decision"]["discretion"] == "within"
    # The 决定书 states it, before the penalty.
    document = first.documents.get(kind="decision_document")
    text = pdf_text(document)
    assert "本机关依据某局食品安全行政处罚裁量基准第1版" in text and "适用从轻处罚" in text
    assert text.index("适用从轻处罚") < text.index("本机关决定对当事人作出如下行政处罚")

    second = to_notified(w, lead_of(w, matter, dt.date(2026, 3, 4)))
    # Before drafting, the case page shows the benchmark in force and the factors to enter.
    client = Client()
    client.force_login(w.officer)
    page = client.get(reverse("cases:case_detail", args=[second.pk])).content.decode()
    guide = page[page.index('data-testid="discretion-guide"') :]
    assert "某局食品安全行政处罚裁量基准 第1版（2026-01-01起施行）" in guide
    assert "裁量因素：及时改正" in guide and "4000元以上5000元以下" in guide
    # Outside the band without a reason, and a factor the benchmark does not know: both reasons.
    with pytest.raises(Refused) as refused:
        perform(
            second,
            "draft_decision",
            FIRST_DECISION_DAY,
            w.officer,
            outcome="penalty",
            **PENALTY,
            discretion_facts=[*facts, "态度良好：是"],
        )
    found = {(v.code, v.field) for v in refused.value.violations}
    assert found == {
        ("discretion.facts", "discretion_facts"),
        ("discretion.explanation", "discretion_explanation"),
    }
    explanation = next(v for v in refused.value.violations if v.code == "discretion.explanation")
    assert explanation.legal_basis == MITIGATION_BASIS
    assert "低于裁量基准建议的幅度（4000元以上5000元以下），须书面说明理由" in explanation.message
    # The allowed path: the reason written.
    second = perform(
        second,
        "draft_decision",
        FIRST_DECISION_DAY,
        w.officer,
        outcome="penalty",
        **PENALTY,
        discretion_facts=facts,
        discretion_explanation="当事人主动召回全部问题食品，消除了危害后果",
    )
    details = case_texts(second).discretion
    assert details.tier == "heavier" and details.earlier == (first.number,)
    assert details.position == "below"
    [no_penalty] = details.no_penalty
    assert not no_penalty.eligible
    assert no_penalty.reasons == (f"近12个月内已有同类违法（{first.number}），不是首次违法",)
    assert second.facts["decision"]["discretion"] == "mitigated"
    # The case page shows the proposal with its basis and the earlier case.
    page = client.get(reverse("cases:case_detail", args=[second.pk])).content.decode()
    card = page[page.index('data-testid="discretion"') :]
    assert "裁量阶次：从重处罚（同类违法次数不少于1）" in card and "低于裁量基准" in card
    assert first.number in card and "建议幅度：4000元以上5000元以下" in card
    assert "理由：当事人主动召回全部问题食品" in case_texts(second).decision.discretion
    # Outside the band is a criterion of the review catalogue (by default on): the case is major.
    from sanxiang.cases.selectors import case_snapshot_build, guard_context

    codes = major_assessment(case_snapshot_build(second), guard_context(on=FIRST_DECISION_DAY)).codes
    assert "catalogue.discretion" in codes


def test_without_a_benchmark_the_officers_choice_stands():
    w = world_make()
    case = to_notified(w)
    case = perform(
        case,
        "draft_decision",
        FIRST_DECISION_DAY,
        w.officer,
        outcome="penalty",
        **PENALTY,
        discretion="aggravated",
    )
    assert case.facts["decision"]["discretion"] == "aggravated" and case_texts(case).discretion is None
