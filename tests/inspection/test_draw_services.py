"""The 双随机 draw through the services: refusals with basis and the lawful path, the seed committed
and published before the draw, the ledger entries, the notice's public inputs repeating the draw.

Bases: 《优化营商环境条例》第五十四条 (random targets and officers, published); plans and special
inspections: 《海南省涉企行政检查条例（试行）》第十条 (parameters inspection_plans.*, unverified);
committing the seed before the draw: platform rule (COMMITMENT_BASIS)."""

import datetime as dt
import json

import pytest

from sanxiang.inspection import draw_services, plan_services
from sanxiang.inspection.models import DeclaredRelation, Inspection
from sanxiang.ledger.models import Entry
from sanxiang.procedure.draw import COMMITMENT_BASIS, seed_commitment
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicAgency, PublicInspectionNotice
from sanxiang_verify.draw import draw_run
from tests.inspection.support import TODAY, world_make

pytestmark = pytest.mark.django_db


def _task(world, **kwargs):
    return draw_services.draw_create(
        actor=world["head"], plan=world["plan"], title="第一批食品经营者抽查", items=[world["item"]],
        period_from=kwargs.get("period_from", dt.date(TODAY.year, 1, 1)),
        period_to=kwargs.get("period_to", dt.date(TODAY.year, 12, 31)), draw_on=kwargs.get("draw_on", TODAY))


def test_draw_before_commitment_is_refused_then_commit_and_draw():
    world = world_make()
    task = _task(world)
    with pytest.raises(Refused) as refused:
        draw_services.draw_run(actor=world["head"], task=task)
    assert [v.code for v in refused.value.violations] == ["inspection.draw.no_commitment"]
    assert refused.value.violations[0].legal_basis == COMMITMENT_BASIS
    assert not Inspection.objects.exists()
    # The lawful path: the commitment is recorded and published, then the draw.
    task = draw_services.draw_commit(actor=world["head"], task=task)
    notice = PublicInspectionNotice.objects.get(key=f"task:{task.pk}")
    assert notice.seed_commitment == task.seed_commitment == seed_commitment(task.seed)
    assert notice.seed == "" and notice.public_inputs == ""  # the seed is published only after the draw
    task = draw_services.draw_run(actor=world["head"], task=task)
    assert task.state == "drawn"
    notice.refresh_from_db()
    assert notice.seed == task.seed
    inputs = json.loads(notice.public_inputs)
    repeated = draw_run(inputs)  # what anyone runs on the published JSON
    assert repeated["seed_matches_commitment"] is True
    teams = {g["name"].removeprefix("officers:"): g["selected"] for g in repeated["groups"]
             if g["name"].startswith("officers:")}
    assert teams == {t["target"]: t["officers"] for t in task.result["teams"]}
    assert [d["credit_code"] for d in notice.drawn] == list(teams)
    # The inspections recorded: each drawn target with its pair of officers.
    inspections = Inspection.objects.filter(random_inspection=task).prefetch_related("officers__certificates")
    assert inspections.count() == len(teams) > 0
    for inspection in inspections:
        numbers = {c.number for o in inspection.officers.all() for c in o.certificates.all()}
        assert set(teams[inspection.target.credit_code]) <= numbers
    kinds = list(Entry.objects.filter(subject=f"inspection-draw:{task.pk}").order_by("seq").values_list("kind", flat=True))
    assert kinds == ["inspection.draw_created", "inspection.draw_committed", "inspection.draw_inputs",
                     "inspection.draw_result"]
    # No second draw of the same task.
    with pytest.raises(Refused) as again:
        draw_services.draw_run(actor=world["head"], task=task)
    assert [v.code for v in again.value.violations] == ["inspection.draw.done"]


def test_plan_not_approved_refuses_the_draw_with_its_basis():
    world = world_make(plan_state="draft")
    with pytest.raises(Refused) as refused:
        _task(world)
    codes = [v.code for v in refused.value.violations]
    assert codes == ["inspection.plan.not_approved"]
    basis = parameters_default()["inspection_plans.routine_requires_plan"].reference
    assert refused.value.violations[0].legal_basis == basis and "第十条" in basis
    # The annual plan is due with the 司法局 by the parameter's day (unverified: end of March).
    assert world["plan"].filing_due_on == dt.date(TODAY.year, 3, 31)
    # The lawful path: the head approves, then the task can be created.
    plan_services.plan_approve(actor=world["head"], plan=world["plan"])
    world["plan"].refresh_from_db()
    assert _task(world).state == "prepared"


