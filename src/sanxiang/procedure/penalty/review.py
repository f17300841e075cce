"""Legal review of major decisions (重大执法决定法制审核) and collective discussion (集体讨论).

Which decisions are major (the agency's catalogue, 第五十八条, 118号), who may review them, what
the case office must send, what the reviewer must check, and when a review or a discussion lets
the decision through. Every function answers with values or `Violation`s, never by raising, so
that a refused step shows every reason at once; the decision gate itself is
`guards.decision_review`, which reads `review_gate` below.

Whether a case is major is never stored: it is recomputed from the snapshot (the proposed
decision, the hearing, the marks, the catalogue in force) every time it is read, so a changed
draft changes the answer at once.
"""

import datetime as dt
from dataclasses import dataclass

from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.penalty.basis import GUIDELINE_118, penalty_article
from sanxiang.procedure.penalty.rules import (
    Day,
    day_from,
    hearing_held,
    investigator_ids,
    parameter,
)
from sanxiang.procedure.penalty.snapshot import (
    CHECKLIST_FINDINGS,
    DISCRETION,
    MAJOR_CONDITIONS,
    PENALTY_KINDS,
    REVIEW_CHECKLIST,
    REVIEW_OPINIONS,
    REVIEW_PACKAGE_ITEMS,
    ChecklistFinding,
    CollectiveDiscussion,
    PenaltyCaseSnapshot,
    ReviewCatalogue,
    ReviewOpinion,
    ReviewRequest,
    yuan,
)
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.violations import Violation

Snapshot = PenaltyCaseSnapshot
ART_57 = penalty_article(57, detail="第二款")
ART_58 = penalty_article(58)
REVIEW_BASIS = f"{ART_58}；{GUIDELINE_118}"

# Where a criterion comes from decides who may clear it: the agency head may override the
# catalogue's (with a reason); the case office may withdraw its own marks; nobody can undo a
# hearing that was held.
CATALOGUE = "catalogue"
STATUTE = "statute"
OFFICE = "office"


@dataclass(frozen=True)
class MajorCriterion:
    code: str
    label: str
    source: str  # catalogue | statute | office
    legal_basis: str


@dataclass(frozen=True)
class MajorAssessment:
    """Why the case is (or is not) a major decision: the criteria that hold, and the catalogue
    criteria the agency head overrode."""

    criteria: tuple[MajorCriterion, ...]
    overridden: tuple[MajorCriterion, ...]

    @property
    def is_major(self) -> bool:
        return bool(self.criteria)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)


def catalogue_in_force(snapshot: Snapshot, context: GuardContext) -> ReviewCatalogue:
    """The agency's catalogue, or the deployment's default catalogue from the parameters."""
    if snapshot.catalogue is not None:
        return snapshot.catalogue
    on = context.today
    kinds = parameter(context, snapshot, "penalty.review.catalogue_kinds", on=on)
    natural = parameter(context, snapshot, "penalty.review.catalogue_fine_natural_person_fen", on=on)
    organization = parameter(context, snapshot, "penalty.review.catalogue_fine_organization_fen", on=on)
    inclusive = parameter(context, snapshot, "penalty.review.catalogue_amount_inclusive", on=on)
    deviation = parameter(context, snapshot, "penalty.review.discretion_deviation_major", on=on)
    discussion = parameter(context, snapshot, "penalty.collective_discussion.required_for", on=on)
    return ReviewCatalogue(
        kinds=frozenset(kinds.value),
        fine_natural_person_fen=natural.value,
        fine_organization_fen=organization.value,
        amount_inclusive=inclusive.value,
        discretion_deviation=deviation.value,
        discussion_for=frozenset(discussion.value),
        reference=f"默认重大执法决定法制审核目录（{kinds.reference}）",
    )


def _catalogue_basis(catalogue: ReviewCatalogue) -> str:
    return f"{ART_58}；{catalogue.reference or '本机关重大执法决定法制审核目录清单'}"


