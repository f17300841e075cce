"""The supervision desk's pages (/staff/supervision/): parse, call a selector or a service, render.

Part A: the desk (the matters waiting, filtered and paginated), a matter's page (its history, pair,
measures, read grants and the actions available now, each refusal reason beside its button), and
registering a matter. The agency's users see the matters about their agency, without the
supervisors' internal notes and without the forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import defaults
from django.views.decorators.http import require_POST, require_safe

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import ReadGrantRequired, permission_require
from sanxiang.cases.models import Case
from sanxiang.procedure.supervision.matters import (
    FINAL_STATES,
    MARK_LABELS,
    MATTER_ACTION_LABELS,
    MATTER_STATE_LABELS,
    MEASURE_BASES,
    MatterAction,
    MatterState,
)
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, matter_summary_shown
from sanxiang.procedure.violations import Refused
from sanxiang.registry.models import Agency
from sanxiang.supervision import forms, selectors, services
from sanxiang.supervision.models import Matter

PAGE_SIZE = 30


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 403 handler: a supervisor without a read grant gets the 需经调阅 page."""
    if isinstance(exception, ReadGrantRequired):
        return render(request, "supervision/read_grant_required.html", status=403)
    return defaults.permission_denied(request, exception)


def _is_desk_supervisor(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id is not None


def _county_agencies(user: User):
    """The agencies the bureau supervises (its county: the same region code)."""
    if _is_desk_supervisor(user):
        bureau = user.agency
        return Agency.objects.filter(region_code=bureau.region_code).exclude(pk=bureau.pk).order_by("name")
    return Agency.objects.none()


def _bureau_supervisors(bureau_id: int):
    return User.objects.filter(role=Role.SUPERVISOR, agency_id=bureau_id, is_active=True).order_by("display_name", "id")


@login_required
@require_safe
def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    permission_require(user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN) or user.agency_id is not None,
                       "监督事项仅供司法局监督人员和被监督机关查看")
    form = forms.DeskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DeskFilters(
        state=data.get("state") or "", source=data.get("source") or "", agency=data.get("agency"),
        mark=data.get("mark") or "", overdue=bool(data.get("overdue")), mine=bool(data.get("mine")),
    )
    today = timezone.localdate()
    page = Paginator(selectors.matters_desk(viewer=user, filters=filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/desk.html", {
        "page": page, "form": form, "today": today, "is_supervisor": _is_desk_supervisor(user),
        "agencies": _county_agencies(user), "state_labels": MATTER_STATE_LABELS,
        "source_labels": MATTER_SOURCE_LABELS, "query": query.urlencode(), "final_states": FINAL_STATES,
    })


@login_required
def matter_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    permission_require(_is_desk_supervisor(user), "只有司法局的监督人员可以登记监督事项")
    form = forms.MatterOpenForm(request.POST or None, agencies=_county_agencies(user))
    refused_general = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_open(
                bureau=user.agency, source=data["source"], subject=data["subject"], summary=data["summary"],
                received_on=data["received_on"], agency=data["agency"], actor=user,
                assigning_body=data["assigning_body"], assigning_reference=data["assigning_reference"],
                dispute=data.get("dispute") or "",
            )
        except Refused as refusal:
            refused_general = _errors_beside_fields(form, refusal)
        else:
            messages.success(request, f"已登记监督事项{matter.number}")
            return redirect(matter.get_absolute_url())
    return render(request, "supervision/matter_new.html", {"form": form, "refused_general": refused_general},
                  status=400 if request.method == "POST" else 200)


def _errors_beside_fields(form, refusal: Refused) -> list:
    general = []
    for violation in refusal.violations:
        if violation.field and violation.field in form.fields:
            form.add_error(violation.field, f"{violation.message}（{violation.basis_display}）")
        else:
            general.append(violation)
    return general


# The actions of a matter's page: the form each takes, and whether it asks to confirm (cannot be undone).
ACTIONS = {
    "pair": ("指派承办人员", False),
    "recuse": ("回避", True),
    MatterAction.ACCEPT.value: (MATTER_ACTION_LABELS[MatterAction.ACCEPT], False),
    MatterAction.MERGE.value: (MATTER_ACTION_LABELS[MatterAction.MERGE], True),
    MatterAction.TRANSFER.value: (MATTER_ACTION_LABELS[MatterAction.TRANSFER], True),
    MatterAction.CLOSE.value: (MATTER_ACTION_LABELS[MatterAction.CLOSE], True),
    MatterAction.MEASURE.value: (MATTER_ACTION_LABELS[MatterAction.MEASURE], False),
    MatterAction.MARK.value: (MATTER_ACTION_LABELS[MatterAction.MARK], False),
    MatterAction.CONCLUDE.value: (MATTER_ACTION_LABELS[MatterAction.CONCLUDE], True),
}


