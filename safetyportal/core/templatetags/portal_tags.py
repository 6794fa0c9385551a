from __future__ import annotations

from django import forms, template

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
