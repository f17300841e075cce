"""The published 处罚内容 is what the 决定书 imposes, derived from the same data (the decided terms
and the 具体内容 the 决定书 prints for them), never a free text that the 决定书 leaves out."""

import datetime as dt
import io
import re

import docx
import pytest

from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence.storage import blob_store_get
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.publication.models import PublicationDraft
from tests.cases.support import D, lead_make, perform, to_decided, world_make

pytestmark = pytest.mark.django_db
DECISIONS = ("decision_document", "summary_decision")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def decision_text(case) -> str:
    """The text of the case's 决定书 as issued (its DOCX in the evidence store)."""
    issued = IssuedDocument.objects.select_related("docx__stored_file").get(case=case, kind__in=DECISIONS)
    with blob_store_get().open(issued.docx.stored_file.sha256) as blob:
        document = docx.Document(io.BytesIO(blob.read()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _flat("".join(parts))


def assert_content_is_the_decisions(draft: PublicationDraft) -> None:
    content = draft.original["content"]
    imposed = {PENALTY_KINDS[k] for k in draft.facts["kinds"]}
    assert content, draft.case.title
    # Every item of the public text is printed in the 决定书, word for word …
    text = decision_text(draft.case)
    for item in content.split("；"):
        assert _flat(item) in text, (draft.case.title, item)
    # … and no kind of penalty is named that the decision does not impose.
    named = {label for label in PENALTY_KINDS.values() if label in content}
    assert named <= imposed, (draft.case.title, named - imposed)
    assert ("没收" in content) == any(label.startswith("没收") for label in imposed), draft.case.title


def test_a_detail_typed_for_a_fine_is_not_published_as_a_confiscation(settings):
    """The officer typed what is to be confiscated, but the decision imposes a fine only: the
    决定书 prints the fine alone, and so does the publication."""
    w = world_make()
    case = to_decided(w, penalty_kinds=["fine"], penalty_detail="没收涉案过期食品12瓶")
    draft = PublicationDraft.objects.get(case=case)
    assert "没收" not in draft.original["content"] and "没收" not in draft.public["content"]
    assert_content_is_the_decisions(draft)


def test_an_on_the_spot_decision_publishes_what_its_decision_imposes(settings):
    w = world_make()
    case = lead_make(w, procedure="summary", party=w.citizen, act_date=D(2026, 5, 12), discovered_on=D(2026, 5, 12))
    on_spot = {"officer_ids": [str(w.zhang.pk), str(w.li.pk)], "certificate_shown": True, "party_informed": True,
               "statement_heard_or_waived": True, "occurred_at": dt.datetime(2026, 5, 12, 10, 0), "place": "嘎鲁图镇团结路",
               "facts": "占道经营", "penalty_kinds": ["fine"], "fine_yuan": "150", "penalty_detail": "没收占道摆放的货架",
               "penalty_bases": ["《某某条例》第十条"]}
    case = perform(case, "decide_on_spot", D(2026, 5, 12), w.officer, **on_spot)
    draft = PublicationDraft.objects.get(case=case)
    assert draft.original["content"] == "罚款人民币壹佰伍拾元整（¥150.00）"
    assert_content_is_the_decisions(draft)
