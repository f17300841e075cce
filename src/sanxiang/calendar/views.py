"""The supervisors' page to enter next year's holiday schedule: parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sanxiang.calendar import selectors, services
from sanxiang.calendar.forms import HolidayYearForm
from sanxiang.procedure.violations import Refused


@login_required
def holiday_year_list(request: HttpRequest) -> HttpResponse:
    services.calendar_maintainer_require(request.user)
    form = HolidayYearForm(request.POST or None)
    refused, refused_general = None, []
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_year_save(actor=request.user, **form.cleaned_data)
        except Refused as refusal:
            refused = refusal
            for violation in refusal.violations:  # beside its field when it has one
                if violation.field in form.fields:
                    form.add_error(violation.field, violation.message)
                else:
                    refused_general.append(violation)
        else:
            messages.success(request, f"{form.cleaned_data['year']}年节假日安排已保存")
            return redirect("calendar:holiday_year_list")
    return render(
        request,
        "calendar/holiday_years.html",
        {"form": form, "refused": refused, "refused_general": refused_general, "years": selectors.holiday_years_list()},
        status=400 if refused or (request.method == "POST" and not form.is_valid()) else 200,
    )
