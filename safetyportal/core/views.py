from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enterprises.models import Enterprise
from responsibilities.models import (
    Industry,
    Organisation,
    SafetyReminder,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.accounts.models import Role
from safetyportal.core.models import WorkerHeartbeat
from safetyportal.notifications.models import Notification

HOME_TEMPLATES = {
    Role.COUNTY_OFFICE: "core/home_county.html",
    Role.LEADER: "core/home_county.html",
    Role.DEPARTMENT: "core/home_department.html",
    Role.TOWN: "core/home_town.html",
    Role.ENTERPRISE: "core/home_enterprise.html",
    Role.EXPERT: "core/home_expert.html",
}


@require_GET
def home(request):
    """Each role's landing page: what this person has to look at or do today."""
    user = request.user
    if not user.role and not user.is_superuser:
        # an account without a role sees nothing; say so instead of an empty county page
        return render(request, "core/home_no_role.html")
    visible = Enterprise.objects.visible_to(user)
    context = {
        "latest_reminder": SafetyReminder.objects.order_by("-published_at").first(),
        "unread": list(Notification.objects.for_user(user).unread()[:5]),
        "enterprise_totals": visible.aggregate(
            total=Count("pk"), high_risk=Count("pk", filter=Q(is_high_risk=True))
        ),
    }
    role = Role.COUNTY_OFFICE if user.is_superuser and not user.role else user.role
    if role in (Role.COUNTY_OFFICE, Role.LEADER):
        context["towns"] = (
            Organisation.objects.towns()
            .annotate(
                enterprise_count=Count("enterprises"),
                high_risk_count=Count("enterprises", filter=Q(enterprises__is_high_risk=True)),
            )
            .order_by("sort_order")
        )
        current = SupervisionMap.objects.current()
        supervised = (
            SupervisionAssignment.objects.filter(supervision_map=current).values("industry_id")
            if current
            else Industry.objects.none().values("pk")
        )
        # 监管空白: enterprises whose industry has no department in the current map
        context["unsupervised_count"] = Enterprise.objects.exclude(
            industry_id__in=supervised
        ).count()
        context["supervision_map"] = current
    elif role == Role.DEPARTMENT:
        current = SupervisionMap.objects.current()
        context["assignments"] = (
            SupervisionAssignment.objects.filter(
                supervision_map=current, department_id=user.organisation_id
            ).select_related("industry")
            if current
            else []
        )
        context["supervision_map"] = current
    elif role in (Role.TOWN, Role.EXPERT):
        context["high_risk"] = list(visible.high_risk().with_list_relations()[:10])
        context["granted"] = list(visible.with_list_relations()[:20]) if role == Role.EXPERT else []
    elif role == Role.ENTERPRISE:
        context["enterprise"] = visible.with_list_relations().first()
    return render(request, HOME_TEMPLATES.get(role, "core/home_county.html"), context)


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
