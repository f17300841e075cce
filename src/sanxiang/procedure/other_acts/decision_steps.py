"""The steps every decision of these acts shares (its legal review, its publication), written once
for the generic act and for 行政征收征用."""

from __future__ import annotations

from typing import Any

from sanxiang.procedure.other_acts import decision_rules as d
from sanxiang.procedure.other_acts.decision_rules import REVIEW_OPINIONS, Publicity, ReviewOpinion
from sanxiang.procedure.steps import Apply, Draft, Field, area_field, choices, date_field
from sanxiang.procedure.violations import FORM_BASIS

# The step records where and when the decision was made public: the platform's portal publishes it
# once the head approves its draft on the publication desk (publication.acts); the agency may also
# publish it on its website or a notice board.
PUBLISH_HELP = ("决定作出后，公示草稿已送公示审核，机关负责人审核发布后即在本平台公示；"
                "在此登记公开的日期和途径（本平台及政府网站、公告栏等）；决定作出之日起二十个工作日内公开")
REMEDIES_HELP = "告知当事人依法申请行政复议或者提起行政诉讼的权利、期限和机关"


def text_of(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def review_apply(code: str) -> Apply:
    """A reviewer's opinion on the draft as it stands (`snapshot.draft`): a later change to the
    draft needs a new review (`decision_rules.review_problems`)."""

    def apply(draft: Draft, data: dict[str, Any]) -> None:
        opinion = data.get("opinion")
        if opinion not in REVIEW_OPINIONS:
            draft.refuse(f"{code}.review.form", "请选择审核意见", FORM_BASIS, "opinion")
            return
        officer = draft.actor_officer
        if officer is None or officer.id is None:
            draft.refuse(f"{code}.review.reviewer", "法制审核须由本机关的法制审核人员出具", d.REVIEW_BASIS, "opinion")
            return
        draft.update(review_opinions=(*draft.snapshot.review_opinions,
                                      ReviewOpinion(officer.id, opinion, draft.on, draft.snapshot.draft)))
        draft.records.add("review_opinion")

    return apply


def publish_apply(draft: Draft, data: dict[str, Any]) -> None:
    draft.update(publicity=Publicity(data.get("published_on") or draft.on, text_of(data, "place"),
                                     text_of(data, "late_explanation")))
    draft.records.add("publication_record")


REVIEW_FIELDS = (Field("opinion", "审核意见", "choice", choices=choices(REVIEW_OPINIONS), radio=True, clear=True),)
REMEDIES_FIELDS = (area_field("remedies", "救济途径", help=REMEDIES_HELP),)
PUBLISH_FIELDS = (
    date_field("published_on", "公开日期（不填为今天）", required=False),
    Field("place", "公开途径（网站栏目、公告地点）", "text", clear=True),
    area_field("late_explanation", "逾期原因（超过二十个工作日公开的须填写）", required=False),
)

__all__ = ["PUBLISH_FIELDS", "PUBLISH_HELP", "REMEDIES_FIELDS", "REMEDIES_HELP", "REVIEW_FIELDS", "publish_apply", "review_apply",
           "text_of"]