def major_criteria_matched(snapshot: Snapshot, context: GuardContext) -> list[MajorCriterion]:
    """Every criterion that makes the proposed decision major, before any override."""
    catalogue = catalogue_in_force(snapshot, context)
    basis = _catalogue_basis(catalogue)
    found: list[MajorCriterion] = []
    decision = snapshot.decision
    if decision is not None and decision.outcome == "penalty" and decision.penalty is not None:
        terms = decision.penalty
        listed = [k for k in PENALTY_KINDS if k in terms.kinds and k in catalogue.kinds]
        if listed:
            names = "、".join(PENALTY_KINDS[k] for k in listed)
            found.append(MajorCriterion("catalogue.kind", f"处罚种类{names}列入法制审核目录", CATALOGUE, basis))
        limit = (
            catalogue.fine_natural_person_fen
            if snapshot.party.kind == "natural_person"
            else catalogue.fine_organization_fen
        )
        amount = max(terms.fine_fen if "fine" in terms.kinds else 0, terms.confiscation_fen)
        if amount > limit or (catalogue.amount_inclusive and amount == limit and amount > 0):
            word = "达到" if catalogue.amount_inclusive else "超过"
            found.append(
                MajorCriterion("catalogue.amount", f"罚没数额{yuan(amount)}{word}目录标准（{yuan(limit)}）", CATALOGUE, basis)
            )
        if catalogue.discretion_deviation and decision.discretion in ("mitigated", "aggravated"):
            found.append(MajorCriterion("catalogue.discretion", DISCRETION[decision.discretion], CATALOGUE, basis))
    if snapshot.matter and snapshot.matter in catalogue.matters:
        found.append(MajorCriterion("catalogue.matter", "执法事项列入法制审核目录", CATALOGUE, basis))
    for key, label in MAJOR_CONDITIONS.items():
        if key in snapshot.major_conditions:
            article = penalty_article(58, detail="第一款第一项") if key == "public_interest" else REVIEW_BASIS
            if key == "required_by_law":
                article = penalty_article(58, detail="第一款第四项")
            found.append(MajorCriterion(f"condition.{key}", label, OFFICE, article))
    if hearing_held(snapshot):
        found.append(
            MajorCriterion("statute.hearing", "经过听证程序", STATUTE, penalty_article(58, detail="第一款第二项"))
        )
    if snapshot.complex_case:
        found.append(
            MajorCriterion(
                "statute.complex", "案件情况疑难复杂、涉及多个法律关系", OFFICE, penalty_article(58, detail="第一款第三项")
            )
        )
    if snapshot.major_case:
        found.append(MajorCriterion("office.mark", "承办机构认定为重大执法决定", OFFICE, REVIEW_BASIS))
    return found


def major_assessment(snapshot: Snapshot, context: GuardContext) -> MajorAssessment:
    matched = major_criteria_matched(snapshot, context)
    # An override holds for the draft the head saw: a new amount, kind or wording is a new
    # question, which the head must answer again.
    key = snapshot.decision.key() if snapshot.decision is not None else ""
    cleared: set[str] = set()
    for override in snapshot.major_overrides:
        if not override.draft or override.draft == key:
            cleared |= override.criteria
    kept = tuple(c for c in matched if not (c.source == CATALOGUE and c.code in cleared))
    overridden = tuple(c for c in matched if c.source == CATALOGUE and c.code in cleared)
    return MajorAssessment(kept, overridden)


def review_reasons(snapshot: Snapshot, context: GuardContext) -> list[str]:
    """Why the decision needs a passing legal review; [] when it does not."""
    return [c.label for c in major_assessment(snapshot, context).criteria]


def discussion_reasons(snapshot: Snapshot, context: GuardContext) -> list[str]:
    """Why the decision must be taken by the leaders' collective discussion (第五十七条第二款:
    giving a penalty for 情节复杂或者重大违法行为; not a decision to impose none)."""
    decision = snapshot.decision
    if decision is not None and decision.outcome != "penalty":
        return []
    # 第五十七条第二款 asks it for complex and major cases whatever the catalogue says; a catalogue
    # can only add to it.
    required = {"major", "complex"} | set(catalogue_in_force(snapshot, context).discussion_for)
    reasons = []
    if "complex" in required and snapshot.complex_case:
        reasons.append("情节复杂")
    if "major" in required and major_assessment(snapshot, context).is_major:
        reasons.append("属于重大执法决定")
    return reasons


def collective_discussion_required(snapshot: Snapshot, context: GuardContext) -> bool:
    return bool(discussion_reasons(snapshot, context))


# --- marks and overrides -------------------------------------------------------------------------


