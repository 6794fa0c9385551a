from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from safetyportal.core.pagination import paginate
from safetyportal.notifications import services
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
