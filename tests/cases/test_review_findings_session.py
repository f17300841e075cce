"""Probes of the attacker review of this session's case code: each states what was wrong, fails
before its fix, and shows the allowed path.

- The evidence a document lists (`case_evidence_files`) is read while a document's file is still to
  follow (its Word copy, an internal document's PDF): a NULL in `NOT IN (…)` emptied the list.
- Facts entered at drafting (`procedure.discretion.facts_parse`) that are no finite number, negative
  or absurdly large are reported, never raised.
- 行政处罚法第三十三条第一款: a minor act corrected in time with no harm "不予行政处罚": when the
  benchmark's 轻微不罚 conditions hold on the facts the officer entered, a penalty is refused.
- 减轻处罚 (below the statutory minimum) needs a legal ground (第三十二条 and the like), stated in the
  decision: a free-text reason alone is not enough when the benchmark's tier is not 减轻."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from sanxiang.cases.models import IssuedDocument
from sanxiang.cases.selectors import case_evidence_files, case_texts
from sanxiang.evidence import services as evidence
from sanxiang.procedure.discretion import (
    MITIGATION_BASIS,
    NO_PENALTY_BASIS,
    Band,
    Benchmark,
    Condition,
    Entry,
    NoPenaltyRule,
    RangeFine,
    Tier,
    facts_parse,
)
from sanxiang.procedure.penalty.texts import DiscretionNoPenalty
from sanxiang.registry import services as registry
from sanxiang.registry.discretion_services import discretion_benchmark_add
from tests.cases import support as s
from tests.cases.test_discretion_drafting import lead_of
from tests.evidence.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

Y = 100
CORRECTED = Condition("及时改正", "及时改正")
NO_HARM = Condition("危害后果", "危害后果", "false")
GAINS = Condition("违法所得", "违法所得", "<=", 5000 * Y, unit="元")


# --- the evidence listed while a file is still to follow ------------------------------------------


def test_the_evidence_listed_does_not_vanish_while_a_documents_file_is_still_to_follow(settings):
    settings.SANXIANG_DOCUMENT_COPIES = "background"
    w = s.world_make()
    case = s.perform(
        s.lead_make(w), "approve_opening", s.OPENED, w.head, approval="agree", opinion="同意立案"
    )
    case = s.perform(case, "open", s.OPENED, w.officer, **s.OPEN)
    pending = IssuedDocument.objects.get(case=case)
    assert pending.pdf_id is None and pending.docx_id is None  # the job has not run
    evidence.evidence_ingest(
        actor=w.officer,
        source=io.BytesIO(jpeg_bytes(seed=81)),
        meta=evidence.evidence_metadata_check(
            actor=w.officer, case=case, step="", kind="photo", original_name="营业执照.jpg"
        ),
    )
    # The 调查终结报告, the 告知书 and the 决定书 list it: it must be there whatever the job's progress.
    assert [f.title for f in case_evidence_files(case_id=case.pk)] == ["营业执照"]


# --- facts entered at drafting ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999999元", "-3000元"])
def test_a_fact_that_is_no_finite_non_negative_amount_is_reported_not_raised(value):
    facts, problems = facts_parse([f"违法所得：{value}"], (GAINS,))
    assert "违法所得" not in facts
    assert len(problems) == 1 and "违法所得" in problems[0]


def test_a_fact_within_range_is_read():
    assert facts_parse(["违法所得：3000.50元"], (GAINS,)) == ({"违法所得": 300050}, [])


# --- 轻微不罚 and 减轻 at drafting ---------------------------------------------------------------------


def _matter_with_benchmark(w):
    matter = registry.matter_create(
        actor=None,
        agency=w.agency,
        code=f"SP-{w.agency.pk}",
        name="对经营超过保质期食品的处罚",
        kind="penalty",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"}],
    )
    entry = Entry(
        "1",
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第三十四条",
        "《中华人民共和国食品安全法》第一百二十四条",
        RangeFine(1000 * Y, 5000 * Y),
        (
            Tier("lighter", (CORRECTED,), Band(1000 * Y, 3000 * Y)),
            Tier("ordinary", (), Band(3000 * Y, 4000 * Y)),
        ),
    )
    minor = NoPenaltyRule("minor", "1", 12, (), (CORRECTED, NO_HARM))
    discretion_benchmark_add(
        actor=None,
        matter=matter,
        benchmark=Benchmark(
            matter.code, "1", dt.date(2026, 1, 1), None, "某局食品安全行政处罚裁量基准", (entry,), (minor,)
        ),
    )
    return matter


def test_a_penalty_is_refused_when_the_minor_act_rule_holds_on_the_facts_entered():
    w = s.world_make()
    case = s.to_notified(w, lead_of(w, _matter_with_benchmark(w)))
    violations = s.refusal(
        lambda: s.perform(
            case,
            "draft_decision",
            s.FIRST_DECISION_DAY,
            w.officer,
            outcome="penalty",
            **s.PENALTY,
            discretion_facts=["及时改正：是", "危害后果：否"],
        )
    )
    [minor] = [v for v in violations if v.code == "discretion.no_penalty_mandatory"]
    assert minor.legal_basis == NO_PENALTY_BASIS and minor.field == "outcome"
    assert "不予行政处罚" in minor.message and "轻微不罚" in minor.message
    # The allowed path: not penalised, and the case page says the law's word (不予, not 可以不予).
    not_penalised = s.perform(
        case,
        "draft_decision",
        s.FIRST_DECISION_DAY,
        w.officer,
        outcome="no_penalty",
        no_penalty_reason="minor_and_corrected",
        reasoning="当事人违法行为轻微并及时改正，没有造成危害后果。",
        education="本机关已对当事人进行批评教育。",
        discretion_facts=["及时改正：是", "危害后果：否"],
    )
    [finding] = case_texts(not_penalised).discretion.no_penalty
    assert finding.eligible and finding.effect == "依法不予行政处罚"
    page = s.csrf_client(w.officer).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    card = page[page.index('data-testid="discretion"') :]
    assert "轻微不罚：符合（及时改正；" in card and "），依法不予行政处罚" in card
    assert "可以不予行政处罚" not in card
    # Or the facts as they are (harm was done): the penalty inside the band.
    case = s.perform(
        not_penalised,
        "draft_decision",
        s.FIRST_DECISION_DAY,
        w.officer,
        outcome="penalty",
        **s.PENALTY,
        discretion_facts=["及时改正：是", "危害后果：是"],
    )
    assert case_texts(case).discretion.position == "within"


def test_a_fine_below_the_statutory_minimum_needs_a_legal_ground_of_reduction():
    w = s.world_make()
    case = s.to_notified(w, lead_of(w, _matter_with_benchmark(w)))
    below = s.PENALTY | {"fine_yuan": "500"}
    reason = "当事人主动消除违法行为危害后果"
    violations = s.refusal(
        lambda: s.perform(
            case,
            "draft_decision",
            s.FIRST_DECISION_DAY,
            w.officer,
            outcome="penalty",
            **below,
            discretion_facts=["及时改正：是", "危害后果：是"],
            discretion_explanation=reason,
        )
    )
    assert [(v.code, v.field, v.legal_basis) for v in violations] == [
        ("discretion.below_statute", "mitigation_recorded", MITIGATION_BASIS)
    ]
    assert "低于法定最低额1000元" in violations[0].message and "减轻" in violations[0].message
    # The allowed path: the legal ground recorded and stated (已依法从轻或者减轻处罚并写明).
    case = s.perform(
        case,
        "draft_decision",
        s.FIRST_DECISION_DAY,
        w.officer,
        outcome="penalty",
        **below,
        discretion_facts=["及时改正：是", "危害后果：是"],
        discretion_explanation=reason,
        mitigation_recorded=True,
    )
    assert case.facts["decision"]["discretion"] == "mitigated"


def test_a_first_offence_may_be_exempted_a_minor_act_is_not_penalised():
    assert DiscretionNoPenalty("first_offence", "首违不罚", True).effect == "可以不予行政处罚"
    assert DiscretionNoPenalty("minor", "轻微不罚", True).effect == "依法不予行政处罚"