def major_override_problems(
    snapshot: Snapshot, context: GuardContext, *, criteria: frozenset[str], reason: str, actor_is_head: bool
) -> list[Violation]:
    """Clearing catalogue criteria: only the agency head, only with a reason, and only criteria
    of the catalogue that currently hold (a statute's criterion cannot be overridden)."""
    problems = []
    matched = {c.code: c for c in major_criteria_matched(snapshot, context)}
    if not criteria:
        problems.append(Violation("penalty.major.override_empty", "请选择要排除的目录情形", REVIEW_BASIS, "criteria"))
    for code in sorted(criteria):
        criterion = matched.get(code)
        if criterion is None:
            problems.append(
                Violation("penalty.major.override_not_matched", f"本案目前不符合“{code}”情形，无须排除", REVIEW_BASIS, "criteria")
            )
        elif criterion.source != CATALOGUE:
            problems.append(
                Violation(
                    "penalty.major.override_statutory",
                    f"“{criterion.label}”是法定或者承办机构认定的情形，不能由负责人排除",
                    criterion.legal_basis,
                    "criteria",
                )
            )
    if snapshot.review_requests:
        problems.append(
            Violation(
                "penalty.major.override_after_submission",
                "本案已送法制审核，不能再决定不按重大执法决定办理；审核意见须由审核程序给出",
                REVIEW_BASIS,
                "criteria",
            )
        )
    if not actor_is_head:
        problems.append(
            Violation(
                "penalty.major.override_needs_head",
                "法制审核目录认定的重大执法决定，只有行政机关负责人可以决定不按重大执法决定办理",
                f"{REVIEW_BASIS}（行政机关主要负责人是推动落实本机关重大执法决定法制审核制度的第一责任人）",
                "actor",
            )
        )
    if not reason.strip():
        problems.append(
            Violation("penalty.major.override_reason", "请写明不按重大执法决定办理的理由（记入账本）", REVIEW_BASIS, "reason")
        )
    return problems


def major_mark_change_problems(
    snapshot: Snapshot, *, major_case: bool, conditions: frozenset[str], complex_case: bool, actor_is_head: bool
) -> list[Violation]:
    """The case office may add marks at any time; once the draft has been sent for review, only
    the head may withdraw one (else un-marking would walk round a 不同意)."""
    removed = (
        (snapshot.major_case and not major_case)
        or bool(snapshot.major_conditions - conditions)
        or (snapshot.complex_case and not complex_case)
    )
    if removed and snapshot.review_requests and not actor_is_head:
        return [
            Violation(
                "penalty.major.unmark_after_submission",
                "本案已送法制审核，撤销重大执法决定情形须由机关负责人决定",
                REVIEW_BASIS,
                "major_case",
            )
        ]
    return []


# --- requests (送审) -------------------------------------------------------------------------------


def current_request(snapshot: Snapshot) -> ReviewRequest | None:
    return max(snapshot.review_requests, key=lambda r: r.round, default=None)


def opinion_for(snapshot: Snapshot, request: ReviewRequest) -> ReviewOpinion | None:
    answers = [o for o in snapshot.review_opinions if o.round == request.round]
    return answers[-1] if answers else None


def latest_opinion(snapshot: Snapshot) -> ReviewOpinion | None:
    # Opinions are appended in the order they were given; the last one decides.
    return snapshot.review_opinions[-1] if snapshot.review_opinions else None


def pending_request(snapshot: Snapshot) -> ReviewRequest | None:
    """The request the review office has not answered yet, if any."""
    request = current_request(snapshot)
    if request is None or opinion_for(snapshot, request) is not None:
        return None
    return request


def review_package_required(snapshot: Snapshot) -> dict[str, str]:
    """The package items this case must send: the hearing transcript only after a hearing."""
    items = dict(REVIEW_PACKAGE_ITEMS)
    if not hearing_held(snapshot):
        items.pop("hearing_transcript")
    return items


