"""The enterprises app's home-page cards (see safetyportal/core/cards.py): the registry's
figures and lists, and the duties and self-assessment to-do card.

The officials' figures are kept (safetyportal/core/figures.py, ADR 0017): one aggregate
per card, kept per scope until the registry, the organisation tree, the supervision map or
an assessment changes (the `watch` lines at the end). An enterprise's own compliance
problems are not kept figures: they are judged from its records (enterprises/duties).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from enterprises.assessment.models import AssessmentPeriod, AssessmentStatus, SelfAssessment
from enterprises.assessment.selectors import enterprises_not_submitted
from enterprises.duties.judging import COMPLIANCE_TOPIC
from enterprises.duties.models import ComplianceStatus
from enterprises.duties.selectors import compliance_of
from enterprises.models import EnterpriseUserObjectPermission
from enterprises.permissions import CARD_AUDIENCES, Action, may, pinned_town_id
from enterprises.registry.models import Enterprise, supervised_industries
from responsibilities.models import (
    Industry,
    Organisation,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.core.cards import Card, register
from safetyportal.core.figures import kept, sql_key, watch

# the registry and what decides who sees which enterprise (towns, departments' industries,
# experts' grants); and the self-assessments
REGISTRY = ("enterprises",)
ASSESSMENTS = ("enterprises", "assessments")


def _scope(visible) -> tuple[str, str]:
    # the scope's SQL names the user's town or department and the current supervision
    # map; the map in force depends on the year
    return (sql_key(visible), str(timezone.localdate()))


def totals(user) -> dict:
    visible = Enterprise.objects.visible_to(user)
    return {
        "enterprise_totals": kept(
            "enterprises.totals",
            topics=REGISTRY,
            scope=_scope(visible),
            compute=lambda: visible.aggregate(
                total=Count("pk"), high_risk=Count("pk", filter=Q(is_high_risk=True))
            ),
        ),
        # a town official counts the town's enterprises, a department those it supervises
        "own_town": pinned_town_id(user) is not None,
    }


def county_figures(user) -> dict:
    """The county's figures: enterprises, high-risk ones, towns, and 监管空白 (enterprises
    whose industry has no department in the current supervision map), counted in one pass
    over the enterprises (a countywide user sees them all)."""
    visible = Enterprise.objects.visible_to(user)
    return kept(
        "enterprises.county_figures",
        topics=REGISTRY,
        scope=_scope(visible),
        compute=lambda: _county_figures(visible),
    )


def _county_figures(visible) -> dict:
    current = SupervisionMap.objects.current()
    supervised = supervised_industries(current)
    figures = visible.aggregate(
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
        enterprises = Enterprise.objects.visible_to(user)
        card |= kept(
            "enterprises.todo",
            topics=ASSESSMENTS,
            # SelfAssessment.visible_to is the assessments of these enterprises
            scope=(*_scope(enterprises), str(period and period.pk)),
            compute=lambda: _follow_up_figures(user, enterprises, period),
        )
    else:
        return None
    return card


def _follow_up_figures(user, enterprises, period: AssessmentPeriod | None) -> dict:
    visible = SelfAssessment.objects.visible_to(user)
    return {
        "awaiting_review": visible.filter(status=AssessmentStatus.SUBMITTED).count(),
        "not_submitted": (
            enterprises_not_submitted(enterprises, period=period).count() if period else None
        ),
    }


def towns(user) -> dict:
    """Each town's enterprises and high-risk ones (one grouped count, kept)."""
    return {
        "towns": kept(
            "enterprises.towns",
            topics=REGISTRY,
            scope=_scope(Enterprise.objects.visible_to(user)),
            compute=lambda: list(
                Organisation.objects.towns()
                .annotate(
                    enterprise_count=Count("enterprises"),
                    high_risk_count=Count("enterprises", filter=Q(enterprises__is_high_risk=True)),
                )
                .order_by("sort_order")
            ),
        )
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


# the registry topic: enterprises and what decides who sees them and what they count as
watch("enterprises", Enterprise)
watch("enterprises", EnterpriseUserObjectPermission)
watch("enterprises", Organisation)
watch("enterprises", Industry)
watch("enterprises", SupervisionMap)
watch("enterprises", SupervisionAssignment)
# the stored compliance results (the dashboards' failing counts); the judging's bulk
# writes touch the topic themselves (enterprises/duties/judging.py)
watch(COMPLIANCE_TOPIC, ComplianceStatus)
# the self-assessments: who submitted, what awaits review
watch("assessments", SelfAssessment, fields=("status", "enterprise", "period"))
watch("assessments", AssessmentPeriod)
