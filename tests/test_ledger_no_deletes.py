"""No ledger record is ever deleted, through any path (docs/decisions/0046): not through the
ORM (the guard in safetyportal/core/ledger.py, cascades included), not through the admin,
the API or a page. The checks walk the model registry, the admin registry and the URL
resolver, so a new model, admin or URL joins them without anyone writing a line."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from enterprises.models import Enterprise, SpecialOperationCertificate
from safetyportal.audit.models import AuditEvent
from safetyportal.audit.services import record_event
from safetyportal.core.ledger import (
    LEDGER_APPS,
    NOT_LEDGER,
    LedgerDeleteRefused,
    is_ledger,
    ledger_models,
)
from tests.enterprises.factories_duties import CertificateFactory
from tests.factories import UserFactory

# Page URLs that delete a row, each with the (non-ledger) model it deletes. A new delete URL
# for a ledger model cannot be added here: the test below refuses it.
HTML_DELETE_URLS = {
    "enforcement:plan_target_delete": "enforcement.PlanTarget",
    "enforcement:pairing_delete": "enforcement.TownPairing",
}
DELETE_WORDS = ("delete", "remove", "destroy", "删除")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def test_the_ledger_is_every_domain_model_but_the_listed_exceptions():
    labels = {model._meta.label for model in ledger_models()}
    for label in ("hazards.Hazard", "enforcement.Case", "enforcement.Report",
                  "enterprises.Enterprise", "responsibilities.AppraisalResult",
                  "responsibilities.Interview", "dashboard.Report", "audit.AuditEvent",
                  "enterprises.TrainingRecord", "enforcement.Accident"):  # fmt: skip
        assert label in labels
    for label in NOT_LEDGER:  # every exception names a real model of a ledger app
        model = apps.get_model(label)
        assert model._meta.app_label in LEDGER_APPS
        assert not is_ledger(model)
    print(f"\n{len(labels)} ledger models, {len(NOT_LEDGER)} listed exceptions")


def test_every_ledger_model_has_the_delete_guard():
    unguarded = [m._meta.label for m in ledger_models() if not pre_delete.has_listeners(m)]
    assert unguarded == []


def test_no_ledger_row_can_be_removed_by_deleting_a_non_ledger_row():
    """Cascades: a ledger model never points at a non-ledger one with CASCADE (deleting
    reference data would take ledger rows with it); ledger-to-ledger cascades are refused
    at the ledger parent."""
    cascading = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in ledger_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.remote_field.on_delete is models.CASCADE
        and not is_ledger(field.related_model)
    ]
    assert cascading == []


def test_deleting_a_ledger_record_is_refused_and_nothing_is_lost(county):
    cert = CertificateFactory(enterprise=county.xdk_build)
    with pytest.raises(LedgerDeleteRefused), transaction.atomic():
        county.xdk_build.delete()  # the enterprise and the cascade to its duty records
    with pytest.raises(LedgerDeleteRefused), transaction.atomic():
        Enterprise.objects.filter(pk=county.xdk_chem.pk).delete()
    with pytest.raises(LedgerDeleteRefused), transaction.atomic():
        SpecialOperationCertificate.objects.all().delete()
    assert Enterprise.objects.filter(pk__in=[county.xdk_build.pk, county.xdk_chem.pk]).count() == 2
    assert SpecialOperationCertificate.objects.filter(pk=cert.pk).exists()


# --- the admin ----------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_the_admin_deletes_no_ledger_record_and_offers_no_bulk_delete(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    deletable = []
    for model, model_admin in admin.site._registry.items():
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        if is_ledger(model) and model_admin.has_delete_permission(request):
            deletable.append(model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            if is_ledger(inline.model) and inline.has_delete_permission(request):
                deletable.append(f"{inline.model._meta.label} (inline)")
    assert deletable == []


def test_the_admin_delete_page_of_every_ledger_model_refuses_the_superuser(
    county, superuser, client_for
):
    """Each registered ledger model's delete page, with a real row where one exists."""
    client = client_for(superuser)
    record_event(actor=superuser, verb="enterprise.updated", target=county.xdk_chem)
    checked = 0
    for model in admin.site._registry:
        if not is_ledger(model):
            continue
        row = model._default_manager.first()
        pk = row.pk if row is not None else 1
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[pk])
        assert client.post(url, {"post": "yes"}).status_code in (403, 302), url
        if row is not None:
            assert model._default_manager.filter(pk=pk).exists()
            checked += 1
    assert checked >= 1  # at least the audit event was really there


