"""案卷评查活动 joined to the scoring standards and the automatic items (issue 16, items 1-2 and 4):
a drawn file's automatic items are computed from its records and stored with the records each looked
at (reproducible: never computed again), the evaluators score only the manual items, and the standard
applied is the county's published version in force on the campaign's definition day, recorded on
the campaign. 案卷评查 is a mode of supervision: 《行政执法监督条例》第十八条."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.evaluation.campaign_selectors import file_automatic, file_standard_of
from sanxiang.evaluation.campaign_services import (
    campaign_define,
    campaign_draw_run,
    campaign_file_automatic_compute,
    campaign_results_publish,
    campaign_score,
    campaign_self_check,
)
from sanxiang.evaluation.casefile_services import casefile_standard_publish
from sanxiang.evaluation.models import CampaignAssignment, CampaignFile
from sanxiang.evaluation.report_figures import figure_records, figures_compute
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.campaigns import FAILED, automatic_to_data, file_standard
from sanxiang.procedure.evaluation.casefile_standard import ItemResult
from sanxiang.procedure.evaluation.reports import ReportMonth
from sanxiang.procedure.violations import Refused
from tests.evaluation.campaign_support import automatic_met, county_make, define_kwargs, scores

pytestmark = pytest.mark.django_db

TWO_OFFICERS = "basic.two_officers"  # automatic veto item: 两名以上执法人员 (行政处罚法第四十二条)
TEMPLATES = "form.templates"  # automatic item: 使用规定的文书格式, 2 points


def test_automatic_items_are_computed_from_the_records_once_and_the_evaluator_scores_only_the_manual_ones():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=3))
    file = campaign.files.select_related("agency", "campaign__bureau").first()
    standard = file_standard_of(file, region=campaign.bureau.region_code)
    assert file.automatic_results is None
    # The file is opened to be scored (自查): its automatic items are computed from its records and stored.
    computed = campaign_file_automatic_compute(file=file, actor=county.heads[county.agencies.index(file.agency)])
    file.refresh_from_db()
    assert TWO_OFFICERS in computed and set(computed) <= {i.code for i in standard.automatic_items}
    assert file.automatic_standard == standard.version and file.automatic_at is not None
    # This file's case was never investigated on the platform (no step, no document): the items it does
    # not involve are 不涉及, each with the records it looked at (here the case itself).
    officers = computed[TWO_OFFICERS]
    assert not officers.applicable and not officers.failed and officers.records[0].kind == "case"
    assert computed["form.one_file"].applicable and not computed["form.one_file"].lost
    assert file.automatic_results == automatic_to_data(computed)
    assert file_automatic(file) == computed  # stored as computed: read back equal
    # Never computed again: the score does not change under the evaluator; one ledger entry.
    at = file.automatic_at
    assert campaign_file_automatic_compute(file=file) == computed
    file.refresh_from_db()
    assert file.automatic_at == at
    assert Entry.objects.filter(kind="evaluation.campaign_automatic_computed").count() == 1
    # 自查: the head's values for automatic items are not read (what was computed stands): 100, 优秀.
    head = county.heads[county.agencies.index(file.agency)]
    checked = campaign_self_check(actor=head, file=file, results=scores(100) | {TWO_OFFICERS: FAILED, TEMPLATES: "2"})
    assert (checked.self_total, checked.self_grade) == (Decimal(100), "优秀")
    # A manual item left out is refused on its field; an automatic one is not asked.
    other = campaign.files.exclude(pk=file.pk).select_related("agency").first()
    with pytest.raises(Refused) as refused:
        campaign_self_check(actor=county.heads[county.agencies.index(other.agency)], file=other,
                            results={k: v for k, v in scores(100).items() if k != "form.filled"})
    assert [v.field for v in refused.value.violations] == ["form.filled"]


def test_file_score_combines_the_computed_items_and_the_evaluators_manual_ones():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=1))
    automatic_met(campaign)
    # One automatic item lost its 2 points (as computed): stored before anyone scores.
    standard = file_standard("ordinary", on=county.today)
    for file in campaign.files.all():
        results = file_automatic(file)
        results[TEMPLATES] = ItemResult(lost=Decimal(2), findings=("文书未使用规定格式",))
        file.automatic_results = automatic_to_data(results)
        file.save(update_fields=["automatic_results"])
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(95))
    assert set(campaign.files.values_list("self_total", flat=True)) == {Decimal(93)}
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    drawn = campaign.files.get(sampled=True)
    # The draw keeps what was computed (stored before): the evaluators score the manual items only.
    assert file_automatic(drawn)[TEMPLATES].lost == Decimal(2)
    a1, a2 = CampaignAssignment.objects.filter(file=drawn).order_by("position")
    campaign_score(actor=a1.evaluator, assignment=a1, results=scores(90) | {TEMPLATES: "0"})
    campaign_score(actor=a2.evaluator, assignment=a2, results=scores(96))
    drawn.refresh_from_db()
    assert [a.total for a in drawn.assignments.order_by("position")] == [Decimal(88), Decimal(94)]
    assert (drawn.final_total, drawn.final_grade) == (Decimal(91), "优秀")
    assert standard.item(TEMPLATES).points == Decimal(2)


def test_a_file_drawn_has_its_automatic_items_computed_at_the_draw():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    files = list(campaign.files.select_related("agency"))
    for file in files:  # 自查 with the automatic items computed then: the draw keeps them
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(100))
    CampaignFile.objects.filter(campaign=campaign).update(automatic_results=None, automatic_at=None)
    campaign_draw_run(actor=county.supervisor, campaign=campaign)
    drawn = list(campaign.files.filter(sampled=True))
    assert len(drawn) == 2 and all(f.automatic_results and f.automatic_at for f in drawn)
    assert all(f.automatic_results is None for f in campaign.files.filter(sampled=False))


def test_the_file_page_shows_the_computed_items_read_only_and_asks_only_the_manual_ones():
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=1))
    file = campaign.files.select_related("agency").first()
    client = Client()
    client.force_login(county.heads[county.agencies.index(file.agency)])
    response = client.get(reverse("evaluation:campaign_file", args=[campaign.pk, file.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="automatic"' in text and "查看的记录" in text
    fields = response.context["form"].fields
    assert TWO_OFFICERS not in fields and TEMPLATES not in fields and "form.filled" in fields
    file.refresh_from_db()
    assert file.automatic_results is None  # computed to be shown, not stored: the self-check stores them


def test_the_standard_is_the_countys_version_in_force_on_the_definition_day_recorded_on_the_campaign():
    county = county_make(files_per_agency=1)
    today = county.today
    # The 司法局 publishes its version (卷面整洁 6 → 4 points: 98 in all), in force from today.
    casefile_standard_publish(actor=county.supervisor, kind="penalty_ordinary", changes="卷面整洁、无缺页缺面 | 4 | 1",
                              version="县-1", title="本县行政处罚案卷评查标准", valid_from=today, today=today)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=1))
    assert campaign.standards["penalty_ordinary"]["version"] == "县-1"
    defined = Entry.objects.get(kind="evaluation.campaign_defined")
    assert "县-1" in bytes(defined.body).decode()
    # A later version does not change the campaign's standard.
    casefile_standard_publish(actor=county.supervisor, kind="penalty_ordinary", changes="卷面整洁、无缺页缺面 | 5 | 1",
                              version="县-2", title="本县行政处罚案卷评查标准", valid_from=today + dt.timedelta(days=1),
                              today=today)
    file = campaign.files.select_related("campaign__bureau").first()
    standard = file_standard_of(file, region=campaign.bureau.region_code)
    assert (standard.version, standard.full_marks, standard.item("form.complete").points) == ("县-1", 98, 4)
    # Scored on it: points lost on the item as the county's version has it (at most 4).
    automatic_met(campaign)
    with pytest.raises(Refused) as refused:
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file,
                            results=scores(100) | {"form.complete": "5"})
    assert [v.field for v in refused.value.violations] == ["form.complete"]
    checked = campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file,
                                  results=scores(100) | {"form.complete": "4"})
    assert checked.self_total == Decimal(94)


def test_published_results_feed_the_monthly_report_and_the_notice():
    # 案卷评查合格率 (《行政执法监督条例》第十八条) in the 月报: the files drawn whose results were published in the
    # month, and those 合格 or better; each number opens the files it counts. The 通报 drafted then is
    # offered the same figures as its 指标情况.
    county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(county, sample_percent=None, sample_size=2))
    automatic_met(campaign)
    for file in campaign.files.select_related("agency"):
        campaign_self_check(actor=county.heads[county.agencies.index(file.agency)], file=file, results=scores(90))
    campaign = campaign_draw_run(actor=county.supervisor, campaign=campaign)
    passed, failed = list(campaign.files.filter(sampled=True).order_by("draw_position"))
    for file, results in ((passed, scores(90)), (failed, scores(90, veto_failed=True))):
        for assignment in file.assignments.all():
            campaign_score(actor=assignment.evaluator, assignment=assignment, results=results)
    campaign_results_publish(actor=county.supervisor, campaign=campaign, today=county.today)
    month = ReportMonth(county.today.year, county.today.month)
    agencies = [a.pk for a in county.agencies]
    figures = {a: {f["key"]: f["value"] for f in rows} for a, rows in figures_compute(agency_ids=agencies, month=month).items()}
    assert (figures[passed.agency_id]["casefile_campaign.drawn"], figures[passed.agency_id]["casefile_campaign.passed"]) \
        == (1, 1)
    assert (figures[failed.agency_id]["casefile_campaign.drawn"], figures[failed.agency_id]["casefile_campaign.passed"]) \
        == (1, 0)
    records = figure_records(agency_id=passed.agency_id, month=month, key="casefile_campaign.passed")
    assert [(r.number, r.case_id) for r in records] == [(passed.case_number, passed.case_id)]
    assert figure_records(agency_id=failed.agency_id, month=month, key="casefile_campaign.passed") == []
    # The next month has none: counted by the day the results were published.
    later = {f["key"]: f["value"] for f in figures_compute(agency_ids=agencies, month=month.next())[passed.agency_id]}
    assert later["casefile_campaign.drawn"] == later["casefile_campaign.passed"] == 0
    # The 通报: its 指标情况 offered from the campaign's results, the county's and each agency's.
    supervisor = Client()
    supervisor.force_login(county.supervisor)
    offered = supervisor.get(reverse("supervision:notice_new")).context["form"]["indicators"].value()
    lines = offered.splitlines()
    assert lines[0].startswith(f"案卷评查合格率（{campaign.title}") and "抽中案卷2份，合格以上1份，50%" in lines[0]
    assert f"{passed.agency.name}：抽中1份，合格以上1份，100%" in lines
    assert f"{failed.agency.name}：抽中1份，合格以上0份，0%" in lines
