"""Review round: an administrator without a unit cannot report an accident (the report is
made in a unit's name); refused in Chinese, not a server error."""

from __future__ import annotations

from django.urls import reverse

from enforcement.accidents.models import Accident
from tests.enforcement.test_accidents_pages import _report_data


def test_an_administrator_without_a_unit_is_refused_not_crashed(
    client_for, county, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client = client_for(admin)
    response = client.post(reverse("enforcement:accident_create"), _report_data(county))
    assert response.status_code == 403
    assert "单位" in response.content.decode()
    assert not Accident.objects.exists()
    listing = client.get(reverse("enforcement:accident_list"))
    assert reverse("enforcement:accident_create") not in listing.content.decode()
