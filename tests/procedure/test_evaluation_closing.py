"""The rules of the plan's closing steps (issue 15 item 7) as code: the summary is due on 15 November
(乌政办发〔2022〕115号 三（三）1, a parameter marked unverified); the acceptance checklist's criteria
follow the plan's tasks, each citing it; the maximum scores (100 in all) and the pass mark (80) are
the platform's parameters; a checklist to conclude lists every problem, each beside its field."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.closing import (
    CRITERIA,
    AcceptanceResult,
    acceptance_max_scores,
    acceptance_pass_score,
    acceptance_result,
    acceptance_scores_violations,
    acceptance_total,
    points_text,
    summary_due_basis,
    summary_due_on,
    summary_year_to_draft,
)
from sanxiang.procedure.parameters import parameters_default

D = dt.date


def test_the_summary_is_due_on_the_plans_day_and_says_so():
    assert summary_due_on(year=2026) == D(2026, 11, 15)
    assert "三（三）1" in summary_due_basis() and "乌政办发〔2022〕115号" in summary_due_basis()


def test_the_checklist_adds_up_to_a_hundred_and_passes_at_the_parameters_mark():
    max_scores = acceptance_max_scores(on=D(2026, 11, 20))
    assert list(max_scores) == [c.code for c in CRITERIA] and sum(max_scores.values()) == 100
    assert acceptance_pass_score(on=D(2026, 11, 20)) == 80
    assert acceptance_result(total=Decimal(80), pass_score=Decimal(80)) == AcceptanceResult.PASSED
    assert acceptance_result(total=Decimal("79.5"), pass_score=Decimal(80)) == AcceptanceResult.FAILED
    # Every criterion cites the plan's task it checks.
    assert all("乌审旗" in c.basis and "实施方案" in c.basis for c in CRITERIA)


def test_a_checklist_to_conclude_lists_every_problem():
    max_scores = acceptance_max_scores(on=D(2026, 11, 20))
    violations = acceptance_scores_violations(
        scores={"documents": "16", "training": "abc", "publicity": "18", "recording": "-1", "review": "20"},
        findings={},
        max_scores=max_scores,
        concluding=True,
    )
    assert [(v.code, v.field) for v in violations] == [
        ("acceptance.score.documents", "score_documents"),  # above 15
        ("acceptance.score.training", "score_training"),  # not a number
        ("acceptance.findings.publicity", "findings_publicity"),  # 2 points off, no finding
        ("acceptance.score.recording", "score_recording"),
        ("acceptance.score.reporting", "score_reporting"),  # not scored
    ]
    assert violations[0].message == "“制度建设”的得分应当在0到15分之间"
    assert violations[2].message == "“行政执法公示”扣了分，请写明发现的问题"
    # Saving without concluding: only what is wrong as typed.
    assert (
        len(
            acceptance_scores_violations(
                scores={"training": "abc"}, findings={}, max_scores=max_scores, concluding=False
            )
        )
        == 1
    )


@given(
    st.dictionaries(
        st.sampled_from([c.code for c in CRITERIA]),
        st.decimals(min_value=0, max_value=20, places=1, allow_nan=False),
    )
)
def test_the_total_is_the_sum_of_the_scores_and_the_result_follows_it(scores):
    total = acceptance_total(scores={k: str(v) for k, v in scores.items()})
    assert total == sum(scores.values(), Decimal(0))
    assert (acceptance_result(total=total, pass_score=Decimal(80)) == AcceptanceResult.PASSED) == (
        total >= 80
    )


def test_summaries_are_drafted_from_the_first_of_november_and_the_parameters_are_marked():
    assert summary_year_to_draft(on=D(2026, 10, 31)) is None
    assert summary_year_to_draft(on=D(2026, 11, 1)) == 2026
    parameters = parameters_default()
    assert parameters["evaluation.summary_due"].unverified
    for criterion in CRITERIA:
        parameter = parameters[f"evaluation.acceptance.max_score.{criterion.code}"]
        # Not law: the plan sets no scores; the county's bureau does.
        assert parameter.unverified and parameter.reference.startswith("平台规则")
    assert points_text(Decimal("15.0")) == "15" and points_text(Decimal("17.5")) == "17.5"
