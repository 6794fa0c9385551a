"""The role matrix's oracle: who may see a record, from mission.md §1 and the record's
jurisdiction attributes (town, industry, enterprise, unit, grants) - written without the
app's scope code, so a wrong scope in the app makes the matrix fail.

mission.md §1:
  county_office  everything                  leader      everything, read-only
  department     enterprises in the industries it supervises; hazards and cases assigned to it
  town           enterprises in its town and their records
  enterprise     its own enterprise only     expert      only the enterprises and
                                                         inspections granted to them
"""

from __future__ import annotations

COUNTYWIDE = ("county_office", "leader")
# persona -> (role, the world attribute naming its unit / enterprise)
PERSONA_UNIT = {
    "town": "town",
    "other_town": "other_town",
    "department": "department",
    "other_department": "other_department",
}
TOWNS = ("town", "other_town")
DEPARTMENTS = ("department", "other_department")


def _unit(w, persona):
    return getattr(w, PERSONA_UNIT[persona]).pk if persona in PERSONA_UNIT else None


def _supervises(w, persona, industry_id) -> bool:
    """The published map of this year: industry -> lead department (the world's map)."""
    return persona in DEPARTMENTS and w.supervisor_of[industry_id].pk == _unit(w, persona)


def enterprise_rule(w, persona, enterprise, *, town_id=None) -> bool:
    """An enterprise's records: its town, the department supervising its industry, its own
    manager, an expert granted it (mission §1 rows town/department/enterprise/expert)."""
    if persona in COUNTYWIDE:
        return True
    if persona in TOWNS:
        return (town_id or enterprise.town_id) == _unit(w, persona)
    if persona in DEPARTMENTS:
        return _supervises(w, persona, enterprise.industry_id)
    if persona == "enterprise":
        return enterprise.pk == w.enterprise_manager.enterprise_id
    if persona == "expert":
        return enterprise.pk == w.ly_build.pk  # the one enterprise granted in the world
    return False  # ungranted expert, anonymous


def unit_rule(w, persona, unit_id) -> bool:
    """A unit's own record: the county office, leaders and the unit itself."""
    return persona in COUNTYWIDE or (_unit(w, persona) is not None and unit_id == _unit(w, persona))


def _hazard(w, p, h):
    # "hazards ... assigned to it": a department also sees a major hazard whose 交办 slip
    # names it as the supervising unit (mission §1, §3 一单四制)
    slip = getattr(h, "slip", None)
    assigned = slip is not None and p in DEPARTMENTS and slip.supervising_unit_id == _unit(w, p)
    return enterprise_rule(w, p, h.enterprise, town_id=h.town_id) or assigned


def _inspection(w, p, i):
    # the unit that inspected (and the town where it happened) reads it; the enterprise
    # reads its own submitted inspections; an expert only inspections granted (none here)
    if p in COUNTYWIDE:
        return True
    if p in TOWNS:
        return _unit(w, p) in (i.unit_id, i.town_id)
    if p in DEPARTMENTS:
        return i.unit_id == _unit(w, p)
    if p == "enterprise":
        return i.enterprise_id == w.enterprise_manager.enterprise_id and i.status == "submitted"
    return False


def _case(w, p, c):
    # "cases in its own name" (mission §1), the town where the case is, and the department
    # that delegated the item (ADR 0022: the town acts in the delegating department's name)
    if p in COUNTYWIDE:
        return True
    if p in TOWNS:
        return _unit(w, p) in (c.unit_id, c.town_id)
    if p in DEPARTMENTS:
        return _unit(w, p) in (c.unit_id, c.item.delegating_department_id)
    if p == "enterprise":
        return c.enterprise_id == w.enterprise_manager.enterprise_id
    return False


def _accident(w, p, a):
    if p in COUNTYWIDE:
        return True
    if p in TOWNS:
        return _unit(w, p) in (a.unit_id, a.town_id)
    if p in DEPARTMENTS:
        return a.unit_id == _unit(w, p) or _supervises(w, p, a.industry_id)
    if p == "enterprise":
        return a.enterprise_id == w.enterprise_manager.enterprise_id
    return False


def _appraisal_result(w, p, r):
    # own unit once computed; the lead unit of the appraising committee reviews the
    # members' results (responsibilities/appraisal foundation, common.md)
    if p in COUNTYWIDE:
        return True
    own = _unit(w, p)
    if own is None:
        return False
    if r.unit_id == own and r.status != "computing":
        return True
    return r.appraiser.memberships.filter(member_id=own, is_lead=True).exists()


