from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
