from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.web.selectors import home_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, f"web/home_{request.user.role}.html", home_context(user=request.user))


