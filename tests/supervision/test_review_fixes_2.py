"""The medium and low findings of the attacker's review of issue 14, each shown refused (or hidden)
with its lawful path beside it."""

import json

import pytest
from django.utils import timezone

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.supervision import services
from sanxiang.supervision.instrument_services import personal_decision_record, personal_propose
from tests.factories import officer_make
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def codes(refused) -> list[str]:
    return [v.code for v in refused.value.violations]


# --- 1. The competent body's decision on a person-level proposal is recorded by the pair ---------


def test_a_single_supervisor_cannot_record_the_decision_that_changes_an_officers_certificate():
    """《行政执法监督条例》第三十二条: the competent body decides; recording its decision changes the
    officer's certificate, so it takes the pair (《四川省行政执法监督条例》第二十九条, the parameter
    supervision.min_supervisors), like every other act of the desk."""
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="孙执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="disqualification",
                                reasons="多次未出示执法证", competent_body="乌审旗人民政府",
                                supervisors=[desk.first, desk.second])
    with pytest.raises(Refused) as alone:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first])
    assert codes(alone) == ["supervisors.too_few"]
    violation = alone.value.violations[0]
    assert "2名以上" in violation.message and "第二十九条" in violation.legal_basis
    # Not the matter's pair: a supervisor of the bureau who does not handle the matter.
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    outsider = supervisor_user_make(bureau=desk.bureau, name="郑监督")
    with pytest.raises(Refused) as stranger:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first, outsider])
    assert codes(stranger) == ["supervisors.not_assigned"]
    officer.refresh_from_db()
    assert officer.certificates.get().status == "valid"  # nothing changed by the refusals
    # The lawful path: the matter's pair records it, and the ledger names both.
    personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                             decided_on=TODAY, supervisors=[desk.first, desk.second])
    assert officer.certificates.get().status == "revoked"
    payload = json.loads(bytes(Entry.objects.get(kind=EventKind.SUPERVISION_PERSONAL_DECIDED).body))["payload"]
    assert payload["supervisors"] == sorted([desk.first.pk, desk.second.pk])


def test_the_decision_form_asks_for_the_second_supervisor(client):
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="周执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="off_post_training",
                                reasons="理由", competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
    client.force_login(desk.first)
    url = f"/staff/supervision/proposals/{proposal.pk}/decision/"
    data = {"adopted": "1", "decided_on": TODAY.isoformat(), "decision": "同意离岗教育"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "2名以上" in refused.content.decode()
    assert officer.certificates.get().status == "valid"
    done = client.post(url, {**data, "second": str(desk.second.pk)})
    assert done.status_code == 302
    assert officer.certificates.get().status == "suspended"
