"""The annual supervision plan and 执法质效评议 (issue 14, item 5), through the services and pages:
the plan approved by a second supervisor, matters opened from its items and the progress counted
from them; an evaluation whose standards and process are published when approved (《行政执法监督条例》
第十九条), scored by two supervisors (the pair rule), published only when every agency is scored;
every change in the ledger; the public rows carry no personal data."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicSupervisionEvaluation, PublicSupervisionPlan
from sanxiang.supervision import plan_services as services
from sanxiang.supervision.models import Criterion, Evaluation, Plan
from sanxiang.supervision.services import matter_accept, matter_conclude, matter_pair_assign
from tests.factories import agency_make, officer_make, user_make
from tests.querycount import queries_counted
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
STANDARDS = """# 执法主体
## 持证执法
- 执法人员持有效执法证件 | 10
- 无证执法 | 10 | 否决
# 执法程序
## 公示
- 按时公示行政处罚决定 | 20
"""


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, page_url: str, url: str, data: dict):
    html = client.get(page_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def _kinds():
    return list(Entry.objects.order_by("seq").values_list("kind", flat=True))


def plan_make(desk, *, approve=True, items=1):
    plan = services.plan_draft(actor=desk.first, year=TODAY.year, title=f"{TODAY.year}年度行政执法监督工作计划",
                               objectives="全面落实行政执法三项制度。")
    for n in range(items):
        services.plan_item_add(actor=desk.first, plan=plan, kind="routine" if n else "focused", subject=f"事项{n}",
                               description="检查公示情况", all_agencies=False, agencies=[desk.agency], months=[3, 6],
                               supervisors=[desk.first, desk.second])
    if approve:
        services.plan_approve(actor=desk.second, plan=plan)
    return Plan.objects.get(pk=plan.pk)


def evaluation_make(desk, *, agencies=None, approve=True):
    evaluation = services.evaluation_draft(
        actor=desk.first, title="2026年度执法质效评议", scheme="对各执法机关的执法质量和效果进行评议。",
        process="一、自查（3月）；二、评查（4月）；三、公布结果（5月）。", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), agencies=agencies or [desk.agency], standards=STANDARDS,
    )
    if approve:
        services.evaluation_approve(actor=desk.second, evaluation=evaluation)
    return Evaluation.objects.get(pk=evaluation.pk)


def full_scores(evaluation, **changes):
    rules = list(evaluation.criteria.filter(level=3).order_by("position"))
    scores = {c.pk: (c.points, False, "") for c in rules}
    for position, value in changes.items():
        rule = rules[int(position.removeprefix("r"))]
        scores[rule.pk] = value
    return scores


# --- the plan --------------------------------------------------------------------------------------


def test_a_plan_is_drafted_approved_by_a_second_supervisor_and_published_without_personal_data():
    desk = desk_make()
    officer_make(agency=desk.agency, name="钱执法")
    plan = services.plan_draft(actor=desk.first, year=TODAY.year, title="年度计划",
                               objectives="重点检查钱执法所在机关的公示。")
    services.plan_item_add(actor=desk.first, plan=plan, kind="evaluation", subject="执法质效评议",
                           description="赵监督负责", all_agencies=True, months=list(range(1, 13)),
                           supervisors=[desk.first])
    # The drafter may not approve it (platform rule), nor publish before approval.
    with pytest.raises(Refused) as refused:
        services.plan_approve(actor=desk.first, plan=plan)
    assert [v.code for v in refused.value.violations] == ["plan.same_person"]
    with pytest.raises(Refused) as refused:
        services.plan_publish(actor=desk.first, plan=plan)
    assert refused.value.violations[0].message == "计划须经批准后才能公开"
    services.plan_approve(actor=desk.second, plan=plan)
    with pytest.raises(Refused):  # no item is added once approved
        services.plan_item_add(actor=desk.first, plan=plan, kind="other", subject="迟到", all_agencies=True,
                               months=[1], supervisors=[desk.first])
    services.plan_publish(actor=desk.first, plan=plan)
    public = PublicSupervisionPlan.objects.get(source_id=plan.pk)
    assert (public.year, public.title, public.bureau_name) == (TODAY.year, "年度计划", desk.bureau.name)
    [item] = public.items
    assert {k: v for k, v in item.items() if k != "description"} == {
        "kind_label": "执法质效评议", "subject": "执法质效评议", "agencies": "全部执法机关", "months_text": "全年"}
    assert item["description"].endswith("负责") and "赵监督" not in item["description"]
    assert "钱执法" not in public.objectives and "赵监督" not in str(public.items)
    assert public.basis == "《行政执法监督条例》第十五条；《山东省行政执法监督条例》第二十条"
    assert _kinds()[-4:] == ["supervision.plan_drafted", "supervision.plan_item_added", "supervision.plan_approved",
                             "supervision.plan_published"]


def test_plan_input_is_checked_and_nothing_is_half_written():
    desk = desk_make()
    other_county = agency_make(name="外县局", region_code="110105")
    with pytest.raises(Refused) as refused:
        services.plan_draft(actor=desk.first, year=TODAY.year + 5, title=" ", objectives="")
    assert {v.field for v in refused.value.violations} == {"year", "title", "objectives"}
    plan = plan_make(desk, approve=False, items=0)
    with pytest.raises(Refused) as refused:
        services.plan_item_add(actor=desk.first, plan=plan, kind="bogus", subject="", all_agencies=False,
                               agencies=[other_county], months=[13], supervisors=[])
    assert {v.field for v in refused.value.violations} == {"kind", "subject", "months", "supervisors", "agencies"}
    assert plan.items.count() == 0
    with pytest.raises(Refused) as refused:  # one plan per year
        services.plan_draft(actor=desk.second, year=TODAY.year, title="又一个", objectives="目标")
    assert refused.value.violations[0].code == "plan.year_taken"


def test_matters_opened_from_an_item_show_its_progress():
    desk = desk_make()
    plan = plan_make(desk)
    [item] = plan.items.all()
    draft = plan_make(desk_make(), approve=False)
    with pytest.raises(Refused) as refused:  # a draft plan carries no matter
        services.plan_item_matter_open(actor=draft.drafted_by, item=draft.items.get(), agency=draft.items.get().agencies.get())
    assert refused.value.violations[0].code == "plan.matter_draft"
    with pytest.raises(Refused) as refused:  # an agency the item does not concern
        services.plan_item_matter_open(actor=desk.first, item=item, agency=agency_make())
    assert refused.value.violations[0].code == "plan.matter_agency"
    first = services.plan_item_matter_open(actor=desk.first, item=item, agency=desk.agency)
    services.plan_item_matter_open(actor=desk.first, item=item, agency=desk.agency)
    assert (first.source, first.origin, first.bureau_id) == ("focused", f"plan_item:{item.pk}", desk.bureau.pk)
    assert _kinds()[-1] == "supervision.plan_matter_linked"
    matter_pair_assign(matter=first, users=[desk.first, desk.second], actor=desk.first)
    matter_accept(matter=first, actor=desk.first)
    matter_conclude(matter=first, outcome="已督促整改", actor=desk.first)
    page = client_for(desk.first).get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    progress = re.search(r'data-testid="progress-1">(.*?)<', page, re.S).group(1)
    assert progress.strip() == "正在开展：已登记2件，办结1件"
    assert first.number in page


def test_plan_pages_refuse_with_reasons_and_cost_bounded_queries():
    desk = desk_make()
    plan = plan_make(desk, approve=False)
    drafter = client_for(desk.first)
    detail = reverse("supervision:plan_detail", args=[plan.pk])
    page = drafter.get(detail).content.decode()
    assert 'data-testid="approve-blockers"' in page and "须由起草人以外的本局监督人员审核批准" in page
    response = post(drafter, detail, reverse("supervision:plan_item_new", args=[plan.pk]),
                    {"kind": "routine", "subject": "", "months": ["3"]})
    assert response.status_code == 400 and plan.items.count() == 1
    response = post(client_for(desk.second), detail, reverse("supervision:plan_approve", args=[plan.pk]), {})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "approved"
    for n in range(5):
        services.plan_item_matter_open(actor=desk.first, item=plan.items.get(), agency=desk.agency, subject=f"第{n}件")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert drafter.get(detail).status_code == 200
        return queries_counted(ctx.captured_queries)

    before = count()
    for n in range(5):
        services.plan_item_matter_open(actor=desk.first, item=plan.items.get(), agency=desk.agency, subject=f"再{n}件")
    assert count() == before


def test_new_plan_form_and_bad_input_lose_nothing():
    desk = desk_make()
    client = client_for(desk.first)
    new = reverse("supervision:plan_new")
    response = post(client, new, new, {"year": str(TODAY.year), "title": "保留的标题", "objectives": ""})
    assert response.status_code == 400 and "保留的标题" in response.content.decode()
    response = post(client, new, new, {"year": str(TODAY.year), "title": "计划", "objectives": "目标"})
    assert response.status_code == 302 and Plan.objects.get().title == "计划"


# --- 执法质效评议 -----------------------------------------------------------------------------------


def test_approval_publishes_the_standards_and_the_process():
    desk = desk_make()
    evaluation = evaluation_make(desk, approve=False)
    assert not PublicSupervisionEvaluation.objects.exists()
    services.evaluation_approve(actor=desk.second, evaluation=evaluation)
    public = PublicSupervisionEvaluation.objects.get(source_id=evaluation.pk)
    assert public.process.startswith("一、自查") and public.full_marks == "40"
    assert [(c["number"], c["text"], c["points"], c["veto"]) for c in public.standards] == [
        ("1", "执法主体", "20", False), ("1.1", "持证执法", "20", False), ("1.1.1", "执法人员持有效执法证件", "10", False),
        ("1.1.2", "无证执法", "10", True), ("2", "执法程序", "20", False), ("2.1", "公示", "20", False),
        ("2.1.1", "按时公示行政处罚决定", "20", False)]
    assert public.grade_bands[0] == ["90", "优秀"] and public.results == [] and public.results_published_on is None
    assert public.basis == "《行政执法监督条例》第十九条"


def test_a_single_supervisor_may_not_score():
    """The pair rule (《四川省行政执法监督条例》第二十九条；《河北省行政执法监督条例》第十九条): a score given by
    one supervisor is refused with the reason and its basis; with a second one it is recorded."""
    desk = desk_make()
    evaluation = evaluation_make(desk)
    with pytest.raises(Refused) as refused:
        services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=desk.agency,
                                  supervisors=[desk.first], scores=full_scores(evaluation))
    [violation] = refused.value.violations
    assert violation.code == "supervisors.too_few"
    assert violation.message == "行政执法监督应当由2名以上持有监督检查证件的人员共同进行（现为1名）"
    assert "《四川省行政执法监督条例》第二十九条" in violation.legal_basis
    assert not evaluation.scores.exists()
    expired = supervisor_user_make(bureau=desk.bureau, valid_from=TODAY - dt.timedelta(days=400),
                                   valid_to=TODAY - dt.timedelta(days=1))
    with pytest.raises(Refused) as refused:
        services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=desk.agency,
                                  supervisors=[desk.first, expired], scores=full_scores(evaluation))
    assert [v.code for v in refused.value.violations] == ["supervisor.certificate_expired"]
    score = services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=desk.agency,
                                      supervisors=[desk.first, desk.second], scores=full_scores(evaluation))
    assert (score.total, score.full_marks, score.grade, score.vetoed) == (Decimal("40"), Decimal("40"), "优秀", False)
    assert _kinds()[-1] == "supervision.evaluation_scored"


def test_scoring_before_approval_is_refused_and_a_veto_gives_the_lowest_grade():
    desk = desk_make()
    draft = evaluation_make(desk, approve=False)
    with pytest.raises(Refused) as refused:
        services.evaluation_score(actor=desk.first, evaluation=draft, agency=desk.agency,
                                  supervisors=[desk.first, desk.second], scores=full_scores(draft))
    assert refused.value.violations[0].code == "score.draft"
    evaluation = evaluation_make(desk)
    score = services.evaluation_score(
        actor=desk.first, evaluation=evaluation, agency=desk.agency, supervisors=[desk.first, desk.second],
        scores=full_scores(evaluation, r1=(Decimal("0"), True, "发现无证执法"), r2=(Decimal("15"), False, "逾期公示")),
    )
    assert (score.points_sum, score.total, score.grade, score.vetoed) == (Decimal("25"), Decimal("0"), "不合格", True)


def test_results_are_published_only_when_every_agency_is_scored():
    """第十九条: the results are published; the button stays blocked while an agency is unscored."""
    desk = desk_make()
    second_agency = agency_make(name="乙执法局")
    evaluation = evaluation_make(desk, agencies=[desk.agency, second_agency])
    services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=desk.agency,
                              supervisors=[desk.first, desk.second],
                              scores=full_scores(evaluation, r2=(Decimal("8"), False, "两件逾期公示")))
    with pytest.raises(Refused) as refused:
        services.evaluation_results_publish(actor=desk.first, evaluation=evaluation)
    [violation] = refused.value.violations
    assert violation.message == "尚有1个参评机关未评分：乙执法局"
    assert violation.legal_basis.startswith("《行政执法监督条例》第十九条")
    page = client_for(desk.first).get(reverse("supervision:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert 'data-testid="publish-blockers"' in page and "乙执法局" in page
    assert PublicSupervisionEvaluation.objects.get(source_id=evaluation.pk).results == []
    services.evaluation_score(actor=desk.second, evaluation=evaluation, agency=second_agency,
                              supervisors=[desk.first, desk.second], scores=full_scores(evaluation))
    services.evaluation_results_publish(actor=desk.first, evaluation=evaluation)
    public = PublicSupervisionEvaluation.objects.get(source_id=evaluation.pk)
    assert public.results == [
        {"agency": "乙执法局", "total": "40", "full_marks": "40", "grade": "优秀", "vetoed": False},
        {"agency": desk.agency.name, "total": "28", "full_marks": "40", "grade": "合格", "vetoed": False},
    ]
    assert public.results_published_on == TODAY
    with pytest.raises(Refused):  # once only
        services.evaluation_results_publish(actor=desk.first, evaluation=evaluation)


def test_the_score_page_keeps_what_was_typed_and_names_the_reasons():
    desk = desk_make()
    evaluation = evaluation_make(desk)
    rules = list(Criterion.objects.filter(evaluation=evaluation, level=3).order_by("position"))
    url = reverse("supervision:evaluation_score", args=[evaluation.pk, desk.agency.pk])
    client = client_for(desk.first)
    data = {f"c{rules[0].pk}": "7", f"c{rules[1].pk}": "10", f"c{rules[2].pk}": "20"}
    response = post(client, url, url, data)  # no reason for the deduction, no second supervisor
    html = response.content.decode()
    assert response.status_code == 409
    assert "“执法人员持有效执法证件”有扣分，请写明扣分原因" in html and "现为1名" in html
    assert 'value="7"' in html
    response = post(client, url, url, {**data, f"reason{rules[0].pk}": "一人证件过期", "second": str(desk.second.pk)})
    assert response.status_code == 302
    assert evaluation.scores.get().total == Decimal("37")


def test_portal_pages_show_what_is_published_and_no_personal_data(client):
    desk = desk_make()
    officer_make(agency=desk.agency, name="钱执法")
    plan = plan_make(desk)
    services.plan_publish(actor=desk.first, plan=plan)
    evaluation = evaluation_make(desk)
    services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=desk.agency,
                              supervisors=[desk.first, desk.second], scores=full_scores(evaluation))
    page = client.get(reverse("portal:supervision_evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "评议正在进行，结果尚未公开" in page and "按时公示行政处罚决定" in page
    services.evaluation_results_publish(actor=desk.first, evaluation=evaluation)
    pages = [client.get(reverse(name, args=args)) for name, args in (
        ("portal:supervision_plan_list", []), ("portal:supervision_plan_detail", [plan.pk]),
        ("portal:supervision_evaluation_list", []), ("portal:supervision_evaluation_detail", [evaluation.pk]),
        ("portal:supervision_notice_list", []))]
    assert [p.status_code for p in pages] == [200] * 5
    text = "".join(p.content.decode() for p in pages)
    for person in ("王监督", "赵监督", "钱执法"):
        assert person not in text
    assert plan.title in text and "事项0" in text and "3月、6月" in text
    assert f"{desk.agency.name}</td>" in text and "40/40" in text and "优秀" in text
    assert reverse("portal:supervision_plan_list") in pages[4].content.decode()
    assert client.get(reverse("portal:supervision_plan_detail", args=[plan.pk + 999])).status_code == 404


def test_other_counties_and_agencies_do_not_reach_the_plans():
    desk = desk_make()
    plan = plan_make(desk)
    evaluation = evaluation_make(desk)
    other_bureau = agency_make(name="外县司法局", is_judicial_bureau=True, region_code="110105")
    outsider = supervisor_user_make(bureau=other_bureau)
    head = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    for user, expected in ((outsider, 404), (head, 403)):
        client = client_for(user)
        assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == expected
        assert client.get(reverse("supervision:evaluation_detail", args=[evaluation.pk])).status_code == expected
        assert plan.title not in client.get(reverse("supervision:plan_list")).content.decode()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service itself
        services.evaluation_score(actor=outsider, evaluation=evaluation, agency=desk.agency,
                                  supervisors=[outsider, desk.first], scores=full_scores(evaluation))


def test_another_countys_supervisor_reaches_no_plan_or_evaluation_page_and_changes_nothing():
    """Every plan and 评议 URL that names one (its PDF, the score form, and each POST-only form) answers
    another county's supervisor as a missing object would, and nothing is changed or recorded."""
    desk = desk_make()
    approved = plan_make(desk)
    draft = services.plan_draft(actor=desk.first, year=TODAY.year + 1, title="明年计划", objectives="目标")
    services.plan_item_add(actor=desk.first, plan=draft, kind="routine", subject="日常监督", all_agencies=True,
                           months=[3], supervisors=[desk.first, desk.second])
    draft_evaluation, evaluation = evaluation_make(desk, approve=False), evaluation_make(desk)
    outsider = supervisor_user_make(bureau=agency_make(name="外县司法局", is_judicial_bureau=True, region_code="110105"))
    client = Client()
    client.force_login(outsider)
    entries = Entry.objects.count()
    item = approved.items.get()
    gets = [reverse("supervision:plan_pdf", args=[approved.pk]),
            reverse("supervision:evaluation_score", args=[evaluation.pk, desk.agency.pk])]
    posts = [(reverse("supervision:plan_approve", args=[draft.pk]), {}),
             (reverse("supervision:plan_item_new", args=[draft.pk]),
              {"kind": "other", "subject": "混入", "all_agencies": "on", "months": ["4"],
               "supervisors": [str(outsider.pk)]}),
             (reverse("supervision:plan_publish", args=[approved.pk]), {}),
             (reverse("supervision:plan_item_matter", args=[approved.pk, item.pk]), {"agency": str(desk.agency.pk)}),
             (reverse("supervision:evaluation_approve", args=[draft_evaluation.pk]), {}),
             (reverse("supervision:evaluation_publish", args=[evaluation.pk]), {}),
             (reverse("supervision:evaluation_score", args=[evaluation.pk, desk.agency.pk]), {})]
    answers = [client.get(url).status_code for url in gets] + [client.post(url, data).status_code for url, data in posts]
    assert answers == [404] * len(answers)
    assert [Plan.objects.get(pk=p.pk).state for p in (draft, approved)] == ["draft", "approved"]
    assert [Evaluation.objects.get(pk=e.pk).state for e in (draft_evaluation, evaluation)] == ["draft", "approved"]
    assert draft.items.count() == 1 and not item.matter_links.exists() and Entry.objects.count() == entries


def test_evaluation_pages_cost_the_same_whatever_the_number_of_agencies():
    desk = desk_make()
    few = evaluation_make(desk, agencies=[agency_make() for _ in range(2)])
    many = evaluation_make(desk, agencies=[agency_make() for _ in range(8)])
    for evaluation in (few, many):
        for agency in evaluation.agencies.all():
            services.evaluation_score(actor=desk.first, evaluation=evaluation, agency=agency,
                                      supervisors=[desk.first, desk.second], scores=full_scores(evaluation))
    client = client_for(desk.first)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return queries_counted(ctx.captured_queries)

    assert count(reverse("supervision:evaluation_detail", args=[few.pk])) == count(
        reverse("supervision:evaluation_detail", args=[many.pk]))
    agency = many.agencies.first()
    assert count(reverse("supervision:evaluation_score", args=[many.pk, agency.pk])) < 30


def test_the_plan_as_a_pdf():
    desk = desk_make()
    plan = plan_make(desk)
    response = client_for(desk.first).get(reverse("supervision:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and "inline" in response["Content-Disposition"]
    page = client_for(desk.first).get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("supervision:plan_pdf", args=[plan.pk]) in page
