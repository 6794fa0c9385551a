"""The enforcement app's home-page cards (see safetyportal/core/cards.py). One section per
area, like enforcement/permissions.py."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from enforcement.authority.models import DelegatedItem, OfficerCertificate, Procedure
from enforcement.authority.selectors import valid_certificates
from enforcement.cases.models import Case
from enforcement.exposure.models import ExposedCase
from enforcement.inspections.models import Inspection, InspectionStatus
from enforcement.permissions import CARD_AUDIENCES
from safetyportal.core.cards import Card, register
from safetyportal.core.figures import kept, sql_key, watch

# --- overview: 执法概况 ----------------------------------------------------------------------

# what the overview counts: inspections, cases, the exposure board, certificates, items
OVERVIEW_TOPICS = ("enforcement",)


def overview_figures(year_start: datetime.date, today: datetime.date) -> dict:
    """This year's enforcement in figures, each the total of the list its link opens
    (six small aggregates, computed once per day and write; ADR 0017)."""
    inspections = this_year_inspections(year_start)
    figures = inspections.aggregate(
        inspections=Count("pk"), enterprises=Count("enterprise", distinct=True)
    )
    figures["visits"] = Inspection.officers.through.objects.filter(
        inspection__in=inspections.values("pk")
    ).count()
    figures.update(
        Case.objects.filter(filed_on__gte=year_start).aggregate(
            cases=Count("pk"),
            simple=Count("pk", filter=Q(procedure=Procedure.SIMPLE)),
            general=Count("pk", filter=Q(procedure=Procedure.GENERAL)),
        )
    )
    figures["exposed"] = (
        ExposedCase.objects.public()
        .filter(decided_on__gte=year_start, decided_on__lte=year_start.replace(month=12, day=31))
        .count()
    )
    # the officer list's "valid" filter counts certificates: one valid per officer (a
    # renewal replaces the old one), so the two agree
    figures["officers"] = valid_certificates(today).count()
    figures["items"] = DelegatedItem.objects.active().count()
    return figures


def this_year_inspections(year_start: datetime.date):
    """The inspections made this year: submitted ones (a draft is not an inspection made
    yet), as the inspection list's `status=submitted&date_after=<1 January>` shows them."""
    return Inspection.objects.filter(
        status=InspectionStatus.SUBMITTED, inspected_on__gte=year_start
    )


def overview_card(user) -> dict:
    """执法概况: county-wide (its audiences see every unit's records)."""
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    figures = kept(
        "enforcement.overview",
        topics=OVERVIEW_TOPICS,
        scope=(str(today), sql_key(this_year_inspections(year_start))),
        compute=lambda: overview_figures(year_start, today),
    )
    return {"figures": figures, "year": today.year, "year_start": year_start.isoformat()}


# an inspection's officers are set with its creation (the same transaction)
watch("enforcement", Inspection, fields=("status", "inspected_on", "enterprise"))
watch("enforcement", Case, fields=("procedure", "filed_on"))
watch("enforcement", ExposedCase)
watch("enforcement", OfficerCertificate)
watch("enforcement", DelegatedItem, fields=("is_active",))

register(
    Card(
        key="enforcement.overview",
        roles=CARD_AUDIENCES["overview"],
        order=65,
        template="enforcement/_overview_card.html",
        context=overview_card,
        slot="half",
    )
)

# --- accidents ---------------------------------------------------------------------------


def accidents_card(user) -> dict:
    """This year's accidents and deaths against last year's to the same date (one
    aggregate)."""
    from enforcement.accidents.statistics import county_change

    return {"row": county_change()}


register(
    Card(
        key="enforcement.accidents",
        roles=CARD_AUDIENCES["accidents"],
        order=70,
        template="enforcement/accidents/_card.html",
        context=accidents_card,
        slot="half",
    )
)
