"""Pieces shared by the apps' FilterSets."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget


class AllYesNoWidget(BooleanWidget):
    """A yes/no filter whose empty choice reads 全部 (django-filter's says 未知)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering with its descending choices labelled in the interface
    language ("发现日期（降序）", not "发现日期 (descending)")."""

    descending_fmt = _("%s（降序）")


def pin_town(filterset, pinned_town_id: int | None) -> None:
    """Take the town choice off a list page's filter form for a user tied to one town
    (`pinned_town_id` not None): the list holds their town only, so 19 towns to choose
    from would only mislead. The filter itself stays (a link with ?town= still works)."""
    if pinned_town_id is not None and "town" in filterset.form.fields:
        filterset.form.fields["town"].widget = forms.HiddenInput()


def hide_filters(filterset, names) -> None:
    """Take choices that mean nothing to this user off a list's filter form (e.g. the unit
    and town for an enterprise, which sees its own records only). The filters still apply
    to a link that carries them."""
    for name in names:
        if name in filterset.form.fields:
            filterset.form.fields[name].widget = forms.HiddenInput()
