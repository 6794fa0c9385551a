"""The hazards app's panels on pages of the apps below it (see safetyportal/core/panels.py):
the enterprise file shows the enterprise's hazards and risk points, on the page and in
its PDF."""

from __future__ import annotations

from django.db.models import Count, Q

from enterprises.panels import ENTERPRISE_FILE, ENTERPRISE_FILE_PDF
from hazards.models import OPEN_STATUSES, Hazard, RiskPoint
from safetyportal.core.panels import Panel, register

# the page lists this many open hazards and risk points; the counts cover them all
OPEN_HAZARDS_SHOWN = 20
RISK_POINTS_SHOWN = 30


def enterprise_hazards(user, enterprise) -> dict:
    """The enterprise's open hazards and risk points, through this app's doors (three
    queries: the counts, the open hazards, the risk points)."""
    hazards = Hazard.objects.visible_to(user).filter(enterprise=enterprise)
    counts = hazards.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES))
    )
    return {
        "open_hazards": list(hazards.open().order_by("deadline", "id")[:OPEN_HAZARDS_SHOWN]),
        "open_hazard_total": counts["open"],
        "hazard_total": counts["total"],
        "risk_points": list(
            RiskPoint.objects.visible_to(user).filter(enterprise=enterprise)[:RISK_POINTS_SHOWN]
        ),
    }


register(
    Panel(
        key="hazards.enterprise_hazards",
        page=ENTERPRISE_FILE,
        order=10,
        template="hazards/panels/enterprise_hazards.html",
        context=enterprise_hazards,
    )
)
register(
    Panel(
        key="hazards.enterprise_hazards_pdf",
        page=ENTERPRISE_FILE_PDF,
        order=10,
        template="hazards/panels/enterprise_hazards_pdf.html",
        context=enterprise_hazards,
    )
)
