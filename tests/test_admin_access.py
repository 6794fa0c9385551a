"""The admin (参考数据维护) is the county office's and the superusers' tool only: a staff
flag set by mistake on any other role opens nothing (ADR 0045)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from responsibilities.models import Industry
from safetyportal.accounts.roles import group_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:login", []),
    ("admin:responsibilities_industry_changelist", []),
    ("admin:audit_auditevent_changelist", []),
    ("admin:responsibilities_organisation_changelist", []),
]


def make_staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def county_office_admin(user):
    """As create_portal_user makes one: staff, in the county office's permission group."""
    user.groups.add(Group.objects.get(name=group_name("county_office")))
    return make_staff(user)


@pytest.mark.parametrize(
    "persona",
    ["leader", "department_official", "town_official", "enterprise_manager", "expert", "outsider"],
)
def test_other_roles_get_403_on_every_admin_page_even_as_staff(persona, request, client_for):
    user = make_staff(request.getfixturevalue(persona))
    client = client_for(user)
    for name, args in ADMIN_PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 403, (persona, name, response.status_code)
    # and a write through the admin is refused the same way
    response = client.post(
        reverse("admin:responsibilities_industry_add"), {"code": "PLANT", "name": "植入"}
    )
    assert response.status_code == 403
    assert not Industry.objects.filter(code="PLANT").exists()
    # nor is the admin offered in the menu
    assert reverse("admin:index") not in client.get(reverse("profile")).content.decode()


def test_the_county_office_uses_the_admin(county_officer, client_for):
    client = client_for(county_office_admin(county_officer))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:responsibilities_organisation_changelist")).status_code == 200
    assert reverse("admin:index") in client.get(reverse("profile")).content.decode()


def test_a_county_officer_without_the_staff_flag_is_refused(county_officer, client_for):
    county_officer.is_staff = False
    county_officer.save(update_fields=["is_staff"])
    assert client_for(county_officer).get(reverse("admin:index")).status_code == 403


def test_a_superuser_uses_the_admin(client_for, county):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client_for(root).get(reverse("admin:index")).status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:login")).status_code == 200


def test_signing_in_through_the_admin_login_still_gives_a_staff_town_official_no_admin(
    town_official, client
):
    make_staff(town_official)
    town_official.set_password("Admin-Test-2026")
    town_official.save(update_fields=["password"])
    response = client.post(
        reverse("admin:login"),
        {"username": town_official.username, "password": "Admin-Test-2026", "next": "/admin/"},
    )
    # a portal user may sign in (anywhere), but the admin stays closed to the role
    assert response.status_code in {200, 302}
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403
