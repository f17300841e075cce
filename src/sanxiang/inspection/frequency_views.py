"""检查频次 page (issue 17, item 7): parse the year, the agency and the figure chosen, call the
selectors, render. The county's readers see every agency of their county; an agency's staff see
their own agency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.accounts.models import Role
from sanxiang.inputs import id_from_query
from sanxiang.inspection import frequency_selectors as sel
from sanxiang.procedure.annual_counting import INSPECTION_FREQUENCY_BANDS, INSPECTION_FREQUENCY_SOURCE
from sanxiang.procedure.inspection.rules import OUTCOMES

YEARS_BACK = 5


@login_required
@require_safe
def frequency(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    years = [today.year - n for n in range(YEARS_BACK + 1)]
    year = id_from_query(request.GET.get("year"))
    year = year if year in years else years[0]
    scope = sel.frequency_scope(viewer=user, agency_id=id_from_query(request.GET.get("agency")))
    county, agency, agencies = scope.county, scope.agency, scope.agencies
    band = id_from_query(request.GET.get("times"))
    band = band if band in INSPECTION_FREQUENCY_BANDS and agency is not None else None
    return render(request, "inspection/frequency.html", {
        "year": year, "years": years, "county": county, "agency": agency,
        "rows": sel.inspection_frequency(agencies=agencies, year=year),
        "bands": INSPECTION_FREQUENCY_BANDS, "band": band, "band_label": INSPECTION_FREQUENCY_BANDS.get(band or 0, ""),
        "records": sel.inspection_frequency_records(agency=agency, year=year, band=band) if band else None,
        "basis": INSPECTION_FREQUENCY_SOURCE, "outcomes": OUTCOMES,
        # the inspection's own page opens for its agency's head and administrator, and for the county's
        # readers (read only); the others read the list here
        "opens_detail": agency is not None and (county or (user.agency_id == agency.pk
                                                           and user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN))),
    })
