"""制度文件 (system documents): what the county's implementation plan asks each enforcement agency to
make or revise and send to the 司法局 by a due date (rules, lists, service guides, flow charts,
enforcement manuals), the review of each document by the 司法局 (accepted, or returned with a reason,
then resubmitted), and when a checklist item is overdue.

The kinds asked for and the due date are parameters (`evaluation.documents.*`, citing the plan); the
states, who acts in each and the overdue rule are this module's. Pure Python: the Django side
stores documents and their history and calls these functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.violations import Violation

# Platform rules (labelled as such): who acts, and the limits of what is entered.
AGENCY_SIDE_BASIS = "平台规则：制度文件由本机关负责人或者单位管理员报送"
BUREAU_SIDE_BASIS = "平台规则：制度文件由本县司法局监督人员审查"
STATE_BASIS = "平台规则：制度文件按报送、审查（通过或者退回）、退回后重新报送的顺序办理"
INPUT_BASIS = "平台规则：制度文件的标题、退回理由和文件格式"
TITLE_MAX = 200
REASON_MAX = 2000


class DocumentKind(StrEnum):
    RULES = "rules"  # 制度
    LIST = "list"  # 清单
    SERVICE_GUIDE = "service_guide"  # 服务指南
    FLOW_CHART = "flow_chart"  # 流程图
    MANUAL = "manual"  # 执法工作手册


DOCUMENT_KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.RULES: "制度",
    DocumentKind.LIST: "清单",
    DocumentKind.SERVICE_GUIDE: "服务指南",
    DocumentKind.FLOW_CHART: "流程图",
    DocumentKind.MANUAL: "执法工作手册",
}


class DocumentState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


DOCUMENT_STATE_LABELS: dict[DocumentState, str] = {
    DocumentState.SUBMITTED: "已报送，待司法局审查",
    DocumentState.ACCEPTED: "审查通过",
    DocumentState.RETURNED: "已退回，待重新报送",
}

AGENCY = "agency"  # the head or administrator of the document's agency
BUREAU = "bureau"  # a supervisor of the county's 司法局


class DocumentAction(StrEnum):
    SUBMIT = "submit"  # a new document
    RESUBMIT = "resubmit"  # a corrected file after a return, or a revision of an accepted document
    ACCEPT = "accept"
    RETURN = "return"


DOCUMENT_ACTION_LABELS: dict[DocumentAction, str] = {
    DocumentAction.SUBMIT: "报送",
    DocumentAction.RESUBMIT: "重新报送",
    DocumentAction.ACCEPT: "审查通过",
    DocumentAction.RETURN: "退回修改",
}


@dataclass(frozen=True)
class ActionSpec:
    side: str
    states: tuple[DocumentState, ...]
    to: DocumentState


ACTIONS: dict[DocumentAction, ActionSpec] = {
    DocumentAction.RESUBMIT: ActionSpec(AGENCY, (DocumentState.RETURNED, DocumentState.ACCEPTED), DocumentState.SUBMITTED),
    DocumentAction.ACCEPT: ActionSpec(BUREAU, (DocumentState.SUBMITTED,), DocumentState.ACCEPTED),
    DocumentAction.RETURN: ActionSpec(BUREAU, (DocumentState.SUBMITTED,), DocumentState.RETURNED),
}


def plan_basis(parameters: ParameterSet | None = None) -> str:
    """The plan's text that asks for the documents (the kinds parameter's reference)."""
    return (parameters or parameters_default())["evaluation.documents.kinds"].reference


def document_kinds_required(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> list[DocumentKind]:
    """The kinds of document the checklist asks of each agency on `on` (the parameter's order)."""
    values = (parameters or parameters_default()).value("evaluation.documents.kinds", on=on, region=region)
    return [DocumentKind(v) for v in values]


def documents_due_on(*, on: dt.date, parameters: ParameterSet | None = None, region: str = "") -> dt.date:
    """The date by which the documents are due (the parameter in force on `on`)."""
    return (parameters or parameters_default()).value("evaluation.documents.due_on", on=on, region=region)


def document_actions_open(*, state: str, side: str | None) -> list[DocumentAction]:
    """What the viewer's side may do to a document in `state` (in the order the page offers them)."""
    return [a for a, spec in ACTIONS.items() if side == spec.side and state in spec.states]


def document_submit_violations(
    *, side: str | None, kind: str, title: str, kinds_required: Sequence[str], has_file: bool
) -> list[Violation]:
    """Why a new document cannot be submitted (every reason)."""
    violations = []
    if side != AGENCY:
        violations.append(Violation("evaluation.document.side", "只有本机关负责人或者单位管理员可以报送制度文件",
                                    AGENCY_SIDE_BASIS))
    if kind not in kinds_required:
        labels = "、".join(DOCUMENT_KIND_LABELS[DocumentKind(k)] for k in kinds_required)
        violations.append(Violation("evaluation.document.kind", f"请选择文件类别：{labels}", plan_basis(), "kind"))
    violations += _title_violations(title)
    if not has_file:
        violations.append(Violation("evaluation.document.file_missing", "请选择要报送的文件", INPUT_BASIS, "upload"))
    return violations


def _title_violations(title: str) -> list[Violation]:
    title = (title or "").strip()
    if not title:
        return [Violation("evaluation.document.title_missing", "请填写文件标题", INPUT_BASIS, "title")]
    if len(title) > TITLE_MAX:
        return [Violation("evaluation.document.title_long", f"标题不能超过{TITLE_MAX}个字", INPUT_BASIS, "title")]
    return []


def document_action_violations(
    *, state: str, action: str, side: str | None, reason: str = "", has_file: bool = False
) -> list[Violation]:
    """Why `action` cannot be taken on a document in `state` by the viewer's `side` (every reason)."""
    try:
        spec = ACTIONS[DocumentAction(action)]
    except (ValueError, KeyError):
        return [Violation("evaluation.document.action", "没有这项操作", STATE_BASIS)]
    label = DOCUMENT_ACTION_LABELS[DocumentAction(action)]
    violations = []
    if side != spec.side:
        who = "本县司法局监督人员" if spec.side == BUREAU else "本机关负责人或者单位管理员"
        violations.append(Violation("evaluation.document.side", f"只有{who}可以{label}",
                                    BUREAU_SIDE_BASIS if spec.side == BUREAU else AGENCY_SIDE_BASIS))
    if state not in spec.states:
        current = {k.value: v for k, v in DOCUMENT_STATE_LABELS.items()}.get(state, state)
        violations.append(Violation("evaluation.document.state", f"文件目前“{current}”，不能{label}", STATE_BASIS))
    reason = (reason or "").strip()
    if action == DocumentAction.RETURN:
        if not reason:
            violations.append(Violation("evaluation.document.reason_missing", "退回须写明理由，以便报送机关修改",
                                        BUREAU_SIDE_BASIS, "reason"))
        elif len(reason) > REASON_MAX:
            violations.append(Violation("evaluation.document.reason_long", f"退回理由不能超过{REASON_MAX}个字",
                                        INPUT_BASIS, "reason"))
    if action == DocumentAction.RESUBMIT and not has_file:
        violations.append(Violation("evaluation.document.file_missing", "请选择修改后的文件", INPUT_BASIS, "upload"))
    return violations


# --- the checklist --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document as the checklist sees it."""

    id: int
    kind: str
    state: str


class ItemStatus(StrEnum):
    MISSING = "missing"  # nothing submitted of this kind
    RETURNED = "returned"  # a document of this kind was returned and is not resubmitted
    SUBMITTED = "submitted"  # submitted, waiting for review (none returned)
    ACCEPTED = "accepted"  # every document of the kind accepted


ITEM_STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.MISSING: "未报送",
    ItemStatus.RETURNED: "被退回，未重新报送",
    ItemStatus.SUBMITTED: "已报送，待审查",
    ItemStatus.ACCEPTED: "已通过",
}


