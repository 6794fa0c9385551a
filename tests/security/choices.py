"""The drop-downs half of the role matrix (issue 14 item 1): the choices a form page offers
(<select> options, radio and checkbox values, <datalist> entries), which record each choice
names (the form's ModelChoiceField behind the HTML name), and whether the persona may be
offered it - decided from the oracle's scope rules, not the app's."""

from __future__ import annotations

from html.parser import HTMLParser

from django.forms import BaseForm, ModelChoiceField
from django.forms.formsets import BaseFormSet

from responsibilities.models import TOWN_LEVEL_KINDS, OrganisationKind
from tests.security.oracle import COUNTYWIDE, DEPARTMENTS, TOWNS, _unit, enterprise_rule


class ChoiceParser(HTMLParser):
    """HTML name -> the values offered for it."""

    def __init__(self):
        super().__init__()
        self.offered: dict[str, list[str]] = {}
        self.lists: dict[str, str] = {}  # input name -> datalist id
        self.datalists: dict[str, list[str]] = {}
        self.in_post: set[str] = set()  # names offered inside a POST form (a write)
        self._select: str | None = None
        self._datalist: str | None = None
        self._post = False

    def _offer(self, name: str, value: str) -> None:
        self.offered.setdefault(name, []).append(value)
        if self._post:
            self.in_post.add(name)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._post = (a.get("method") or "get").lower() == "post"
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "datalist":
            self._datalist = a.get("id")
        elif tag == "option":
            value = a.get("value")
            if self._select and value:
                self._offer(self._select, value)
            elif self._datalist and value:
                self.datalists.setdefault(self._datalist, []).append(value)
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox") and a.get("value"):
                self._offer(a["name"], a["value"])
            elif a.get("list"):
                self.lists[a["name"]] = a["list"]
                if self._post:
                    self.in_post.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._post = False
        elif tag == "select":
            self._select = None
        elif tag == "datalist":
            self._datalist = None

    def choices(self) -> dict[str, list[str]]:
        found = {name: list(values) for name, values in self.offered.items()}
        for name, list_id in self.lists.items():
            found.setdefault(name, []).extend(self.datalists.get(list_id, []))
        return found


def forms_in(context) -> list[BaseForm]:
    found, seen = [], set()

    def add(value):
        if isinstance(value, BaseFormSet):
            for form in [*value.forms, value.empty_form]:
                add(form)
        elif isinstance(value, BaseForm) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)

    if context is None:
        return found
    for layer in context:
        for scope in getattr(layer, "dicts", [layer]):
            if isinstance(scope, dict):
                for value in scope.values():
                    add(value)
    return found


def model_fields(forms) -> dict[str, object]:
    """HTML name -> the model its choices name (ModelChoiceFields only)."""
    named = {}
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField):
                named[form.add_prefix(name)] = field.queryset.model
    return named


def in_scope(w, persona: str, obj, *, write: bool) -> bool:
    """May `persona` be offered `obj` in a choice? The records of a jurisdiction only.
    `write`: the choice sits in a POST form (a record is created or changed with it); in a
    GET form (a list's filter) the organisation tree is reference data - the towns and
    departments of the county are public (the 曝光台 lists them) and the list behind the
    filter is scoped anyway - while enterprises and officers stay scoped there too."""
    if persona in COUNTYWIDE:
        return True
    label = obj._meta.label
    if label == "responsibilities.Organisation" and not write:
        return True
    own = _unit(w, persona)
    user = w.personas[persona]
    if label == "enterprises.Enterprise":
        return enterprise_rule(w, persona, obj)
    if label == "responsibilities.Organisation":
        if obj.kind in TOWN_LEVEL_KINDS:
            # a town is offered only itself; a department works across every town
            if persona in TOWNS:
                return obj.pk == own
            return persona in DEPARTMENTS
        if obj.kind == OrganisationKind.DEPARTMENT and persona in DEPARTMENTS:
            return obj.pk == own
        # a town or department may address the county's departments, the office and the
        # committees (reference data of the organisation tree); enterprises and experts none
        return persona in TOWNS or persona in DEPARTMENTS
    if label == "accounts.User":
        # officers: one's own unit's people only (and oneself)
        return obj.pk == user.pk or (own is not None and obj.organisation_id == own)
    return True  # reference data (industries, items, checklists): not scoped