def review_submission_problems(
    snapshot: Snapshot, context: GuardContext, *, package: frozenset[str], response: str = ""
) -> list[Violation]:
    """Whether the case office may send the draft for review with this package."""
    problems = []
    if snapshot.decision is None:
        problems.append(
            Violation("penalty.review.no_draft", "尚未拟定处理决定，不能送审", REVIEW_BASIS, "decision")
        )
    if pending_request(snapshot) is not None:
        problems.append(
            Violation("penalty.review.pending", "上一次送审尚未出具审核意见，不能重复送审", REVIEW_BASIS, "review")
        )
    # Package items that are records of the case are checked against the records, not the form.
    present = set(package)
    if snapshot.decision is not None:
        present.add("draft_decision")
    for item in ("investigation_report", "hearing_transcript"):
        if item in snapshot.records:
            present.add(item)
        else:
            present.discard(item)
    for item, label in review_package_required(snapshot).items():
        if item not in present:
            problems.append(
                Violation(
                    "penalty.review.package_incomplete",
                    f"送审材料不齐全：缺少{label}",
                    f"{GUIDELINE_118}（承办机构对送审材料的真实性、准确性、完整性负责）",
                    f"package.{item}",
                )
            )
    last = latest_opinion(snapshot)
    if last is not None and last.opinion != "agree" and not response.strip():
        problems.append(
            Violation(
                "penalty.review.response_missing",
                f"上一次审核意见为“{REVIEW_OPINIONS.get(last.opinion, last.opinion)}”，重新送审须说明补充、修改的情况",
                REVIEW_BASIS,
                "response",
            )
        )
    if (
        last is not None
        and last.opinion == "agree"
        and snapshot.decision is not None
        and last.reviewed_draft == snapshot.decision.key()
    ):
        problems.append(
            Violation(
                "penalty.review.already_agreed",
                "法制审核已同意本处理决定，且决定未改变，无须重新送审",
                REVIEW_BASIS,
                "review",
            )
        )
    return problems


def reviewer_problems(snapshot: Snapshot, reviewer: OfficerSnapshot, *, first_time: bool) -> list[Violation]:
    """Whether this officer may review this case: a designated legal reviewer who did not
    investigate it (回避) and, when reviewing penalties for the first time, holds the 法律职业资格."""
    problems = []
    if reviewer.status != "active":
        problems.append(
            Violation("penalty.review.reviewer_inactive", f"{reviewer.name}不在岗，不能审核", REVIEW_BASIS, "reviewer")
        )
    if not reviewer.is_legal_reviewer:
        problems.append(
            Violation(
                "penalty.review.reviewer_not_designated", f"{reviewer.name}不是本机关的法制审核人员", REVIEW_BASIS, "reviewer"
            )
        )
    if reviewer.id in investigator_ids(snapshot) or reviewer.id in submitter_ids(snapshot):
        problems.append(
            Violation(
                "penalty.review.reviewer_investigated",
                f"{reviewer.name}参与了本案调查或者送审，应当回避，不能审核本案",
                REVIEW_BASIS,
                "reviewer",
            )
        )
    if first_time and not reviewer.has_legal_qualification:
        problems.append(
            Violation(
                "penalty.review.reviewer_unqualified",
                f"{reviewer.name}初次从事行政处罚决定法制审核，须取得法律职业资格",
                penalty_article(58, detail="第二款"),
                "reviewer",
            )
        )
    return problems


def submitter_ids(snapshot: Snapshot) -> set[int]:
    """Who sent the draft for review: the case office, which the review office checks."""
    return {r.submitted_by for r in snapshot.review_requests if r.submitted_by is not None}


def review_due(request: ReviewRequest, snapshot: Snapshot, context: GuardContext) -> Day:
    """The day the opinion is due: the local period from submission, or the approved extension."""
    days = parameter(context, snapshot, "penalty.review.period_working_days", on=request.submitted_on)
    due = day_from(context.calendar.working_days_after(request.submitted_on, days.value), days.reference)
    if request.extended_to is not None and request.extended_to > due.date:
        return Day(request.extended_to, False, f"{days.reference}；经批准延长")
    return due


def review_extension_problems(snapshot: Snapshot, context: GuardContext, *, extend_to: dt.date) -> list[Violation]:
    request = pending_request(snapshot)
    if request is None:
        return [Violation("penalty.review.nothing_pending", "没有待审核的送审，无须延长", REVIEW_BASIS, "review")]
    problems = []
    extension = parameter(context, snapshot, "penalty.review.extension_working_days", on=request.submitted_on)
    if request.extended_to is not None:
        problems.append(
            Violation("penalty.review.extended_twice", "审核期限已经延长过一次", extension.reference, "extend_to")
        )
    due = review_due(request, snapshot, context)
    latest = context.calendar.working_days_after(due.date, extension.value).date
    if extend_to <= due.date:
        problems.append(
            Violation(
                "penalty.review.extension_not_later",
                f"延长后的期限（{extend_to.isoformat()}）应当晚于原期限（{due.date.isoformat()}）",
                extension.reference,
                "extend_to",
            )
        )
    elif extend_to > latest:
        problems.append(
            Violation(
                "penalty.review.extension_too_long",
                f"审核期限最多延长{extension.value}个工作日，即至{latest.isoformat()}",
                extension.reference,
                "extend_to",
            )
        )
    return problems


