"""The form renderer (settings.FORM_RENDERER): Django's TemplatesSetting, with the two widget
templates every list page's filter bar renders again and again (a <select> and its options,
a plain <input>) written out in Python. A 20-town drop-down through the templates is one
{% include %} per option; the filter bars of the list pages spent a third of their render
there. The markup is the templates' to the byte (tests/test_renderers.py compares the two on
every kind of widget the portal uses); any other template, or a widget whose option template
is not the stock one, goes through the templates as before."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# the <input> widgets whose template is only {% include "django/forms/widgets/input.html" %}
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "tel",
        "search",
        "password",
        "color",
    )
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's blank choice; templates/django/forms/widgets/select_option.html reads it 请选择
_BLANK_LABEL = "---------"


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing
    for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    value = option["value"]
    label = option["label"]
    if (value == "" or value is None) and label == _BLANK_LABEL:
        text = conditional_escape(gettext("请选择"))
    else:
        # {{ widget.label }}: a number reads as the template would show it
        text = conditional_escape(label if isinstance(label, str) else localize(label))
    # the template file ends with a newline, which the include keeps
    return f'<option value="{conditional_escape(f"{value}")}"{_attrs(option["attrs"])}>{text}</option>\n'


def render_select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(f"{value}")}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _fast(template_name: str, widget: dict[str, Any]) -> str | None:
    """The markup in Python when `template_name` is one written out here, else None."""
    if template_name in _INPUT_TEMPLATES:
        return render_input(widget)
    if template_name == _SELECT_TEMPLATE and all(
        option["template_name"] == _OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    ):
        return render_select(widget)
    return None


class PortalRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            html = _fast(template_name, widget)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request=request)


class TemplateOnlyRenderer(TemplatesSetting):
    """Everything through the templates: what PortalRenderer must match (tests)."""
