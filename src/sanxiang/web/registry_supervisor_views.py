"""The judicial bureau's register of its supervisors (行政执法监督人员) and their supervision
certificates (监督检查证件): parse, call a selector or a service, render.

The bureau's own supervisors and administrator read it (system administrators too); the bureau's
administrator changes it. Another county's supervisors are absent (404), as are an agency's users."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.accounts import selectors as account_selectors
from sanxiang.accounts import services as account_services
from sanxiang.accounts.forms import SupervisorAccountLinkForm, SupervisorLoginForm
from sanxiang.accounts.permissions import permission_require, user_can_manage_staff
from sanxiang.procedure.violations import Refused
from sanxiang.registry import forms, selectors, services
from sanxiang.web.registry_views import PAGE_SIZE, _form_page

MANAGE_MESSAGE = "只有本司法行政部门的管理员可以修改监督人员名册"


def _manage_require(request: HttpRequest, bureau_id: int) -> None:
    permission_require(user_can_manage_staff(request.user, bureau_id), MANAGE_MESSAGE)


def _certificate_rows(supervisor, today):
    rows = []
    for certificate in supervisor.certificates.all():
        label, usable = selectors.supervision_certificate_state(certificate, on=today)
        rows.append({"certificate": certificate, "label": label, "usable": usable})
    return rows


@login_required
def supervisor_list(request: HttpRequest) -> HttpResponse:
    bureaus = list(selectors.supervisor_bureaus(viewer=request.user))
    if not bureaus:
        raise Http404
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.supervisor_list(viewer=request.user, search=search), PAGE_SIZE).get_page(
        request.GET.get("page"))
    accounts = account_selectors.supervisor_accounts(supervisor_ids=[s.pk for s in page])
    today = timezone.localdate()
    rows = [
        {"supervisor": s, "certificates": _certificate_rows(s, today), "account": accounts.get(s.pk)} for s in page
    ]
    return render(request, "registry/supervisor_list.html", {
        "page": page, "rows": rows, "q": search, "show_bureau": len(bureaus) > 1,
        "manageable": [b for b in bureaus if user_can_manage_staff(request.user, b.pk)],
    })


@login_required
def supervisor_detail(request: HttpRequest, supervisor_id: int) -> HttpResponse:
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    return render(request, "registry/supervisor_detail.html", {
        "supervisor": supervisor,
        "certificates": _certificate_rows(supervisor, timezone.localdate()),
        "account": account_selectors.supervisor_accounts(supervisor_ids=[supervisor.pk]).get(supervisor.pk),
        "can_manage": user_can_manage_staff(request.user, supervisor.bureau_id),
    })


@login_required
def supervisor_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    bureau = selectors.supervisor_bureaus(viewer=request.user).filter(pk=agency_id).first()
    if bureau is None:
        raise Http404
    _manage_require(request, bureau.pk)
    form = forms.SupervisorForm(request.POST or None, initial={"is_active": True})
    del form.fields["reason"]
    return _form_page(
        request,
        form=form,
        save=lambda data: services.supervisor_create(actor=request.user, bureau=bureau, **data),
        template="registry/form.html",
        context={"title": f"登记监督人员：{bureau.name}"},
        success="监督人员已登记",
    )


@login_required
def supervisor_edit(request: HttpRequest, supervisor_id: int) -> HttpResponse:
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    _manage_require(request, supervisor.bureau_id)
    return _form_page(
        request,
        form=forms.SupervisorForm(request.POST or None, instance=supervisor),
        save=lambda data: services.supervisor_update(actor=request.user, supervisor=supervisor, **data),
        template="registry/form.html",
        context={"title": f"修改监督人员：{supervisor.name}"},
        success="监督人员已更新",
    )


@login_required
def supervision_certificate_create(request: HttpRequest, supervisor_id: int) -> HttpResponse:
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    _manage_require(request, supervisor.bureau_id)
    return _form_page(
        request,
        form=forms.SupervisionCertificateForm(request.POST or None),
        save=lambda data: services.supervision_certificate_save(actor=request.user, supervisor=supervisor, **data),
        template="registry/form.html",
        context={"title": f"登记监督检查证：{supervisor.name}"},
        success="监督检查证已登记",
    )


@login_required
def supervision_certificate_edit(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.supervision_certificate_get(viewer=request.user, certificate_id=certificate_id)
    supervisor = certificate.supervisor
    _manage_require(request, supervisor.bureau_id)
    return _form_page(
        request,
        form=forms.SupervisionCertificateForm(request.POST or None, instance=certificate),
        save=lambda data: services.supervision_certificate_save(
            actor=request.user, supervisor=supervisor, certificate=certificate, **data),
        template="registry/form.html",
        context={"title": f"修改监督检查证：{certificate.number}"},
        success="监督检查证已更新",
    )


@login_required
def supervision_certificate_status(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """暂扣、注销 or restore a supervision certificate, with its reason; the page asks for
    confirmation (a revocation cannot be undone)."""
    certificate = selectors.supervision_certificate_get(viewer=request.user, certificate_id=certificate_id)
    supervisor = certificate.supervisor
    _manage_require(request, supervisor.bureau_id)
    return _form_page(
        request,
        form=forms.SupervisionCertificateStatusForm(request.POST or None, initial={"status": certificate.status}),
        save=lambda data: services.supervision_certificate_save(
            actor=request.user, supervisor=supervisor, certificate=certificate, **data),
        template="registry/supervision_certificate_status.html",
        context={"title": f"变更监督检查证状态：{certificate.number}", "certificate": certificate,
                 "supervisor": supervisor},
        success="监督检查证状态已变更",
    )


@login_required
def supervisor_account(request: HttpRequest, supervisor_id: int) -> HttpResponse:
    """The supervisor's login: link an existing supervisor account of the bureau, or give a new one
    (its temporary password shown once, on this page only)."""
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    _manage_require(request, supervisor.bureau_id)
    account = account_selectors.supervisor_accounts(supervisor_ids=[supervisor.pk]).get(supervisor.pk)
    unlinked = account_selectors.supervisor_accounts_unlinked(bureau_id=supervisor.bureau_id)
    link_form = SupervisorAccountLinkForm(request.POST if "link" in request.POST else None, users=unlinked)
    login_form = SupervisorLoginForm(request.POST if "create" in request.POST else None)
    shown, refused, status = None, None, 200
    if request.method == "POST":
        status = 400
        form = link_form if "link" in request.POST else login_form
        if account is None and form.is_valid():
            try:
                if form is link_form:
                    account_services.user_supervisor_link(
                        actor=request.user, user=form.cleaned_data["user"], supervisor=supervisor)
                else:
                    account, password = account_services.supervisor_login_create(
                        actor=request.user, supervisor=supervisor, username=form.cleaned_data["username"])
                    shown = {"user": account, "password": password}
            except Refused as refusal:
                refused = refusal
                for violation in refusal.violations:
                    form.add_error(violation.field if violation.field in form.fields else None, violation.message)
            else:
                if shown is None:
                    messages.success(request, "登录账号已关联")
                    return redirect("registry:supervisor_detail", supervisor.pk)
                status = 201
        elif account is not None:
            form.add_error(None, f"监督人员“{supervisor.name}”已有登录账号")
    response = render(request, "registry/supervisor_account.html", {
        "supervisor": supervisor, "account": account, "link_form": link_form, "login_form": login_form,
        "has_unlinked": unlinked.exists(), "shown": shown, "refused": refused,
    }, status=status)
    response["Cache-Control"] = "no-store"  # a temporary password may be on it
    return response

