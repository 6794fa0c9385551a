"""Pages of the legal frame: the delegated items' catalogue (and its Excel import), the
towns' delegations and the officers' certificates. Reading is for officials, keeping
them for the county office (enforcement/permissions.py, authority section)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.authority import importing, services
from enforcement.authority.forms import (
    AuthorisationForm,
    CertificateForm,
    ItemFilterForm,
    ItemImportForm,
    RenewForm,
)
from enforcement.authority.models import DelegatedItem, Procedure
from enforcement.authority.selectors import valid_certificates
from enforcement.permissions import (
    authorisation_items_for,
    authorisations_visible_to,
    certificates_visible_to,
    delegating_department_id,
    get_authorisation_for_user,
    get_certificate_for_user,
    get_item_for_user,
    may_authority,
    require_authority,
)
from responsibilities.models import Organisation
from safetyportal.core.pagination import paginate
from safetyportal.workflow.html import add_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a delegation or a certificate this close to its end is flagged 即将到期
EXPIRING_DAYS = 30


def certified_count(user=None, day: datetime.date | None = None) -> int:
    """Officers holding a certificate valid today (in `user`'s scope, or county-wide)."""
    day = day or timezone.localdate()
    certificates = valid_certificates(day)
    if user is not None:
        certificates = certificates.filter(pk__in=certificates_visible_to(user).values("pk"))
    return certificates.values("officer_id").distinct().count()


# --- the catalogue ---------------------------------------------------------------------


def item_rows(request):
    """The catalogue's filter form and rows (the page's and its export's)."""
    form = ItemFilterForm(request.GET or None, user=request.user)
    items = DelegatedItem.objects.active().select_related("delegating_department")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            items = items.filter(Q(name__icontains=query) | Q(code__icontains=query))
        if form.cleaned_data["department"]:
            items = items.filter(delegating_department=form.cleaned_data["department"])
        if form.cleaned_data["procedure"] == Procedure.SIMPLE:
            items = items.filter(allows_simple=True)
        elif form.cleaned_data["procedure"] == Procedure.GENERAL:
            items = items.filter(allows_general=True)
    return form, items.order_by("sort_order", "code")


@require_GET
def item_list(request):
    require_authority(request.user, "view_catalogue")
    form, items = item_rows(request)
    page = paginate(request, items)
    context = {
        "form": form,
        "page": page,
        "item_total": DelegatedItem.objects.active().count(),
        "officer_total": certified_count(),
        "can_import": may_authority(request.user, "manage_catalogue"),
    }
    return render(request, "enforcement/authority/item_list.html", context)


@require_GET
def item_detail(request, pk: int):
    require_authority(request.user, "view_catalogue")
    item = get_item_for_user(request.user, pk)
    today = timezone.localdate()
    towns = (
        authorisations_visible_to(request.user)
        .filter(items=item, valid_from__lte=today, valid_until__gte=today)
        .select_related("town")
        .order_by("town__sort_order", "town__code")
    )
    return render(
        request,
        "enforcement/authority/item_detail.html",
        {"item": item, "authorisations": towns},
    )


@require_http_methods(["GET", "POST"])
def item_import(request):
    require_authority(request.user, "manage_catalogue")
    form = ItemImportForm(request.POST or None, request.FILES or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        try:
            parsed = importing.parse_workbook(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if parsed.ok and request.POST.get("action") == "import":
                created, updated = services.import_delegated_items(
                    actor=request.user, rows=parsed.rows
                )
                messages.success(
                    request,
                    gettext("已导入委托执法事项：新增 %(created)s 项，更新 %(updated)s 项。")
                    % {"created": created, "updated": updated},
                )
                return redirect("enforcement:authority_items")
    return render(
        request,
        "enforcement/authority/item_import.html",
        {"form": form, "parsed": parsed, "max_rows": importing.MAX_ROWS},
    )


@require_GET
def item_template(request):
    require_authority(request.user, "manage_catalogue")
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="delegated-items-template.xlsx"'
    return response


# --- the towns' delegations ------------------------------------------------------------


def _flag(until: datetime.date, today: datetime.date) -> str:
    if until < today:
        return "expired"
    if until <= today + datetime.timedelta(days=EXPIRING_DAYS):
        return "expiring"
    return ""


def authorisation_rows(user):
    """The user's delegations with the number of items (a department: its own items)."""
    rows = authorisations_visible_to(user).select_related("town")
    count = Count("items", distinct=True)
    department_id = delegating_department_id(user)
    if department_id:
        # a department counts its own items in each delegation
        count = Count(
            "items", filter=Q(items__delegating_department_id=department_id), distinct=True
        )
    return rows.annotate(item_count=count).order_by(
        "town__sort_order", "town__code", "-valid_from", "id"
    )


@require_GET
def authorisation_list(request):
    require_authority(request.user, "view_authorisations")
    today = timezone.localdate()
    page = paginate(request, authorisation_rows(request.user))
    for authorisation in page:
        authorisation.flag = _flag(authorisation.valid_until, today)
        authorisation.in_force = authorisation.in_force_on(today)
    return render(
        request,
        "enforcement/authority/authorisation_list.html",
        {
            "page": page,
            "today": today,
            "can_manage": may_authority(request.user, "manage_authorisations"),
            "expiring_days": EXPIRING_DAYS,
        },
    )


@require_GET
def authorisation_detail(request, pk: int):
    authorisation = get_authorisation_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "enforcement/authority/authorisation_detail.html",
        {
            "authorisation": authorisation,
            "items": authorisation_items_for(request.user, authorisation).order_by(
                "sort_order", "code"
            ),
            "flag": _flag(authorisation.valid_until, today),
            "in_force": authorisation.in_force_on(today),
            "can_manage": may_authority(request.user, "manage_authorisations"),
        },
    )


def _authorisation_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "document_number": data["document_number"].strip(),
        "procedure_level": data["procedure_level"],
        "valid_from": data["valid_from"],
        "valid_until": data["valid_until"],
        "items": form.chosen_items(),
        "note": data["note"],
    }


@require_http_methods(["GET", "POST"])
def authorisation_create(request):
    require_authority(request.user, "manage_authorisations")
    initial = {}
    town_id = request.GET.get("town")
    if town_id and town_id.isdigit():
        initial["town"] = town_id
    form = AuthorisationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            authorisation = services.create_authorisation(
                actor=request.user, town=form.cleaned_data["town"], **_authorisation_fields(form)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("已登记%(town)s的委托授权（%(number)s）。")
                % {"town": authorisation.town.name, "number": authorisation.document_number},
            )
            return redirect("enforcement:authority_authorisation", pk=authorisation.pk)
    return render(
        request,
        "enforcement/authority/authorisation_form.html",
        {"form": form, "authorisation": None},
    )


@require_http_methods(["GET", "POST"])
def authorisation_edit(request, pk: int):
    require_authority(request.user, "manage_authorisations")
    authorisation = get_authorisation_for_user(request.user, pk)
    initial = {
        "document_number": authorisation.document_number,
        "procedure_level": authorisation.procedure_level,
        "valid_from": authorisation.valid_from,
        "valid_until": authorisation.valid_until,
        "items": list(authorisation.items.values_list("pk", flat=True)),
        "note": authorisation.note,
    }
    form = AuthorisationForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_authorisation(
                actor=request.user, authorisation_id=authorisation.pk, **_authorisation_fields(form)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("委托授权已保存。"))
            return redirect("enforcement:authority_authorisation", pk=authorisation.pk)
    return render(
        request,
        "enforcement/authority/authorisation_form.html",
        {"form": form, "authorisation": authorisation},
    )


# --- officers and certificates ---------------------------------------------------------


def officer_rows(request, today: datetime.date):
    """The certificates in the user's scope, the units to filter by, and the filters."""
    certificates = certificates_visible_to(request.user).select_related(
        "officer", "officer__organisation"
    )
    units = Organisation.objects.filter(
        pk__in=certificates.values("officer__organisation_id")
    ).order_by("kind", "sort_order", "code")
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        certificates = certificates.filter(officer__organisation_id=int(unit))
    status = request.GET.get("status", "")
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    if status == "valid":
        certificates = certificates.filter(pk__in=valid_certificates(today).values("pk"))
    elif status == "expiring":
        certificates = certificates.filter(
            pk__in=valid_certificates(today).filter(expires_on__lte=soon).values("pk")
        )
    elif status == "invalid":
        certificates = certificates.exclude(pk__in=valid_certificates(today).values("pk"))
    certificates = certificates.order_by(
        "officer__organisation__sort_order", "officer__organisation__code", "officer_id", "id"
    )
    return certificates, units, unit, status


@require_GET
def officer_list(request):
    require_authority(request.user, "view_officers")
    today = timezone.localdate()
    certificates, units, unit, status = officer_rows(request, today)
    page = paginate(request, certificates)
    for certificate in page:
        certificate.is_valid = certificate.valid_on(today)
        certificate.flag = (
            "revoked"
            if certificate.revoked_on is not None and certificate.revoked_on <= today
            else _flag(certificate.expires_on, today)
        )
    return render(
        request,
        "enforcement/authority/officer_list.html",
        {
            "page": page,
            "units": units,
            "unit": unit,
            "status": status,
            "officer_total": certified_count(request.user, today),
            "can_manage": may_authority(request.user, "manage_certificates"),
            "expiring_days": EXPIRING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def certificate_create(request):
    require_authority(request.user, "manage_certificates")
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = services.register_certificate(
                actor=request.user,
                officer=data["officer"],
                number=data["number"].strip(),
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("已登记执法证 %(number)s。") % {"number": certificate.number}
            )
            return redirect("enforcement:authority_officers")
    return render(
        request, "enforcement/authority/certificate_form.html", {"form": form, "certificate": None}
    )


@require_http_methods(["GET", "POST"])
def certificate_renew(request, pk: int):
    require_authority(request.user, "manage_certificates")
    certificate = get_certificate_for_user(request.user, pk)
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.renew_certificate(
                actor=request.user,
                certificate_id=certificate.pk,
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("执法证已换发。"))
            return redirect("enforcement:authority_officers")
    return render(
        request,
        "enforcement/authority/certificate_form.html",
        {"form": form, "certificate": certificate},
    )


@require_POST
def certificate_revoke(request, pk: int):
    require_authority(request.user, "manage_certificates")
    certificate = get_certificate_for_user(request.user, pk)
    try:
        services.revoke_certificate(actor=request.user, certificate_id=certificate.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, gettext("执法证 %(number)s 已注销。") % {"number": certificate.number}
        )
    return redirect("enforcement:authority_officers")