# --- opinions (审核意见) ---------------------------------------------------------------------------


def review_opinion_problems(
    snapshot: Snapshot,
    context: GuardContext,
    *,
    reviewer: OfficerSnapshot | None,
    first_time: bool,
    opinion: str,
    checklist: tuple[ChecklistFinding, ...],
    reasons: str,
) -> list[Violation]:
    """Whether this opinion may be given: on a pending request, by its assigned reviewer, with
    every checklist item answered and an opinion consistent with the findings."""
    problems = []
    request = pending_request(snapshot)
    if request is None:
        problems.append(Violation("penalty.review.nothing_pending", "没有待审核的送审", REVIEW_BASIS, "review"))
    if reviewer is None:
        problems.append(
            Violation("penalty.review.not_an_officer", "您的账号未关联法制审核人员，不能出具审核意见", REVIEW_BASIS, "reviewer")
        )
    else:
        if request is not None and request.reviewer_id is not None and request.reviewer_id != reviewer.id:
            problems.append(
                Violation("penalty.review.not_assigned", f"本次送审未分配给{reviewer.name}审核", REVIEW_BASIS, "reviewer")
            )
        problems += reviewer_problems(snapshot, reviewer, first_time=first_time)
    if opinion not in REVIEW_OPINIONS:
        problems.append(Violation("penalty.review.opinion_unknown", "请选择审核意见", REVIEW_BASIS, "opinion"))
    given = {f.item: f for f in checklist}
    for item, label in REVIEW_CHECKLIST.items():
        finding = given.get(item)
        if finding is None or finding.finding not in CHECKLIST_FINDINGS:
            problems.append(
                Violation("penalty.review.checklist_incomplete", f"审核事项“{label}”未填写审核结论", REVIEW_BASIS, f"checklist.{item}")
            )
        elif finding.finding == "fail" and not finding.note.strip():
            problems.append(
                Violation(
                    "penalty.review.checklist_note_missing",
                    f"审核事项“{label}”结论为不符合，请写明问题",
                    REVIEW_BASIS,
                    f"checklist.{item}",
                )
            )
    failed = [REVIEW_CHECKLIST[i] for i, f in given.items() if i in REVIEW_CHECKLIST and f.finding == "fail"]
    if opinion == "agree" and failed:
        problems.append(
            Violation(
                "penalty.review.agree_with_problems",
                "审核事项" + "、".join(f"“{x}”" for x in failed) + "不符合，不能出具“同意”的审核意见",
                REVIEW_BASIS,
                "opinion",
            )
        )
    if not reasons.strip():
        problems.append(Violation("penalty.review.reasons_missing", "请写明审核意见的理由", REVIEW_BASIS, "reasons"))
    return problems


# --- collective discussion ---------------------------------------------------------------------

DISCUSSION_RESOLUTIONS: dict[str, str] = {
    "adopt_draft": "维持承办机构拟作出的决定",
    "adopt_review": "采纳法制审核意见，由承办机构修改后重新送审",
}


def standing_disagreement(snapshot: Snapshot) -> bool:
    """The review office did not agree, and the case office has not changed its draft since."""
    last = latest_opinion(snapshot)
    decision = snapshot.decision
    return (
        last is not None
        and last.opinion == "disagree"
        and decision is not None
        and pending_request(snapshot) is None
        and last.reviewed_draft == decision.key()
    )


