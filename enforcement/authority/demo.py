"""Demo legal frame for `manage.py load_demo`: the 119 delegated items (the full list
imported from Excel, after the representative fixture that load_reference_data loads), the 19 towns' delegations (小渡口镇 and
城头山镇 general procedure, the other 17 simple only) and 22 certified enforcement
officers, so that every town has at least one and the two general-procedure towns two.

Everything goes through the services (audit, checks, the towns' procedure flags).
Idempotent: items are matched by code, a town with a delegation in force keeps it,
certificates are matched by number (and an officer with one is skipped), officer accounts
by username. The dates are relative to today (demo_dates), so the figures hold in any year.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from enforcement.authority import importing, services
from enforcement.authority.models import (
    DelegatedItem,
    OfficerCertificate,
    Procedure,
    TownAuthorisation,
)
from responsibilities.models import Organisation
from safetyportal.accounts.models import Role, User
from safetyportal.accounts.services import create_portal_user

GENERAL_TOWNS = ("430723102", "430723118")  # 小渡口镇, 城头山镇
# the delegation and the certificates date from last year and run past next year, so the
# demo's figures hold in whatever year it is loaded (a certificate is valid for 3 years)
DOCUMENT_NUMBER = "澧政发〔{year}〕12号"


def demo_dates(today: datetime.date) -> dict[str, datetime.date]:
    last = today.year - 1
    return {
        "valid_from": datetime.date(last, 1, 1),
        "valid_until": datetime.date(today.year + 1, 12, 31),
        "issued_on": datetime.date(last, 3, 1),
        "expires_on": datetime.date(last + 3, 2, 28),
    }


# the demo's own accounts that enforce (load_demo.DEMO_USERS)
DEMO_OFFICIALS = ("town_xdk", "town_lyj", "dept_yjj")
OFFICER_NAMES = [
    "彭立新",
    "黄建军",
    "刘志勇",
    "胡海军",
    "龚德明",
    "唐卫东",
    "戴春生",
    "覃国华",
    "杨振华",
    "易学文",
    "向光明",
    "周长青",
    "石永红",
    "熊世明",
    "文建华",
    "万运来",
    "邓国庆",
    "肖爱华",
    "贺兴旺",
    "曾小平",
]


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def load_items() -> tuple[int, int]:
    """The full Excel list (the representative set, fixtures/delegated_items.json, is
    reference data: load_reference_data loaded it, enforcement/reference.py)."""
    with open(fixtures_dir() / "delegated_items_full.xlsx", "rb") as handle:
        parsed = importing.parse_workbook(handle)
    if parsed.errors:
        raise ValueError(f"delegated items (xlsx): {parsed.errors[:3]}")
    return services.import_delegated_items(actor=None, rows=parsed.rows)


def officer_plan(towns: list[Organisation]) -> list[tuple[str, Organisation, str]]:
    """(username, unit, display name) of the officer accounts to create: one per town
    without a demo account, a second in each general-procedure town."""
    have = set(
        User.objects.filter(username__in=DEMO_OFFICIALS).values_list("organisation_id", flat=True)
    )
    plan = []
    names = iter(OFFICER_NAMES)
    for town in towns:
        wanted = 2 if town.code in GENERAL_TOWNS else 1
        already = 1 if town.pk in have else 0
        for n in range(already, wanted):
            plan.append((f"zf{town.code[-3:]}{'' if n == 0 else f'_{n + 1}'}", town, next(names)))
    return plan


@transaction.atomic
def load_authority_demo(stdout, password: str | None = None) -> None:
    created, updated = load_items()
    today = timezone.localdate()
    dates = demo_dates(today)
    document_number = DOCUMENT_NUMBER.format(year=today.year - 1)
    towns = list(Organisation.objects.towns().order_by("sort_order", "code"))
    items = list(DelegatedItem.objects.active())
    new_authorisations = 0
    for town in towns:
        # one in force already (this demo's, or an earlier year's still valid): keep it
        if TownAuthorisation.objects.filter(
            town=town, valid_from__lte=today, valid_until__gte=today
        ).exists():
            continue
        services.create_authorisation(
            actor=None,
            town=town,
            document_number=document_number,
            procedure_level=Procedure.GENERAL if town.code in GENERAL_TOWNS else Procedure.SIMPLE,
            valid_from=dates["valid_from"],
            valid_until=dates["valid_until"],
            items=items,
            note="县人民政府关于向镇（街道）委托下放部分行政执法事项的决定",
        )
        new_authorisations += 1
    officers = list(
        User.objects.filter(username__in=DEMO_OFFICIALS, is_active=True).order_by("username")
    )
    hashed = make_password(password) if password else None  # once: hashing is slow
    for username, town, name in officer_plan(towns):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_portal_user(
                actor=None,
                username=username,
                password=None,
                role=Role.TOWN,
                display_name=name,
                organisation=town,
            )
            if hashed:
                user.password = hashed
                user.save(update_fields=["password"])
        officers.append(user)
    new_certificates = 0
    for number, officer in enumerate(
        sorted(
            officers, key=lambda u: (u.organisation.sort_order, u.organisation.code, u.username)
        ),
        1,
    ):
        certificate_number = f"430723{dates['issued_on'].year:04d}{number:04d}"
        if OfficerCertificate.objects.filter(number=certificate_number).exists():
            continue
        if OfficerCertificate.objects.filter(officer=officer, revoked_on__isnull=True).exists():
            continue
        services.register_certificate(
            actor=None,
            officer=officer,
            number=certificate_number,
            issued_on=dates["issued_on"],
            expires_on=dates["expires_on"],
        )
        new_certificates += 1
    stdout.write(
        f"委托执法事项：新增 {created} 项、更新 {updated} 项（共 {DelegatedItem.objects.active().count()} 项）；"
        f"新增镇街委托书 {new_authorisations} 份；新增执法证 {new_certificates} 个"
        f"（持证执法人员 {len(officers)} 人）。"
    )