def test_special_inspection_without_filing_is_refused_until_filed():
    world = world_make(kind="special", plan_state="approved")
    with pytest.raises(Refused) as refused:
        plan_services.plan_start_require(plan=world["plan"], on=TODAY)
    assert [v.code for v in refused.value.violations] == ["inspection.special.not_filed"]
    basis = parameters_default()["inspection_plans.special_requires_filing"].reference
    assert refused.value.violations[0].legal_basis == basis
    assert "备案" in refused.value.violations[0].message
    plan_services.plan_file(actor=world["supervisor"], plan=world["plan"], filing_reference="备-2026-7")
    world["plan"].refresh_from_db()
    plan_services.plan_start_require(plan=world["plan"], on=TODAY)  # no refusal once filed


def test_special_inspection_without_recorded_approval_cannot_be_approved():
    world = world_make(kind="annual", plan_state="draft")
    plan = world["plan"]
    plan.kind, plan.approval_authority, plan.approval_reference = "special", "", ""
    plan.save()
    with pytest.raises(Refused) as refused:
        plan_services.plan_approve(actor=world["head"], plan=plan)
    assert "inspection.plan.special_approval" in [v.code for v in refused.value.violations]
    plan = plan_services.plan_approve(actor=world["head"], plan=plan, approval_authority="乌审旗人民政府",
                                      approval_reference="乌政发〔2026〕3号")
    assert plan.state == "approved"


def test_recusal_and_already_inspected_are_recorded_and_hold():
    world = world_make(targets=6, officers=3)
    first, related_officer = world["targets"][0], world["officers"][0]
    DeclaredRelation.objects.create(officer=related_officer, target=first, relation="配偶")
    Inspection.objects.create(agency=world["agency"], target=world["targets"][1], source="planned",
                              planned_from=TODAY, planned_to=TODAY).items.set([world["item"]])
    task = draw_services.draw_commit(actor=world["head"], task=_task(world))
    kinds = {(e["kind"], e["subject"], e["target"]) for e in task.exclusions}
    related_number = related_officer.certificates.get().number
    assert ("recusal", related_number, first.credit_code) in kinds
    assert ("already_inspected", world["targets"][1].credit_code, "") in kinds
    task = draw_services.draw_run(actor=world["head"], task=task)
    for team in task.result["teams"]:
        assert team["target"] != world["targets"][1].credit_code
        if team["target"] == first.credit_code:
            assert related_number not in team["officers"]
    entry = Entry.objects.get(subject=f"inspection-draw:{task.pk}", kind="inspection.draw_inputs")
    assert json.loads(bytes(entry.body))["payload"]["exclusions"] == task.exclusions


def test_published_items_reach_the_public_agency_page():
    world = world_make()
    from sanxiang.publication.registry_sync import public_registry_refresh

    public_registry_refresh(actor=None)
    public = PublicAgency.objects.get(source_id=world["agency"].pk)
    assert [i["code"] for i in public.inspections] == ["JC-001"]
    assert public.inspections[0]["method"] == "现场检查"
    assert PublicInspectionNotice.objects.filter(key=f"plan:{world['plan'].pk}", kind="plan").exists()


def _pinned_world():
    """Fixed identifiers (credit codes, certificate numbers) so that the draw's result is pinned."""
    from sanxiang.inspection import register_services
    from sanxiang.procedure.inspection.registers import TargetSnapshot
    from tests.factories import certificate_make, credit_code, officer_make

    world = world_make(targets=0, officers=0)
    for i in range(9):
        register_services.target_save(actor=None, agency=world["agency"], snapshot=TargetSnapshot(
            name=f"定样商户{i}", credit_code=credit_code(prefix="92150626", serial=900 + i),
            risk_grade=("high", "medium", "low")[i % 3], credit_grade="A"))
    for i in range(4):
        officer = officer_make(agency=world["agency"], certificate=False)
        certificate_make(officer=officer, number=f"15062699{i:06d}")
    return world


PINNED_SEED = "5a" * 32

PINNED_TARGETS = ["090644", "09072Y", "090569"]
PINNED_OFFICERS = [["15062699000003", "15062699000002"], ["15062699000001", "15062699000002"],
                   ["15062699000001", "15062699000000"]]


def test_same_inputs_same_result_pinned(monkeypatch):
    """The same register and seed give this very result on SQLite and on PostgreSQL (the
    populations are sorted in Python, never in the database's collation)."""
    monkeypatch.setattr(draw_services, "seed_new", lambda: PINNED_SEED)
    # The context names the agency and the task's number, which differ between runs of the suite.
    monkeypatch.setattr(draw_services, "_context", lambda task: "双随机抽查任务 定样")
    world = _pinned_world()
    task = _task(world)
    task = draw_services.draw_run(actor=world["head"], task=draw_services.draw_commit(actor=world["head"], task=task))
    assert [t["target"][-6:] for t in task.result["teams"]] == PINNED_TARGETS
    assert [t["officers"] for t in task.result["teams"]] == PINNED_OFFICERS
    assert draw_run(task.public_inputs)["groups"][0]["selected"] == [t["target"] for t in task.result["teams"]][:1]



