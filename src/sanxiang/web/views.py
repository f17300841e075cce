from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.web.selectors import home_context


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "web/landing.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, f"web/home_{request.user.role}.html", home_context(user=request.user))


