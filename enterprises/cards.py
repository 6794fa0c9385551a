"""The enterprises app's home-page cards (see safetyportal/core/cards.py): the registry's
figures and lists, and the duties and self-assessment to-do card."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from enterprises.assessment import AssessmentPeriod, AssessmentStatus, SelfAssessment
from enterprises.assessment_services import enterprises_not_submitted
from enterprises.models import Enterprise
from enterprises.permissions import can_follow_up
from enterprises.selectors import compliance_of
from responsibilities.models import Industry, Organisation, SupervisionAssignment, SupervisionMap
from safetyportal.accounts.models import Role
from safetyportal.core.cards import Card, register

COUNTYWIDE = (Role.COUNTY_OFFICE, Role.LEADER)
OFFICIALS = (*COUNTYWIDE, Role.DEPARTMENT, Role.TOWN)


def totals(user) -> dict:
    visible = Enterprise.objects.visible_to(user)
    return {
        "enterprise_totals": visible.aggregate(
            total=Count("pk"), high_risk=Count("pk", filter=Q(is_high_risk=True))
        )
    }


def county_figures(user) -> dict:
    """The county's figures: enterprises, high-risk ones, towns, and 监管空白 (enterprises
    whose industry has no department in the current supervision map), counted in one pass
    over the enterprises (a countywide user sees them all)."""
    current = SupervisionMap.objects.current()
    supervised = (
        SupervisionAssignment.objects.filter(supervision_map=current).values("industry_id")
        if current
        else Industry.objects.none().values("pk")
    )
    figures = Enterprise.objects.visible_to(user).aggregate(
        total=Count("pk"),
        high_risk=Count("pk", filter=Q(is_high_risk=True)),
        unsupervised=Count("pk", filter=~Q(industry_id__in=supervised)),
    )
    return {
        "enterprise_totals": {"total": figures["total"], "high_risk": figures["high_risk"]},
        "unsupervised_count": figures["unsupervised"],
        "town_count": Organisation.objects.towns().count(),
        "supervision_map": current,
    }


def profile(user) -> dict:
    return {"enterprise": Enterprise.objects.visible_to(user).with_list_relations().first()}


def todo(user) -> dict | None:
    """The duties and self-assessment card: for an enterprise, what its own records lack
    and where its assessment stands; for officials, what awaits them."""
    today = timezone.localdate()
    period = AssessmentPeriod.objects.filter(year=today.year).first()
    card: dict = {"period": period, "role": user.role, "Role": Role}
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        enterprise = Enterprise.objects.with_duty_records().get(pk=user.enterprise_id)
        card["enterprise"] = enterprise
        card["problems"] = [r for r in compliance_of(enterprise, today=today) if not r.ok]
        card["assessment"] = (
            SelfAssessment.objects.filter(enterprise=enterprise, period=period).first()
            if period
            else None
        )
    elif can_follow_up(user):
        visible = SelfAssessment.objects.visible_to(user)
        card["awaiting_review"] = visible.filter(status=AssessmentStatus.SUBMITTED).count()
        card["not_submitted"] = (
            enterprises_not_submitted(Enterprise.objects.visible_to(user), period=period).count()
            if period
            else None
        )
    else:
        return None
    return card


def towns(user) -> dict:
    return {
        "towns": Organisation.objects.towns()
        .annotate(
            enterprise_count=Count("enterprises"),
            high_risk_count=Count("enterprises", filter=Q(enterprises__is_high_risk=True)),
        )
        .order_by("sort_order")
    }


def high_risk(user) -> dict:
    visible = Enterprise.objects.visible_to(user)
    return {"high_risk": list(visible.high_risk().with_list_relations()[:10])}


def granted(user) -> dict:
    return {"granted": list(Enterprise.objects.visible_to(user).with_list_relations()[:20])}


for card in (
    Card(
        key="enterprises.county_figures",
        roles=COUNTYWIDE,
        order=10,
        slot="figure",
        template="enterprises/cards/county_figures.html",
        context=county_figures,
    ),
    Card(
        key="enterprises.totals",
        roles=[Role.DEPARTMENT, Role.TOWN],
        order=10,
        slot="figure",
        template="enterprises/cards/totals.html",
        context=totals,
    ),
    Card(
        key="enterprises.profile",
        roles=[Role.ENTERPRISE],
        order=40,
        template="enterprises/cards/profile.html",
        context=profile,
    ),
    Card(
        key="enterprises.todo",
        roles=[*OFFICIALS, Role.ENTERPRISE, Role.EXPERT],
        order=70,
        template="enterprises/_todo_card.html",
        context=todo,
    ),
    Card(
        key="enterprises.towns",
        roles=COUNTYWIDE,
        order=80,
        template="enterprises/cards/towns.html",
        context=towns,
    ),
    Card(
        key="enterprises.high_risk",
        roles=[Role.TOWN],
        order=80,
        template="enterprises/cards/high_risk.html",
        context=high_risk,
    ),
    Card(
        key="enterprises.granted",
        roles=[Role.EXPERT],
        order=80,
        template="enterprises/cards/granted.html",
        context=granted,
    ),
):
    register(card)
