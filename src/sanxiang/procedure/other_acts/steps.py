"""The steps of the generic act as the staff meet them (framework: `sanxiang.procedure.steps`):
each writes the facts (`Draft.update`) from the form's parsed values and names the records it
makes; the engine (`procedures.OTHER_ACT`) then decides the transition with every violation."""

from __future__ import annotations

from typing import Any

from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.decision_rules import WITHHOLDING_GROUNDS, Withholding
from sanxiang.procedure.other_acts.decision_steps import (
    PUBLISH_FIELDS,
    PUBLISH_HELP,
    REMEDIES_FIELDS,
    REVIEW_FIELDS,
    publish_apply,
    review_apply,
    text_of,
)
from sanxiang.procedure.other_acts.procedures import OTHER_ACT
from sanxiang.procedure.other_acts.rules import ActDecision, Termination
from sanxiang.procedure.roles import HEAD, OPERATIONAL, REVIEWER
from sanxiang.procedure.steps import Draft, Field, Step, area_field, bool_field, choices, fen, lines_field

KEY = OTHER_ACT.name
PROCEDURES = (KEY,)


def _draft(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(bases=d.lines_clean(data.get("bases") or ()), content=text_of(data, "content"),
                 amount_fen=fen(data.get("amount_yuan")), major_marked=bool(data.get("major_marked")))


def _decide(draft: Draft, data: dict[str, Any]) -> None:
    s = draft.snapshot
    draft.update(decision=ActDecision(draft.on, s.content, text_of(data, "remedies"), s.amount_fen))


def _withhold(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(withholding=Withholding(str(data.get("ground") or ""), text_of(data, "facts"), draft.on))
    draft.records.add("withholding_record")


def _terminate(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(termination=Termination(draft.on, text_of(data, "reason")))


# The draft may be saved incomplete; the decision refuses it with every reason (`rules.decision_complete`).
STEPS: tuple[Step, ...] = (
    Step("other_act_draft", "拟定决定", PROCEDURES, states=("handling",), roles=OPERATIONAL,
         fields=(lines_field("bases", "法律依据（法律、法规、规章的名称和条款，一行一项）", required=False),
                 area_field("content", "拟作出的决定内容", required=False),
                 Field("amount_yuan", "给付、奖励的金额（元，非金钱的不填）", "yuan", required=False),
                 bool_field("major_marked", "本机关认定为重大执法决定（目录未列明的）")),
         apply=_draft),
    Step("other_act_review", "出具法制审核意见", PROCEDURES, states=("handling",), roles=REVIEWER,
         fields=REVIEW_FIELDS, apply=review_apply("other_act")),
    Step("other_act_decide", "作出决定", PROCEDURES, transition=True, roles=HEAD, fields=REMEDIES_FIELDS,
         apply=_decide, documents=(("act_decision", "act_decision"),), decides=True),
    Step("other_act_publish", "公开决定", PROCEDURES, transition=True, roles=OPERATIONAL,
         fields=PUBLISH_FIELDS, apply=publish_apply, help=PUBLISH_HELP),
    Step("other_act_withhold", "依法不予公开", PROCEDURES, transition=True, roles=HEAD,
         fields=(Field("ground", "不予公开的情形", "choice", choices=choices(WITHHOLDING_GROUNDS), radio=True, clear=True),
                 area_field("facts", "事实和理由")),
         # Decides: the decision's publication draft is marked not to be published (publication.acts).
         apply=_withhold, decides=True),
    Step("other_act_terminate", "终止办理", PROCEDURES, transition=True, roles=HEAD,
         fields=(area_field("reason", "终止办理的理由"),), apply=_terminate),
)

__all__ = ["KEY", "STEPS"]