def _action_form(action: str, matter: Matter, data=None):
    bureau_supervisors = _bureau_supervisors(matter.bureau_id)
    if action == "pair":
        return forms.PairForm(data, supervisors=bureau_supervisors)
    if action == "recuse":
        return forms.RecuseForm(data, supervisors=bureau_supervisors.filter(pk__in=[r.user_id for r in matter.pair.all()]))
    if action == MatterAction.MERGE:
        others = (Matter.objects.filter(bureau_id=matter.bureau_id).exclude(pk=matter.pk)
                  .exclude(state__in=[s.value for s in FINAL_STATES]).order_by("-received_on").values("pk")[:200])
        return forms.MergeForm(data, matters=Matter.objects.filter(pk__in=Subquery(others)).order_by("-received_on"))
    if action == MatterAction.TRANSFER:
        return forms.TransferForm(data)
    if action == MatterAction.CLOSE:
        return forms.CloseForm(data)
    if action == MatterAction.CONCLUDE:
        return forms.ConcludeForm(data)
    if action == MatterAction.MARK:
        return forms.MarkForm(data)
    if action == MatterAction.MEASURE:
        # The agency's latest 200 cases to choose from (a bounded list; one query).
        latest = Case.objects.filter(agency_id=matter.agency_id).order_by("-created_at").values("pk")[:200]
        return forms.MeasureForm(data, cases=Case.objects.filter(pk__in=Subquery(latest)).order_by("-created_at"))
    return forms.NoFieldsForm(data)


def _perform(action: str, matter: Matter, user: User, data: dict):
    if action == "pair":
        return services.matter_pair_assign(matter=matter, users=list(data["users"]), actor=user)
    if action == "recuse":
        return services.matter_supervisor_recuse(matter=matter, user=data["user"], reason=data["reason"], actor=user)
    if action == MatterAction.ACCEPT:
        return services.matter_accept(matter=matter, actor=user)
    if action == MatterAction.MERGE:
        return services.matter_merge(matter=matter, into=data["into"], actor=user)
    if action == MatterAction.TRANSFER:
        return services.matter_transfer(matter=matter, to_body=data["to_body"], outcome=data["outcome"], actor=user)
    if action == MatterAction.CLOSE:
        return services.matter_close(matter=matter, reason=data["reason"], outcome=data["outcome"], actor=user)
    if action == MatterAction.CONCLUDE:
        return services.matter_conclude(matter=matter, outcome=data["outcome"], actor=user)
    if action == MatterAction.MARK:
        return services.matter_mark_set(matter=matter, mark=data["mark"], value=data["value"], reason=data["reason"],
                                        actor=user)
    return services.measure_record(
        matter=matter, actor=user, kind=data["kind"], taken_on=data["taken_on"], summary=data["summary"],
        reply_on=data["reply_on"], attendees=data["attendees"], record=data["record"], cases=list(data["cases"]),
        grant_until=data["grant_until"],
    )


def _actions(matter: Matter, user: User, failed: str = "", failed_form=None, failed_general=()) -> list[dict]:
    """Each action with its form and, when it is not available now, every reason beside it."""
    rows = []
    for key, (label, confirm) in ACTIONS.items():
        if key in ("pair", "recuse"):
            reasons = [] if matter.state not in FINAL_STATES else [f"监督事项{MATTER_STATE_LABELS[MatterState(matter.state)]}"]
            violations = []
        else:
            violations = services.matter_action_check(matter=matter, action=MatterAction(key), actor=user)
            reasons = []
        form = failed_form if key == failed else _action_form(key, matter)
        rows.append({"key": key, "label": label, "confirm": confirm, "violations": violations, "reasons": reasons,
                     "form": form, "general": list(failed_general) if key == failed else [],
                     "open": key == failed})
    return rows


def _matter_page(request: HttpRequest, matter: Matter, *, failed: str = "", failed_form=None, failed_general=(),
                 status: int = 200) -> HttpResponse:
    user = request.user
    is_supervisor = selectors.user_is_county_supervisor(user, matter.bureau_id)
    measures = selectors.matter_measures(matter=matter)
    now = timezone.now()
    return render(request, "supervision/matter_detail.html", {
        "matter": matter, "is_supervisor": is_supervisor,
        "summary_shown": matter_summary_shown(source=matter.source, viewer_is_supervisor=is_supervisor),
        "state_label": MATTER_STATE_LABELS[MatterState(matter.state)],
        "source_label": MATTER_SOURCE_LABELS.get(matter.source, matter.source),
        "marks": [label for key, label in MARK_LABELS.items() if getattr(matter, "listed" if key == "listed" else "escalated")],
        "pair": list(matter.pair.all()), "measures": measures, "now": now, "measure_bases": MEASURE_BASES,
        "history": selectors.matter_history(matter=matter) if is_supervisor else [],
        "actions": _actions(matter, user, failed, failed_form, failed_general) if is_supervisor else [],
        "today": timezone.localdate(), "origin_link": selectors.matter_origin_link(matter),
    }, status=status)


@login_required
@require_safe
def matter_detail(request: HttpRequest, matter_id: int) -> HttpResponse:
    return _matter_page(request, selectors.matter_get(viewer=request.user, matter_id=matter_id))


@login_required
@require_POST
def matter_act(request: HttpRequest, matter_id: int, action: str) -> HttpResponse:
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    permission_require(selectors.user_is_county_supervisor(request.user, matter.bureau_id),
                       "只有本司法局的监督人员可以办理监督事项")
    if action not in ACTIONS:
        return redirect(matter.get_absolute_url())
    form = _action_form(action, matter, request.POST)
    general = []
    if form.is_valid():
        try:
            _perform(action, matter, request.user, form.cleaned_data)
        except Refused as refusal:
            general = _errors_beside_fields(form, refusal)
        else:
            messages.success(request, f"已{ACTIONS[action][0]}")
            return redirect(matter.get_absolute_url())
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    return _matter_page(request, matter, failed=action, failed_form=form, failed_general=general, status=400)