def collective_discussion_problems(
    snapshot: Snapshot, context: GuardContext, *, leader_count: int, resolution: str
) -> list[Violation]:
    problems = []
    minimum = parameter(context, snapshot, "penalty.collective_discussion.min_leaders", on=context.today)
    if leader_count < minimum.value:
        problems.append(
            Violation(
                "penalty.discussion.too_few_leaders",
                f"集体讨论应当有不少于{minimum.value}名机关负责人参加，本次为{leader_count}名",
                f"{ART_57}；{minimum.reference}",
                "leaders",
            )
        )
    if snapshot.decision is None:
        problems.append(Violation("penalty.discussion.no_draft", "尚未拟定处理决定，没有可以讨论的内容", ART_57, "decision"))
    if resolution and resolution not in DISCUSSION_RESOLUTIONS:
        problems.append(
            Violation("penalty.discussion.resolution_unknown", "分歧处理方式无效", ART_57, "resolution")
        )
    elif resolution:
        allowed = parameter(
            context, snapshot, "penalty.review.disagreement_resolved_by_collective_discussion", on=context.today
        )
        if not allowed.value:
            problems.append(
                Violation(
                    "penalty.discussion.resolution_not_allowed",
                    "本地规定承办机构与法制审核机构的分歧不由集体讨论决定",
                    allowed.reference,
                    "resolution",
                )
            )
        elif not standing_disagreement(snapshot):
            problems.append(
                Violation(
                    "penalty.discussion.no_disagreement",
                    "本案没有未解决的审核分歧（最近一次审核意见不是“不同意”，或者拟作出的决定已修改）",
                    allowed.reference,
                    "resolution",
                )
            )
    return problems


def latest_discussion(snapshot: Snapshot) -> CollectiveDiscussion | None:
    return snapshot.collective_discussions[-1] if snapshot.collective_discussions else None


# --- the gate -----------------------------------------------------------------------------------


def resolved_by_discussion(snapshot: Snapshot, context: GuardContext, opinion: ReviewOpinion) -> bool:
    """The leaders settled a 不同意 in favour of the very draft now proposed (118号 coordination)."""
    allowed = parameter(context, snapshot, "penalty.review.disagreement_resolved_by_collective_discussion", on=context.today)
    decision = snapshot.decision
    if not allowed.value or opinion.opinion != "disagree" or decision is None:
        return False
    # Only the leaders' latest word on the disagreement counts: a later discussion that sided with
    # the review office undoes an earlier one that adopted the draft.
    settling = [d for d in snapshot.collective_discussions if d.resolution and d.held_on >= opinion.given_on]
    if not settling:
        return False
    last = settling[-1]
    return last.resolution == "adopt_draft" and last.adopted_draft == decision.key()


def _draft_matches(opinion: ReviewOpinion, snapshot: Snapshot) -> bool:
    decision = snapshot.decision
    if decision is None:
        return True
    if opinion.reviewed_draft:
        return opinion.reviewed_draft == decision.key()
    # Opinions recorded before drafts had keys: the outcome and the penalty.
    return opinion.reviewed_outcome == decision.outcome and opinion.reviewed_penalty == decision.penalty


def review_gate(snapshot: Snapshot, context: GuardContext) -> list[Violation]:
    """No decision on a major case without a passing review of this very draft (第五十八条):
    the latest opinion agrees with it, or the leaders' collective discussion settled a
    disagreement in favour of it; its reviewer may review this case."""
    assessment = major_assessment(snapshot, context)
    if not assessment.is_major:
        return []
    why = "；".join(assessment_labels(assessment))
    if not snapshot.review_opinions:
        if pending_request(snapshot) is not None:
            return [Violation("penalty.decision.review_pending", "已送法制审核，尚未出具审核意见，不得作出决定", ART_58, "review")]
        return [
            Violation(
                "penalty.decision.review_missing", f"本案须经法制审核（{why}），未经法制审核不得作出决定", ART_58, "review"
            )
        ]
    violations = []
    if pending_request(snapshot) is not None:
        violations.append(
            Violation("penalty.decision.review_pending", "最近一次送审尚未出具审核意见，不得作出决定", ART_58, "review")
        )
    latest = latest_opinion(snapshot)
    assert latest is not None
    resolved = resolved_by_discussion(snapshot, context, latest)
    if latest.opinion != "agree" and not resolved:
        label = REVIEW_OPINIONS.get(latest.opinion, "存在问题")
        violations.append(
            Violation(
                "penalty.decision.review_not_passed",
                f"{latest.given_on.isoformat()}的法制审核意见为“{label}”，审核未通过不得作出决定，须整改后重新送审",
                ART_58,
                "review",
            )
        )
    violations += [
        Violation(v.code.replace("penalty.review.", "penalty.decision."), v.message, v.legal_basis, "review")
        for v in reviewer_problems(snapshot, latest.reviewer, first_time=latest.reviewer_first_time)
    ]
    if not resolved and not _draft_matches(latest, snapshot):
        violations.append(
            Violation(
                "penalty.decision.review_outdated",
                "拟作出的决定与法制审核时的决定不一致（处理结果、处罚内容或者理由、依据已改变），须重新进行法制审核",
                ART_58,
                "review",
            )
        )
    return violations


