from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.accounts.models import Role
from sanxiang.inbox.selectors import KIND_LABELS
from sanxiang.web.evaluation_hub import evaluation_hub_entries
from sanxiang.web.inbox import SHOWN_ON_HOME, SHOWN_ON_INBOX, inbox_group_page, request_inbox
from sanxiang.web.inspection_hub import inspection_hub_entries
from sanxiang.web.selectors import home_context
from sanxiang.web.supervision_hub import supervision_hub_entries

# The homes that list the user's queues (the inbox's groups, the first few of each).
HOMES_WITH_QUEUES = (Role.AGENCY_HEAD, Role.REVIEWER)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = home_context(user=request.user)
    if request.user.role in HOMES_WITH_QUEUES:
        context |= {"inbox": request_inbox(request), "inbox_shown": SHOWN_ON_HOME}
    return render(request, f"web/home_{request.user.role}.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """待办: every kind that concerns the user with its count; `?kind=` lists all of one kind, a
    page at a time (`?page=`)."""
    inbox = request_inbox(request)
    kind = request.GET.get("kind", "")
    chosen = inbox.group(kind) if kind in KIND_LABELS else None
    page = inbox_group_page(chosen, request.GET.get("page")) if chosen else None
    return render(
        request,
        "web/inbox.html",
        {"inbox": inbox, "chosen": chosen, "page": page, "groups": [chosen] if chosen else inbox.groups,
         "shown": None if chosen else SHOWN_ON_INBOX},
    )


@login_required
def supervision_hub(request: HttpRequest) -> HttpResponse:
    """行政执法监督: the supervision pages the user may open, with what waits on each."""
    entries = supervision_hub_entries(user=request.user, inbox=request_inbox(request))
    return render(request, "web/hub.html", {"entries": entries, "title": "行政执法监督", "testid": "supervision-hub"})


@login_required
def evaluation_hub(request: HttpRequest) -> HttpResponse:
    """考核评估: the assessment pages the user may open, with what waits on each."""
    entries = evaluation_hub_entries(user=request.user, inbox=request_inbox(request))
    return render(request, "web/hub.html", {"entries": entries, "title": "考核评估", "testid": "evaluation-hub"})


@login_required
def inspection_hub(request: HttpRequest) -> HttpResponse:
    """行政检查: the inspection pages the user may open."""
    entries = inspection_hub_entries(user=request.user, inbox=request_inbox(request))
    return render(request, "web/hub.html", {"entries": entries, "title": "行政检查", "testid": "inspection-hub"})
