"""The Excel exports of the ledger's other lists (风险点, 自评高分但隐患多的企业): the rows
each page shows, in the user's scope and with its filters (safetyportal/core/exports), GET
only. The ledger's own export is hazards/export.py."""

from __future__ import annotations

from django.db.models import Case, CharField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises.models import Enterprise
from enterprises.permissions import Action, require
from hazards.assessment_selectors import high_score_with_hazards
from hazards.risk_models import RiskBand, RiskPoint
from hazards.risk_selectors import band_case
from safetyportal.core.exports import xlsx_download


def risk_point_rows(user, params, bands):
    """The risk list's rows and the colour band asked for: the user's risk points, of one
    enterprise, one town (the dashboards' figures link here) and one band when asked."""
    points = RiskPoint.objects.visible_to(user)
    enterprise_id = params.get("enterprise")
    if enterprise_id and enterprise_id.isdigit():
        points = points.filter(enterprise_id=enterprise_id)
    town_id = params.get("town")
    if town_id and town_id.isdigit():
        points = points.filter(enterprise__town_id=town_id)
    band = next((b for b in bands if b.code == params.get("band")), None)
    if band is not None:
        points = points.alias(band_code=band_case(bands)).filter(band_code=band.code)
    return points, band


def _band_name(bands) -> Case:
    """The risk colour of each row's score, in SQL (band_for's rule: highest band first)."""
    whens = [
        When(
            **{("score__gt" if band.min_exclusive else "score__gte"): band.min_score},
            then=Value(str(band)),
        )
        for band in bands
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


@require_GET
def risk_export(request):
    bands = list(RiskBand.objects.order_by("-min_score"))
    points, _band = risk_point_rows(request.user, request.GET, bands)
    rows = points.annotate(band_name=_band_name(bands)).order_by("enterprise__name", "-score", "id")
    columns = [
        ("enterprise__name", _("企业名称")),
        ("enterprise__town__name", _("镇街")),
        "name",
        "hazard_factors",
        "likelihood",
        "exposure",
        "consequence",
        "score",
        ("band_name", _("风险等级"), 14),
        "control_measures",
        "responsible_person",
        "check_frequency",
    ]
    return xlsx_download(rows, columns, sheet=_("风险点"), filename=_("风险分级管控"))


@require_GET
def assessment_flags_export(request):
    require(request.user, Action.FOLLOW_UP)
    base = Enterprise.objects.visible_to(request.user)
    rows = high_score_with_hazards(base, today=timezone.localdate())
    columns = [
        "name",
        ("town__name", _("镇街")),
        ("industry__name", _("行业领域")),
        ("assessed_total", _("自评总分"), 10),
        ("hazards_found", _("他人发现的隐患数"), 12),
        "principal_name",
        "principal_phone",
    ]
    return xlsx_download(
        rows, columns, sheet=_("自评高分但隐患多"), filename=_("自评高分但隐患多的企业")
    )
