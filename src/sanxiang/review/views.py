"""Legal review pages: parse, call a selector or service, render. The public catalogue pages are
the portal's (`sanxiang.portal.catalogues`), read from publication's public read model."""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record, client_ip
from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies
from sanxiang.procedure.violations import Refused
from sanxiang.review import exports, forms, selectors, services
from sanxiang.review.parameter_list import parameters_unverified
from sanxiang.review.permissions import (
    user_can_edit_catalogue,
    user_can_publish_catalogue,
    user_can_read_parameters,
    user_can_read_review_supervision,
    user_has_review_desk,
)

# --- the review desk ------------------------------------------------------------------------------

DESK_PAGE_SIZE = 50


@login_required
@require_safe
def desk(request: HttpRequest) -> HttpResponse:
    permission_require(user_has_review_desk(request.user), _("法制审核工作台供法制审核人员和机关负责人使用"))
    is_head = request.user.role == Role.AGENCY_HEAD
    # The earliest due first, 50 a page: a long queue is not rendered whole.
    queue = Paginator(selectors.review_queue(user=request.user), DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/desk.html",
        {
            "queue": queue,
            "recent": [] if is_head else selectors.review_recent(user=request.user),
            "is_head": is_head,
            "no_officer": request.user.officer_id is None and not is_head,
        },
    )


# --- the catalogue --------------------------------------------------------------------------------


@login_required
@require_safe
def catalogue_index(request: HttpRequest) -> HttpResponse:
    if request.user.agency_id is not None and not user_reads_all_agencies(request.user):
        return redirect("review:catalogue_detail", request.user.agency_id)
    return render(
        request, "review/catalogue_index.html", {"rows": selectors.catalogue_overview(viewer=request.user)}
    )


@login_required
@require_safe
def catalogue_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    page = selectors.catalogue_page(viewer=request.user, agency_id=agency_id)
    return render(
        request,
        "review/catalogue_detail.html",
        {
            "page": page,
            "agency": page.agency,
            "content": page.content,
            "can_edit": user_can_edit_catalogue(request.user, agency_id),
            "can_publish": user_can_publish_catalogue(request.user, agency_id),
        },
    )


@login_required
def catalogue_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    page = selectors.catalogue_page(viewer=request.user, agency_id=agency_id)
    permission_require(user_can_edit_catalogue(request.user, agency_id), _("您不能修改本机关的法制审核目录清单"))
    agency = page.agency
    form = forms.CatalogueForm(
        request.POST or None, agency_id=agency.pk, values=selectors.catalogue_values(agency=agency)
    )
    refused, refused_general = None, []
    if request.method == "POST" and form.is_valid():
        try:
            services.catalogue_update(actor=request.user, agency=agency, **form.service_arguments())
        except Refused as refusal:
            refused = refusal
            for violation in refusal.violations:
                field = forms.SERVICE_FIELDS.get(violation.field or "", violation.field)
                if field in form.fields:
                    form.add_error(field, violation.message)
                else:
                    refused_general.append(violation)
        else:
            messages.success(request, _("目录清单已保存。发布后才对案件和公众生效。"))
            return redirect("review:catalogue_detail", agency.pk)
    return render(
        request,
        "review/catalogue_form.html",
        {"form": form, "refused": refused, "refused_general": refused_general, "agency": agency},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def catalogue_publish(request: HttpRequest, agency_id: int) -> HttpResponse:
    page = selectors.catalogue_page(viewer=request.user, agency_id=agency_id)
    permission_require(user_can_publish_catalogue(request.user, agency_id), _("只有机关负责人可以发布目录清单"))
    if request.method == "POST":
        try:
            publication = services.catalogue_publish(actor=request.user, agency=page.agency)
        except Refused as refusal:
            for violation in refusal.violations:
                messages.error(request, violation.message)
        else:
            messages.success(request, _("已发布第%(version)s版，即日起施行并向社会公开。") % {"version": publication.version})
    return redirect("review:catalogue_detail", agency_id)


# --- supervision ----------------------------------------------------------------------------------


# The page names this many cases decided without review per agency; the rest are one click away.
UNREVIEWED_NAMED = 10


def _supervision(request: HttpRequest, *, unreviewed_limit: int | None) -> tuple[int, list[selectors.AgencyReviewFigures]]:
    permission_require(
        user_can_read_review_supervision(request.user), _("只有司法局监督人员、系统管理员和机关负责人可以查看法制审核统计")
    )
    year = forms.YearForm(request.GET or None).year_or(timezone.localdate().year)
    return year, selectors.review_supervision(user=request.user, year=year, unreviewed_limit=unreviewed_limit)


@login_required
@require_safe
def supervision(request: HttpRequest) -> HttpResponse:
    year, rows = _supervision(request, unreviewed_limit=UNREVIEWED_NAMED)
    return render(
        request,
        "review/supervision.html",
        {
            "year": year,
            "years": selectors.review_supervision_years(),
            "rows": rows,
            "total": selectors.review_supervision_total(rows),
            "county": user_reads_all_agencies(request.user),
        },
    )


@login_required
@require_safe
def supervision_csv(request: HttpRequest) -> HttpResponse:
    year, rows = _supervision(request, unreviewed_limit=None)
    content = exports.supervision_csv_lines(rows, selectors.review_supervision_total(rows))
    # The figures leave the system: recorded before they are sent, as every export is.
    access_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_kind="review.supervision",
        object_id=str(year),
        object_label=f"法制审核统计（{year}年）",
        agency_id=request.user.agency_id,
        ip_address=client_ip(request),
    )
    # Streamed: the lines are written as they are sent (each cell through sanxiang.tabular).
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sanxiang-review-{year}.csv"; '
        f"filename*=UTF-8''{quote(f'法制审核统计_{year}年.csv', safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


SUPERVISION_PAGE_SIZE = 50


@login_required
@require_safe
def supervision_cases(request: HttpRequest) -> HttpResponse:
    """The decided cases behind one number of the table, 50 a page."""
    permission_require(
        user_can_read_review_supervision(request.user), _("只有司法局监督人员、系统管理员和机关负责人可以查看法制审核统计")
    )
    form = forms.SupervisionCasesForm(request.GET)
    if not form.is_valid():
        return render(request, "review/supervision_cases.html", {"form": form, "listing": None}, status=400)
    year = form.cleaned_data["year"] or timezone.localdate().year
    listing = selectors.review_supervision_cases(
        user=request.user, year=year, figure=form.cleaned_data["figure"], agency_id=form.cleaned_data["agency"]
    )
    page = Paginator(listing.tallies, SUPERVISION_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(tally, selectors.criteria_labels(tally.criteria)) for tally in page]
    query = {"year": year, "figure": listing.figure}
    if listing.agency is not None:
        query["agency"] = listing.agency.pk
    return render(
        request,
        "review/supervision_cases.html",
        {"form": form, "listing": listing, "page": page, "rows": rows, "query": urlencode(query)},
    )


# --- the legal parameters still to be checked -------------------------------------------------------


@login_required
@require_safe
def parameter_list(request: HttpRequest) -> HttpResponse:
    permission_require(user_can_read_parameters(request.user), _("只有法制审核人员、司法局监督人员和系统管理员可以查看待核实的参数"))
    rows = parameters_unverified(on=timezone.localdate())
    return render(request, "review/parameters.html", {"rows": rows})
