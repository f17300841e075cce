from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies
from sanxiang.cases import services
from sanxiang.cases.forms import HolidayYearForm
from sanxiang.cases.models import HolidayYear
from sanxiang.procedure.violations import Refused


@login_required
def holiday_year_list(request: HttpRequest) -> HttpResponse:
    permission_require(user_reads_all_agencies(request.user))
    form = HolidayYearForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_year_save(actor=request.user, **form.cleaned_data)
        except Refused as refusal:
            refused = refusal
        else:
            messages.success(request, f"{form.cleaned_data['year']}年节假日安排已保存")
            return redirect("cases:holiday_year_list")
    return render(
        request,
        "cases/holiday_years.html",
        {"form": form, "refused": refused, "years": HolidayYear.objects.all()},
        status=400 if refused or (request.method == "POST" and not form.is_valid()) else 200,
    )
