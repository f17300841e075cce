"""The case projection (`sanxiang.cases.projection`): each case's deadlines stored as phases in the
transaction of every change, read by the homes and lists in SQL with the engine's answer, and a
check that finds any stored row that differs from a full recomputation."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.calendar.services import holiday_year_save
from sanxiang.cases.models import Case, CaseDeadline, CaseProjection
from sanxiang.cases.projection import (
    case_projection_check,
    case_projection_rebuild,
    case_projection_refresh,
    roles_next,
)
from sanxiang.cases.selectors import (
    case_deadlines,
    case_snapshot_build,
    cases_deadlines_shown,
    cases_next_deadlines,
    officer_worklist,
)
from sanxiang.cases.services import case_create
from sanxiang.procedure.catalog import procedure_spec
from sanxiang.procedure.penalty import deadline_open
from sanxiang.projections import projections_all
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.cases.support import (
    FIRST_DECISION_DAY,
    NOTICE_SERVED,
    OPEN,
    OPENED,
    PENALTY,
    D,
    end_investigation_data,
    inquiry,
    lead_make,
    notice_data,
    perform,
    to_decided,
    to_investigating,
    to_notified,
    world_make,
)

pytestmark = pytest.mark.django_db

# Days around the lawful path's dates (March-June 2026) and a year on, to cross every phase.
DAYS = (
    D(2026, 3, 1), D(2026, 3, 20), D(2026, 3, 24), D(2026, 3, 25), D(2026, 3, 31), D(2026, 4, 3), D(2026, 4, 10),
    D(2026, 4, 13), D(2026, 4, 20), D(2026, 4, 28), D(2026, 5, 1), D(2026, 6, 1), D(2026, 9, 30), D(2026, 10, 2),
    D(2027, 3, 10), D(2028, 3, 3),
)


def engine_view(case_ids, on):
    """What the engine gives, case by case, on `on` (cases with no deadline left out)."""
    found = {}
    for case in Case.objects.filter(pk__in=list(case_ids)).select_related("agency", "matter", "party"):
        deadlines = case_deadlines(case=case, on=on)
        if deadlines:
            found[case.pk] = deadlines
    return found


def assert_sql_equals_engine(case_ids, days=DAYS):
    snapshots = {}
    for day in days:
        stored = cases_deadlines_shown(case_ids=case_ids, on=day)
        engine = {}
        for case in Case.objects.filter(pk__in=list(case_ids)).select_related("agency", "matter", "party"):
            snapshot = snapshots.setdefault(case.pk, case_snapshot_build(case))
            deadlines = case_deadlines(case=case, on=day, snapshot=snapshot)
            if deadlines:
                engine[case.pk] = deadlines
        assert stored == engine, day
        opened = {pk: [d for d in ds if deadline_open(d)] for pk, ds in engine.items()}
        assert cases_next_deadlines(case_ids=case_ids, on=day) == {pk: ds for pk, ds in opened.items() if ds}


# --- the daily state in SQL ------------------------------------------------------------------------


def test_a_case_path_stores_its_deadlines_and_sql_gives_the_engines_state_on_every_day():
    w = world_make()
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    rows = {r.code for r in CaseDeadline.objects.filter(case=case)}
    assert {"penalty.deadline.service", "penalty.deadline.payment.0", "penalty.deadline.court_application"} <= rows
    # The court application is stored now and shown only after the last day to pay.
    court = CaseDeadline.objects.get(case=case, code="penalty.deadline.court_application")
    payment = CaseDeadline.objects.get(case=case, code="penalty.deadline.payment.0")
    assert court.shown_from == payment.due + dt.timedelta(days=1)
    assert_sql_equals_engine([case.pk])
    # Due soon, then overdue: the payment's state moves with the day, in SQL as in the engine.
    states = [cases_next_deadlines(case_ids=[case.pk], on=day)[case.pk][0] for day in
              (payment.due - dt.timedelta(days=5), payment.soon_from, payment.due, payment.due + dt.timedelta(days=1))]
    assert [(d.code, d.state) for d in states] == [
        ("penalty.deadline.payment.0", "running"),
        ("penalty.deadline.payment.0", "due_soon"),
        ("penalty.deadline.payment.0", "due_soon"),
        ("penalty.deadline.payment.0", "overdue"),
    ]
    unpaid = cases_deadlines_shown(case_ids=[case.pk], on=payment.due + dt.timedelta(days=1))[case.pk]
    assert next(d for d in unpaid if d.code == "penalty.deadline.court_application").state == "running"
    assert "penalty.deadline.court_application" not in {
        d.code for d in cases_deadlines_shown(case_ids=[case.pk], on=payment.due)[case.pk]
    }


def test_a_partys_window_is_met_the_day_after_it_ran_in_sql_as_in_the_engine():
    w = world_make()
    case = to_notified(w)
    window = CaseDeadline.objects.filter(case=case, code="penalty.deadline.statement_window").order_by("position")
    assert [(r.met, r.shown_until, r.shown_from) for r in window] == [
        (False, D(2026, 3, 24), None), (True, None, D(2026, 3, 25)),
    ]
    assert_sql_equals_engine([case.pk], days=(D(2026, 3, 23), D(2026, 3, 24), D(2026, 3, 25)))


def test_an_execution_follows_its_penalty_cases_payments_and_its_demand_lapses():
    from tests.cases.test_enforcement_cases import demand_data, enforcement_make, penalty_served

    w = world_make()
    penalty = penalty_served(w)
    execution = enforcement_make(w, parent=penalty)
    execution = perform(execution, "serve_demand", D(2026, 4, 21), w.officer,
                        **demand_data(D(2026, 4, 21), D(2026, 5, 6)))
    assert not case_projection_check(case_ids=[penalty.pk, execution.pk])
    # A payment recorded in the penalty case changes what the execution reads: both refreshed.
    perform(penalty, "record_payment", D(2026, 4, 22), w.officer, paid_on=D(2026, 4, 22), amount_yuan="1000",
            receipt="NO.1")
    assert not case_projection_check(case_ids=[penalty.pk, execution.pk])
    assert_sql_equals_engine([penalty.pk, execution.pk], days=(*DAYS, D(2026, 5, 6), D(2026, 5, 7)))


# --- the check and rebuild ----------------------------------------------------------------------------


def test_a_tampered_due_date_is_reported_by_the_check_and_repaired_by_the_rebuild():
    w = world_make()
    case = to_notified(w)
    assert case_projection_check(case_ids=[case.pk]) == []
    row = CaseDeadline.objects.filter(case=case, code="penalty.deadline.decision").get()
    CaseDeadline.objects.filter(pk=row.pk).update(due=row.due + dt.timedelta(days=10))
    lines = case_projection_check(case_ids=[case.pk])
    assert lines == [
        f"案件{case.number}：期限“作出行政处罚决定”的届满日存储为“{row.due + dt.timedelta(days=10)}”，"
        f"重新计算为“{row.due}”"
    ]
    CaseDeadline.objects.filter(case=case).delete()
    CaseProjection.objects.filter(case=case).update(roles_next=",reviewer,")
    missing = case_projection_check(case_ids=[case.pk])
    assert any("缺少期限“作出行政处罚决定”" in line for line in missing)
    assert any("下一步办理角色存储为“,reviewer,”" in line for line in missing)
    assert case_projection_rebuild() > 0
    assert case_projection_check() == []


def test_the_projection_is_registered_for_the_command():
    projection = next(p for p in projections_all() if p.name == "cases.deadlines")
    w = world_make()
    lead_make(w)
    assert projection.check() == []


def test_roles_next_come_from_the_steps_the_state_offers():
    w = world_make()
    case = lead_make(w)
    spec = procedure_spec(case.procedure)
    assert case.projection.roles_next == "," + ",".join(sorted(roles_next(spec, "lead"))) + ","
    assert "agency_head" in roles_next(spec, "lead")  # 立案审批
    assert Case.objects.filter(pk=case.pk, projection__roles_next__contains=",agency_head,").exists()
    # Opened and investigating, only the officers' and the head's steps are offered.
    case = perform(perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案"), "open", OPENED, w.officer,
                   **OPEN)
    case.refresh_from_db()
    assert case.projection.roles_next == "," + ",".join(sorted(roles_next(spec, case.state))) + ","


def test_entering_a_years_holidays_refreshes_the_cases_counted_across_it():
    w = world_make()
    case = lead_make(w)  # the limitation period ends in 2028
    row = CaseDeadline.objects.get(case=case, code="penalty.deadline.limitation")
    assert row.due.year == 2028
    CaseDeadline.objects.filter(pk=row.pk).update(label="（过时的）")
    assert case_projection_check(case_ids=[case.pk])
    holiday_year_save(actor=None, year=2028, holidays=["2028-01-01"], adjusted_working_days=[],
                      source="国务院办公厅关于2028年部分节假日安排的通知")
    assert case_projection_check(case_ids=[case.pk]) == []


def test_a_refused_step_leaves_the_stored_projection_as_it_was():
    from sanxiang.procedure.violations import Refused

    w = world_make()
    case = lead_make(w)
    before = list(CaseDeadline.objects.filter(case=case).values())
    with pytest.raises(Refused):
        perform(case, "decide", D(2026, 3, 6), w.officer)
    assert list(CaseDeadline.objects.filter(case=case).values()) == before


# --- random paths ------------------------------------------------------------------------------------


def _penalty_path(w):
    served = D(2026, 3, 26)
    return [
        lambda c: perform(c, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案"),
        lambda c: perform(c, "open", OPENED, w.officer, **OPEN),
        lambda c: perform(c, "investigate", D(2026, 3, 9), w.officer),
        lambda c: perform(c, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10))),
        lambda c: perform(c, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data()),
        lambda c: perform(c, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED)),
        lambda c: perform(c, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY),
        lambda c: perform(c, "decide", FIRST_DECISION_DAY, w.officer),
        lambda c: perform(c, "serve", served, w.officer, method="direct", served_on=served, place="当事人经营场所",
                          signed_by="巴特尔"),
        lambda c: perform(c, "record_payment", D(2026, 4, 8), w.officer, paid_on=D(2026, 4, 8), amount_yuan="1000",
                          receipt="NO.1"),
        lambda c: perform(c, "record_payment", D(2026, 4, 9), w.officer, paid_on=D(2026, 4, 9), amount_yuan="2000",
                          receipt="NO.2"),
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(moves=st.lists(st.integers(min_value=0, max_value=3), max_size=24),
       skips=st.sets(st.integers(min_value=0, max_value=10), max_size=3))
def test_random_action_sequences_keep_the_projection_equal_to_the_engine(moves, skips):
    """Two penalty cases advance along the lawful path in a random interleaving (a skipped step
    makes the later ones refused until… never: they stay refused, which must change nothing), with
    a seizure inside the first and an execution of it once served."""
    # Each example in a savepoint rolled back at its end (numbers are allocated per agency name).
    with transaction.atomic():
        random_sequence(moves, skips)
        transaction.set_rollback(True)


def random_sequence(moves, skips):
    from sanxiang.procedure.violations import Refused
    from tests.cases.test_coercion_cases import PROPOSAL, on_spot, recording_upload
    from tests.cases.test_enforcement_cases import demand_data, enforcement_make

    w = world_make()
    cases = [lead_make(w), lead_make(w, title="另一案件")]
    paths = [_penalty_path(w), _penalty_path(w)]
    progress = [0, 0]
    children: dict[str, Case] = {}
    measure_steps = [
        lambda c: perform(c, "coercion_propose", D(2026, 3, 9), w.officer, **PROPOSAL),
        lambda c: perform(c, "coercion_approve", D(2026, 3, 9), w.head, approved_at=dt.datetime(2026, 3, 9, 9, 0),
                          opinion="同意扣押"),
        lambda c: (recording_upload(w, c, "seizure"),
                   perform(c, "coercion_take", D(2026, 3, 9), w.officer,
                           **on_spot(w, at=dt.datetime(2026, 3, 9, 10, 0))))[1],
    ]
    measure_progress = 0
    for move in moves:
        try:
            if move in (0, 1):
                index = progress[move]
                if index < len(paths[move]):
                    progress[move] += 1
                    if index not in skips:
                        cases[move] = paths[move][index](cases[move])
            elif move == 2:
                if "measure" not in children:
                    children["measure"] = case_create(
                        actor=w.officer, agency=w.agency, title="扣押案", procedure="seal_seizure",
                        officers=[w.zhang, w.li], enforcement_field="市场监管", on=D(2026, 3, 9),
                        options={"measure_kind": "seizure"}, parent=Case.objects.get(pk=cases[0].pk),
                    )
                elif measure_progress < len(measure_steps):
                    measure_progress += 1
                    children["measure"] = measure_steps[measure_progress - 1](children["measure"])
            elif "execution" not in children:
                children["execution"] = enforcement_make(w, parent=Case.objects.get(pk=cases[0].pk))
            else:
                children["execution"] = perform(children["execution"], "serve_demand", D(2026, 4, 21), w.officer,
                                                **demand_data(D(2026, 4, 21), D(2026, 5, 6)))
        except Refused:
            pass
    ids = [c.pk for c in cases] + [c.pk for c in children.values()]
    assert case_projection_check(case_ids=ids) == []
    assert_sql_equals_engine(ids, days=DAYS[::3])


# --- bounded pages ------------------------------------------------------------------------------------


def bulk_cases(w, template: Case, count: int, *, start: int) -> list[int]:
    """`count` copies of a case made through the services, written in bulk and then projected (the
    way a bulk growth of the database does it)."""
    made = Case.objects.bulk_create([
        Case(agency=template.agency, number=f"{template.number}-{start + i}", title=template.title,
             procedure=template.procedure, state=template.state, party=template.party,
             enforcement_field=template.enforcement_field, act_date=template.act_date, facts=template.facts,
             details=template.details)
        for i in range(count)
    ])
    ids = [c.pk for c in made] if made[0].pk else list(
        Case.objects.filter(number__startswith=f"{template.number}-").values_list("pk", flat=True)
    )
    through = Case.officers.through
    through.objects.bulk_create([through(case_id=pk, officer_id=o) for pk in ids for o in (w.zhang.pk, w.li.pk)],
                                ignore_conflicts=True)
    case_projection_refresh(case_ids=ids)
    return ids


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_homes_and_the_case_list_take_as_many_queries_at_10_as_at_200_open_cases(client, monkeypatch):
    from sanxiang.cases import search

    w = world_make()
    template = to_notified(w)
    assert "食品" in template.title
    bulk_cases(w, template, 9, start=0)
    # 食品 is found in 10 cases (a rare term: the cases found are read first), then in 200 (a common
    # one: the agency's newest cases are walked and the grams probed): the same queries.
    monkeypatch.setattr(search, "COMMON_ROWS", 50)
    pages = {
        "officer home": (w.officer, reverse("web:home")),
        "head home": (w.head, reverse("web:home")),
        "case list": (w.officer, reverse("cases:case_list")),
        "case list, page 2": (w.officer, reverse("cases:case_list") + "?page=2"),
        "case list with search": (w.officer, reverse("cases:case_list") + "?q=%E9%A3%9F%E5%93%81"),
    }
    # The head is an officer of the cases too: the head's worklist lists them.
    Case.officers.through.objects.bulk_create(
        [Case.officers.through(case_id=pk, officer_id=w.head.officer_id) for pk in Case.objects.filter(agency=w.agency)
         .values_list("pk", flat=True)]
    )
    at_10 = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        if name != "case list, page 2":
            at_10[name] = page_queries(client, url)
    assert Case.objects.filter(agency=w.agency).count() == 10
    ids = bulk_cases(w, template, 190, start=100)
    Case.officers.through.objects.bulk_create(
        [Case.officers.through(case_id=pk, officer_id=w.head.officer_id) for pk in ids]
    )
    at_200 = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        at_200[name] = page_queries(client, url)
    assert {k: at_200[k] for k in at_10} == at_10
    assert at_200["case list, page 2"] == at_200["case list"]
    client.force_login(w.officer)
    found = client.get(reverse("cases:case_list"), {"q": "食品"}).content.decode()
    assert "第 1 / 4 页，共 200 件" in found
    # Fifty a page, with links in Chinese and each case's next deadline from the projection.
    client.force_login(w.officer)
    html = client.get(reverse("cases:case_list"), {"page": "2"}).content.decode()
    listing = html.split('data-testid="case-list"')[1].split("</table>")[0]
    assert listing.count("<tr>") == 51  # the header and 50 cases
    assert "第 2 / 4 页，共 200 件" in html and all(word in html for word in ("首页", "上一页", "下一页", "末页"))
    assert listing.count("作出行政处罚决定") == 50
    # The worklist shows every open case with its next deadline, the nearest first.
    rows = officer_worklist(user=w.officer)
    assert len(rows) == 200 and all(r.next_deadline is not None for r in rows)
    assert [r.next_deadline.due for r in rows] == sorted(r.next_deadline.due for r in rows)


def test_the_case_list_counts_its_cases_only_up_to_the_cap_and_says_more(client, monkeypatch):
    """Issue 12: a list of 100,000 cases does not count them all on every request. Past
    CASE_LIST_COUNT_CAP the list says "超过 N 件" and pages through the newest N (as the portal's
    search does); the count reads at most N + 1 rows (its SQL is limited)."""
    from sanxiang.cases import views as case_views

    w = world_make()
    bulk_cases(w, to_notified(w), 119, start=0)
    client.force_login(w.officer)
    url = reverse("cases:case_list")
    # Under the cap: the exact count.
    html = client.get(url).content.decode()
    assert "第 1 / 3 页，共 120 件" in html and "列出最新的" not in html
    monkeypatch.setattr(case_views, "CASE_LIST_COUNT_CAP", 60)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "第 1 / 2 页，超过 60 件，列出最新的 60 件" in html and "共 120 件" not in html
    # The list's count (the navigation's count of deadlines is another query, of its own rows).
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT COUNT(*) FROM (SELECT "cases_case"')]
    assert len(counts) == 1 and "LIMIT 61" in counts[0], counts
    # The last page is the cap's: 10 cases, the newest 60 in all; past it, the last page.
    for number in ("2", "99"):
        html = client.get(url, {"page": number}).content.decode()
        listing = html.split('data-testid="case-list"')[1].split("</table>")[0]
        assert "第 2 / 2 页" in html and listing.count("<tr>") == 11 and "下一页" not in html
    # A search under the cap is counted exactly.
    number = Case.objects.filter(agency=w.agency).order_by("-created_at", "-id").first().number
    html = client.get(url, {"q": number}).content.decode()
    assert number in html and "列出最新的" not in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "", "1.5", "%00"])
def test_a_bad_page_number_is_never_an_error(client, page):
    w = world_make()
    lead_make(w)
    client.force_login(w.officer)
    response = client.get(reverse("cases:case_list"), {"page": page})
    assert response.status_code == 200
    assert "没有案件" not in response.content.decode()


def test_a_database_migrated_with_cases_and_no_projection_gets_it_after_migrate():
    from sanxiang.cases.apps import projection_build_if_missing

    w = world_make()
    case = to_notified(w)
    expected = list(CaseDeadline.objects.filter(case=case).values_list("code", "due", "shown_from"))
    CaseDeadline.objects.all().delete()
    CaseProjection.objects.all().delete()
    projection_build_if_missing(sender=None)
    assert list(CaseDeadline.objects.filter(case=case).values_list("code", "due", "shown_from")) == expected
    assert case_projection_check() == []
    # Built once: a later migrate with the projection in place rebuilds nothing.
    CaseDeadline.objects.filter(case=case, code="penalty.deadline.decision").update(label="（改动）")
    projection_build_if_missing(sender=None)
    assert CaseDeadline.objects.filter(case=case, label="（改动）").exists()


# --- deadlines that cannot be computed ------------------------------------------------------------


def _parameters_starting_late(*names: str):
    """The default parameters, with `names` in force only from 2099: on the case's dates they have
    no value (as a case dated before the law that sets a period took effect)."""
    from sanxiang.procedure.parameters import Parameter, ParameterPeriod, ParameterSet, parameters_default

    base = parameters_default()
    table = {name: base[name] for name in base.names()}
    for name in names:
        p = table[name]
        table[name] = Parameter(p.name, p.description, p.reference, p.unverified, p.unit,
                                tuple(ParameterPeriod(D(2099, 1, 1), q.value, q.region, q.sector, q.reference)
                                      for q in p.periods))
    return ParameterSet(table)


def test_a_missing_parameter_stores_a_marker_naming_it_that_the_lists_and_the_case_page_show(client, monkeypatch):
    """A period whose parameter has no value on the case's dates (《行政处罚法》第六十条, the decision's
    period, and the due-soon alert) is not silently left out: the projection stores a marker
    "期限无法计算" naming the parameter, first, and keeps what can be computed; the lists show the
    marker as the case's next deadline, the case page the reason."""
    import sanxiang.procedure.penalty.deadlines as penalty_deadlines

    w = world_make()
    case = to_notified(w)
    late = _parameters_starting_late("penalty.decision.period_days", "penalty.deadlines.due_soon_days")
    monkeypatch.setattr(penalty_deadlines, "parameters_default", lambda: late)
    case_projection_refresh(case_ids=[case.pk])
    rows = list(CaseDeadline.objects.filter(case=case).order_by("position"))
    markers = [r for r in rows if r.uncomputable]
    decision = late["penalty.decision.period_days"].description
    soon = late["penalty.deadlines.due_soon_days"].description
    assert [r.position for r in markers] == [0, 1]
    assert all(r.label.startswith("期限无法计算：") and r.due is None for r in markers)
    assert all(any(f"“{d}”" in r.label for r in markers) for d in (decision, soon))
    # What does not rest on the missing parameters is still stored (the statement window).
    codes = [r.code for r in rows if not r.uncomputable]
    assert "penalty.deadline.statement_window" in codes and "penalty.deadline.decision" not in codes
    # The lists read the marker as the next deadline, state "uncomputable"; the engine agrees.
    first = cases_next_deadlines(case_ids=[case.pk], on=D(2026, 3, 20))[case.pk][0]
    assert (first.state, first.due) == ("uncomputable", None) and first.label == markers[0].label
    assert case_projection_check(case_ids=[case.pk]) == []
    assert officer_worklist(user=w.officer)[0].next_deadline.state == "uncomputable"
    client.force_login(w.officer)
    listing = client.get(reverse("cases:case_list")).content.decode()
    assert markers[0].label in listing
    home = client.get(reverse("web:home")).content.decode()
    assert "期限无法计算" in home
    # It waits in the officers' 待办 (a deadline nobody can see would run out unseen), and is counted.
    inbox = inbox_build(user=w.officer, on=D(2026, 3, 20))
    waiting = {i.what: i.due_note for i in inbox.group("deadline").items}
    assert all(waiting.get(m.label) == "期限无法计算，请核对" for m in markers), waiting
    assert inbox_count(user=w.officer, on=D(2026, 3, 20)) == inbox.total
    # The case page computes live and names the parameter among its deadline problems.
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert f"“{decision}”" in page and f"“{soon}”" in page
    # The law back in force: a refresh replaces the markers with the deadlines.
    monkeypatch.undo()
    case_projection_refresh(case_ids=[case.pk])
    assert not CaseDeadline.objects.filter(case=case, uncomputable=True).exists()
    assert CaseDeadline.objects.filter(case=case, code="penalty.deadline.decision").exists()
    assert not any(i.what.startswith("期限无法计算") for i in inbox_build(user=w.officer, on=D(2026, 3, 20)).group("deadline").items)


