"""The matter's state rules as properties (pure, no database): whatever sequence of actions is
tried, a refused action changes nothing, an ended matter accepts no further action, a matter
whose dispute is in 行政复议 or 行政诉讼 is never accepted (《行政执法监督条例》第三十三条), and a matter
is concluded only after it was accepted."""

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.supervision.matters import (
    FINAL_STATES,
    NOT_AGAIN_BASIS,
    Dispute,
    MatterAction,
    MatterState,
    matter_action_violations,
    matter_state_after,
)


@given(dispute=st.sampled_from(list(Dispute)), actions=st.lists(st.sampled_from(list(MatterAction)), max_size=12))
def test_any_sequence_of_actions_keeps_the_matter_lawful(dispute, actions):
    state, history = MatterState.RECEIVED, [MatterState.RECEIVED]
    for action in actions:
        violations = matter_action_violations(state=state, action=action, dispute=dispute)
        if state in FINAL_STATES:
            assert violations, (state, action)
        if action == MatterAction.ACCEPT and dispute != Dispute.NONE:
            assert any(v.legal_basis == NOT_AGAIN_BASIS and "不再重复监督" in v.message for v in violations)
        if violations:
            assert all(v.message and v.legal_basis for v in violations)
            continue
        state = matter_state_after(state=state, action=action)
        history.append(state)
    if dispute != Dispute.NONE:
        assert MatterState.ACCEPTED not in history
    if MatterState.CONCLUDED in history:
        assert history.index(MatterState.ACCEPTED) < history.index(MatterState.CONCLUDED)
    # Once ended, the matter stays where it ended.
    ended = [s for s in history if s in FINAL_STATES]
    assert len(set(ended)) <= 1 and (not ended or history[-1] == ended[0])
