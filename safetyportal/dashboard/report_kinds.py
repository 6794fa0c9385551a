"""The report kinds composed here (found by safetyportal.core.reports). The appraisal
reports will be one more `register(ReportKind(...))` entry, in responsibilities or here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from responsibilities.models import TOWN_LEVEL_KINDS
from safetyportal.accounts.models import Role
from safetyportal.core.reports import HALF_MONTH, YEAR, ReportKind, register
from safetyportal.dashboard.reports import bulletin, hazard_summary

BULLETIN = "major_hazard_bulletin"
HAZARD_SUMMARY = "hazard_summary"

register(
    ReportKind(
        key=BULLETIN,
        label=_("重大事故隐患通报"),
        template="dashboard/reports/pdf/bulletin.html",
        context=bulletin.context,
        title=bulletin.title,
        period=HALF_MONTH,
        request_roles=frozenset({Role.COUNTY_OFFICE}),
        # the bulletin goes to every town and department once issued
        shared_with=frozenset({Role.TOWN, Role.DEPARTMENT}),
        issued=True,
        number_prefix=bulletin.NUMBER_PREFIX,
        snapshot=bulletin.snapshot,
        order=10,
    )
)

register(
    ReportKind(
        key=HAZARD_SUMMARY,
        label=_("隐患排查治理报告"),
        template="dashboard/reports/pdf/hazard_summary.html",
        context=hazard_summary.context,
        title=hazard_summary.title,
        period=YEAR,
        unit_kinds=tuple(TOWN_LEVEL_KINDS),
        own_unit_roles=frozenset({Role.TOWN}),
        order=20,
    )
)
