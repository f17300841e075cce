"""Registry pages: parse, call a selector or service, render."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.accounts.permissions import (
    permission_require,
    user_can_edit_agency,
    user_can_manage_parties,
    user_can_manage_staff,
    user_can_read_supervisors,
    user_can_register_agencies,
    user_county_region,
    user_reads_all_agencies,
    user_sees_full_officer_id_number,
    user_sees_full_party_id_number,
)
from sanxiang.inputs import id_from_query
from sanxiang.portal.certificates import certificate_qr, verify_url
from sanxiang.procedure.citations import OFFICERS_ACT
from sanxiang.procedure.registry_rules import AGENCY_FIELDS_NOT_OWN_ADMIN, AGENCY_FIELDS_SYSTEM_ADMIN_ONLY
from sanxiang.procedure.violations import Refused
from sanxiang.publication.selectors import public_certificates_of
from sanxiang.registry import forms, selectors, services
from sanxiang.registry.models import MatterKind

PAGE_SIZE = 50


def _form_page(
    request: HttpRequest,
    *,
    form: Form,
    save: Callable[[dict], Model],
    template: str,
    context: dict,
    success: str,
) -> HttpResponse:
    """Show a form; on POST call the service, and on refusal show every reason beside its field."""
    refused, refused_general = None, []
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except Refused as refusal:
            refused = refusal
            for violation in refusal.violations:
                if violation.field in form.fields:
                    form.add_error(violation.field, violation.message)
                else:
                    refused_general.append(violation)
        else:
            messages.success(request, success)
            return redirect(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else request.path)
    status = 400 if request.method == "POST" else 200
    return render(request, template, context | {"form": form, "refused": refused, "refused_general": refused_general}, status=status)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# Agencies ---------------------------------------------------------------------------------


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    if not user_reads_all_agencies(request.user):
        return redirect("registry:agency_detail", request.user.agency_id)
    search = request.GET.get("q", "").strip()
    agencies = selectors.agency_list(viewer=request.user, search=search)
    return render(request, "registry/agency_list.html", {"page": _page(request, agencies), "q": search})


@login_required
def agency_mine(request: HttpRequest) -> HttpResponse:
    if request.user.agency_id is None:
        return redirect("registry:agency_list")
    return redirect("registry:agency_detail", request.user.agency_id)


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    health = selectors.team_health_for_agency(viewer=request.user, agency=agency)
    officers = selectors.officer_list(viewer=request.user, agency_id=agency.pk)
    return render(
        request,
        "registry/agency_detail.html",
        {
            "agency": agency,
            "health": health,
            "officers": officers,
            "matter_count": selectors.matter_list(viewer=request.user, agency_id=agency.pk).count(),
            "can_edit": user_can_edit_agency(request.user, agency.pk),
            "can_manage_staff": user_can_manage_staff(request.user, agency.pk),
            "reads_supervisors": agency.is_judicial_bureau and user_can_read_supervisors(request.user, agency.pk),
        },
    )


def _agency_form(request: HttpRequest, *, instance=None) -> forms.AgencyForm:
    """The agency form with what the user may not set shown but not editable (the platform rule of
    procedure.registry_rules, which the service enforces): a supervisor registers in their own county
    and never sets the 司法局 flag; an agency's administrator keeps its identity fields."""
    user = request.user
    county = user_county_region(user)
    form = forms.AgencyForm(request.POST or None, instance=instance,
                            initial={"region_code": county} if instance is None and county else None)
    if county is not None:
        fixed = AGENCY_FIELDS_SYSTEM_ADMIN_ONLY
    elif user_reads_all_agencies(user):
        fixed = ()
    else:
        fixed = AGENCY_FIELDS_NOT_OWN_ADMIN
    for name in fixed:
        if name == "is_judicial_bureau":
            form.fields.pop(name, None)
        elif name in form.fields:
            form.fields[name].disabled = True  # its value is the instance's (or the county's), whatever is posted
    return form


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    permission_require(user_can_register_agencies(request.user))
    return _form_page(
        request,
        form=_agency_form(request),
        save=lambda data: services.agency_create(actor=request.user, **data),
        template="registry/form.html",
        context={"title": "登记执法主体"},
        success="执法主体已登记",
    )


@login_required
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    permission_require(user_can_edit_agency(request.user, agency.pk))
    return _form_page(
        request,
        form=_agency_form(request, instance=agency),
        save=lambda data: services.agency_update(actor=request.user, agency=agency, **data),
        template="registry/form.html",
        context={"title": f"修改执法主体：{agency.name}"},
        success="执法主体已更新",
    )


@login_required
def team_overview(request: HttpRequest) -> HttpResponse:
    permission_require(user_reads_all_agencies(request.user))
    return render(request, "registry/team_overview.html", {"overview": selectors.team_health_overview(viewer=request.user)})


# Officers and certificates ----------------------------------------------------------------


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    agency_id = id_from_query(request.GET.get("agency"))
    officers = selectors.officer_list(viewer=request.user, agency_id=agency_id, search=search)
    return render(
        request,
        "registry/officer_list.html",
        {"page": _page(request, officers), "q": search, "all_agencies": user_reads_all_agencies(request.user)},
    )


@login_required
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "full_id": user_sees_full_officer_id_number(request.user, officer.agency_id),
            "can_manage": user_can_manage_staff(request.user, officer.agency_id),
        },
    )


