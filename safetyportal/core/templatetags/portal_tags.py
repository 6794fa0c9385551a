from __future__ import annotations

import datetime

from django import forms, template
from django.apps import apps
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

register = template.Library()

_WIDGET_CLASSES = {
    forms.CheckboxInput: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
    forms.NullBooleanSelect: "form-select",
}


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with `changes` applied: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def bootstrap_widget(bound_field) -> str:
    """Render a form field's widget with Bootstrap's class and aria-invalid on errors."""
    widget = bound_field.field.widget
    css = next(
        (cls for kind, cls in _WIDGET_CLASSES.items() if isinstance(widget, kind)), "form-control"
    )
    attrs = {"class": f"{css}{' is-invalid' if bound_field.errors else ''}"}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


# A list page's rows: what is the same on every row is worked out once per page (a URL
# prefix, the choices' labels in the current language), not once per row.

_PK_SENTINEL = 987654321


@register.simple_tag
def url_prefix(view_name: str, suffix: str = "/") -> str:
    """The URL of `view_name` (a page taking one pk) up to its pk, reversed once per
    page: `{% url_prefix 'hazards:detail' as detail %}…{{ detail }}{{ h.pk }}/` is
    `{% url 'hazards:detail' h.pk %}` without a reverse() a row. The pattern must end in
    `<pk>` and `suffix` ("/" unless told, e.g. suffix="/edit/")."""
    url = reverse(view_name, args=[_PK_SENTINEL])
    prefix, sentinel, rest = url.rpartition(str(_PK_SENTINEL))
    if not sentinel or rest != suffix:
        raise ValueError(f"{view_name} does not end in <pk>{suffix}: {url}")
    return prefix


@register.simple_tag
def choice_labels(model: str, field: str) -> dict:
    """{stored value: label} of a model field's choices, in the current language, once
    per page: `{{ labels|label:h.status }}` reads as `{{ h.get_status_display }}`."""
    choices = apps.get_model(model)._meta.get_field(field).flatchoices
    return {value: str(label) for value, label in choices}


@register.filter
def label(labels: dict, value):
    """`value`'s label in a choice_labels dict; the value itself when it has none (as
    get_FOO_display)."""
    return labels.get(value, value)


@register.filter(expects_localtime=True)
def ymd(value) -> str:
    """A date as Y-m-d (`|date:"Y-m-d"` without a DateFormat a row); "" for none."""
    if value is None or value == "":
        return ""
    if type(value) is datetime.date:
        return value.isoformat()
    return date_filter(value, "Y-m-d")


@register.simple_tag(takes_context=True)
def show_card(context, card) -> str:
    """Render a home-page card (safetyportal.core.cards.ShownCard): its template, with the
    card's own context added to the page's (request, user) for this one include."""
    template = context.template.engine.get_template(card.template)
    with context.push(card.context):
        return template.render(context)


@register.simple_tag(takes_context=True)
def show_panel(context, panel) -> str:
    """Render a page panel (safetyportal.core.panels.ShownPanel) the same way: its
    template, with the panel's own context added to the page's for this one include."""
    return show_card(context, panel)


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, datetime.date) else None


@register.filter
def days_overdue(value) -> int:
    """Whole days `value` (a due date) lies in the past, by the local date; 0 when it is
    today, in the future or empty."""
    day = _as_date(value)
    if day is None:
        return 0
    return max((timezone.localdate() - day).days, 0)


@register.simple_tag
def due_date(value) -> str:
    """A due date as Y-m-d with its state: "逾期N天" (red) once past, "今日到期" (amber) on
    the day itself; nothing added before. Every due date on a page goes through this, so a
    date in the past never reads as pending."""
    day = _as_date(value)
    if day is None:
        return ""
    days = (timezone.localdate() - day).days
    badge: str
    if days > 0:
        badge = format_html(
            ' <span class="badge text-bg-danger" data-due="overdue">{}</span>',
            ngettext("逾期%(days)s天", "逾期%(days)s天", days) % {"days": days},
        )
    elif days == 0:
        badge = format_html(
            ' <span class="badge text-bg-warning" data-due="today">{}</span>', gettext("今日到期")
        )
    else:
        badge = ""
    return format_html("{}{}", f"{day:%Y-%m-%d}", badge)
