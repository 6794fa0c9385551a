"""The enterprises app's home-page cards (see safetyportal/core/cards.py): the registry's
figures and lists, and the duties and self-assessment to-do card."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from enterprises.assessment.models import AssessmentPeriod, AssessmentStatus, SelfAssessment
from enterprises.assessment.selectors import enterprises_not_submitted
from enterprises.duties.selectors import compliance_of
from enterprises.permissions import CARD_AUDIENCES, Action, may, pinned_town_id
from enterprises.registry.models import Enterprise, supervised_industries
from responsibilities.models import Organisation, SupervisionMap
from safetyportal.core.cards import Card, register


def totals(user) -> dict:
    visible = Enterprise.objects.visible_to(user)
    return {
        "enterprise_totals": visible.aggregate(
            total=Count("pk"), high_risk=Count("pk", filter=Q(is_high_risk=True))
        ),
        # a town official counts the town's enterprises, a department those it supervises
        "own_town": pinned_town_id(user) is not None,
    }


def county_figures(user) -> dict:
    """The county's figures: enterprises, high-risk ones, towns, and 监管空白 (enterprises
    whose industry has no department in the current supervision map), counted in one pass
    over the enterprises (a countywide user sees them all)."""
    current = SupervisionMap.objects.current()
    supervised = supervised_industries(current)
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
    own = may(user, Action.START_ASSESSMENT)  # an enterprise's own manager
    card: dict = {"period": period, "own_enterprise": own}
    if own:
        enterprise = Enterprise.objects.with_duty_records().get(pk=user.enterprise_id)
        card["enterprise"] = enterprise
        card["problems"] = [r for r in compliance_of(enterprise, today=today) if not r.ok]
        card["assessment"] = (
            SelfAssessment.objects.filter(enterprise=enterprise, period=period).first()
            if period
            else None
        )
    elif may(user, Action.FOLLOW_UP):
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
        roles=CARD_AUDIENCES["county_figures"],
        order=10,
        slot="figure",
        template="enterprises/cards/county_figures.html",
        context=county_figures,
    ),
    Card(
        key="enterprises.totals",
        roles=CARD_AUDIENCES["totals"],
        order=10,
        slot="figure",
        template="enterprises/cards/totals.html",
        context=totals,
    ),
    Card(
        key="enterprises.profile",
        roles=CARD_AUDIENCES["profile"],
        order=40,
        template="enterprises/cards/profile.html",
        context=profile,
    ),
    Card(
        key="enterprises.todo",
        roles=CARD_AUDIENCES["todo"],
        order=70,
        template="enterprises/_todo_card.html",
        context=todo,
    ),
    Card(
        key="enterprises.towns",
        roles=CARD_AUDIENCES["towns"],
        order=80,
        template="enterprises/cards/towns.html",
        context=towns,
    ),
    Card(
        key="enterprises.high_risk",
        roles=CARD_AUDIENCES["high_risk"],
        order=80,
        template="enterprises/cards/high_risk.html",
        context=high_risk,
    ),
    Card(
        key="enterprises.granted",
        roles=CARD_AUDIENCES["granted"],
        order=80,
        template="enterprises/cards/granted.html",
        context=granted,
    ),
):
    register(card)