def test_targets_at_their_yearly_cap_are_excluded_complaints_outside_it():
    """The cap is part B's parameter (`inspection.yearly_cap`); the draw reads it and excludes the
    targets that reached it with inspections of this body this year, complaints not counted."""
    from sanxiang.procedure.inspection.random_draw import YEARLY_CAP_PARAMETER
    from sanxiang.procedure.parameters import Parameter, ParameterPeriod, ParameterSet

    cap = Parameter(YEARLY_CAP_PARAMETER, "同一检查主体对同一企业年度检查次数上限", "《海南省涉企行政检查条例（试行）》第九条",
                    True, "times", (ParameterPeriod(dt.date(2025, 1, 1), 1),))
    parameters = ParameterSet({**{n: parameters_default()[n] for n in parameters_default().names()},
                               YEARLY_CAP_PARAMETER: cap})
    world = world_make(targets=4, officers=2)
    capped, complained = world["targets"][0], world["targets"][1]
    Inspection.objects.create(agency=world["agency"], target=capped, source="special",
                              planned_from=dt.date(TODAY.year, 1, 2), planned_to=dt.date(TODAY.year, 1, 2))
    Inspection.objects.create(agency=world["agency"], target=complained, source="complaint",
                              planned_from=dt.date(TODAY.year, 1, 2), planned_to=dt.date(TODAY.year, 1, 2))
    task = draw_services.draw_commit(actor=world["head"], task=_task(world), parameters=parameters)
    capped_rows = [e for e in task.exclusions if e["kind"] == "yearly_cap"]
    assert [e["subject"] for e in capped_rows] == [capped.credit_code]
    assert capped_rows[0]["legal_basis"] == "《海南省涉企行政检查条例（试行）》第九条"
    populations = [t for s in task.public_inputs["strata"] for t in s["population"]]
    assert capped.credit_code not in populations and complained.credit_code in populations


def test_a_replayed_draw_keeps_its_moments_in_order_and_in_the_ledger():
    """The demo replays a year of draws at their moments (`now`, which no page or API passes): the
    task notice keeps the moment the seed's hash was published and is updated at the draw; a draw
    dated at or before the publication of its commitment is refused (the seed follows its hash)."""
    world = world_make()
    committed_at = dt.datetime(TODAY.year, 1, 5, 1, 0, tzinfo=dt.UTC)
    task = draw_services.draw_commit(actor=world["head"], task=_task(world), now=committed_at)
    with pytest.raises(ValueError):
        draw_services.draw_run(actor=world["head"], task=task, now=committed_at)
    assert not Inspection.objects.exists()
    drawn_at = committed_at + dt.timedelta(days=3)
    task = draw_services.draw_run(actor=world["head"], task=task, now=drawn_at)
    assert (task.committed_at, task.drawn_at) == (committed_at, drawn_at)
    notice = PublicInspectionNotice.objects.get(key=f"task:{task.pk}")
    assert (notice.published_at, notice.updated_at) == (committed_at, drawn_at)
    entries = Entry.objects.filter(subject=f"inspection-draw:{task.pk}")
    payloads = {e.kind: json.loads(bytes(e.body))["payload"] for e in entries}
    assert payloads["inspection.draw_committed"]["committed_at"] == committed_at.isoformat()
    assert payloads["inspection.draw_result"]["drawn_at"] == drawn_at.isoformat()


def test_a_replayed_plan_is_approved_filed_and_published_in_that_order():
    world = world_make(plan_state="draft")
    plan, day = world["plan"], dt.datetime(TODAY.year, 1, 6, 2, 0, tzinfo=dt.UTC)
    plan = plan_services.plan_approve(actor=world["head"], plan=plan, now=day)
    with pytest.raises(ValueError):
        plan_services.plan_file(actor=world["supervisor"], plan=plan, filing_reference="乌司备〔2026〕1号",
                                now=day - dt.timedelta(hours=1))
    plan = plan_services.plan_file(actor=world["supervisor"], plan=plan, filing_reference="乌司备〔2026〕1号",
                                   now=day + dt.timedelta(days=3))
    plan = plan_services.plan_publish(actor=world["head"], plan=plan, now=day + dt.timedelta(days=5))
    assert (plan.approved_at, plan.filed_at, plan.published_at) == (day, day + dt.timedelta(days=3),
                                                                    day + dt.timedelta(days=5))
    assert PublicInspectionNotice.objects.get(key=f"plan:{plan.pk}").published_at == plan.published_at
    payloads = [json.loads(bytes(e.body))["payload"] for e in Entry.objects.filter(subject=f"inspection-plan:{plan.pk}")]
    steps = {payload["step"]: payload.get("at") for payload in payloads}
    assert steps == {"drafted": None, "approved": day.isoformat(), "filed": (day + dt.timedelta(days=3)).isoformat(),
                     "published": (day + dt.timedelta(days=5)).isoformat()}
