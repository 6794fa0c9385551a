"""The audit log is append-only (ORM, admin and, on PostgreSQL, SQL itself) and reads as
plain Chinese in the history include."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from enterprises.registry.services import update_enterprise
from safetyportal.audit.admin import AuditEventAdmin
from safetyportal.audit.models import AppendOnlyError, AuditEvent
from safetyportal.audit.services import changes_between, record_event, snapshot
from safetyportal.audit.verbs import label_for
from tests.factories import UserFactory


@pytest.fixture
def event(county, county_officer):
    return record_event(
        actor=county_officer,
        verb="enterprise.updated",
        target=county.xdk_chem,
        payload={"changes": {}},
    )


def stored(event):
    return AuditEvent.objects.filter(pk=event.pk).values_list("verb", "target_repr").get()


# --- append-only ---------------------------------------------------------------------------


def test_saving_an_existing_event_is_refused(event):
    event.verb = "enterprise.registered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert stored(event)[0] == "enterprise.updated"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(target_repr="x")
    assert stored(event) == ("enterprise.updated", "小渡口化工有限公司")


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_postgresql_refuses_a_raw_sql_update(event):
    assert connection.vendor == "postgresql", "run the suite with DATABASE_URL=postgres://..."
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET verb = 'forged' WHERE id = %s", [event.pk])
    assert stored(event)[0] == "enterprise.updated"


def test_postgresql_refuses_a_raw_sql_delete(event):
    assert connection.vendor == "postgresql", "run the suite with DATABASE_URL=postgres://..."
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_appended(event, county, county_officer):
    record_event(actor=county_officer, verb="enterprise.updated", target=county.xdk_chem)
    assert AuditEvent.objects.for_object(county.xdk_chem).count() == 2


# --- the admin is read-only ----------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_admin_offers_no_add_change_or_delete(event, superuser):
    from django.contrib import admin

    model_admin = AuditEventAdmin(AuditEvent, admin.site)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)


def test_admin_pages_refuse_to_add_change_or_delete(event, superuser, client_for):
    client = client_for(superuser)
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_add"), {"verb": "forged"}).status_code == 403
    view = client.get(change_url)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert client.post(change_url, {"verb": "forged"}).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert stored(event)[0] == "enterprise.updated"


def test_county_office_may_view_but_not_change_audit_events_in_the_admin(
    event, county_officer, client_for
):
    from django.contrib.auth.models import Group

    from safetyportal.accounts.roles import group_name

    county_officer.groups.add(Group.objects.get(name=group_name("county_office")))
    client = client_for(county_officer)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {}).status_code
        == 403
    )


# --- record_event, snapshot, changes --------------------------------------------------------


def test_record_event_stores_a_json_payload_and_the_targets_name(county):
    event = record_event(
        actor=None,
        verb="enterprise.updated",
        target=county.xdk_chem,
        payload={"on": datetime.date(2026, 3, 1), "fine": decimal.Decimal("200.50")},
    )
    event.refresh_from_db()
    assert event.payload == {"on": "2026-03-01", "fine": "200.50"}
    assert event.actor is None
    assert event.target_repr == "小渡口化工有限公司"


def test_record_event_ignores_an_anonymous_actor(county):
    from django.contrib.auth.models import AnonymousUser

    event = record_event(actor=AnonymousUser(), verb="enterprise.updated", target=county.xdk_chem)
    assert event.actor is None


def test_snapshot_reads_relations_choices_and_booleans_by_name(county):
    values = snapshot(county.xdk_chem, ["town", "status", "is_high_risk", "employee_count"])
    assert values == {
        "town": "小渡口镇",
        "status": "在营",
        "is_high_risk": "是",
        "employee_count": 20,
    }


def test_changes_between_lists_only_changed_fields():
    assert changes_between({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == {"a": [1, 2]}


def test_verb_labels_are_chinese_and_unknown_verbs_read_as_themselves():
    assert label_for("enterprise.updated") == "修改了企业信息"
    assert label_for("something.new") == "something.new"


# --- the history include --------------------------------------------------------------------


def render_history(obj) -> str:
    return Template("{% load audit_tags %}{% object_history obj %}").render(Context({"obj": obj}))


def test_history_reads_in_chinese_with_actor_unit_and_field_names(county, town_official):
    update_enterprise(
        actor=town_official, enterprise=county.xdk_chem, employee_count=64, is_high_risk=False
    )
    html = render_history(county.xdk_chem)
    assert "操作记录" in html
    assert "孙镇长（小渡口镇）" in html
    assert "修改了企业信息" in html
    assert "从业人员数：20 → 64" in html
    assert "高危企业：是 → 否" in html
    assert "employee_count" not in html and "enterprise.updated" not in html


def test_history_names_an_enterprise_users_enterprise_and_a_system_actor(
    county, enterprise_manager
):
    record_event(actor=enterprise_manager, verb="enterprise.updated", target=county.xdk_build)
    record_event(
        actor=None,
        verb="enterprise.registered",
        target=county.xdk_build,
        payload={"note": "批量导入"},
    )
    html = render_history(county.xdk_build)
    assert "周经理（小渡口建筑工程公司）" in html
    assert "系统" in html and "登记了企业" in html
    assert "批量导入" in html
    assert html.index("登记了企业") < html.index("修改了企业信息")  # newest first


def test_history_of_an_object_without_events_says_so(county):
    assert "暂无操作记录。" in render_history(county.ly_chem)


def test_history_shows_only_the_objects_own_events(county, county_officer):
    record_event(actor=county_officer, verb="enterprise.updated", target=county.ly_chem)
    assert "暂无操作记录。" in render_history(county.xdk_chem)


def test_history_costs_one_query_however_many_events(
    county, county_officer, django_assert_num_queries
):
    for _ in range(20):
        record_event(actor=county_officer, verb="enterprise.updated", target=county.xdk_chem)
    county_officer_unit = str(county.office)
    with django_assert_num_queries(1):
        html = render_history(county.xdk_chem)
    assert html.count(f"王安委（{county_officer_unit}）") == 20
