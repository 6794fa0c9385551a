"""Plausible dates: one range check for every date a person types, in forms and the API.

A date before settings.PORTAL_EARLIEST_YEAR (2000) or further ahead than
settings.PORTAL_MAX_YEARS_AHEAD years is a typo (found_on in year 1 made the hazard code
"YH1-..."; 9999 was accepted). Dates of things that happened (`past=True`: found, held,
trained, decided) may not be later than today.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# the browser's date picker; it reads and writes ISO dates whatever the language
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def date_bounds(*, past: bool) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    earliest = datetime.date(settings.PORTAL_EARLIEST_YEAR, 1, 1)
    if past:
        return earliest, today
    years = settings.PORTAL_MAX_YEARS_AHEAD
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + years, day=28)
    return earliest, latest


class PlausibleDate:
    """A validator (Django forms, models and DRF all run it) for the range above."""

    def __init__(self, *, past: bool = False):
        self.past = past

    def __call__(self, value) -> None:
        if not isinstance(value, datetime.date):
            return
        earliest, latest = date_bounds(past=self.past)
        if value < earliest:
            raise ValidationError(
                _("日期不能早于%(earliest)s，请检查年份。") % {"earliest": earliest},
                code="date_too_early",
            )
        if value > latest:
            message = (
                _("日期不能晚于今天（%(today)s），请填写实际日期。") % {"today": latest}
                if self.past
                else _("日期不能晚于%(latest)s，请检查年份。") % {"latest": latest}
            )
            raise ValidationError(message, code="date_too_late")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate) and other.past == self.past

    def deconstruct(self):
        return ("safetyportal.core.dates.PlausibleDate", (), {"past": self.past})


class PlausibleDateField(forms.DateField):
    """A form date field with the plausible-range check (`past=True`: not after today)."""

    def __init__(self, *args, past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(PlausibleDate(past=past))


def check_date_ranges(form) -> None:
    """Give every date field of `form` the plausible-range check (if it has none yet)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not any(
            isinstance(v, PlausibleDate) for v in field.validators
        ):
            field.validators.append(PlausibleDate())


class PortalModelForm(forms.ModelForm):
    """A ModelForm whose date fields (from the model) check the plausible range."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_date_ranges(self)


def check_plausible_year(year: int) -> int:
    """A calendar year typed for a record (安全生产费用年度): within the plausible range."""
    earliest, latest = date_bounds(past=False)
    if not earliest.year <= year <= latest.year:
        raise ValidationError(
            _("年度应在%(earliest)s到%(latest)s之间，请检查年份。")
            % {"earliest": earliest.year, "latest": latest.year},
            code="implausible_year",
        )
    return year


def posted_date(form: forms.Form, name: str) -> datetime.date:
    """The date a bound `form` posted in field `name` (today when unbound, absent or not
    a date): for choices that depend on the day, e.g. the officers certified on it."""
    if form.is_bound:
        try:
            day = forms.DateField().to_python(form.data.get(form.add_prefix(name)))
        except ValidationError:
            day = None
        if day is not None:
            return day
    return timezone.localdate()
