"""Pages of the plans area: the county's progress against plan, a unit's plan by quarter
and month with its targets, and the 一对一包联 pairings with their guidance visits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.permissions import (
    acting_unit_id,
    chief_candidates,
    get_pairing_for_user,
    get_plan_for_user,
    get_plan_target_for_user,
    pairing_refusal,
    pairing_scope,
    plan_refusal,
    sees_pairings,
    sees_plans,
    visit_refusal,
)
from enforcement.plans import forms, selectors, services
from enforcement.plans.models import GuidanceVisit, PlanTarget, TownPairing
from safetyportal.core.pagination import paginate
from safetyportal.workflow.errors import StepNotAllowed
from safetyportal.workflow.html import add_errors


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2020 <= year <= 2100 else timezone.localdate().year


def need_plans(user) -> None:
    _need(sees_plans(user))


def need_pairings(user) -> None:
    _need(sees_pairings(user))


def year_of(request) -> int:
    return _year(request)


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(gettext("该页面供县安委办、县级领导、行业监管部门和镇街使用。"))


@require_GET
def plan_progress(request):
    """Every unit's plan for a year with planned / done / due / overdue and a rate."""
    need_plans(request.user)
    today = timezone.localdate()
    year = _year(request)
    sort = request.GET.get("sort", "unit")
    sort = sort if sort in selectors.SORTS else "unit"
    rows = selectors.kept_unit_progress(request.user, year, today, sort)
    can_plan = plan_refusal(request.user, None) is None
    own_plan = next(
        (r.plan_id for r in rows if r.pk == acting_unit_id(request.user) and r.plan_id), None
    )
    totals = {k: sum(getattr(r, k) for r in rows) for k in ("planned", "done", "due", "overdue")}
    return render(
        request,
        "enforcement/plans/progress.html",
        {
            "rows": rows,
            "year": year,
            "years": range(today.year - 2, today.year + 2),
            "sort": sort,
            "totals": totals,
            "can_plan": can_plan and own_plan is None,
            "create_form": forms.PlanCreateForm(initial={"year": year}) if can_plan else None,
        },
    )


@require_POST
def plan_create(request):
    reason = plan_refusal(request.user, None)
    if reason:
        raise PermissionDenied(reason)
    form = forms.PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已制定%(title)s。") % {"title": plan.title})
            return redirect("enforcement:plan_detail", pk=plan.pk)
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect("enforcement:plan_progress")


def target_rows(request, plan, today):
    """The plan's targets under the page's filters (the page's and its export's)."""
    filters = forms.TargetFilterForm(request.GET or None, plan=plan)
    targets = PlanTarget.objects.filter(plan=plan)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("month"):
            targets = targets.filter(month=data["month"])
        if data.get("quarter"):
            q = data["quarter"]
            targets = targets.filter(month__gte=3 * q - 2, month__lte=3 * q)
        if data.get("kind"):
            targets = targets.filter(kind=data["kind"])
        if data.get("assignee"):
            targets = targets.filter(assigned_to=data["assignee"])
        if data.get("state"):
            state = selectors.target_state_filter(data["state"], plan.year, today)
            if state is not None:
                targets = targets.filter(state)
    return filters, targets.order_by("month", "id")


def _plan_page(request, plan):
    today = timezone.localdate()
    months = selectors.month_breakdown(plan, today)
    filters, targets = target_rows(request, plan, today)
    page = paginate(request, targets.select_related("enterprise", "assigned_to"))
    can_edit = plan_refusal(request.user, plan.unit_id) is None
    context = {
        "plan": plan,
        "quarters": selectors.quarter_breakdown(months),
        "totals": {k: sum(m[k] for m in months) for k in ("planned", "done", "due", "overdue")},
        "filters": filters,
        "page": page,
        "today": today,
        "current_month": today.month if plan.year == today.year else None,
        "is_past_year": plan.year < today.year,
        "can_edit": can_edit,
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "enforcement/plans/_targets.html", context)
    return render(request, "enforcement/plans/plan_detail.html", context)


@require_GET
def plan_detail(request, pk: int):
    return _plan_page(request, get_plan_for_user(request.user, pk))


