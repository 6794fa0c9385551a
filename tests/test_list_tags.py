"""The template helpers list pages use to work out once a page what every row repeats."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from hazards.models import Hazard, HazardStatus
from safetyportal.core.templatetags.portal_tags import choice_labels, label, url_prefix


def test_url_prefix_plus_pk_is_the_reversed_url():
    assert url_prefix("hazards:detail") + "42/" == reverse("hazards:detail", args=[42])
    assert url_prefix("enterprises:detail") + "7/" == reverse("enterprises:detail", args=[7])
    edit = url_prefix("hazards:risk_edit", suffix="/edit/")
    assert edit + "3/edit/" == reverse("hazards:risk_edit", args=[3])


def test_url_prefix_refuses_a_pattern_that_does_not_end_as_told():
    with pytest.raises(ValueError):
        url_prefix("hazards:risk_edit")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_read_as_get_display(language):
    with translation.override(language):
        labels = choice_labels("hazards.Hazard", "status")
        for status in HazardStatus:
            hazard = Hazard(status=status)
            assert label(labels, hazard.status) == hazard.get_status_display()
        # a value without a choice reads as itself, as get_FOO_display
        assert label(labels, "gone") == Hazard(status="gone").get_status_display()


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 12, 1),
        datetime.date(999, 1, 2),
        None,
        "",
        # late in the evening UTC is the next day in Beijing: shown by the local date
        timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 30), datetime.UTC),
    ],
)
def test_ymd_reads_as_the_date_filter(value):
    context = Context({"value": value})
    fast = Template("{% load portal_tags %}{{ value|ymd }}").render(context)
    assert fast == Template('{{ value|date:"Y-m-d" }}').render(context)
