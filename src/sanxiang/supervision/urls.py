"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path

from sanxiang.supervision import filing_views

app_name = "supervision"

urlpatterns: list = []

# Part C: 重大执法决定备案
urlpatterns += [
    path("filings/", filing_views.filing_list, name="filing_list"),
    path("filings/<int:filing_id>/", filing_views.filing_detail, name="filing_detail"),
    path("filings/<int:filing_id>/examine/", filing_views.filing_examine, name="filing_examine"),
    path("filings/<int:filing_id>/opinion/", filing_views.filing_opinion, name="filing_opinion"),
]
