from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safetyportal.core.middleware import API_PREFIX
from safetyportal.core.models import WorkerHeartbeat


@never_cache
@require_GET
@login_not_required  # operators and load balancers poll it; it reveals no business data
def healthz(request):
    checks: dict[str, dict] = {}
    healthy = True

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # report any failure, whatever the driver raises
        healthy = False
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}

    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = {"ok": True}
        except Exception as exc:  # connection refused, timeout, auth...
            healthy = False
            checks["redis"] = {"ok": False, "error": exc.__class__.__name__}
    else:
        checks["redis"] = {"ok": True, "detail": "not configured: embedded filesystem broker"}

    heartbeat = None
    if checks["database"]["ok"]:
        heartbeat = WorkerHeartbeat.objects.filter(name="worker").first()
    if heartbeat is None:
        healthy = False
        checks["worker"] = {"ok": False, "last_heartbeat": None}
    else:
        age = (timezone.now() - heartbeat.beat_at).total_seconds()
        fresh = age <= settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
        healthy = healthy and fresh
        checks["worker"] = {
            "ok": fresh,
            "last_heartbeat": heartbeat.beat_at.isoformat(),
            "age_seconds": round(age),
        }
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )


# --- the API's 404 for a URL no route matches (issue 14 item 2, ADR 0044) ---------------
def page_not_found(request, exception, template_name="404.html"):
    """settings.ROOT_URLCONF's handler404. An /api/ URL that matches no route (an id that
    is not a number, an unknown path) answers what every API 404 answers, JSON
    {"detail": ...}; pages keep the portal's 404 page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": gettext("记录不存在或不在您的职责范围内。")}, status=404)
    return defaults.page_not_found(request, exception, template_name=template_name)
