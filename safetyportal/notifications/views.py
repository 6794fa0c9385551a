from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetyportal.accounts.models import EmailFrequency
from safetyportal.core.pagination import paginate
from safetyportal.notifications import kinds, services
from safetyportal.notifications.models import Notification


@require_GET
def notification_list(request):
    page = paginate(request, Notification.objects.for_user(request.user))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_read(request, pk: int):
    if not services.mark_read(user=request.user, notification_id=pk):
        raise Http404("notification not found")
    notification = Notification.objects.for_user(request.user).get(pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_notification_item.html", {"n": notification})
    if notification.url and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("已将 %(count)s 条通知标为已读。", "已将 %(count)s 条通知标为已读。", count)
        % {"count": count},
    )
    return redirect("notifications:list")


@require_GET
def unread_badge(request):
    """htmx partial for the header badge, polled so the count stays current."""
    count = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/_unread_badge.html", {"count": count})


class PreferencesForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("邮件通知"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "门户内的通知列表始终保留全部通知；紧急事项（重大隐患逾期、事故）无论如何设置都会立即发送邮件。"
        ),
    )
    digest_time = forms.TimeField(
        label=_("每日汇总时间"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("每天最多发送一封汇总邮件，在此时间之后发送当天尚未发送的通知。"),
    )
    emailed_kinds = forms.MultipleChoiceField(
        label=_("通过邮件接收的通知类别"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未勾选的类别只在门户内显示，不发送邮件。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["emailed_kinds"]).choices = kinds.choices()


@require_http_methods(["GET", "POST"])
def preferences(request):
    """The person's notification settings (the user menu's 通知设置)."""
    user = request.user
    current = services.preferences_of(user)
    form = PreferencesForm(
        request.POST or None,
        initial={
            "email_frequency": user.email_frequency,
            "digest_time": current.digest_time,
            "emailed_kinds": [c for c in kinds.registered() if c not in current.muted_kinds],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a field's error shows at the field
        else:
            messages.success(request, gettext("通知设置已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
