"""The portal's form renderer writes <select> and <input> out in Python: the markup must be
the widget templates' to the byte, for every kind of widget and value the portal shows."""

import datetime

import pytest
from django import forms
from django.utils import translation

from enterprises.registry.filters import EnterpriseFilter
from hazards.filters import HazardFilter
from hazards.forms import HazardReportForm
from responsibilities.models import Industry
from safetyportal.core.filters import pin_town
from safetyportal.core.renderers import PortalRenderer, TemplateOnlyRenderer


def _both(form) -> list[tuple[str, str, str]]:
    """(field, fast markup, template markup) for each of `form`'s fields."""
    rows = []
    for name in form.fields:
        form.renderer = PortalRenderer()
        fast = str(form[name].as_widget(attrs={"class": "form-select"}))
        fast_plain = str(form[name])
        form.renderer = TemplateOnlyRenderer()
        slow = str(form[name].as_widget(attrs={"class": "form-select"}))
        slow_plain = str(form[name])
        rows.append((name, fast, slow))
        rows.append((name, fast_plain, slow_plain))
    return rows


class KitchenSink(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'a "quoted" <b>'}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    number = forms.IntegerField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    pick = forms.ChoiceField(choices=[("", "---------"), ("a", "A & B"), ("<x>", "<x>")])
    numbers = forms.TypedChoiceField(choices=[(1, 1000), (2, 2.5)], coerce=int)
    grouped = forms.ChoiceField(
        choices=[("甲", [("1", "一"), ("2", "二")]), ("乙", [("3", "三")]), ("4", "四")]
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    yes_no = forms.NullBooleanField()
    industry = forms.ModelChoiceField(queryset=Industry.objects.all(), required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": "x\" ' < & >",
            "hidden": "7",
            "number": "12",
            "day": "2026-12-01",
            "pick": "<x>",
            "numbers": "2",
            "grouped": "3",
            "many": ["a", "c"],
            "yes_no": "true",
            "password": "s&cret",
        },
        {"day": "not a date", "number": "abc", "pick": "nope", "yes_no": "false"},
    ],
)
def test_every_widget_matches_its_template(county, language, data):
    initial = {"day": datetime.date(2026, 1, 2), "industry": county.industry_a.pk}
    with translation.override(language):
        form = KitchenSink(data, initial=initial)
        form.is_valid() if data is not None else None
        for name, fast, slow in _both(form):
            assert fast == slow, name


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"town": "bad", "status": "rectifying", "overdue": "true", "ordering": "-found_on"},
        {"q": "<化工>", "found_after": "2026-01-01", "hazard_class": "major"},
    ],
)
def test_the_filter_bars_match_their_templates(county, language, query):
    with translation.override(language):
        for filterset in (
            HazardFilter(query),
            EnterpriseFilter(query),
            HazardFilter({**query, "town": str(county.town.pk)}),
        ):
            pin_town(filterset, county.town.pk)
            for name, fast, slow in _both(filterset.form):
                assert fast == slow, name


def test_a_model_form_with_a_blank_choice_matches(county, town_official):
    form = HazardReportForm(user=town_official)
    for name, fast, slow in _both(form):
        assert fast == slow, name


def test_the_site_renders_through_the_portal_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalRenderer)