@pytest.mark.parametrize(
    "persona",
    [
        "county_officer",
        "leader",
        "department_official",
        "town_official",
        "enterprise_manager",
        "expert",
        "outsider",
        "superuser",
    ],  # fmt: skip
)
def test_no_role_can_change_or_delete_an_audit_event_in_the_admin(
    persona, request, county, county_officer, client_for
):
    from django.contrib.auth.models import Group

    from safetyportal.accounts.roles import group_name

    user = request.getfixturevalue(persona)
    if persona == "county_officer":  # the county office may read the log in the admin
        user.groups.add(Group.objects.get(name=group_name("county_office")))
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    event = record_event(actor=county_officer, verb="enterprise.updated", target=county.xdk_chem)
    client = client_for(user)
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    changelist = reverse("admin:audit_auditevent_changelist")
    assert client.post(change, {"verb": "forged"}).status_code in (302, 403)
    assert client.post(delete, {"post": "yes"}).status_code in (302, 403)
    bulk = client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk]})
    assert bulk.status_code in (200, 302, 403)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.verb, stored.target_repr) == ("enterprise.updated", county.xdk_chem.name)


def test_the_portal_has_no_page_or_api_that_writes_audit_events():
    writers = [
        route
        for route, _name, callback in walk(get_resolver().url_patterns)
        if getattr(callback, "__module__", "").startswith("safetyportal.audit")
        or _model_of(callback) is AuditEvent
        and set(getattr(callback, "actions", {}) or {}) - {"get", "head", "options"}
    ]
    assert writers == []


# --- the API and the pages ----------------------------------------------------------------


def _model_of(callback):
    cls = getattr(callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    return getattr(queryset, "model", None)


def test_no_api_operation_deletes_a_ledger_record():
    deleting, viewsets = [], 0
    for route, _name, callback in walk(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None:
            continue
        viewsets += 1
        actions = getattr(callback, "actions", None)
        deletes = "delete" in actions if actions is not None else hasattr(cls, "delete")
        if not deletes:
            continue
        model = _model_of(callback)
        if model is None or is_ledger(model):
            deleting.append(f"{route} ({model._meta.label if model else 'no model'})")
    assert viewsets > 50
    assert deleting == []


def test_no_page_deletes_a_ledger_record():
    """A page URL whose name or path says it deletes is listed with the non-ledger model
    it deletes; Django's generic DeleteView is not used for ledger models."""
    from django.views.generic.edit import DeletionMixin

    unlisted, pages = [], 0
    for route, name, callback in walk(get_resolver().url_patterns):
        if getattr(callback, "cls", None) is not None or name.startswith("admin:"):
            continue  # the API and the admin are checked above
        pages += 1
        view_class = getattr(callback, "view_class", None)
        says_delete = any(word in f"{route} {name}".lower() for word in DELETE_WORDS)
        if view_class is not None and issubclass(view_class, DeletionMixin):
            model = getattr(view_class, "model", None)
            if model is None or is_ledger(model):
                unlisted.append(route)
        elif says_delete and name not in HTML_DELETE_URLS:
            unlisted.append(f"{route} ({name})")
    assert pages > 100
    assert unlisted == []
    for name, label in HTML_DELETE_URLS.items():
        reverse(name, args=[1])  # still there
        assert not is_ledger(apps.get_model(label)), name