def test_an_error_in_the_deadlines_does_not_block_the_step_the_case_is_marked_and_the_check_reports_it(
    monkeypatch, caplog,
):
    """A defect of a procedure's deadlines (an exception) must not refuse a lawful step: the step
    is taken and ledgered, the projection is marked stale with a marker row, the error is logged,
    and `sanxiang projection check` names the case until a refresh computes it."""
    from sanxiang.ledger.models import Entry
    from sanxiang.procedure.catalog import ProcedureSpec

    w = world_make()
    case = to_notified(w)
    real = ProcedureSpec.deadline_phases_checked

    def broken(self, snapshot, **kwargs):
        raise ZeroDivisionError("a defect of the deadlines")

    monkeypatch.setattr(ProcedureSpec, "deadline_phases_checked", broken)
    entries = Entry.objects.count()
    with caplog.at_level("ERROR", logger="sanxiang.cases.projection"):
        case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
        case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    assert Case.objects.get(pk=case.pk).state == "decided"
    assert Entry.objects.count() > entries  # the step was taken and ledgered
    projection = CaseProjection.objects.get(case=case)
    assert projection.stale and "ZeroDivisionError" in projection.error
    assert [(r.code, r.uncomputable, r.due) for r in CaseDeadline.objects.filter(case=case)] == [
        ("projection.error", True, None)
    ]
    assert any(case.number in r.getMessage() and r.exc_info for r in caplog.records)
    lines = case_projection_check(case_ids=[case.pk])
    assert any("待重算" in line and case.number in line for line in lines)
    assert any("重新计算期限出错" in line for line in lines)
    projection_check = next(p for p in projections_all() if p.name == "cases.deadlines")
    assert projection_check.check()
    # Mended: the check is clean after the next refresh.
    monkeypatch.setattr(ProcedureSpec, "deadline_phases_checked", real)
    case_projection_refresh(case_ids=[case.pk])
    assert case_projection_check(case_ids=[case.pk]) == []
    assert not CaseProjection.objects.get(case=case).stale


