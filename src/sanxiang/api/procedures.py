"""The procedures of the catalogue over HTTP, read-only: every procedure with its states, its steps
(who takes each, in which states, what it asks and what documents it issues), its records and its
flowchart, drawn from `procedure.catalog` at each request, so a procedure registered there is
listed with no change here."""

from django.http import Http404, HttpRequest
from ninja import Field as SchemaField
from ninja import Path, Router, Schema

from sanxiang.accounts.models import AGENCY_ROLES
from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies
from sanxiang.api.schemas import ChoiceOut, FieldOut, answers, field_out
from sanxiang.api.steps import step_data_name
from sanxiang.documents import ALL_DOCUMENT_KINDS
from sanxiang.procedure.catalog import ACT_KINDS, ProcedureSpec, procedures_all
from sanxiang.procedure.engine import procedure_mermaid
from sanxiang.procedure.roles import ROLE_LABELS
from sanxiang.procedure.steps import Step

router = Router(tags=["procedures"])
READERS_ONLY = "只有执法单位人员和司法局监督人员可以查看执法程序"


class StateOut(Schema):
    name: str
    label: str
    final: bool = SchemaField(..., description="终结状态（案件办结）")


class RecordKindOut(Schema):
    name: str
    label: str


class StepOut(Schema):
    action: str = SchemaField(..., description="步骤名：POST /api/cases/{case_id}/actions/{action} 的 action")
    label: str
    kind: str = SchemaField(..., description="transition（改变案件状态）或 record（记录事实）")
    states: list[str] = SchemaField(..., description="可以办理的状态：改变状态的步骤为其起始状态，记录事实的步骤为其可进行的状态")
    target: str | None = SchemaField(..., description="改变状态的步骤办理后的状态；记录事实的步骤为 null")
    roles: list[str] = SchemaField(..., description="可以办理的人员（本单位职责分工）")
    fields: list[FieldOut]
    documents: list[str] = SchemaField(..., description="办理时制作的文书")
    legal_basis: str = SchemaField(..., description="改变状态的步骤的法律依据；记录事实的步骤为空")
    help: str
    data_schema: str = SchemaField(..., description="该步骤 data 的 OpenAPI 组件名")


class OptionOut(Schema):
    name: str
    label: str
    choices: list[ChoiceOut]


class ProcedureOut(Schema):
    key: str = SchemaField(..., description="程序的键：登记案件时的 procedure")
    label: str
    act_kind: str
    act_kind_label: str
    help: str
    legal_basis: str
    initial: str = SchemaField(..., description="登记后的状态")
    states: list[StateOut]
    steps: list[StepOut]
    record_kinds: list[RecordKindOut] = SchemaField(..., description="全过程记录的记录种类")
    audio_video: list[RecordKindOut] = SchemaField(
        ..., description="可以上传音像记录的环节：上传证据时 step 取 name，记为记录种类 audio_video_<name>"
    )
    options: list[OptionOut] = SchemaField(..., description="登记时需要的选项")
    parent_act_kinds: list[str] = SchemaField(..., description="可以所属的案件种类")
    parent_required: bool
    mermaid: str = SchemaField(..., description="流程图（Mermaid stateDiagram-v2）")


def _reader_require(user) -> None:
    permission_require(user.role in AGENCY_ROLES or user_reads_all_agencies(user), READERS_ONLY)


def _roles(step: Step) -> list[str]:
    return [label for role, label in ROLE_LABELS.items() if step.roles is None or role in step.roles]


def _step_out(spec: ProcedureSpec, step: Step) -> dict:
    transition = spec.engine.transition(step.name) if step.transition else None
    return {
        "action": step.name,
        "label": step.label,
        "kind": "transition" if transition else "record",
        "states": list(transition.sources if transition else step.states),
        "target": transition.target if transition else None,
        "roles": _roles(step),
        "fields": [field_out(f) for f in step.fields],
        "documents": [ALL_DOCUMENT_KINDS[kind].title for kind, _ in step.documents],
        "legal_basis": transition.legal_basis if transition else "",
        "help": step.help,
        "data_schema": step_data_name(spec.key, step),
    }


def _kind_order(engine, step: str) -> int:
    """Where the audio-video record of a step comes in the procedure's record kinds."""
    names = [k.name for k in engine.record_kinds]
    return names.index(f"audio_video_{step}") if f"audio_video_{step}" in names else len(names)


def _procedure_out(spec: ProcedureSpec) -> dict:
    engine = spec.engine
    return {
        "key": spec.key,
        "label": spec.label,
        "act_kind": spec.act_kind,
        "act_kind_label": spec.act_label,
        "help": spec.help,
        "legal_basis": engine.legal_basis,
        "initial": engine.initial,
        "states": [{"name": s.name, "label": s.label, "final": s.final} for s in engine.states],
        "steps": [_step_out(spec, step) for step in spec.steps],
        "record_kinds": [{"name": k.name, "label": k.label} for k in engine.record_kinds],
        "audio_video": [{"name": name, "label": spec.record_label(f"audio_video_{name}")}
                        for name in sorted(spec.audio_video_steps, key=lambda n: (_kind_order(engine, n), n))],
        "options": [
            {"name": name, "label": spec.option_labels.get(name, name),
             "choices": [{"value": value, "label": label} for value, label in values.items()]}
            for name, values in spec.options.items()
        ],
        "parent_act_kinds": [ACT_KINDS[kind] for kind in spec.parent_act_kinds],
        "parent_required": spec.parent_required,
        "mermaid": procedure_mermaid(engine),
    }


@router.get("/procedures", response=answers({200: list[ProcedureOut]}, 403))
def procedure_list(request: HttpRequest):
    """全部执法程序：状态、步骤（可办理的状态、人员、字段、文书）、记录种类和流程图。"""
    _reader_require(request.user)
    return [_procedure_out(spec) for spec in procedures_all().values()]


@router.get("/procedures/{key}", response=answers({200: ProcedureOut}, 403, 404))
def procedure_get(request: HttpRequest, key: str = Path(..., max_length=32)):
    """一个执法程序。"""
    _reader_require(request.user)
    spec = procedures_all().get(key)
    if spec is None:
        raise Http404
    return _procedure_out(spec)
