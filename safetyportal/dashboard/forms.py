"""The dashboards' period selector: a year (this year to date by default), or a range."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetyportal.core.dates import DATE_WIDGET
from safetyportal.dashboard.figures import Period, year_period

FIRST_YEAR = 2000
# a range longer than this is a typo, not a question a leader asks
MAX_RANGE_DAYS = 366 * 5


def year_choices(today: datetime.date) -> list[tuple[int, str]]:
    return [(year, f"{year}") for year in range(today.year, today.year - 6, -1)]


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, required=False)
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.ChoiceField, self.fields["year"]).choices = year_choices(today)

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("按日期范围查看时，请同时填写起始日期和截止日期。"))
            if start > end:
                raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
            if start.year < FIRST_YEAR or end > self.today:
                raise forms.ValidationError(
                    _("日期须在 %(first)s 年 1 月 1 日至今天之间。") % {"first": FIRST_YEAR}
                )
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("日期范围不能超过五年，请缩短范围。"))
        return data

    def period(self) -> Period:
        """The chosen period; this year to date when nothing (or nothing valid) is chosen."""
        if not self.is_bound or not self.is_valid():
            return year_period(self.today.year, self.today)
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return year_period(data.get("year") or self.today.year, self.today)


def period_form(params, today: datetime.date | None = None) -> PeriodForm:
    today = today or timezone.localdate()
    chosen = {k: params.get(k) for k in ("year", "start", "end") if params.get(k)}
    return PeriodForm(chosen or None, today=today)