def _stored_report(w, p, report):
    """A unit's stored report to the unit (ADR 0036); a unit's appraisal report also to the
    lead unit of the committee that appraises it, its reviewer (issue 12, ADR 0047), and to
    the unit itself only once its result is published."""
    from responsibilities.appraisal_models import AppraisalResult

    if p in COUNTYWIDE:
        return True
    if report.kind != "appraisal_unit":
        return unit_rule(w, p, report.unit_id)
    own = _unit(w, p)
    result = (
        AppraisalResult.objects.filter(unit_id=report.unit_id, round__year=report.period_start.year)
        .select_related("appraiser")
        .first()
    )
    if own is None or result is None:
        return False
    if result.unit_id == own:
        return result.status == "published"
    return result.appraiser.memberships.filter(member_id=own, is_lead=True).exists()


def _pairing(w, p, pairing):
    # 一对一包联: the town paired, and the department official who is its chief
    if p in COUNTYWIDE:
        return True
    if p in TOWNS:
        return pairing.town_id == _unit(w, p)
    if p in DEPARTMENTS:
        return pairing.chief_id == w.personas[p].pk
    return False


# The one table of rules: model label -> rule(world, persona, record) -> may see.
# Records of an enterprise follow mission §1 through their enterprise; the special rules
# cite where they come from.
RULES = {
    "enterprises.Enterprise": lambda w, p, o: enterprise_rule(w, p, o),
    "hazards.Hazard": _hazard,
    "hazards.RiskPoint": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.SafetyStaffing": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.DutyDocument": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.SelfAssessment": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.SafetyCost": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.LiabilityInsurance": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.SpecialOperationCertificate": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.EmergencyPlan": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.EmergencyDrill": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enterprises.TrainingRecord": lambda w, p, o: enterprise_rule(w, p, o.enterprise),
    "enforcement.Inspection": _inspection,
    "enforcement.Case": _case,
    "enforcement.Accident": _accident,
    # whistleblower reports: "routing to the responsible department or town" (mission §4);
    # a report about a company never reaches it (ADR 0029): the routed unit only
    "enforcement.Report": lambda w, p, o: unit_rule(w, p, o.unit_id),
    # duty lists: "per leader, department, committee or town" (mission §2): the owner unit
    "responsibilities.DutyList": lambda w, p, o: unit_rule(w, p, o.owner_id),
    # 约谈: the summoned unit reads its own record (mission §2)
    "responsibilities.Interview": lambda w, p, o: unit_rule(w, p, o.summoned_unit_id),
    "responsibilities.AppraisalResult": _appraisal_result,
    # stored reports (ADR 0036): a unit's report to the unit; downloads "by those allowed to"
    "dashboard.Report": _stored_report,
    # notifications: the recipient only, the county office included (issue 14 brief)
    "notifications.Notification": lambda w, p, o: (
        w.personas[p] is not None and o.recipient_id == w.personas[p].pk
    ),
    # inspection plans are the unit's own (mission §4 plans "assigned to named officials")
    "enforcement.InspectionPlan": lambda w, p, o: unit_rule(w, p, o.unit_id),
    "enforcement.TownPairing": _pairing,
    # an officer's certificate: the county office, leaders and the officer's own unit
    "enforcement.OfficerCertificate": lambda w, p, o: unit_rule(w, p, o.officer.organisation_id),
    # 委托授权: the county and the town delegated to (a department: through its items)
    "enforcement.TownAuthorisation": lambda w, p, o: (
        p in COUNTYWIDE
        or (p in TOWNS and o.town_id == _unit(w, p))
        or (p in DEPARTMENTS and o.items.filter(delegating_department_id=_unit(w, p)).exists())
    ),
}
# a child record is seen exactly when its parent is (attribute naming the parent)
PARENTS = {
    "hazards.HazardAttachment": "hazard",
    "hazards.ProgressEntry": "hazard",
    "hazards.MajorHazardListing": "hazard",
    "enterprises.AssessmentAnswer": "assessment",
    "enterprises.AnswerEvidence": "answer",
    "enforcement.Finding": "inspection",
    "enforcement.FindingPhoto": "finding",
    "enforcement.ReportAttachment": "report",
    "enforcement.PlanTarget": "plan",
    "enforcement.GuidanceVisit": "pairing",
    "responsibilities.DutyItem": "duty_list",
}


def sees(w, persona: str, obj) -> bool:
    if persona == "anonymous":
        return False
    label = obj._meta.label
    while label in PARENTS:
        obj = getattr(obj, PARENTS[label])
        label = obj._meta.label
    if label not in RULES:
        raise KeyError(label)
    return bool(RULES[label](w, persona, obj))