# --- registry edits that a case's snapshot reads ---------------------------------------------------


def test_a_partys_kind_changed_in_the_registry_refreshes_its_cases_hearing_window():
    """《行政处罚法》第六十三条 with the local thresholds: a fine of 20,000 yuan gives a natural person
    the right to a hearing and an organisation not (the thresholds differ by the party's kind).
    Correcting the party's kind in the registry refreshes the projection of its cases at once:
    the registry emits `PartyChanged`, the cases app refreshes, and the check finds nothing."""
    from sanxiang.registry import services as registry
    from tests.factories import credit_code

    w = world_make()
    perform_fine = {"fine_yuan": "20000"}
    case = lead_make(w, party=w.citizen)
    case = to_investigating(w, case)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **(end_investigation_data() | perform_fine))
    case = perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED, **perform_fine))
    codes = set(CaseDeadline.objects.filter(case=case).values_list("code", flat=True))
    assert "penalty.deadline.hearing_request" in codes
    registry.party_update(actor=None, party=w.citizen, kind="legal_person", id_type="", id_number="",
                          credit_code=credit_code(prefix="91150626"), legal_representative="刘某")
    codes = set(CaseDeadline.objects.filter(case=case).values_list("code", flat=True))
    assert "penalty.deadline.hearing_request" not in codes
    assert case_projection_check() == []


