"""The holiday schedule (节假日安排): every signed-in user reads the holidays and adjusted working
days their deadlines count with; supervisors and system administrators also enter next year's
schedule there. Parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sanxiang.calendar import selectors, services
from sanxiang.calendar.forms import HolidayYearForm
from sanxiang.procedure.violations import Refused


@login_required
@require_http_methods(["GET", "POST"])
def holiday_year_list(request: HttpRequest) -> HttpResponse:
    maintains = request.user.has_perm(services.MAINTAIN_PERMISSION)
    if request.method == "POST":
        services.calendar_maintainer_require(request.user)
    # Who does not maintain the calendar reads it: no form.
    form = HolidayYearForm(request.POST or None) if maintains else None
    refused, refused_general = None, []
    if form is not None and request.method == "POST" and form.is_valid():
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
    this_year = timezone.localdate().year
    return render(
        request,
        "calendar/holiday_years.html",
        # Who entered a year is shown to those who maintain the calendar only: the years belong to no
        # county, and a login name shown to every officer is half of a lockout of that account.
        {"form": form, "maintains": maintains, "refused": refused, "refused_general": refused_general, "years": selectors.holiday_years_list(),
         "counted": selectors.holiday_years_counted(years=[this_year, this_year + 1])},
        status=400 if refused or (request.method == "POST" and not form.is_valid()) else 200,
    )
