"""Duty list pages: the completion overview per unit for a year (with the county office's
form for a new list), a unit's list with a mark-done form per item (and the county
office's forms to add an item and copy the list into a later year), and the POSTs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from responsibilities import duty_services
from responsibilities.duty_forms import DutyCopyForm, DutyItemForm, DutyListForm
from responsibilities.duty_models import DutyItem, DutyItemStatus
from responsibilities.duty_workflow import DUTY_ITEM_WORKFLOW
from responsibilities.permissions import (
    duty_lists_visible_to,
    duty_refusal,
    get_duty_item_for_user,
    get_duty_list_for_user,
)
from safetyportal.core.pagination import paginate
from safetyportal.workflow.html import step_view


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def year_of(request) -> int:
    return _year(request)


def overview_rows(user, year: int):
    """Each unit's list for `year` with its item and done counts (the overview's rows and
    its export's)."""
    return (
        duty_lists_visible_to(user)
        .filter(year=year)
        .select_related("owner")
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__status=DutyItemStatus.DONE)),
        )
        .order_by("owner__sort_order", "owner__code", "owner_person", "id")
    )


@require_GET
def duty_overview(request):
    """Completion per unit for a year, in one aggregate query per page."""
    reason = duty_refusal(request.user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    year = _year(request)
    page = paginate(request, overview_rows(request.user, year))
    for row in page:
        row.rate = round(100 * row.done_count / row.item_count) if row.item_count else 0
    can_manage = duty_refusal(request.user, None, "manage") is None
    return render(
        request,
        "responsibilities/duty_overview.html",
        {
            "page": page,
            "year": year,
            "can_manage": can_manage,
            "list_form": DutyListForm(initial={"year": year}) if can_manage else None,
        },
    )


def attach_link_labels(items) -> None:
    """Give each item `link_label`: the linked record's kind (its model's verbose name) and
    its str, fetched in one query per content type, whatever the number of items."""
    wanted: dict[int, set[int]] = {}
    for item in items:
        item.link_label = ""
        if item.link_type_id and item.link_id:
            wanted.setdefault(item.link_type_id, set()).add(item.link_id)
    found: dict[tuple[int, int], str] = {}
    for type_id, ids in wanted.items():
        content_type = ContentType.objects.get_for_id(type_id)  # cached per process
        model = content_type.model_class()
        if model is None:
            continue
        for record in model._base_manager.filter(pk__in=ids):
            found[(type_id, record.pk)] = f"{model._meta.verbose_name}：{record}"
    for item in items:
        if item.link_type_id and item.link_id:
            item.link_label = found.get((item.link_type_id, item.link_id)) or _(
                "（关联记录已删除）"
            )


def _step_url(item: DutyItem, step) -> str:
    return reverse("responsibilities:duty_item_step", args=[item.pk, step.name])


def _opened_item(request) -> int | None:
    try:
        return int(request.GET.get("item", ""))
    except ValueError:
        return None


def _render_list(request, duty_list, *, bound_item: int | None = None, bound=None, status=200):
    """A unit's list; each item offers the steps the user may take on it now (the kit's
    `available`) as links, and one item at a time (`?item=<pk>`, or the item whose POST
    failed, `bound_item`) shows the kit's step forms: the page costs the same however
    many items the list has."""
    items = list(
        DutyItem.objects.filter(duty_list=duty_list)
        .select_related("industry")
        .order_by("order", "id")
    )
    attach_link_labels(items)
    opened = bound_item if bound_item is not None else _opened_item(request)
    for item in items:
        item.duty_list = duty_list  # the rules read the list's owner: no query per item
        item.is_open = item.pk == opened
        item.steps = (
            DUTY_ITEM_WORKFLOW.panel(
                request.user, item, url_for=_step_url, bound=bound if bound_item else None
            )
            if item.is_open
            else []
        )
        item.available = [] if item.is_open else DUTY_ITEM_WORKFLOW.available(request.user, item)
    can_manage = duty_refusal(request.user, None, "manage") is None
    return render(
        request,
        "responsibilities/duty_list_detail.html",
        {
            "duty_list": duty_list,
            "items": items,
            "can_manage": can_manage,
            "item_form": DutyItemForm() if can_manage else None,
            "copy_form": DutyCopyForm(initial={"year": duty_list.year + 1}) if can_manage else None,
        },
        status=status,
    )


@require_GET
def duty_list_detail(request, pk: int):
    return _render_list(request, get_duty_list_for_user(request.user, pk))


def _item_page(request, pk, *, bound=None, status: int = 200):
    """The list page of item `pk` (the kit's detail renderer for the item's steps)."""
    item = get_duty_item_for_user(request.user, pk)
    return _render_list(request, item.duty_list, bound_item=item.pk, bound=bound, status=status)


@require_POST
def duty_item_step(request, pk: int, step: str):
    """One step of an item (mark-done, reopen), through the workflow kit; the old
    /duty/items/<pk>/done/ URL is the mark-done step."""
    return step_view(
        request,
        DUTY_ITEM_WORKFLOW,
        pk,
        step,
        render_detail=_item_page,
        success_url=lambda item: (
            reverse("responsibilities:duty_list", args=[item.duty_list_id])
            + f"#duty-item-{item.pk}"
        ),
    )


@require_POST
def duty_item_done(request, pk: int):
    return duty_item_step(request, pk, "mark-done")


def _require_manage(user) -> None:
    reason = duty_refusal(user, None, "manage")
    if reason:
        raise PermissionDenied(reason)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@require_POST
def duty_list_create(request):
    """The county office creates a unit's list for a year; back to the overview."""
    _require_manage(request.user)
    form = DutyListForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("responsibilities:duty_overview")
    data = form.cleaned_data
    try:
        duty_list = duty_services.create_duty_list(
            actor=request.user,
            year=data["year"],
            owner=data["owner"],
            owner_person=data["owner_person"].strip(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("responsibilities:duty_overview")
    messages.success(request, _("已创建责任清单。"))
    return redirect("responsibilities:duty_list", pk=duty_list.pk)


@require_POST
def duty_item_add(request, pk: int):
    _require_manage(request.user)
    duty_list = get_duty_list_for_user(request.user, pk)
    form = DutyItemForm(request.POST)
    if form.is_valid():
        try:
            duty_services.add_duty_item(
                actor=request.user, duty_list_id=duty_list.pk, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已添加责任事项。"))
    else:
        _form_errors(request, form)
    return redirect("responsibilities:duty_list", pk=duty_list.pk)


@require_POST
def duty_list_copy(request, pk: int):
    """Copy a list into a later year; on to the new list."""
    _require_manage(request.user)
    duty_list = get_duty_list_for_user(request.user, pk)
    form = DutyCopyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("responsibilities:duty_list", pk=duty_list.pk)
    try:
        copy = duty_services.copy_duty_list(
            actor=request.user, duty_list_id=duty_list.pk, year=form.cleaned_data["year"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("responsibilities:duty_list", pk=duty_list.pk)
    messages.success(request, _("已沿用为新年度责任清单。"))
    return redirect("responsibilities:duty_list", pk=copy.pk)


@require_GET
def duty_item_evidence(request, pk: int):
    """An item's evidence document, only through the list's access check (never MEDIA_URL),
    always as a download."""
    item = get_duty_item_for_user(request.user, pk)
    if not item.evidence_file:
        raise Http404("no evidence file")
    response = FileResponse(
        item.evidence_file.open("rb"),
        as_attachment=True,
        filename=item.evidence_file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