@require_http_methods(["GET", "POST"])
def plan_targets_add(request, pk: int):
    """Add targets: several enterprises (searched by name) for one month at once."""
    plan = get_plan_for_user(request.user, pk)
    reason = plan_refusal(request.user, plan.unit_id)
    if reason:
        raise PermissionDenied(reason)
    search = request.GET.get("q", "").strip()[:50]
    form = forms.TargetAddForm(
        request.POST if request.method == "POST" else None, plan=plan, search=search
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_targets(
                actor=request.user,
                plan_id=plan.pk,
                enterprise_ids=[e.pk for e in data["enterprises"]],
                month=data["month"],
                kind=data["kind"],
                assigned_to_id=data["assigned_to"].pk,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已添加 %(n)s 个检查对象。") % {"n": len(added)})
            return redirect("enforcement:plan_detail", pk=plan.pk)
    return render(
        request,
        "enforcement/plans/target_add.html",
        {"form": form, "plan": plan, "search": search, "shown": forms.TargetAddForm.SHOWN},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def plan_target_edit(request, pk: int):
    target = get_plan_target_for_user(request.user, pk)
    reason = plan_refusal(request.user, target.plan.unit_id)
    if reason:
        raise PermissionDenied(reason)
    initial = {"month": target.month, "kind": target.kind, "assigned_to": target.assigned_to_id}
    form = forms.TargetEditForm(
        request.POST if request.method == "POST" else None, initial=initial, plan=target.plan
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_target(
                actor=request.user,
                target_id=target.pk,
                month=data["month"],
                kind=data["kind"],
                assigned_to_id=data["assigned_to"].pk,
            )
        except ValidationError as error:
            add_errors(form, error)
        except StepNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("已修改检查对象。"))
            return redirect("enforcement:plan_detail", pk=target.plan_id)
    status = 400 if form.errors else 200
    return render(
        request,
        "enforcement/plans/target_form.html",
        {"form": form, "target": target},
        status=status,
    )


@require_POST
def plan_target_delete(request, pk: int):
    target = get_plan_target_for_user(request.user, pk)
    try:
        plan = services.remove_target(actor=request.user, target_id=target.pk)
    except StepNotAllowed as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, str(error))
        return redirect("enforcement:plan_detail", pk=target.plan_id)
    messages.success(request, gettext("已删除检查对象。"))
    return redirect("enforcement:plan_detail", pk=plan.pk)


# --- 一对一包联 ---------------------------------------------------------------------------


@require_GET
def pairing_list(request):
    _need(sees_pairings(request.user))
    year = _year(request)
    pairings = _pairings(request.user, year)
    can_keep = pairing_refusal(request.user) is None
    return render(
        request,
        "enforcement/plans/pairing_list.html",
        {
            "pairings": pairings,
            "year": year,
            "years": range(timezone.localdate().year - 2, timezone.localdate().year + 2),
            "can_keep": can_keep,
            "form": forms.PairingForm(chiefs=chief_candidates(), initial={"year": year})
            if can_keep
            else None,
        },
    )


def pairing_rows(user, year: int):
    return _pairings(user, year)


def _pairings(user, year: int):
    return (
        TownPairing.objects.filter(pairing_scope(user), year=year)
        .select_related("town", "chief", "chief__organisation")
        .annotate(visit_count=Count("visits"), last_visit=Max("visits__visited_on"))
        .order_by("town__sort_order", "town__code", "id")
    )


@require_POST
def pairing_create(request):
    reason = pairing_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    form = forms.PairingForm(request.POST, chiefs=chief_candidates())
    if form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.create_pairing(
                actor=request.user,
                year=data["year"],
                chief_id=data["chief"].pk,
                town_id=data["town"].pk,
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已登记包联安排。"))
            return redirect(f"{_pairing_url()}?year={pairing.year}")
    year = form.cleaned_data.get("year") or timezone.localdate().year
    return render(
        request,
        "enforcement/plans/pairing_list.html",
        {
            "pairings": _pairings(request.user, year),
            "year": year,
            "years": range(timezone.localdate().year - 2, timezone.localdate().year + 2),
            "can_keep": True,
            "form": form,
        },
        status=400,
    )


def _pairing_url() -> str:
    return reverse("enforcement:pairing_list")


@require_http_methods(["GET", "POST"])
def pairing_edit(request, pk: int):
    reason = pairing_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    pairing = get_pairing_for_user(request.user, pk)
    form = forms.PairingForm(
        request.POST if request.method == "POST" else None,
        chiefs=chief_candidates(),
        editing=True,
        initial={"chief": pairing.chief_id, "note": pairing.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pairing(
                actor=request.user,
                pairing_id=pairing.pk,
                chief_id=form.cleaned_data["chief"].pk,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已修改包联安排。"))
            return redirect("enforcement:pairing_detail", pk=pairing.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "enforcement/plans/pairing_form.html",
        {"form": form, "pairing": pairing},
        status=status,
    )


@require_POST
def pairing_delete(request, pk: int):
    reason = pairing_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    pairing = get_pairing_for_user(request.user, pk)
    try:
        services.remove_pairing(actor=request.user, pairing_id=pairing.pk)
    except StepNotAllowed as error:
        messages.error(request, str(error))
        return redirect("enforcement:pairing_detail", pk=pairing.pk)
    messages.success(request, gettext("已删除包联安排。"))
    return redirect(f"{_pairing_url()}?year={pairing.year}")


def _pairing_page(request, pairing, *, visit_form=None, status: int = 200):
    can_record = visit_refusal(request.user, pairing) is None
    if can_record and visit_form is None:
        visit_form = forms.VisitForm(initial={"visited_on": timezone.localdate()})
    visits = GuidanceVisit.objects.filter(pairing=pairing).order_by("-visited_on", "-id")
    return render(
        request,
        "enforcement/plans/pairing_detail.html",
        {
            "pairing": pairing,
            "page": paginate(request, visits),
            "can_record": can_record,
            "can_keep": pairing_refusal(request.user) is None,
            "visit_form": visit_form if can_record else None,
        },
        status=status,
    )


@require_GET
def pairing_detail(request, pk: int):
    return _pairing_page(request, get_pairing_for_user(request.user, pk))


@require_POST
def visit_create(request, pk: int):
    pairing = get_pairing_for_user(request.user, pk)
    reason = visit_refusal(request.user, pairing)
    if reason:
        raise PermissionDenied(reason)
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        try:
            services.record_visit(actor=request.user, pairing_id=pairing.pk, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, gettext("已登记指导记录。"))
            return redirect("enforcement:pairing_detail", pk=pairing.pk)
    return _pairing_page(request, pairing, visit_form=form, status=400)