@login_required
def officer_card_mine(request: HttpRequest) -> HttpResponse:
    """我的执法证: the signed-in officer's certificates, each with its state today and, once
    published, the card with its QR code to print and carry (the public page the code opens shows
    whether it is valid). Only one's own: an account not linked to an officer is told so."""
    officer = None
    cards = []
    if request.user.officer_id is not None:
        officer = selectors.officer_get(viewer=request.user, officer_id=request.user.officer_id)
        today = timezone.localdate()
        states = selectors.officer_certificate_states(officer=officer, on=today, region=officer.agency.region_code)
        public = public_certificates_of(certificate_ids=[s.certificate.pk for s in states])
        for state in states:
            published = public.get(state.certificate.pk)
            url = verify_url(request, published.token) if published is not None else ""
            cards.append({
                "state": state,
                "public": published,
                "url": url,
                "qr": certificate_qr(url).svg_inline(scale=4, border=4, omitsize=True) if url else "",
            })
    return render(request, "registry/officer_card_mine.html",
                  {"officer": officer, "cards": cards, "certificate_basis": OFFICERS_ACT})


@login_required
def officer_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    permission_require(user_can_manage_staff(request.user, agency.pk))
    return _form_page(
        request,
        form=forms.OfficerForm(request.POST or None),
        save=lambda data: services.officer_create(actor=request.user, agency=agency, **data),
        template="registry/form.html",
        context={"title": f"登记执法人员：{agency.name}"},
        success="执法人员已登记",
    )


@login_required
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    permission_require(user_can_manage_staff(request.user, officer.agency_id))
    return _form_page(
        request,
        form=forms.OfficerForm(request.POST or None, instance=officer),
        save=lambda data: services.officer_update(actor=request.user, officer=officer, **data),
        template="registry/form.html",
        context={"title": f"修改执法人员：{officer.name}"},
        success="执法人员已更新",
    )


@login_required
def certificate_create(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    permission_require(user_can_manage_staff(request.user, officer.agency_id))
    form = forms.CertificateForm(request.POST or None)
    del form.fields["reason"]
    return _form_page(
        request,
        form=form,
        save=lambda data: services.certificate_create(actor=request.user, officer=officer, **data),
        template="registry/form.html",
        context={"title": f"登记执法证：{officer.name}"},
        success="执法证已登记",
    )


@login_required
def certificate_edit(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.certificate_get(viewer=request.user, certificate_id=certificate_id)
    permission_require(user_can_manage_staff(request.user, certificate.officer.agency_id))
    return _form_page(
        request,
        form=forms.CertificateForm(request.POST or None, instance=certificate),
        save=lambda data: services.certificate_update(actor=request.user, certificate=certificate, **data),
        template="registry/form.html",
        context={"title": f"修改执法证：{certificate.number}"},
        success="执法证已更新",
    )


# Matters ------------------------------------------------------------------------------------


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in MatterKind.values else ""
    matters = selectors.matter_list(viewer=request.user, search=search, kind=kind)
    return render(
        request,
        "registry/matter_list.html",
        {"page": _page(request, matters), "q": search, "kind": kind, "kinds": MatterKind.choices,
         "can_create": request.user.agency_id and user_can_manage_staff(request.user, request.user.agency_id)},
    )


@login_required
def matter_detail(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    return render(
        request,
        "registry/matter_detail.html",
        {"matter": matter, "can_manage": user_can_manage_staff(request.user, matter.agency_id)},
    )


def _matter_fields(data: dict) -> dict:
    fields = dict(data)
    fields["legal_bases"] = fields.pop("legal_bases_text")
    return fields


@login_required
def matter_create(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    permission_require(user_can_manage_staff(request.user, agency.pk))
    return _form_page(
        request,
        form=forms.MatterForm(request.POST or None),
        save=lambda data: services.matter_create(actor=request.user, agency=agency, **_matter_fields(data)),
        template="registry/form.html",
        context={"title": f"新增执法事项：{agency.name}"},
        success="执法事项已保存",
    )


@login_required
def matter_edit(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    permission_require(user_can_manage_staff(request.user, matter.agency_id))
    return _form_page(
        request,
        form=forms.MatterForm(request.POST or None, instance=matter),
        save=lambda data: services.matter_update(actor=request.user, matter=matter, **_matter_fields(data)),
        template="registry/form.html",
        context={"title": f"修改执法事项：{matter.name}"},
        success="执法事项已更新",
    )


# Parties ------------------------------------------------------------------------------------


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    parties = selectors.party_list(viewer=request.user, search=search)
    return render(
        request,
        "registry/party_list.html",
        {"page": _page(request, parties), "q": search,
         "can_create": request.user.agency_id and user_can_manage_parties(request.user, request.user.agency_id)},
    )


@login_required
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.party_get(viewer=request.user, party_id=party_id)
    return render(
        request,
        "registry/party_detail.html",
        {
            "party": party,
            "full_id": user_sees_full_party_id_number(request.user, party.agency_id),
            "can_manage": user_can_manage_parties(request.user, party.agency_id),
        },
    )


@login_required
def party_create(request: HttpRequest) -> HttpResponse:
    agency_id = request.user.agency_id
    if agency_id is None or not user_can_manage_parties(request.user, agency_id):
        raise Http404
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    return _form_page(
        request,
        form=forms.PartyForm(request.POST or None),
        save=lambda data: services.party_create(actor=request.user, agency=agency, **data),
        template="registry/form.html",
        context={"title": "登记当事人"},
        success="当事人已登记",
    )


@login_required
def party_edit(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.party_get(viewer=request.user, party_id=party_id)
    permission_require(user_can_manage_parties(request.user, party.agency_id))
    return _form_page(
        request,
        form=forms.PartyForm(request.POST or None, instance=party),
        save=lambda data: services.party_update(actor=request.user, party=party, **data),
        template="registry/form.html",
        context={"title": f"修改当事人：{party.name}"},
        success="当事人已更新",
    )
