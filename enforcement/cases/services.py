"""Every write to a penalty case: keyword-only, atomic, locked, audited, one function per
step. The legal limits are enforcement/rules.py (called here, never restated); who may act
is enforcement.permissions (cases section). Each procedural document is numbered with
enforcement.numbering.take_number inside the transaction that issues it.

Refusals raise StepForbidden (the user), StepNotAllowed (the state) or ValidationError
(the input, including a legal limit), before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement import rules
from enforcement.authority.models import DelegatedItem, Procedure
from enforcement.cases.models import (
    DOCUMENT_ABBR,
    Case,
    CaseDocument,
    CaseStatus,
    DocumentKind,
    Evidence,
    FileStatus,
    PenaltyKind,
)
from enforcement.inspections.services import mark_followed_up
from enforcement.numbering import document_label, take_number
from enforcement.permissions import (
    case_create_refusal,
    case_refusal,
    get_case_for_user,
    get_inspection_for_user,
)
from safetyportal.audit.services import record_event
from safetyportal.workflow import StepForbidden


def _today() -> datetime.date:
    return timezone.localdate()


def _check(reason: str | None, field: str) -> None:
    if reason:
        raise ValidationError({field: reason})


def _not_future(day: datetime.date, field: str, label: str) -> None:
    if day > _today():
        raise ValidationError(
            {field: _("%(label)s不能晚于今天（%(today)s）。") % {"label": label, "today": _today()}}
        )


def _not_before(day: datetime.date, earlier: datetime.date | None, field: str, what: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError(
            {field: _("该日期不能早于%(what)s（%(day)s）。") % {"what": what, "day": earlier}}
        )


def issue_document(*, case: Case, kind: str, day: datetime.date) -> CaseDocument:
    """Number and store one procedural document of `case` (inside the caller's transaction:
    a rolled-back step gives its number back)."""
    unit = case.unit
    number = take_number(unit=unit, year=day.year, kind=kind)
    label = document_label(
        unit_abbr=unit.short_name or unit.name,
        kind_abbr=DOCUMENT_ABBR[DocumentKind(kind)],
        year=day.year,
        number=number,
    )
    return CaseDocument.objects.create(
        case=case,
        unit=unit,
        kind=kind,
        year=day.year,
        number=number,
        label=label,
        issued_on=day,
        issuing_authority=rules.issuing_authority(unit=unit, item=case.item),
    )


def _penalty(penalty_kind: str, fine: Decimal | None) -> tuple[str, Decimal | None]:
    if penalty_kind == PenaltyKind.WARNING:
        if fine:
            raise ValidationError({"fine": _("警告处罚不填写罚款金额；要罚款请选择“罚款”。")})
        return PenaltyKind.WARNING, None
    if fine is None:
        raise ValidationError({"fine": _("请填写罚款金额。")})
    return PenaltyKind.FINE, fine


def _check_case_law(
    *,
    unit,
    item: DelegatedItem,
    procedure: str,
    day: datetime.date,
    officer_ids: Iterable[int] | None,
    party_kind: str | None = None,
    penalty: tuple[str, Decimal | None] | None = None,
) -> None:
    """The legal limits of acting on `day`: authority, officers (None: not this step's
    concern), and the penalty."""
    _check(rules.authority_refusal(unit=unit, item=item, procedure=procedure, day=day), "item")
    if officer_ids is not None:
        _check(
            rules.officers_refusal(officer_ids=officer_ids, procedure=procedure, day=day),
            "officers",
        )
    if penalty is not None and party_kind is not None:
        kind, fine = penalty
        _check(
            rules.fine_refusal(
                item=item,
                procedure=procedure,
                party_kind=party_kind,
                fine=fine if kind == PenaltyKind.FINE else None,
            ),
            "fine",
        )


def _follow_up_inspection(actor, inspection) -> None:
    """A case opened from an inspection marks it followed up (no longer 只检查不执法)."""
    if inspection is None:
        return
    get_inspection_for_user(actor, inspection.pk)
    mark_followed_up(inspection_id=inspection.pk)


def _new_case(
    *,
    actor,
    procedure: str,
    item,
    party_kind,
    party_name,
    enterprise,
    facts,
    inspection,
    day: datetime.date,
) -> Case:
    unit = actor.organisation
    town = unit if unit.is_town_level else (enterprise.town if enterprise else None)
    if town is None and inspection is not None:
        town = inspection.town
    if town is None:
        raise ValidationError({"enterprise": _("部门办案请选择当事企业（以确定所在镇街）。")})
    return Case(
        unit=unit,
        town=town,
        procedure=procedure,
        item=item,
        enterprise=enterprise,
        party_kind=party_kind,
        party_name=party_name or (enterprise.name if enterprise else ""),
        inspection=inspection,
        facts=facts,
        created_by=actor,
        filed_on=day,
    )


def create_simple_case(
    *,
    actor,
    item: DelegatedItem,
    party_kind: str,
    party_name: str = "",
    enterprise=None,
    facts: str,
    penalty_kind: str,
    fine: Decimal | None = None,
    officers: Iterable,
    decided_on: datetime.date | None = None,
    inspection=None,
) -> Case:
    """当场处罚 (行政处罚法 Art. 51-53): decided and handed over on the spot with a numbered
    当场处罚决定书, then 备案. A warning is closed at once; a fine stays SERVED until paid."""
    reason = case_create_refusal(actor)
    if reason:
        raise StepForbidden(reason)
    day = decided_on or _today()
    _not_future(day, "decided_on", _("决定日期"))
    officer_ids = [o.pk for o in officers]
    penalty = _penalty(penalty_kind, fine)
    _check_case_law(
        unit=actor.organisation,
        item=item,
        procedure=Procedure.SIMPLE,
        day=day,
        officer_ids=officer_ids,
        party_kind=party_kind,
        penalty=penalty,
    )
    with transaction.atomic():
        case = _new_case(
            actor=actor,
            procedure=Procedure.SIMPLE,
            item=item,
            party_kind=party_kind,
            party_name=party_name,
            enterprise=enterprise,
            facts=facts,
            inspection=inspection,
            day=day,
        )
        case.penalty_kind, case.fine = penalty
        case.decided_on = case.served_on = day
        if case.penalty_kind == PenaltyKind.FINE:
            case.status = CaseStatus.SERVED
            case.payment_due = day + datetime.timedelta(days=rules.PAYMENT_DAYS)
        else:
            case.status = CaseStatus.CLOSED
            case.closed_on = day
        case.save()
        case.officers.set(officer_ids)
        document = issue_document(case=case, kind=DocumentKind.SIMPLE_DECISION, day=day)
        case.decision_number = document.label
        case.save(update_fields=["decision_number"])
        _follow_up_inspection(actor, inspection)
        record_event(
            actor=actor,
            verb="case.simple_decided",
            target=case,
            payload={"number": document.label, "penalty": case.penalty_kind, "fine": fine},
        )
    return case


def open_general_case(
    *,
    actor,
    item: DelegatedItem,
    party_kind: str,
    party_name: str = "",
    enterprise=None,
    facts: str,
    officers: Iterable,
    filed_on: datetime.date | None = None,
    inspection=None,
) -> Case:
    """立案 (Art. 54): within the unit's general-procedure authority, two certified
    officers, a numbered 立案审批表."""
    reason = case_create_refusal(actor)
    if reason:
        raise StepForbidden(reason)
    day = filed_on or _today()
    _not_future(day, "filed_on", _("立案日期"))
    officer_ids = [o.pk for o in officers]
    _check_case_law(
        unit=actor.organisation,
        item=item,
        procedure=Procedure.GENERAL,
        day=day,
        officer_ids=officer_ids,
    )
    with transaction.atomic():
        case = _new_case(
            actor=actor,
            procedure=Procedure.GENERAL,
            item=item,
            party_kind=party_kind,
            party_name=party_name,
            enterprise=enterprise,
            facts=facts,
            inspection=inspection,
            day=day,
        )
        case.status = CaseStatus.FILED
        case.save()
        case.officers.set(officer_ids)
        document = issue_document(case=case, kind=DocumentKind.FILING, day=day)
        _follow_up_inspection(actor, inspection)
        record_event(
            actor=actor, verb="case.filed", target=case, payload={"number": document.label}
        )
    return case


def _lock(actor, case_id: int, step: str) -> Case:
    """The case, locked for this transaction, if `actor` may take `step` now."""
    case = get_case_for_user(actor, case_id)
    reason = case_refusal(actor, case)
    if reason:
        raise StepForbidden(reason)
    case = Case.objects.select_for_update().select_related("unit", "item", "town").get(pk=case.pk)
    case.move(step)
    return case


@transaction.atomic
def add_evidence(
    *,
    actor,
    case_id: int,
    kind: str,
    description: str,
    collected_on: datetime.date,
    file=None,
) -> Evidence:
    case = _lock(actor, case_id, "evidence")
    _not_future(collected_on, "collected_on", _("取证日期"))
    _not_before(collected_on, case.filed_on, "collected_on", _("立案日期"))
    evidence = Evidence.objects.create(
        case=case,
        kind=kind,
        description=description,
        collected_on=collected_on,
        file=file or "",
        recorded_by=actor,
    )
    case.save(update_fields=["status"])
    record_event(
        actor=actor,
        verb="case.evidence_added",
        target=case,
        payload={"kind": kind, "description": description[:200]},
    )
    return evidence


@transaction.atomic
def notify_party(
    *,
    actor,
    case_id: int,
    notified_on: datetime.date,
    penalty_kind: str,
    fine: Decimal | None = None,
) -> Case:
    """告知 (Art. 44/63): the intended penalty, the facts and the party's rights, with a
    numbered 行政处罚告知书; the hearing may be asked for within 5 days."""
    case = _lock(actor, case_id, "notify")
    _not_future(notified_on, "notified_on", _("告知日期"))
    _not_before(notified_on, case.filed_on, "notified_on", _("立案日期"))
    penalty = _penalty(penalty_kind, fine)
    _check_case_law(
        unit=case.unit,
        item=case.item,
        procedure=case.procedure,
        day=notified_on,
        # the notice and the decision are the unit's acts (Art. 44, 57); the officers'
        # qualification binds the investigation and was checked at 立案 (Art. 42), so an
        # officer's certificate lapsing later does not strand the case
        officer_ids=None,
        party_kind=case.party_kind,
        penalty=penalty,
    )
    case.penalty_kind, case.fine = penalty
    case.notified_on = notified_on
    case.save(update_fields=["status", "penalty_kind", "fine", "notified_on"])
    document = issue_document(case=case, kind=DocumentKind.NOTICE, day=notified_on)
    record_event(
        actor=actor,
        verb="case.notified",
        target=case,
        payload={"number": document.label, "penalty": case.penalty_kind, "fine": case.fine},
    )
    return case


def hearing_request_refusal(case: Case, requested_on: datetime.date) -> str | None:
    """A hearing is asked for within HEARING_REQUEST_DAYS days of the notice (day 5 is
    the last)."""
    if case.notified_on is None:
        return _("尚未告知，不能登记听证申请。")
    last = case.notified_on + datetime.timedelta(days=rules.HEARING_REQUEST_DAYS)
    if requested_on > last:
        return _(
            "听证申请须在告知后 %(days)s 日内提出（告知日 %(notified)s，最迟 %(last)s），"
            "已逾期，不予受理。"
        ) % {"days": rules.HEARING_REQUEST_DAYS, "notified": case.notified_on, "last": last}
    return None


@transaction.atomic
def request_hearing(*, actor, case_id: int, requested_on: datetime.date) -> Case:
    case = _lock(actor, case_id, "request_hearing")
    _not_future(requested_on, "requested_on", _("申请日期"))
    _not_before(requested_on, case.notified_on, "requested_on", _("告知日期"))
    _check(hearing_request_refusal(case, requested_on), "requested_on")
    case.hearing_requested_on = requested_on
    case.save(update_fields=["status", "hearing_requested_on"])
    record_event(
        actor=actor, verb="case.hearing_requested", target=case, payload={"on": requested_on}
    )
    return case


@transaction.atomic
def schedule_hearing(
    *, actor, case_id: int, notice_on: datetime.date, hearing_on: datetime.date
) -> Case:
    """听证通知书 at least HEARING_NOTICE_DAYS days before the hearing (Art. 64)."""
    case = _lock(actor, case_id, "schedule_hearing")
    _not_future(notice_on, "notice_on", _("通知日期"))
    _not_before(notice_on, case.hearing_requested_on, "notice_on", _("申请听证日期"))
    if (hearing_on - notice_on).days < rules.HEARING_NOTICE_DAYS:
        raise ValidationError(
            {
                "hearing_on": _(
                    "听证通知须在举行听证的 %(days)s 日前送达：%(notice)s 通知，听证最早 %(first)s。"
                )
                % {
                    "days": rules.HEARING_NOTICE_DAYS,
                    "notice": notice_on,
                    "first": notice_on + datetime.timedelta(days=rules.HEARING_NOTICE_DAYS),
                }
            }
        )
    case.hearing_notice_on = notice_on
    case.hearing_on = hearing_on
    case.save(update_fields=["hearing_notice_on", "hearing_on"])
    document = issue_document(case=case, kind=DocumentKind.HEARING_NOTICE, day=notice_on)
    record_event(
        actor=actor,
        verb="case.hearing_scheduled",
        target=case,
        payload={"number": document.label, "hearing_on": hearing_on},
    )
    return case


def decision_day_refusal(case: Case, decided_on: datetime.date) -> str | None:
    """Decide within DECISION_DAYS of 立案 (day 90 is the last lawful day)."""
    if case.filed_on is None:
        return None
    due = rules.decision_due(case.filed_on)
    if decided_on > due:
        return _(
            "已超过立案后 %(days)s 日的决定期限（立案 %(filed)s，最迟 %(due)s 作出决定），"
            "不能再作出处罚决定；确需延长的须经负责人批准并另行登记。"
        ) % {"days": rules.DECISION_DAYS, "filed": case.filed_on, "due": due}
    return None


def heavier_than_notified_refusal(case: Case, penalty: tuple[str, Decimal | None]) -> str | None:
    """行政处罚法 Art. 44/62: no penalty is decided that the party was not told of; a
    heavier one than notified (a fine after a warning, a larger fine) is refused (Art. 45:
    never heavier because of the party's defence). A lighter one is lawful."""
    kind, fine = penalty
    if kind != PenaltyKind.FINE:
        return None
    notified = case.fine if case.penalty_kind == PenaltyKind.FINE else None
    if notified is not None and fine is not None and fine <= notified:
        return None
    told = (
        _("罚款 %(fine)s 元") % {"fine": notified}
        if notified is not None
        else PenaltyKind.WARNING.label
    )
    return _(
        "处罚决定重于告知的拟处罚（%(told)s），当事人未被告知，不能作出；"
        "可作出不重于告知内容的决定。"
    ) % {"told": told}


@transaction.atomic
def decide_case(
    *,
    actor,
    case_id: int,
    decided_on: datetime.date,
    penalty_kind: str,
    fine: Decimal | None = None,
    hearing_waived: bool = False,
) -> Case:
    """处罚决定 (Art. 57-60) with a numbered 行政处罚决定书."""
    case = _lock(actor, case_id, "decide")
    _not_future(decided_on, "decided_on", _("决定日期"))
    _not_before(decided_on, case.hearing_on or case.notified_on, "decided_on", _("告知或听证日期"))
    _check(decision_day_refusal(case, decided_on), "decided_on")
    if case.status == CaseStatus.NOTIFIED and not hearing_waived:
        assert case.notified_on is not None  # a NOTIFIED case carries its notice's date
        window_end = case.notified_on + datetime.timedelta(days=rules.HEARING_REQUEST_DAYS)
        if decided_on <= window_end:
            raise ValidationError(
                {
                    "decided_on": _(
                        "当事人申请听证的期限至 %(last)s，期满后或当事人明确放弃听证后才能作出决定。"
                    )
                    % {"last": window_end}
                }
            )
    penalty = _penalty(penalty_kind, fine)
    _check(heavier_than_notified_refusal(case, penalty), "fine")
    _check_case_law(
        unit=case.unit,
        item=case.item,
        procedure=case.procedure,
        day=decided_on,
        officer_ids=None,  # as for the notice: checked at 立案
        party_kind=case.party_kind,
        penalty=penalty,
    )
    case.penalty_kind, case.fine = penalty
    case.decided_on = decided_on
    document = issue_document(case=case, kind=DocumentKind.DECISION, day=decided_on)
    case.decision_number = document.label
    case.save(update_fields=["status", "penalty_kind", "fine", "decided_on", "decision_number"])
    record_event(
        actor=actor,
        verb="case.decided",
        target=case,
        payload={"number": document.label, "penalty": case.penalty_kind, "fine": case.fine},
    )
    return case


@transaction.atomic
def serve_decision(*, actor, case_id: int, served_on: datetime.date) -> Case:
    """送达 (Art. 61): within SERVICE_DAYS of the decision; a late service is recorded as
    late (the party must still be served), never refused."""
    case = _lock(actor, case_id, "serve")
    _not_future(served_on, "served_on", _("送达日期"))
    _not_before(served_on, case.decided_on, "served_on", _("决定日期"))
    case.served_on = served_on
    fields = ["status", "served_on"]
    if case.penalty_kind == PenaltyKind.FINE:
        case.payment_due = served_on + datetime.timedelta(days=rules.PAYMENT_DAYS)
        fields.append("payment_due")
    case.save(update_fields=fields)
    document = issue_document(case=case, kind=DocumentKind.SERVICE, day=served_on)
    assert case.decided_on is not None  # only a decided case is served
    late = (served_on - case.decided_on).days - rules.SERVICE_DAYS
    record_event(
        actor=actor,
        verb="case.served",
        target=case,
        payload={"number": document.label, "days_late": max(late, 0)},
    )
    return case


@transaction.atomic
def record_payment(*, actor, case_id: int, paid_on: datetime.date) -> Case:
    """执行 (Art. 67/72): the fine paid; paid after the due day, the late penalty of
    rules.late_payment_penalty (3 %/day, never more than the fine). A simple-procedure case
    is closed (备案) with it."""
    case = _lock(actor, case_id, "pay")
    _not_future(paid_on, "paid_on", _("缴款日期"))
    _not_before(paid_on, case.decided_on, "paid_on", _("决定日期"))
    days_late = (paid_on - case.payment_due).days if case.payment_due else 0
    case.paid_on = paid_on
    case.late_penalty = rules.late_payment_penalty(case.fine or Decimal("0"), days_late)
    fields = ["status", "paid_on", "late_penalty"]
    if case.procedure == Procedure.SIMPLE:
        case.status = CaseStatus.CLOSED
        case.closed_on = paid_on
        fields.append("closed_on")
    case.save(update_fields=fields)
    record_event(
        actor=actor,
        verb="case.paid",
        target=case,
        payload={"late_penalty": case.late_penalty, "closed": case.status == CaseStatus.CLOSED},
    )
    return case


@transaction.atomic
def close_case(*, actor, case_id: int, closed_on: datetime.date) -> Case:
    """结案 with a numbered 结案审批表 (a warning once served; a fine once paid)."""
    case = _lock(actor, case_id, "close")
    _not_future(closed_on, "closed_on", _("结案日期"))
    _not_before(closed_on, case.paid_on or case.served_on, "closed_on", _("送达或缴款日期"))
    case.closed_on = closed_on
    case.save(update_fields=["status", "closed_on"])
    document = issue_document(case=case, kind=DocumentKind.CLOSING, day=closed_on)
    record_event(actor=actor, verb="case.closed", target=case, payload={"number": document.label})
    return case


def request_case_file(*, actor, case_id: int) -> Case:
    """Queue the case file (案卷) PDF; the page polls its status. Anyone who may see the case
    may ask (the file shows what the case page shows)."""
    from enforcement.cases.tasks import render_case_file
    from safetyportal.core.queue import enqueue_on_commit

    case = get_case_for_user(actor, case_id)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            file_status=FileStatus.PENDING, file_requested_at=timezone.now(), file_error=""
        )

        def unreachable(error: Exception) -> None:
            Case.objects.filter(pk=case.pk).update(
                file_status=FileStatus.FAILED, file_error=_("任务队列暂不可用，请稍后重试。")
            )

        enqueue_on_commit(render_case_file, case.pk, on_unreachable=unreachable)
        record_event(actor=actor, verb="case.file_requested", target=case)
    case.refresh_from_db()
    return case
