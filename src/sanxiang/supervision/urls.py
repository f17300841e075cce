"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path

from sanxiang.supervision import coordination_views, filing_views

app_name = "supervision"

urlpatterns: list = []

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