@dataclass(frozen=True)
class ChecklistItem:
    kind: DocumentKind
    label: str
    status: ItemStatus
    status_label: str
    overdue: bool
    due_on: dt.date
    document_ids: tuple[int, ...]
    why: str  # why the item is overdue (empty when it is not)


def checklist_items(
    *, kinds: Iterable[DocumentKind], documents: Iterable[DocumentSnapshot], due_on: dt.date, today: dt.date
) -> list[ChecklistItem]:
    """One item per kind asked for. An item is overdue after the due date when nothing of its kind
    was submitted, or when a document of its kind was returned and has not been resubmitted (a
    document waiting for the 司法局's review is not the agency's delay)."""
    documents = list(documents)
    items = []
    for kind in kinds:
        own = [d for d in documents if d.kind == kind]
        states = {d.state for d in own}
        if not own:
            status = ItemStatus.MISSING
        elif DocumentState.RETURNED in states:
            status = ItemStatus.RETURNED
        elif DocumentState.SUBMITTED in states:
            status = ItemStatus.SUBMITTED
        else:
            status = ItemStatus.ACCEPTED
        late = today > due_on and status in (ItemStatus.MISSING, ItemStatus.RETURNED)
        why = ""
        if late:
            why = (f"应于{due_on.isoformat()}前报送，至今未报送" if status == ItemStatus.MISSING
                   else f"应于{due_on.isoformat()}前报送，被退回后至今未重新报送")
        items.append(ChecklistItem(
            kind=kind, label=DOCUMENT_KIND_LABELS[kind], status=status, status_label=ITEM_STATUS_LABELS[status],
            overdue=late, due_on=due_on, document_ids=tuple(sorted(d.id for d in own)), why=why,
        ))
    return items
