"""The pure rules of complaints (issue 14, part D): channels and their sources (第二十条), the answer
on a dispute in 复议 or 诉讼 (第三十三条), the public status, the query code and the fingerprints."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.supervision.complaints import (
    LEADS_BASIS,
    NOT_SUPERVISED_AGAIN_BASIS,
    QUERY_CODE_ALPHABET,
    ComplaintChannel,
    ComplaintPublicStatus,
    PendingRemedy,
    complaint_matter_source,
    complaint_matter_states,
    complaint_public_status,
    complaint_violations,
    pending_remedy_notice,
    personal_fingerprint,
    query_code_digest,
    query_code_matches,
    query_code_new,
)
from sanxiang.procedure.supervision.rules import MatterSource

TODAY = dt.date(2026, 5, 1)


def test_each_channel_opens_a_matter_of_its_source_article_20():
    assert LEADS_BASIS == "《行政执法监督条例》第二十条"
    assert complaint_matter_source(ComplaintChannel.PORTAL) == MatterSource.COMPLAINT
    assert complaint_matter_source("hotline_12345") == MatterSource.HOTLINE_12345
    assert complaint_matter_source("enterprise") == MatterSource.ENTERPRISE


def test_a_dispute_in_reconsideration_or_litigation_is_answered_with_article_33_and_where_to_go():
    assert NOT_SUPERVISED_AGAIN_BASIS == "《行政执法监督条例》第三十三条"
    assert pending_remedy_notice(PendingRemedy.NONE) == ""
    reconsideration = pending_remedy_notice(PendingRemedy.RECONSIDERATION)
    litigation = pending_remedy_notice(PendingRemedy.LITIGATION)
    assert NOT_SUPERVISED_AGAIN_BASIS in reconsideration and "行政复议机关" in reconsideration
    assert NOT_SUPERVISED_AGAIN_BASIS in litigation and "人民法院" in litigation
    assert "仍会登记" in litigation  # received all the same, closed with that reason


def test_an_unknown_matter_state_never_reads_as_more_than_in_progress():
    assert complaint_public_status("received") == ComplaintPublicStatus.RECEIVED
    assert complaint_public_status("concluded") == ComplaintPublicStatus.CONCLUDED
    assert complaint_public_status("closed") == ComplaintPublicStatus.NOT_ACCEPTED  # 不予监督, with its reason
    assert complaint_public_status("some_state_part_a_adds") == ComplaintPublicStatus.IN_PROGRESS


def test_every_reason_at_once_and_anonymous_needs_no_contact():
    violations = complaint_violations(anonymous=False, name="", phone="", id_number="", happened_on=None,
                                      description="", pending_remedy="none", today=TODAY)
    assert {v.field for v in violations} == {"name", "phone", "description"}
    assert all(v.basis_kind == "platform" for v in violations)
    assert complaint_violations(anonymous=True, name="", phone="", id_number="", happened_on=TODAY,
                                description="执法人员未出示执法证件。", pending_remedy="none", today=TODAY) == []


def test_a_new_query_code_has_three_groups_of_four_from_the_alphabet():
    code = query_code_new()
    assert len(code) == 14 and code.count("-") == 2
    assert all(c in QUERY_CODE_ALPHABET for c in code.replace("-", ""))


CODES = st.text(alphabet=QUERY_CODE_ALPHABET, min_size=12, max_size=12)


@settings(max_examples=20, deadline=None)
@given(CODES, CODES)
def test_query_codes_match_only_themselves_however_typed(code, other):
    digest = query_code_digest(code)
    assert code not in digest
    typed = " ".join(code[i : i + 4] for i in range(0, 12, 4)).lower()
    assert query_code_matches(typed, digest)
    assert query_code_matches(other, digest) == (other == code)


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_fingerprints_depend_on_the_salt(value, salt):
    assert personal_fingerprint(value, salt=salt) != personal_fingerprint(value, salt=salt + "x")
    assert value not in personal_fingerprint(value, salt=salt) or len(value) < 2


def test_the_list_filter_of_a_public_status_takes_exactly_the_matter_states_that_read_as_it():
    states = ["received", "accepted", "not_accepted", "rejected", "transferred", "merged", "closed", "concluded",
              "paired", "some_future_state"]
    for status in ComplaintPublicStatus:
        listed, included = complaint_matter_states(status)
        chosen = [s for s in states if (s in listed) == included]
        assert chosen == [s for s in states if complaint_public_status(s) == status], status