def test_an_agencys_region_changed_in_the_registry_refreshes_its_cases(monkeypatch):
    """A region's own value of a parameter (here the due-soon alert of a banner that alerts ten
    days ahead) applies to the cases of an agency once its region says so: the registry emits
    `AgencyChanged`, the cases are refreshed in its transaction. An edit of a field no snapshot
    reads (the phone) refreshes nothing."""
    import sanxiang.procedure.penalty.deadlines as penalty_deadlines
    from sanxiang.cases import projection
    from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
    from sanxiang.registry import services as registry

    local = parameters_default().with_overrides({
        "penalty.deadlines.due_soon_days": [ParameterPeriod(D(2018, 12, 5), 10, region="150627")],
    })
    monkeypatch.setattr(penalty_deadlines, "parameters_default", lambda: local)
    w = world_make()
    case = to_notified(w)
    assert set(CaseDeadline.objects.filter(case=case).values_list("soon_days", flat=True)) == {3}
    refreshed = []
    real = projection.case_projection_refresh
    monkeypatch.setattr(projection, "case_projection_refresh",
                        lambda **kw: refreshed.append(kw["case_ids"]) or real(**kw))
    registry.agency_update(actor=None, agency=w.agency, contact_phone="0477-7299999")
    assert refreshed == []
    registry.agency_update(actor=None, agency=w.agency, region_code="150627")
    assert refreshed == [{case.pk}]
    assert set(CaseDeadline.objects.filter(case=case).values_list("soon_days", flat=True)) == {10}
    assert case_projection_check(case_ids=[case.pk]) == []
