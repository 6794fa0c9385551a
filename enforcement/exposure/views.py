"""The exposure board's pages (the public list and detail, the county office's management
page) and the county list of repeat offenders (屡罚不改)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from enforcement.cases.models import Case, CaseStatus
from enforcement.exposure import services
from enforcement.exposure.models import ExposedCase
from enforcement.permissions import exposure_refusal, get_public_exposure, sees_repeat_offenders
from enforcement.repeat_offenders import closure_among, flagged_counts, flagged_enterprises
from safetyportal.core.pagination import paginate


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("当事人名称"), required=False, max_length=50)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)
    town = forms.IntegerField(label=_("镇街"), required=False, min_value=1)


def _public_cases(request):
    form = PublicFilterForm(request.GET)
    cases = ExposedCase.objects.public()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            cases = cases.filter(party_name__icontains=data["q"])
        if data["year"]:
            year = data["year"]
            cases = cases.filter(
                decided_on__gte=datetime.date(year, 1, 1),
                decided_on__lte=datetime.date(year, 12, 31),
            )
        if data["town"]:
            cases = cases.filter(town_id=data["town"])
    return form, cases


@login_not_required
@require_GET
def public_list(request):
    """曝光台: the published cases, read from the snapshot table only."""
    form, cases = _public_cases(request)
    # the town filter's choices: the towns with a public case (a small DISTINCT on the
    # snapshot table, never the organisation table)
    towns = (
        ExposedCase.objects.public()
        .order_by("town_name", "town_id")
        .values_list("town_id", "town_name")
        .distinct()
    )
    this_year = timezone.localdate().year
    year_start = datetime.date(this_year, 1, 1)
    return render(
        request,
        "enforcement/exposure/public_list.html",
        {
            "form": form,
            "page": paginate(request, cases.only(*PUBLIC_FIELDS)),
            "towns": list(towns),
            "years": range(this_year, this_year - 5, -1),
            "this_year": this_year,
            "this_year_count": ExposedCase.objects.public()
            .filter(decided_on__gte=year_start)
            .count(),
        },
    )


PUBLIC_FIELDS = (
    "id",
    "party_name",
    "town_id",
    "town_name",
    "item_name",
    "facts_summary",
    "penalty_kind",
    "fine",
    "decision_number",
    "decided_on",
    "authority",
    "withdrawn_at",
)


@login_not_required
@require_GET
def public_detail(request, pk: int):
    exposure = get_public_exposure(pk, PUBLIC_FIELDS)
    return render(request, "enforcement/exposure/public_detail.html", {"exposure": exposure})


# --- the county office's management page -------------------------------------------------


def _refuse_unless_county_office(user) -> None:
    reason = exposure_refusal(user)
    if reason:
        raise PermissionDenied(reason)


SHOWN = {
    "candidates": _("待公开的已结案案件"),
    "published": _("已公开"),
    "withdrawn": _("已撤回"),
}


def manage_rows(request):
    """The management page's tab and its rows: closed cases not yet public (Case rows), or
    the published or withdrawn snapshots (ExposedCase rows)."""
    _refuse_unless_county_office(request.user)
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "candidates"
    if show == "candidates":
        rows = (
            Case.objects.visible_to(request.user)
            .filter(status=CaseStatus.CLOSED)
            .exclude(decision_number="")
            .filter(Q(exposure__isnull=True) | Q(exposure__withdrawn_at__isnull=False))
            .select_related("town", "item")
        )
    else:
        rows = (
            ExposedCase.objects.visible_to(request.user)
            .filter(withdrawn_at__isnull=show == "published")
            .order_by("-published_at", "-id")
            .select_related("published_by", "withdrawn_by")
        )
    return show, rows


@require_GET
def manage(request):
    show, rows = manage_rows(request)
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    return render(
        request,
        "enforcement/exposure/manage.html",
        {
            "show": show,
            "tabs": SHOWN,
            "page": paginate(request, rows),
            "public_count": ExposedCase.objects.public().count(),
            "this_year_count": ExposedCase.objects.public()
            .filter(decided_on__gte=year_start)
            .count(),
        },
    )


@require_POST
def publish(request, case_pk: int):
    _refuse_unless_county_office(request.user)
    try:
        exposure = services.publish_case(actor=request.user, case_id=case_pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("已在曝光台公开%(case)s。") % {"case": exposure.decision_number},
        )
    return redirect("enforcement:exposure_manage")


@require_POST
def withdraw(request, pk: int):
    _refuse_unless_county_office(request.user)
    try:
        exposure = services.withdraw_case(
            actor=request.user, exposure_id=pk, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("已撤回%(case)s，公开页面不再显示。") % {"case": exposure.decision_number},
        )
    return redirect(reverse("enforcement:exposure_manage") + "?show=published")


# --- 屡罚不改 ------------------------------------------------------------------------------


@require_GET
def repeat_offender_list(request):
    if not sees_repeat_offenders(request.user):
        raise PermissionDenied(gettext("屡罚不改名单只对执法和监管人员开放。"))
    today = timezone.localdate()
    # the year's aggregate once: the count, the page and the figures shown read it
    counts = flagged_counts(today)
    page = paginate(request, flagged_enterprises(request.user, today, flagged=counts))
    closure = closure_among([e.pk for e in page.object_list], today)
    rows = [(e, counts.get(e.pk), e.pk in closure) for e in page.object_list]
    return render(
        request,
        "enforcement/repeat_offenders.html",
        {"page": page, "rows": rows, "today": today},
    )
