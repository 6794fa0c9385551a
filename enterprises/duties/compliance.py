"""Compliance checks of an enterprise's statutory duties (domain-notes §7).

Every check is a pure function of the records and `today` (no database, no clock), so
each rule is tested at its boundaries. `check_all` runs them on an enterprise whose duty
records were prefetched (see `Enterprise.objects.with_duty_records()`).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext, ngettext, pgettext

# Status, Check and the badges live with the models (the stored ComplianceStatus uses them)
from enterprises.duties.models import (
    BADGE_CLASSES,
    Check,
    DocumentKind,
    PlanKind,
    Status,
    TraineeRole,
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Result:
    check: str
    status: str
    message: str

    @property
    def label(self) -> str:
        return str(Check(self.check).label)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self.status]

    @property
    def ok(self) -> bool:
        return self.status == Status.PASS


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months, clamped to the month's last day (31 Aug + 6 = 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_counting(held: datetime.date, months: int) -> datetime.date:
    """The last day on which something held on `held` is within `months` months, i.e. the
    last `d` with add_months(d, -months) <= held: 28 Feb + 6 months counts until 31 Aug."""
    due = add_months(held, months)
    if held.day == calendar.monthrange(held.year, held.month)[1]:
        return due.replace(day=calendar.monthrange(due.year, due.month)[1])
    return due


def _enumerate(items: Iterable) -> str:
    """Items joined as a list in a sentence (Chinese 、, English commas)."""
    return pgettext("enumeration comma", "、").join(map(str, items))


def _clauses(items: Iterable[str]) -> str:
    """Independent clauses joined in one sentence (Chinese ；, English semicolons)."""
    return pgettext("clause separator", "；").join(items)


def _sentence(clauses: Iterable[str]) -> str:
    """Clauses joined into one sentence with its full stop."""
    return gettext("%(clauses)s。") % {"clauses": _clauses(clauses)}


def _due_soon_days() -> int:
    return settings.DUTY_DUE_SOON_DAYS


def _deadline_status(deadline: datetime.date, today: datetime.date) -> str:
    """EXPIRED after the deadline, DUE_SOON within the warning window (the deadline day
    itself included), else PASS."""
    if deadline < today:
        return Status.EXPIRED
    if deadline <= today + datetime.timedelta(days=_due_soon_days()):
        return Status.DUE_SOON
    return Status.PASS


def staffing_required(*, employee_count: int, is_high_risk: bool) -> bool:
    """Art. 24: high-risk units and units over the threshold (STAFFING_EMPLOYEE_THRESHOLD,
    100 by law) need a safety body or full-time safety managers; the others need at least a
    part-time manager."""
    return is_high_risk or employee_count > settings.STAFFING_EMPLOYEE_THRESHOLD


def check_staffing(*, employee_count: int, is_high_risk: bool, staffing) -> Result:
    """`staffing` is the current SafetyStaffing record or None."""
    if staffing is None:
        return Result(Check.STAFFING, Status.MISSING, gettext("尚未填报安全管理机构和人员。"))
    if staffing_required(employee_count=employee_count, is_high_risk=is_high_risk):
        if staffing.has_safety_body or staffing.full_time_staff > 0:
            return Result(
                Check.STAFFING,
                Status.PASS,
                gettext("已设置安全管理机构或配备专职安全管理人员。"),
            )
        if is_high_risk:
            message = gettext(
                "高危行业企业应设置安全生产管理机构或配备专职安全生产管理人员（安全生产法第24条）。"
            )
        else:
            message = gettext(
                "从业人员%(count)s人（超过%(threshold)s人）应设置安全生产管理机构或配备专职安全生产"
                "管理人员（安全生产法第24条）。"
            ) % {"count": employee_count, "threshold": settings.STAFFING_EMPLOYEE_THRESHOLD}
        return Result(Check.STAFFING, Status.MISSING, message)
    if staffing.full_time_staff + staffing.part_time_staff > 0:
        return Result(Check.STAFFING, Status.PASS, gettext("已配备专职或兼职安全管理人员。"))
    return Result(
        Check.STAFFING,
        Status.MISSING,
        gettext(
            "从业人员%(threshold)s人以下的企业应配备专职或兼职安全生产管理人员"
            "（安全生产法第24条）。"
        )
        % {"threshold": settings.STAFFING_EMPLOYEE_THRESHOLD},
    )


def check_documents(*, documents: Iterable) -> Result:

    present = {doc.kind for doc in documents}
    missing = [label for value, label in DocumentKind.choices if value not in present]
    if missing:
        return Result(
            Check.DOCUMENTS,
            Status.MISSING,
            gettext("缺少：%(items)s。") % {"items": _enumerate(missing)},
        )
    return Result(Check.DOCUMENTS, Status.PASS, gettext("责任制和基本制度文件齐全。"))


def _rates_for_year(rates: Iterable, year: int) -> list:
    """The rate lines in effect at the end of `year` (the year's accounts close then)."""
    day = datetime.date(year, 12, 31)
    return [r for r in rates if r.in_effect(day)]


def required_extraction(cost, rates: Iterable) -> tuple[Decimal, list] | None:
    """(amount, rate lines used) the record's base calls for by the industry's rate table,
    in 万元; None when no table line applies (no table, or a project type missing or not
    in the table). A project-type line applies its rate to the whole base; band lines
    apply each band's rate to the part of the base within it (烟花爆竹's 超额累退)."""
    lines = _rates_for_year(rates, cost.year)
    by_project = [r for r in lines if r.project_type]
    if by_project:
        line = next((r for r in by_project if r.project_type == cost.project_type), None)
        if line is None:
            return None
        return (cost.base_amount * line.rate_percent / 100).quantize(CENT), [line]
    bands = sorted((r for r in lines if not r.project_type), key=lambda r: r.band_from)
    if not bands:
        return None
    amount = Decimal(0)
    for band in bands:
        top = cost.base_amount if band.band_to is None else min(cost.base_amount, band.band_to)
        if top > band.band_from:
            amount += (top - band.band_from) * band.rate_percent / 100
    return amount.quantize(CENT), bands


def check_safety_cost(
    *, obligated: bool, costs: Iterable, today: datetime.date, rates: Iterable = ()
) -> Result:
    """Only units of the industries listed in 财资〔2022〕136号 (SafetyCostObligation rows)
    must extract 安全生产费用; they extract it month by month, so the current year's record
    is expected during the year (no grace period: the 办法 grants none). Where the industry
    has a rate table (SafetyCostRate rows), the amount extracted is compared with base x
    rate and a shortfall is shown; elsewhere the rates are not confirmed and only the
    record is checked."""
    if not obligated:
        return Result(
            Check.SAFETY_COST,
            Status.PASS,
            gettext("不属于须提取安全生产费用的行业。"),
        )
    current = [cost for cost in costs if cost.year == today.year]
    if not current:
        return Result(
            Check.SAFETY_COST,
            Status.MISSING,
            gettext("未填报%(year)s年安全生产费用提取和使用。") % {"year": today.year},
        )
    cost = current[0]
    rates = list(rates)
    required = required_extraction(cost, rates)
    if required is None:
        if any(r.project_type for r in _rates_for_year(rates, cost.year)) and not (
            cost.project_type
        ):
            return Result(
                Check.SAFETY_COST,
                Status.MISSING,
                gettext("请填写工程类别，以便按提取比例核对%(year)s年安全生产费用。")
                % {"year": cost.year},
            )
        return Result(
            Check.SAFETY_COST,
            Status.PASS,
            gettext("已填报%(year)s年安全生产费用（本行业提取比例未收录，未核对金额）。")
            % {"year": today.year},
        )
    amount, lines = required
    if cost.extracted < amount:
        return Result(
            Check.SAFETY_COST,
            Status.SHORTFALL,
            gettext(
                "%(year)s年应提取%(required)s万元（计提依据%(base)s万元，%(basis)s），"
                "已提取%(extracted)s万元，少提取%(shortfall)s万元。"
            )
            % {
                "year": cost.year,
                "required": amount,
                "base": cost.base_amount,
                "basis": lines[0].legal_basis,
                "extracted": cost.extracted,
                "shortfall": amount - cost.extracted,
            },
        )
    return Result(
        Check.SAFETY_COST,
        Status.PASS,
        gettext("已填报%(year)s年安全生产费用，提取额不低于应提取的%(required)s万元。")
        % {"year": today.year, "required": amount},
    )


def check_insurance(*, mandatory: bool, policies: Iterable, today: datetime.date) -> Result:
    policies = list(policies)
    current = [p for p in policies if p.starts_on <= today <= p.ends_on]
    if current:
        ends_on = max(p.ends_on for p in current)
        status = _deadline_status(ends_on, today)
        if status == Status.DUE_SOON:
            return Result(
                Check.INSURANCE,
                Status.DUE_SOON,
                gettext("安责险将于%(date)s到期，请及时续保。") % {"date": f"{ends_on:%Y-%m-%d}"},
            )
        return Result(
            Check.INSURANCE,
            Status.PASS,
            gettext("安责险有效期至%(date)s。") % {"date": f"{ends_on:%Y-%m-%d}"},
        )
    if not mandatory:
        return Result(Check.INSURANCE, Status.PASS, gettext("非强制投保行业（鼓励投保）。"))
    if policies:
        ended = max(p.ends_on for p in policies)
        if ended < today:
            return Result(
                Check.INSURANCE,
                Status.EXPIRED,
                gettext("安责险已于%(date)s到期，高危行业必须投保，不得延迟续保。")
                % {"date": f"{ended:%Y-%m-%d}"},
            )
    return Result(
        Check.INSURANCE,
        Status.MISSING,
        gettext("高危行业必须投保安全生产责任保险（第51条）。"),
    )


def _latest(records: Iterable, *, key, order) -> list:
    """The latest record of each `key(record)` by `order(record)`; a renewed certificate
    or a re-filed plan replaces the old one, which no longer counts."""
    latest: dict = {}
    for record in records:
        group = key(record)
        if group not in latest or order(record) > order(latest[group]):
            latest[group] = record
    return list(latest.values())


def certificate_review_due(certificate) -> datetime.date | None:
    """The day the certificate's 复审 falls due: CERTIFICATE_REVIEW_YEARS (3) after the last
    review or, before the first, after issue; CERTIFICATE_REVIEW_YEARS_LONG_SERVICE (6) when
    the review period was extended (domain-notes §7.2). None when neither date is known
    (records entered before the issue date was asked)."""
    start = certificate.reviewed_on or certificate.issued_on
    if start is None:
        return None
    years = (
        settings.CERTIFICATE_REVIEW_YEARS_LONG_SERVICE
        if certificate.long_service
        else settings.CERTIFICATE_REVIEW_YEARS
    )
    return add_months(start, 12 * years)


def check_certificates(*, certificates: Iterable, today: datetime.date) -> Result:
    """Each worker's latest certificate of each category is judged (a renewal replaces
    the old one). A certificate expiring today is still valid today (due soon); from
    tomorrow it has expired."""
    certificates = _latest(
        certificates,
        key=lambda c: (c.worker_name.strip(), c.category),
        order=lambda c: (c.expires_on, c.pk or 0),
    )
    if not certificates:
        return Result(Check.CERTIFICATES, Status.PASS, gettext("未登记特种作业人员。"))
    expired = [c for c in certificates if c.expires_on < today]
    if expired:
        names = _enumerate(c.worker_name for c in expired)
        return Result(
            Check.CERTIFICATES,
            Status.EXPIRED,
            gettext("特种作业操作证已过期：%(names)s。") % {"names": names},
        )
    reviews = [(c, certificate_review_due(c)) for c in certificates]
    overdue = [c for c, due in reviews if due is not None and due < today]
    if overdue:
        return Result(
            Check.CERTIFICATES,
            Status.EXPIRED,
            gettext("特种作业操作证复审已逾期：%(names)s。")
            % {"names": _enumerate(c.worker_name for c in overdue)},
        )
    review_soon = [
        c
        for c, due in reviews
        if due is not None and _deadline_status(due, today) == Status.DUE_SOON
    ]
    soon = [c for c in certificates if _deadline_status(c.expires_on, today) == Status.DUE_SOON]
    if review_soon and not soon:
        return Result(
            Check.CERTIFICATES,
            Status.DUE_SOON,
            gettext("特种作业操作证即将到复审期：%(names)s。")
            % {"names": _enumerate(c.worker_name for c in review_soon)},
        )
    if soon:
        names = _enumerate(c.worker_name for c in soon)
        return Result(
            Check.CERTIFICATES,
            Status.DUE_SOON,
            gettext("特种作业操作证即将到期：%(names)s。") % {"names": names},
        )
    return Result(
        Check.CERTIFICATES,
        Status.PASS,
        ngettext(
            "%(count)s本特种作业操作证均在有效期内。",
            "%(count)s本特种作业操作证均在有效期内。",
            len(certificates),
        )
        % {"count": len(certificates)},
    )


def full_plan_duties(*, employee_count: int, is_high_risk: bool) -> bool:
    """High-risk units and medium-size-or-larger units (EMERGENCY_PLAN_MEDIUM_EMPLOYEES
    employees or more) keep a comprehensive plan and evaluate their plans every 3 years
    (总局令88号 Art. 35); a small unit with a single kind of risk may keep an on-site
    disposal plan only (domain-notes §7.5)."""
    return is_high_risk or employee_count >= settings.EMERGENCY_PLAN_MEDIUM_EMPLOYEES


def plan_review_due(plan) -> datetime.date:
    """Plans are evaluated every 3 years (总局令88号 Art. 35), counted from the last
    evaluation or, before the first, from filing."""
    return add_months(plan.reviewed_on or plan.filed_on, 36)


def check_plans(*, plans: Iterable, today: datetime.date, full_duty: bool = True) -> Result:
    """`full_duty`: see `full_plan_duties`; without it any plan (an on-site disposal plan)
    suffices and no 3-yearly evaluation is demanded."""
    plans = list(plans)
    if not full_duty:
        if not plans:
            return Result(
                Check.PLANS,
                Status.MISSING,
                gettext("未编制应急预案（小型单位至少应编制现场处置方案）。"),
            )
        return Result(
            Check.PLANS,
            Status.PASS,
            gettext("已编制应急预案或现场处置方案（小型非高危单位不强制综合预案和3年评估）。"),
        )
    # the latest version of each plan is judged: a re-filed plan replaces the old one.
    # There is one comprehensive plan; special and on-site plans are told apart by title
    # (a fire plan and a leak plan are two plans, not two versions of one).
    plans = _latest(
        plans,
        key=lambda p: (p.kind,) if p.kind == PlanKind.COMPREHENSIVE else (p.kind, p.title.strip()),
        order=lambda p: (p.filed_on, p.pk or 0),
    )
    if not any(p.kind == PlanKind.COMPREHENSIVE for p in plans):
        return Result(Check.PLANS, Status.MISSING, gettext("未备案综合应急预案。"))
    statuses = [(p, _deadline_status(plan_review_due(p), today)) for p in plans]
    overdue = [p for p, status in statuses if status == Status.EXPIRED]
    if overdue:
        return Result(
            Check.PLANS,
            Status.EXPIRED,
            gettext("应急预案超过3年未评估：%(plans)s。")
            % {"plans": _enumerate(p.title for p in overdue)},
        )
    soon = [p for p, status in statuses if status == Status.DUE_SOON]
    if soon:
        return Result(
            Check.PLANS,
            Status.DUE_SOON,
            gettext("应急预案即将满3年，请组织评估：%(plans)s。")
            % {"plans": _enumerate(p.title for p in soon)},
        )
    return Result(Check.PLANS, Status.PASS, gettext("应急预案已备案并在评估周期内。"))


def check_drills(
    *,
    drills: Iterable,
    today: datetime.date,
    full_duty: bool = True,
    plan_kinds: Iterable[str] = (),
) -> Result:
    """综合或专项预案演练每年至少一次；现场处置方案演练每半年至少一次 (总局令88号 Art. 33).
    A drill held exactly 6 months ago still counts today; one day earlier does not. A unit
    without full plan duties (`full_plan_duties`) that keeps no comprehensive or special
    plan (`plan_kinds`: the kinds of its plans) owes only the on-site drills."""

    drills = list(drills)
    yearly_kinds = {PlanKind.COMPREHENSIVE, PlanKind.SPECIAL}
    needs_yearly = full_duty or bool(yearly_kinds & set(plan_kinds))
    if not drills:
        return Result(Check.DRILLS, Status.MISSING, gettext("没有应急演练记录。"))
    problems, soon = [], []  # problems: (status, message)
    rules = (
        (
            yearly_kinds,
            12,
            gettext("综合或专项应急预案演练（每年至少一次）"),
        ),
        ({PlanKind.ON_SITE}, 6, gettext("现场处置方案演练（每半年至少一次）")),
    )
    if not needs_yearly:
        rules = rules[1:]
    for kinds, months, label in rules:
        held = [d.held_on for d in drills if d.plan_kind in kinds]
        if not held:
            problems.append((Status.MISSING, gettext("缺少%(drill)s") % {"drill": label}))
            continue
        latest = max(held)
        next_due = last_day_counting(latest, months)
        # counted back from today, so a drill on 28 Feb still counts on 31 Aug
        if add_months(today, -months) > latest:
            status = Status.EXPIRED
        else:
            status = _deadline_status(next_due, today)
        if status == Status.EXPIRED:
            problems.append(
                (
                    Status.EXPIRED,
                    gettext("%(drill)s已逾期，最近一次为%(date)s")
                    % {"drill": label, "date": f"{latest:%Y-%m-%d}"},
                )
            )
        elif status == Status.DUE_SOON:
            soon.append(
                gettext("%(drill)s应在%(date)s前进行")
                % {"drill": label, "date": f"{next_due:%Y-%m-%d}"}
            )
    if problems:
        missing_only = all(s == Status.MISSING for s, _m in problems)
        return Result(
            Check.DRILLS,
            Status.MISSING if missing_only else Status.EXPIRED,
            _sentence(m for _s, m in problems),
        )
    if soon:
        return Result(Check.DRILLS, Status.DUE_SOON, _sentence(soon))
    return Result(Check.DRILLS, Status.PASS, gettext("应急演练频次符合要求。"))


def check_training(*, records: Iterable, today: datetime.date) -> Result:
    """The principal and the safety managers each need a passed training within the last
    12 months (annual re-training)."""

    records = [r for r in records if r.passed]
    problems, soon = [], []
    for role, label in TraineeRole.choices:
        dates = [r.trained_on for r in records if r.trainee_role == role]
        if not dates:
            problems.append(
                (Status.MISSING, gettext("%(role)s没有合格的培训记录") % {"role": label})
            )
            continue
        status = _deadline_status(last_day_counting(max(dates), 12), today)
        if status == Status.EXPIRED:
            problems.append((Status.EXPIRED, gettext("%(role)s的年度培训已逾期") % {"role": label}))
        elif status == Status.DUE_SOON:
            soon.append(gettext("%(role)s的年度培训即将到期") % {"role": label})
    if problems:
        expired = any(s == Status.EXPIRED for s, _m in problems)
        status = Status.EXPIRED if expired else Status.MISSING
        return Result(Check.TRAINING, status, _sentence(m for _s, m in problems))
    if soon:
        return Result(Check.TRAINING, Status.DUE_SOON, _sentence(soon))
    return Result(Check.TRAINING, Status.PASS, gettext("主要负责人和安全管理人员年度培训合格。"))


def check_all(
    enterprise,
    *,
    today: datetime.date,
    insurance_mandatory: bool,
    cost_obligated: bool,
    cost_rates: Iterable = (),
) -> list[Result]:
    """All checks for an enterprise whose duty records are prefetched; the reference
    data (mandates, obligations, rates of its industry) is passed in."""
    staffing_records = list(enterprise.staffing_records.all())
    is_high_risk = enterprise.is_high_risk or enterprise.industry.is_high_risk
    full_duty = full_plan_duties(
        employee_count=enterprise.employee_count, is_high_risk=is_high_risk
    )
    plans = list(enterprise.emergency_plans.all())
    return [
        check_staffing(
            employee_count=enterprise.employee_count,
            is_high_risk=is_high_risk,
            staffing=staffing_records[0] if staffing_records else None,
        ),
        check_documents(documents=enterprise.duty_documents.all()),
        check_safety_cost(
            obligated=cost_obligated,
            costs=enterprise.safety_costs.all(),
            today=today,
            rates=cost_rates,
        ),
        check_insurance(
            mandatory=insurance_mandatory, policies=enterprise.insurance_policies.all(), today=today
        ),
        check_certificates(certificates=enterprise.certificates.all(), today=today),
        check_plans(plans=plans, today=today, full_duty=full_duty),
        check_drills(
            drills=enterprise.drills.all(),
            today=today,
            full_duty=full_duty,
            plan_kinds={p.kind for p in plans},
        ),
        check_training(records=enterprise.training_records.all(), today=today),
    ]


# --- when a result can change by the passage of time alone ------------------------------
#
# The stored results (ComplianceStatus) are judged again on the first day any of these
# dates is reached. Each list is a superset of the days the check's result (status or
# message) can change while the records stay as they are: a day too many costs one more
# judgement, a day missing would leave a stale result, so when in doubt a day is added.


def _deadline_days(deadline: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days a deadline's status changes (`_deadline_status`): due soon from the start
    of the warning window, expired from the day after the deadline."""
    return (
        deadline - datetime.timedelta(days=_due_soon_days()),
        deadline + datetime.timedelta(days=1),
    )


def _change_days(
    enterprise, *, today: datetime.date, cost_obligated: bool
) -> dict[str, list[datetime.date]]:
    is_high_risk = enterprise.is_high_risk or enterprise.industry.is_high_risk
    full_duty = full_plan_duties(
        employee_count=enterprise.employee_count, is_high_risk=is_high_risk
    )
    days: dict[str, list[datetime.date]] = {check: [] for check in Check.values}
    if cost_obligated:  # the current year's record is asked for, so a new year changes it
        days[Check.SAFETY_COST].append(datetime.date(today.year + 1, 1, 1))
    for policy in enterprise.insurance_policies.all():
        days[Check.INSURANCE] += [policy.starts_on, *_deadline_days(policy.ends_on)]
    for certificate in enterprise.certificates.all():
        days[Check.CERTIFICATES] += _deadline_days(certificate.expires_on)
        review = certificate_review_due(certificate)
        if review is not None:
            days[Check.CERTIFICATES] += _deadline_days(review)
    if full_duty:
        for plan in enterprise.emergency_plans.all():
            days[Check.PLANS] += _deadline_days(plan_review_due(plan))
    for drill in enterprise.drills.all():
        for months in (12, 6):
            days[Check.DRILLS] += _deadline_days(last_day_counting(drill.held_on, months))
            days[Check.DRILLS] += _deadline_days(add_months(drill.held_on, months))
    for record in enterprise.training_records.all():
        if record.passed:
            days[Check.TRAINING] += _deadline_days(last_day_counting(record.trained_on, 12))
    return days


def next_changes(
    enterprise, *, today: datetime.date, cost_obligated: bool
) -> dict[str, datetime.date | None]:
    """For each check of `check_all`, the first day after `today` on which its result
    can change without any record changing; None when only a record can change it."""
    result: dict[str, datetime.date | None] = {}
    for check, days in _change_days(enterprise, today=today, cost_obligated=cost_obligated).items():
        later = [day for day in days if day > today]
        result[check] = min(later) if later else None
    return result
