"""The review of a 制度文件 as a state machine (platform rules: the agency submits, the county 司法局
accepts or returns with a reason, the agency resubmits), as properties over any sequence of attempts:
an action goes through only from its states and by its side, a return needs its reason, and the
checklist never calls an item overdue on or before the due date."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.evaluation.documents import (
    ACTIONS,
    AGENCY,
    BUREAU,
    DocumentAction,
    DocumentKind,
    DocumentSnapshot,
    DocumentState,
    checklist_items,
    document_action_violations,
    document_actions_open,
)

ATTEMPTS = st.lists(
    st.tuples(st.sampled_from(list(DocumentAction)), st.sampled_from([AGENCY, BUREAU, None]),
              st.sampled_from(["", "请补充依据"]), st.booleans()),
    max_size=25,
)


@given(ATTEMPTS)
def test_only_allowed_moves_go_through(attempts):
    state = DocumentState.SUBMITTED
    for action, side, reason, has_file in attempts:
        violations = document_action_violations(state=state, action=action, side=side, reason=reason,
                                                has_file=has_file)
        allowed = action in ACTIONS and side == ACTIONS[action].side and state in ACTIONS[action].states
        needs = (action == DocumentAction.RETURN and not reason) or (action == DocumentAction.RESUBMIT and not has_file)
        assert (violations == []) == (allowed and not needs), (state, action, side)
        assert (action in document_actions_open(state=state, side=side)) == allowed
        if not violations:
            state = ACTIONS[action].to
        # Every refusal says why, in Chinese, with its basis.
        assert all(v.message and v.legal_basis for v in violations)


DOCUMENTS = st.lists(st.tuples(st.sampled_from(list(DocumentKind)), st.sampled_from(list(DocumentState))),
                     max_size=12)


@given(DOCUMENTS, st.integers(min_value=-30, max_value=30))
def test_an_item_is_overdue_only_after_the_due_date_and_only_missing_or_returned(documents, offset):
    due = dt.date(2022, 11, 30)
    snapshots = [DocumentSnapshot(i, kind.value, state.value) for i, (kind, state) in enumerate(documents)]
    items = checklist_items(kinds=list(DocumentKind), documents=snapshots, due_on=due,
                            today=due + dt.timedelta(days=offset))
    assert [i.kind for i in items] == list(DocumentKind)
    for item in items:
        states = {s.state for s in snapshots if s.kind == item.kind}
        late = offset > 0 and (not states or DocumentState.RETURNED in states)
        assert item.overdue == late and bool(item.why) == late
        assert item.status == ("missing" if not states else "returned" if "returned" in states
                               else "submitted" if "submitted" in states else "accepted")
