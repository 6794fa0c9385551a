"""The legal limits of enforcement (行政处罚法 2021, domain-notes §4), as functions that
return None when the act is lawful, else the reason in Chinese. Services call them before
writing and raise `ValidationError`/`StepForbidden` with the reason; forms and the demo use
the same functions, so the portal refuses exactly what the law refuses.

Who the *user* is (their role) is not judged here: that is `enforcement.permissions`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from enforcement.authority.models import (
    DelegatedItem,
    OfficerCertificate,
    PartyKind,
    Procedure,
    TownAuthorisation,
)

# 行政处罚法 Art. 51: on-the-spot fines up to 200 yuan (person) / 3,000 yuan (organisation)
SIMPLE_FINE_CAP = {PartyKind.PERSON: Decimal("200"), PartyKind.ORGANISATION: Decimal("3000")}
# Art. 42: investigation by at least two officers with enforcement qualification
GENERAL_MIN_OFFICERS = 2
# Art. 60: decide within 90 days of 立案 (day 90 is the last lawful day)
DECISION_DAYS = 90
# Art. 64: the party asks for a hearing within 5 days of the notice; notice 7 days ahead
HEARING_REQUEST_DAYS = 5
HEARING_NOTICE_DAYS = 7
# Art. 61: serve the decision within 7 days when the party is absent
SERVICE_DAYS = 7
# Art. 67/72: pay within 15 days; 3 % of the fine per day late, capped at the fine
PAYMENT_DAYS = 15
LATE_PENALTY_RATE = Decimal("0.03")


def authorisation_in_force(town_id: int, day: datetime.date) -> TownAuthorisation | None:
    """The town's written delegation in force on `day` (the latest one starting, if two
    overlap), or None."""
    return (
        TownAuthorisation.objects.filter(town_id=town_id, valid_from__lte=day, valid_until__gte=day)
        .order_by("-valid_from", "-id")
        .first()
    )


def authority_refusal(
    *, unit, item: DelegatedItem, procedure: str, day: datetime.date
) -> str | None:
    """May `unit` act on `item` under `procedure` on `day`?

    A county department acts on its own powers (the items it delegates); a town only within
    a delegation in force that covers the item, and the general procedure only when that
    delegation grants it."""
    if not item.is_active:
        return _("执法事项“%(item)s”已停用，不能据此执法。") % {"item": item.name}
    if procedure == Procedure.SIMPLE and not item.allows_simple:
        return _("执法事项“%(item)s”不适用简易程序，请按一般程序立案。") % {"item": item.name}
    if procedure == Procedure.GENERAL and not item.allows_general:
        return _("执法事项“%(item)s”不适用一般程序。") % {"item": item.name}
    if not unit.is_town_level:
        if item.delegating_department_id == unit.pk:
            return None
        return _("“%(item)s”不是本单位的执法事项（委托机关为%(dept)s）。") % {
            "item": item.name,
            "dept": item.delegating_department.name,
        }
    authorisation = authorisation_in_force(unit.pk, day)
    if authorisation is None:
        return _("%(town)s在%(day)s没有有效的委托执法书（可能已过期），不能实施行政处罚。") % {
            "town": unit.name,
            "day": day.isoformat(),
        }
    if not authorisation.items.filter(pk=item.pk).exists():
        return _("“%(item)s”不在%(town)s的委托执法事项内（委托书 %(number)s）。") % {
            "item": item.name,
            "town": unit.name,
            "number": authorisation.document_number,
        }
    if procedure == Procedure.GENERAL and not authorisation.allows_general:
        return _(
            "%(town)s仅受委托适用简易程序，不能以一般程序立案；请移交委托机关%(dept)s办理。"
        ) % {
            "town": unit.name,
            "dept": item.delegating_department.name,
        }
    return None


def fine_refusal(
    *,
    item: DelegatedItem,
    procedure: str,
    party_kind: str,
    fine: Decimal | None,
) -> str | None:
    """Is a fine of `fine` yuan (None: a warning only) lawful for `item` under
    `procedure`? The item's range binds both procedures; the simple procedure is also
    capped at 200 / 3,000 yuan."""
    if fine is None:
        if not item.allows_warning:
            return _("执法事项“%(item)s”不能仅予警告，请填写罚款金额。") % {"item": item.name}
        return None
    if fine <= 0:
        return _("罚款金额必须大于 0 元。")
    if not item.allows_fine:
        return _("执法事项“%(item)s”没有罚款处罚。") % {"item": item.name}
    if item.min_fine is not None and fine < item.min_fine:
        return _("罚款 %(fine)s 元低于该事项的下限 %(min)s 元。") % {
            "fine": _yuan(fine),
            "min": _yuan(item.min_fine),
        }
    if item.max_fine is not None and fine > item.max_fine:
        return _("罚款 %(fine)s 元超过该事项的上限 %(max)s 元。") % {
            "fine": _yuan(fine),
            "max": _yuan(item.max_fine),
        }
    if procedure == Procedure.SIMPLE:
        cap = SIMPLE_FINE_CAP[PartyKind(party_kind)]
        if fine > cap:
            return _(
                "简易程序当场罚款不得超过 %(cap)s 元（%(party)s），%(fine)s 元须按一般程序办理。"
            ) % {"cap": _yuan(cap), "party": PartyKind(party_kind).label, "fine": _yuan(fine)}
    return None


def officers_refusal(
    *, officer_ids: Iterable[int], procedure: str, day: datetime.date
) -> str | None:
    """Do the named officers all hold a certificate valid on `day`, and are there enough of
    them (two on a general case, one otherwise)?"""
    officer_ids = set(officer_ids)
    needed = GENERAL_MIN_OFFICERS if procedure == Procedure.GENERAL else 1
    if len(officer_ids) < needed:
        if procedure == Procedure.GENERAL:
            return _("一般程序须由两名以上持有效执法证的执法人员办理。")
        return _("请至少选择一名持有效执法证的执法人员。")
    certified = set(certified_officer_ids(officer_ids, day))
    missing = officer_ids - certified
    if missing:
        from safetyportal.accounts.models import User

        names = "、".join(str(u) for u in User.objects.filter(pk__in=missing).order_by("pk"))
        return _("%(names)s在%(day)s没有有效的执法证，不能参与执法。") % {
            "names": names,
            "day": day.isoformat(),
        }
    return None


def certified_officer_ids(officer_ids: Iterable[int] | None, day: datetime.date) -> list[int]:
    """Of `officer_ids` (None: everyone), those holding a certificate valid on `day`."""
    certificates = OfficerCertificate.objects.filter(
        issued_on__lte=day, expires_on__gte=day
    ).exclude(revoked_on__lte=day)
    if officer_ids is not None:
        certificates = certificates.filter(officer_id__in=list(officer_ids))
    return list(certificates.values_list("officer_id", flat=True).distinct())


def decision_due(filed_on: datetime.date) -> datetime.date:
    """The last day to decide a general case (立案 day + 90)."""
    return filed_on + datetime.timedelta(days=DECISION_DAYS)


def late_payment_penalty(fine: Decimal, days_late: int) -> Decimal:
    """行政处罚法 Art. 72: 3 % of the fine per day late, never more than the fine."""
    if days_late <= 0:
        return Decimal("0")
    return min(fine * LATE_PENALTY_RATE * days_late, fine).quantize(Decimal("0.01"))


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def issuing_authority(*, unit, item: DelegatedItem) -> str:
    """The name a procedural document is issued under. A town acting under delegation acts
    in the name of the delegating department (行政处罚法 Art. 20), so its documents carry that
    department's name, with the town shown as the body that carried it out."""
    if unit.is_town_level:
        return _("%(dept)s（委托%(town)s实施）") % {
            "dept": item.delegating_department.name,
            "town": unit.name,
        }
    return unit.name
