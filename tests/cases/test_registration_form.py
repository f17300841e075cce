"""The registration form (登记案件, issue 13 item 8): officers chosen by name with their 内设机构,
certificate number and state, so that two officers of the same name are told apart; an officer
without a valid certificate refused beside the field (《中华人民共和国行政处罚法》第四十二条); a new
party registered with the case in one transaction; required fields marked."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create_with_new_party
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from sanxiang.registry.models import Party
from tests.cases.support import world_make
from tests.factories import certificate_make, credit_code, officer_make

pytestmark = pytest.mark.django_db
ART_42 = "《中华人民共和国行政处罚法》第四十二条"


@pytest.fixture
def w():
    return world_make()


def form_page(client) -> str:
    response = client.get(reverse("cases:case_create"))
    assert response.status_code == 200
    return response.content.decode()


def officer_labels(html: str) -> dict[str, str]:
    """Each officer's option in the picker: value → the text of its label."""
    labels = {}
    for match in re.finditer(r'<label[^>]*data-officer-option>(.*?)</label>', html, re.S):
        value = re.search(r'name="officers" value="(\d+)"', match.group(1))
        labels[value.group(1)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()
    return labels


def registration(w, **fields) -> dict:
    data = {
        "procedure": "ordinary", "title": "涉嫌无照经营案", "party_mode": "existing", "party": w.company.pk,
        "officers": [w.zhang.pk, w.li.pk], "enforcement_field": "市场监管",
        "act_date": timezone.localdate().isoformat(),
    }
    return data | fields


# --- the officers' picker ----------------------------------------------------------------------------


def test_two_officers_of_the_same_name_are_told_apart_by_unit_and_certificate(client, w):
    first = officer_make(agency=w.agency, certificate=False, name="张伟", department="稽查一中队")
    second = officer_make(agency=w.agency, certificate=False, name="张伟", department="稽查二中队")
    first_card = certificate_make(officer=first)
    second_card = certificate_make(officer=second)
    client.force_login(w.officer)
    labels = officer_labels(form_page(client))
    one, two = labels[str(first.pk)], labels[str(second.pk)]
    assert one != two
    assert "张伟" in one and "稽查一中队" in one and first_card.number in one and "有效" in one
    assert "张伟" in two and "稽查二中队" in two and second_card.number in two
    # Every officer in post is listed, with their state: the filter box (JavaScript) only narrows it.
    assert str(w.zhang.pk) in labels and str(w.li.pk) in labels
    assert 'data-testid="officer-filter"' in form_page(client)


def test_the_picker_shows_each_certificate_state(client, w):
    today = timezone.localdate()
    expiring = officer_make(agency=w.agency, certificate=False, name="即将到期者")
    certificate_make(officer=expiring, valid_to=today + dt.timedelta(days=10))
    expired = officer_make(agency=w.agency, certificate=False, name="过期者")
    old = certificate_make(officer=expired, valid_from=today - dt.timedelta(days=800), valid_to=today - dt.timedelta(days=1))
    suspended = officer_make(agency=w.agency, certificate=False, name="暂扣者")
    card = certificate_make(officer=suspended)
    registry.certificate_update(actor=None, certificate=card, status="suspended", reason="涉嫌违纪")
    none = officer_make(agency=w.agency, certificate=False, name="无证者")
    client.force_login(w.officer)
    html = form_page(client)
    labels = officer_labels(html)
    assert "即将到期" in labels[str(expiring.pk)]
    assert "已过期" in labels[str(expired.pk)] and old.number in labels[str(expired.pk)]
    assert "暂扣" in labels[str(suspended.pk)]
    assert "未登记执法证" in labels[str(none.pk)]
    for officer in (expired, suspended, none):
        # Marked, with the reason, before anyone tries to choose them.
        assert "今天不能执法" in labels[str(officer.pk)]
        assert f"{officer.name}在{today.isoformat()}没有有效的执法证" in labels[str(officer.pk)]
    assert "今天不能执法" not in labels[str(expiring.pk)]


def test_an_officer_whose_certificate_expired_is_refused_beside_the_field(client, w):
    today = timezone.localdate()
    expired = officer_make(agency=w.agency, certificate=False, name="过期者")
    old = certificate_make(officer=expired, valid_from=today - dt.timedelta(days=800), valid_to=today - dt.timedelta(days=1))
    client.force_login(w.officer)
    cases_before = Case.objects.count()
    response = client.post(reverse("cases:case_create"), registration(w, officers=[w.zhang.pk, expired.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    beside = html.split('id="field-officers"')[1].split("</fieldset>")[0]
    errors = beside.split('data-testid="errors-officers"')[1].split("</ul>")[0]
    # The block, its message (which certificate, why) and the basis in the summary.
    assert "过期者" in errors and f"执法证{old.number}已于{old.valid_to.isoformat()}到期" in errors
    assert ART_42 in html.split('data-testid="violations"')[1]
    assert Case.objects.count() == cases_before
    # The allowed path: officers whose certificates are valid.
    response = client.post(reverse("cases:case_create"), registration(w))
    assert response.status_code == 302 and Case.objects.count() == cases_before + 1


def test_the_page_costs_the_same_queries_for_few_or_many_officers(client, w):
    client.force_login(w.officer)
    form_page(client)  # warm the caches (parameters, sessions)
    with CaptureQueriesContext(connection) as few:
        form_page(client)
    for n in range(30):
        officer_make(agency=w.agency, name=f"新人{n}", department=f"中队{n % 3}")
    with CaptureQueriesContext(connection) as many:
        html = form_page(client)
    assert len(officer_labels(html)) >= 34
    assert len(many) == len(few)


# --- required fields ----------------------------------------------------------------------------------


def test_required_fields_are_marked_with_an_asterisk_read_as_required(client, w):
    client.force_login(w.officer)
    html = form_page(client)
    assert "带 * 为必填项" in html.split('data-testid="required-legend"')[1].split("</p>")[0]
    title = html.split('id="field-title"')[1].split("</div>")[0]
    assert '<span class="required-mark" aria-hidden="true">*</span><span class="visually-hidden">（必填）</span>' in title
    for required in ("field-procedure", "field-officers", "field-act_date", "field-party-choice"):
        assert "（必填）" in html.split(f'id="{required}"')[1][:600], required
    for optional in ("field-matter", "field-discovered_on", "field-parent"):
        assert "（必填）" not in html.split(f'id="{optional}"')[1].split("</div>")[0], optional


def test_no_party_chosen_is_a_field_error(client, w):
    client.force_login(w.officer)
    response = client.post(reverse("cases:case_create"), registration(w, party=""))
    assert response.status_code == 400
    errors = response.content.decode().split('data-testid="errors-party"')[1].split("</ul>")[0]
    assert "请选择当事人" in errors


# --- a new party while registering ----------------------------------------------------------------------


def new_party(**fields) -> dict:
    party = {"kind": "legal_person", "name": "乌审旗新开张商贸有限公司", "credit_code": credit_code(prefix="91150626"),
             "legal_representative": "其木格", "address": "乌审旗嘎鲁图镇"}
    return {f"new_party-{name}": value for name, value in (party | fields).items()}


def test_a_new_party_is_registered_with_the_case_and_both_are_recorded(client, w):
    client.force_login(w.officer)
    entries = Entry.objects.count()
    data = registration(w, party_mode="new", party="") | new_party()
    response = client.post(reverse("cases:case_create"), data)
    assert response.status_code == 302
    party = Party.objects.get(name="乌审旗新开张商贸有限公司")
    case = Case.objects.get(title="涉嫌无照经营案")
    assert case.party == party and party.agency == w.agency and party.legal_representative == "其木格"
    kinds = list(Entry.objects.order_by("pk")[entries:].values_list("kind", flat=True))
    assert EventKind.PARTY_CREATED in kinds and EventKind.CASE_OPENED in kinds
    assert kinds.index(EventKind.PARTY_CREATED) < kinds.index(EventKind.CASE_OPENED)


def test_a_bad_credit_code_is_a_field_error_and_nothing_is_written(client, w):
    client.force_login(w.officer)
    parties, cases, entries = Party.objects.count(), Case.objects.count(), Entry.objects.count()
    bad = credit_code(prefix="91150626")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")  # a wrong check character (GB 32100)
    response = client.post(reverse("cases:case_create"), registration(w, party_mode="new", party="") | new_party(credit_code=bad))
    assert response.status_code == 400
    html = response.content.decode()
    beside = html.split('id="field-new_party-credit_code"')[1].split("</div>")[0]
    assert 'data-testid="errors-new_party-credit_code"' in beside and "校验码" in beside
    assert (Party.objects.count(), Case.objects.count(), Entry.objects.count()) == (parties, cases, entries)
    # The form keeps what was typed, and the new party's section stays chosen.
    assert 'value="乌审旗新开张商贸有限公司"' in html
    assert re.search(r'value="new"[^>]*checked', html)


def test_a_refused_case_leaves_no_new_party_behind(client, w):
    today = timezone.localdate()
    client.force_login(w.officer)
    parties = Party.objects.count()
    future = (today + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("cases:case_create"),
                           registration(w, party_mode="new", party="", act_date=future) | new_party())
    assert response.status_code == 400
    assert "违法行为发生日期晚于今天" in response.content.decode()
    assert Party.objects.count() == parties and not Party.objects.filter(name="乌审旗新开张商贸有限公司").exists()


def test_the_service_reports_the_party_s_and_the_case_s_reasons_together(w):
    bad = "91150626MA0000000X"
    with pytest.raises(Refused) as refused:
        case_create_with_new_party(
            actor=w.officer, agency=w.agency, title="", procedure="ordinary", officers=[w.zhang, w.li],
            party_fields={"kind": "legal_person", "name": "某公司", "credit_code": bad},
        )
    fields = {v.field for v in refused.value.violations}
    assert "party.credit_code" in fields and "title" in fields
    assert not Party.objects.filter(name="某公司").exists()
