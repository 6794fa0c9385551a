"""Review round: the on-device draft, the findings and the photos of the logging page are
not lost or dropped silently."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enforcement.inspections.models import Inspection
from tests.enforcement.test_inspections_pages import form_data, photo


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_draft_is_cleared_only_after_the_record_is_saved(
    client_for, county, checklists, town_official, powers, log
):
    """Opening an older inspection of the same enterprise must not wipe an unsaved draft
    kept on the phone; the page reached by saving does clear it."""
    older = log()
    client = client_for(town_official)
    page = client.get(reverse("enforcement:inspection_detail", args=[older.pk]))
    assert "data-draft-clear" not in page.content.decode()
    response = client.post(
        reverse("enforcement:inspection_create"), form_data(county, checklists, town_official)
    )
    assert response.status_code == 302
    saved = client.get(response.url)
    key = f"inspection-draft:{town_official.pk}:{county.xdk_chem.pk}"
    assert f'data-draft-clear="{key}"' in saved.content.decode()
    again = client.get(response.url)
    assert "data-draft-clear" not in again.content.decode()


def test_findings_beyond_the_limit_are_refused_not_dropped(
    client_for, county, checklists, town_official, powers
):
    extra = {f"finding-{i}-description": f"问题{i}" for i in range(1, 21)}
    response = client_for(town_official).post(
        reverse("enforcement:inspection_create"),
        form_data(county, checklists, town_official, **extra),
    )
    assert response.status_code == 400
    assert "最多登记 20 个问题" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_refused_form_says_the_photos_must_be_chosen_again(
    client_for, county, checklists, town_official, powers
):
    response = client_for(town_official).post(
        reverse("enforcement:inspection_create"),
        form_data(county, checklists, town_official, officers=[], **{"finding-1-photos": photo()}),
    )
    assert response.status_code == 400
    assert "照片未保存" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_joint_unit_that_may_not_report_the_enterprises_hazards_is_offered_no_button(
    client_for, log, county, town_official, other_town_official
):
    """A town joining another town's inspection may not enter hazards of an enterprise
    outside its territory (the ledger's rule): the page offers no 转为隐患 it would refuse."""
    from enforcement.inspections import services

    inspection = log(joint_units=[county.other_town])
    services.submit_inspection(actor=town_official, inspection_id=inspection.pk)
    url = reverse("enforcement:inspection_detail", args=[inspection.pk])
    assert (
        'data-testid="to-hazard-form"'
        not in client_for(other_town_official).get(url).content.decode()
    )
    assert 'data-testid="to-hazard-form"' in client_for(town_official).get(url).content.decode()


def test_an_enterprise_sees_its_inspection_once_submitted_not_as_a_draft(
    client_for, county, enterprise_manager, town_official, log
):
    from enforcement.inspections import services

    draft = log(enterprise=county.xdk_build)
    assert draft.enterprise_id == enterprise_manager.enterprise_id
    url = reverse("enforcement:inspection_detail", args=[draft.pk])
    assert client_for(enterprise_manager).get(url).status_code == 404
    services.submit_inspection(actor=town_official, inspection_id=draft.pk)
    assert client_for(enterprise_manager).get(url).status_code == 200