def assessment_labels(assessment: MajorAssessment) -> list[str]:
    return [c.label for c in assessment.criteria]


def discussion_gate(snapshot: Snapshot, context: GuardContext) -> list[Violation]:
    """Complex or major cases are decided by the leaders' collective discussion (第五十七条第二款),
    of the draft now proposed."""
    reasons = discussion_reasons(snapshot, context)
    if not reasons:
        return []
    if "collective_discussion_record" not in snapshot.records:
        return [
            Violation(
                "penalty.decision.collective_discussion_missing",
                f"本案{'、'.join(reasons)}，给予行政处罚须经行政机关负责人集体讨论决定，尚无集体讨论记录",
                ART_57,
                "records",
            )
        ]
    latest = latest_discussion(snapshot)
    decision = snapshot.decision
    if latest is not None and latest.resolution == "adopt_review":
        # The leaders sided with the review office: the decision they take is on the revised draft.
        return [
            Violation(
                "penalty.decision.collective_discussion_outdated",
                "集体讨论决定采纳法制审核意见，修改后的决定须再经集体讨论",
                ART_57,
                "records",
            )
        ]
    if latest is not None and latest.adopted_draft and decision is not None and latest.adopted_draft != decision.key():
        return [
            Violation(
                "penalty.decision.collective_discussion_outdated",
                "拟作出的决定在集体讨论后已改变，须重新集体讨论",
                ART_57,
                "records",
            )
        ]
    return []


# --- status, for pages and reports --------------------------------------------------------------

REVIEW_STATES: dict[str, str] = {
    "not_required": "无须法制审核",
    "not_submitted": "待送审",
    "pending": "审核中",
    "returned": "退回补充材料",
    "disagreed": "审核不同意",
    "resolved": "分歧经集体讨论决定",
    "agreed": "审核同意",
    "outdated": "决定已改变，须重新送审",
}


@dataclass(frozen=True)
class ReviewStatus:
    code: str
    round: int
    due: Day | None = None
    reviewer_id: int | None = None

    @property
    def label(self) -> str:
        return REVIEW_STATES[self.code]


def review_status(snapshot: Snapshot, context: GuardContext) -> ReviewStatus:
    request = current_request(snapshot)
    rounds = request.round if request is not None else 0
    pending = pending_request(snapshot)
    if pending is not None:
        return ReviewStatus("pending", rounds, review_due(pending, snapshot, context), pending.reviewer_id)
    latest = latest_opinion(snapshot)
    reviewer_id = request.reviewer_id if request is not None else None
    if latest is None:
        code = "not_submitted" if major_assessment(snapshot, context).is_major else "not_required"
        return ReviewStatus(code, rounds, None, reviewer_id)
    if latest.opinion == "agree":
        code = "agreed" if _draft_matches(latest, snapshot) else "outdated"
    elif resolved_by_discussion(snapshot, context, latest):
        code = "resolved"
    else:
        code = "returned" if latest.opinion == "resubmit" else "disagreed"
    return ReviewStatus(code, rounds, None, reviewer_id)


__all__ = [
    "CATALOGUE",
    "DISCUSSION_RESOLUTIONS",
    "OFFICE",
    "REVIEW_STATES",
    "STATUTE",
    "MajorAssessment",
    "MajorCriterion",
    "ReviewStatus",
    "catalogue_in_force",
    "collective_discussion_problems",
    "collective_discussion_required",
    "current_request",
    "discussion_gate",
    "discussion_reasons",
    "latest_opinion",
    "major_assessment",
    "major_criteria_matched",
    "major_mark_change_problems",
    "major_override_problems",
    "opinion_for",
    "pending_request",
    "review_due",
    "review_extension_problems",
    "review_gate",
    "review_opinion_problems",
    "review_package_required",
    "review_reasons",
    "review_status",
    "review_submission_problems",
    "reviewer_problems",
    "standing_disagreement",
    "submitter_ids",
]
