"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path

from sanxiang.supervision import (
    complaint_views,
    coordination_views,
    filing_views,
    instrument_views,
    notice_views,
    personal_views,
    plan_views,
    views,
)

app_name = "supervision"

urlpatterns: list = [
    # Part A: the desk, matters and their actions
    path("", views.desk, name="desk"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:matter_id>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:matter_id>/<str:action>/", views.matter_act, name="matter_act"),
]

# Part D: complaints from the public and leads from the 12345 hotline and the enterprise channel.
urlpatterns += [
    path("complaints/", complaint_views.complaint_list, name="complaint_list"),
    path("complaints/leads/new/", complaint_views.lead_new, name="lead_new"),
    path("complaints/<int:complaint_id>/", complaint_views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:complaint_id>/complainant/", complaint_views.complainant_detail, name="complainant_detail"),
]

# Part B: instruments, replies (issue 14)
urlpatterns += [
    path("instruments/", instrument_views.instrument_list, name="instrument_list"),
    path("instruments/new/", instrument_views.instrument_new, name="instrument_new"),
    path("instruments/<int:instrument_id>/", instrument_views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:instrument_id>/act/", instrument_views.instrument_act, name="instrument_act"),
    path("instruments/<int:instrument_id>/<str:fmt>/", instrument_views.instrument_file, name="instrument_file"),
    path("instruments/<int:instrument_id>/attachments/<int:record_id>/", instrument_views.instrument_attachment,
         name="instrument_attachment"),
]

# Part C: 重大执法决定备案
urlpatterns += [
    path("filings/", filing_views.filing_list, name="filing_list"),
    path("filings/<int:filing_id>/", filing_views.filing_detail, name="filing_detail"),
    path("filings/<int:filing_id>/examine/", filing_views.filing_examine, name="filing_examine"),
    path("filings/<int:filing_id>/opinion/", filing_views.filing_opinion, name="filing_opinion"),
]

# Part C: 执法协调
urlpatterns += [
    path("coordination/", coordination_views.coordination_list, name="coordination_list"),
    path("coordination/new/", coordination_views.coordination_new, name="coordination_new"),
    path("coordination/<int:coordination_id>/", coordination_views.coordination_detail, name="coordination_detail"),
    path("coordination/<int:coordination_id>/act/", coordination_views.coordination_act, name="coordination_act"),
]

# Part B, pages for persons, clues and 通报
urlpatterns += [
    path("proposals/", personal_views.proposal_list, name="proposal_list"),
    path("proposals/new/", personal_views.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", personal_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/decision/", personal_views.proposal_decide, name="proposal_decide"),
    path("referrals/", personal_views.referral_list, name="referral_list"),
    path("referrals/new/", personal_views.referral_new, name="referral_new"),
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/new/", notice_views.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notice_views.notice_detail, name="notice_detail"),
    path("notices/<int:notice_id>/approve/", notice_views.notice_approve, name="notice_approve"),
]

# Item 5: the annual supervision plan and 执法质效评议 (published on the portal)
urlpatterns += [
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:plan_id>/items/", plan_views.plan_item_new, name="plan_item_new"),
    path("plans/<int:plan_id>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_id>/publish/", plan_views.plan_publish, name="plan_publish"),
    path("plans/<int:plan_id>/items/<int:item_id>/matter/", plan_views.plan_item_matter, name="plan_item_matter"),
    path("evaluations/", plan_views.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", plan_views.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:evaluation_id>/", plan_views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:evaluation_id>/approve/", plan_views.evaluation_approve, name="evaluation_approve"),
    path("evaluations/<int:evaluation_id>/publish/", plan_views.evaluation_publish, name="evaluation_publish"),
    path("evaluations/<int:evaluation_id>/agencies/<int:agency_id>/score/", plan_views.evaluation_score,
         name="evaluation_score"),
]
