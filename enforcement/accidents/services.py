"""Writes on accidents: keyword-only, atomic, locked where two can race, one audit event
each. The rules of who may act are enforcement.permissions.accident_refusal; the legal
limits enforcement/accidents/rules.py (through the model's checks)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.accidents import rules
from enforcement.accidents.models import Accident, AccidentSupplement
from enforcement.permissions import accident_refusal, accident_town_pinned
from safetyportal.accounts.models import Role, User
from safetyportal.audit.services import record_event
from safetyportal.notifications.services import notify_many
from safetyportal.workflow.errors import StepForbidden, StepNotAllowed


def _require(user, accident: Accident | None, action: str) -> None:
    reason = accident_refusal(user, accident, action)
    if reason:
        raise StepForbidden(reason)


def _lock(accident_id: int) -> Accident:
    return Accident.objects.select_for_update().get(pk=accident_id)


def _check_times(occurred_at: datetime.datetime, reported_at: datetime.datetime) -> None:
    now = timezone.now()
    errors = {}
    if occurred_at > now:
        errors["occurred_at"] = _("发生时间不能晚于现在。")
    if reported_at > now:
        errors["reported_at"] = _("报告时间不能晚于现在。")
    elif reported_at < occurred_at:
        errors["reported_at"] = _("报告时间不能早于事故发生时间。")
    if errors:
        raise ValidationError(errors)


def _check_figures(deaths, serious_injuries, missing, direct_loss) -> None:
    if min(deaths, serious_injuries, missing) < 0:
        raise ValidationError(_("人数不能为负数。"))
    if direct_loss < 0:
        raise ValidationError({"direct_loss": _("直接经济损失不能为负数。")})


def report_accident(
    *,
    actor,
    occurred_at: datetime.datetime,
    reported_at: datetime.datetime,
    town,
    place: str,
    course: str,
    reported_by: str,
    enterprise=None,
    party_name: str = "",
    industry=None,
    kind: str = "production",
    deaths: int = 0,
    serious_injuries: int = 0,
    missing: int = 0,
    direct_loss: Decimal = Decimal("0"),
    measures: str = "",
) -> Accident:
    """Enter an accident report (条例 Art. 12): the grade and lateness are computed."""
    _require(actor, None, "report")
    pinned = accident_town_pinned(actor)
    if pinned is not None and town.pk != pinned:
        raise StepForbidden(_("镇街只能报告本辖区内的事故。"))
    _check_times(occurred_at, reported_at)
    _check_figures(deaths, serious_injuries, missing, direct_loss)
    if enterprise is not None:
        party_name = party_name or enterprise.name
        industry = industry or enterprise.industry
    if not party_name:
        raise ValidationError({"party_name": _("请选择事故企业，或填写事故单位名称。")})
    unit_id = actor.organisation_id
    with transaction.atomic():
        accident = Accident(
            unit_id=unit_id,
            town=town,
            enterprise=enterprise,
            party_name=party_name,
            industry=industry,
            kind=kind,
            occurred_at=occurred_at,
            reported_at=reported_at,
            place=place,
            course=course,
            deaths=deaths,
            serious_injuries=serious_injuries,
            missing=missing,
            direct_loss=direct_loss,
            measures=measures,
            reported_by=reported_by,
            recorded_by=actor,
        )
        accident.save()
        record_event(
            actor=actor,
            verb="accident.reported",
            target=accident,
            payload={"grade": accident.grade, "late": accident.is_late, "deaths": deaths},
        )
        _tell_county(accident)
    return accident


def _tell_county(accident: Accident) -> None:
    """An accident is urgent news: the county office and the leaders are told at once
    (e-mailed whatever their digest setting, ADR 0034), once per accident, on commit."""
    title = _("%(town)s发生生产安全事故：%(party)s（死亡 %(deaths)s 人，重伤 %(injured)s 人）") % {
        "town": accident.town,
        "party": accident.party_name,
        "deaths": accident.deaths,
        "injured": accident.serious_injuries,
    }
    body = _("发生时间 %(at)s，地点：%(place)s。") % {
        "at": timezone.localtime(accident.occurred_at).strftime("%Y-%m-%d %H:%M"),
        "place": accident.place,
    }
    url = reverse("enforcement:accident_detail", args=[accident.pk])

    def send() -> None:
        with transaction.atomic():
            notify_many(
                recipients=User.objects.filter(
                    is_active=True, role__in=(Role.COUNTY_OFFICE, Role.LEADER)
                ),
                title=title,
                body=body,
                url=url,
                dedupe_key=f"accident:{accident.pk}:reported",
                kind="accident",
                urgent=True,
            )

    transaction.on_commit(send)


def supplement_accident(
    *,
    actor,
    accident_id: int,
    deaths: int,
    serious_injuries: int,
    missing: int,
    direct_loss: Decimal,
    note: str,
    today: datetime.date | None = None,
) -> AccidentSupplement:
    """补报 (Art. 13): new casualty figures within 30 days (road traffic, fire: 7); the old
    and new figures and grades are kept, the grade recomputed."""
    _check_figures(deaths, serious_injuries, missing, direct_loss)
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "supplement")
        accident._move("supplement")
        reason = accident.supplement_refusal(today)
        if reason:
            raise StepNotAllowed(reason)
        supplement = AccidentSupplement(
            accident=accident,
            recorded_by=actor,
            old_deaths=accident.deaths,
            old_serious_injuries=accident.serious_injuries,
            old_missing=accident.missing,
            old_direct_loss=accident.direct_loss,
            old_grade=accident.grade,
            new_deaths=deaths,
            new_serious_injuries=serious_injuries,
            new_missing=missing,
            new_direct_loss=direct_loss,
            note=note,
        )
        accident.deaths = deaths
        accident.serious_injuries = serious_injuries
        accident.missing = missing
        accident.direct_loss = direct_loss
        accident.save(update_fields=["deaths", "serious_injuries", "missing", "direct_loss"])
        supplement.new_grade = accident.grade
        supplement.save()
        record_event(
            actor=actor,
            verb="accident.supplemented",
            target=accident,
            payload={
                "deaths": [supplement.old_deaths, deaths],
                "serious_injuries": [supplement.old_serious_injuries, serious_injuries],
                "missing": [supplement.old_missing, missing],
                "direct_loss": [str(supplement.old_direct_loss), str(direct_loss)],
                "grade": [supplement.old_grade, accident.grade],
            },
        )
    return supplement


def _not_before_accident(accident: Accident, day: datetime.date, field: str) -> None:
    if day < accident.occurred_on:
        raise ValidationError({field: _("日期不能早于事故发生日期。")})


def start_investigation(
    *, actor, accident_id: int, started_on: datetime.date, lead_unit, team: str
) -> Accident:
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "investigate")
        _not_before_accident(accident, started_on, "started_on")
        accident._move("investigate")
        accident.investigation_started_on = started_on
        accident.lead_unit = lead_unit
        accident.team = team
        accident.save(
            update_fields=["status", "investigation_started_on", "lead_unit", "team", "updated_at"]
        )
        record_event(
            actor=actor,
            verb="accident.investigation_started",
            target=accident,
            payload={"lead_unit": lead_unit.pk, "started_on": started_on},
        )
    return accident


def extend_investigation(*, actor, accident_id: int, days: int, reason: str) -> Accident:
    """Extend the report's deadline (Art. 29: by at most 60 days in all); a reason is
    required."""
    if not reason.strip():
        raise ValidationError({"reason": _("延长调查期限须说明理由。")})
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "extend")
        accident._move("extend")
        if accident.extension_days + days > rules.MAX_EXTENSION_DAYS:
            raise ValidationError(
                {
                    "days": _(
                        "调查期限最多延长 60 日，已延长 %(used)s 日，最多还可延长 %(left)s 日。"
                    )
                    % {
                        "used": accident.extension_days,
                        "left": rules.MAX_EXTENSION_DAYS - accident.extension_days,
                    }
                }
            )
        old_due = accident.report_due
        accident.extension_days += days
        accident.extension_reason = "\n".join(
            part for part in (accident.extension_reason, reason.strip()) if part
        )
        accident.save(update_fields=["extension_days", "extension_reason", "updated_at"])
        record_event(
            actor=actor,
            verb="accident.investigation_extended",
            target=accident,
            payload={"days": days, "reason": reason, "due": [old_due, accident.report_due]},
        )
    return accident


def submit_report(
    *, actor, accident_id: int, submitted_on: datetime.date, summary: str
) -> Accident:
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "submit_report")
        _not_before_accident(accident, submitted_on, "submitted_on")
        if accident.investigation_started_on and submitted_on < accident.investigation_started_on:
            raise ValidationError({"submitted_on": _("提交日期不能早于成立调查组日期。")})
        accident._move("submit_report")
        accident.report_submitted_on = submitted_on
        accident.report_summary = summary
        accident.save(
            update_fields=["status", "report_submitted_on", "report_summary", "updated_at"]
        )
        record_event(
            actor=actor,
            verb="accident.report_submitted",
            target=accident,
            payload={
                "on": submitted_on,
                "due": accident.report_due,
                "late": accident.report_overdue,
            },
        )
    return accident


def decide(*, actor, accident_id: int, decided_on: datetime.date, decision: str) -> Accident:
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "decide")
        if accident.report_submitted_on and decided_on < accident.report_submitted_on:
            raise ValidationError({"decided_on": _("批复日期不能早于调查报告提交日期。")})
        accident._move("decide")
        accident.decided_on = decided_on
        accident.decision = decision
        accident.save(update_fields=["status", "decided_on", "decision", "updated_at"])
        record_event(
            actor=actor,
            verb="accident.decided",
            target=accident,
            payload={"on": decided_on, "due": accident.decision_due},
        )
    return accident


def close(*, actor, accident_id: int, closed_on: datetime.date) -> Accident:
    with transaction.atomic():
        accident = _lock(accident_id)
        _require(actor, accident, "decide")
        if accident.decided_on and closed_on < accident.decided_on:
            raise ValidationError({"closed_on": _("结案日期不能早于批复日期。")})
        accident._move("close")
        accident.closed_on = closed_on
        accident.save(update_fields=["status", "closed_on", "updated_at"])
        record_event(
            actor=actor, verb="accident.closed", target=accident, payload={"on": closed_on}
        )
    return accident
