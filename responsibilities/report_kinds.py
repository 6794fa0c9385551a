"""The year-end appraisal reports (found by safetyportal.core.reports; ADR 0047): a unit's
report and the county summary, both read from a round's stored scores."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from responsibilities import appraisal_report
from safetyportal.accounts.models import Role
from safetyportal.core.reports import YEAR, ReportKind, register

APPRAISAL_UNIT = "appraisal_unit"
APPRAISAL_COUNTY = "appraisal_county"

register(
    ReportKind(
        key=APPRAISAL_UNIT,
        label=_("单位安全生产考核报告"),
        template="responsibilities/appraisal/pdf/unit.html",
        context=appraisal_report.unit_context,
        title=appraisal_report.unit_title,
        period=YEAR,
        unit_kinds=tuple(appraisal_report.UNIT_KINDS),
        countywide=False,
        request_roles=frozenset({Role.COUNTY_OFFICE, Role.LEADER}),
        unavailable=appraisal_report.unit_unavailable,
        # the unit's officials once its result is published, reviewers always
        unit_readers=appraisal_report.unit_readers,
        order=30,
    )
)

register(
    ReportKind(
        key=APPRAISAL_COUNTY,
        label=_("全县安全生产考核汇总报告"),
        template="responsibilities/appraisal/pdf/county.html",
        context=appraisal_report.county_context,
        title=appraisal_report.county_title,
        period=YEAR,
        request_roles=frozenset({Role.COUNTY_OFFICE, Role.LEADER}),
        unavailable=appraisal_report.county_unavailable,
        order=31,
    )
)
