"""Scale data of enforcement's legal frame: the 119 delegated items (from the shipped
Excel list), one delegation per town (two towns general, the rest simple only), and an
enforcement certificate for most town and department officials (a few expired, a few
revoked), so the catalogue, delegation and officer pages are measured with a city's
officers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from safetyportal.core.excel import iter_xlsx_rows

GENERAL_TOWNS = ("430723102", "430723118")
DOCUMENT_NUMBER = "澧政发〔2025〕12号"


def _yes(value) -> bool:
    return str(value).strip() == "是"


def _amount(value):
    return None if value in (None, "") else Decimal(str(value))


def authority(ctx: Any) -> None:
    """Registered by scale.py as the "authority" generator (this module imports nothing of
    scale.py: no import cycle); `ctx` is its ScaleContext."""
    rng = ctx.rng("authority")
    Item = apps.get_model("enforcement", "DelegatedItem")
    Authorisation = apps.get_model("enforcement", "TownAuthorisation")
    Organisation = apps.get_model("responsibilities", "Organisation")
    departments = dict(Organisation.objects.filter(kind="department").values_list("code", "pk"))
    # the full list's items not there yet (load_reference_data loads the representative 30)
    known = set(Item.objects.values_list("code", flat=True))
    path = Path(settings.BASE_DIR) / "fixtures" / "delegated_items_full.xlsx"
    with open(path, "rb") as handle:
        rows = [v for number, v in iter_xlsx_rows(handle) if number > 1 and v[0] not in known]
    if rows:
        order = Item.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
        first = ctx.reserve("enforcement.DelegatedItem", len(rows))
        ctx.copy(
            "enforcement.DelegatedItem",
            ["id", "code", "name", "delegating_department", "legal_basis", "penalty_basis",
             "allows_warning", "min_fine", "max_fine", "allows_simple", "allows_general",
             "sort_order", "is_active"],
            [
                (first + i, r[0], r[1], departments[r[2]], r[3], r[4] or "", _yes(r[5]),
                 _amount(r[6]), _amount(r[7]), _yes(r[8]), _yes(r[9]), (order or 0) + i + 1,
                 True)
                for i, r in enumerate(rows)
            ],
        )  # fmt: skip
    item_ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    towns = dict(Organisation.objects.filter(pk__in=ctx.data["towns"]).values_list("pk", "code"))
    taken = set(
        Authorisation.objects.filter(document_number=DOCUMENT_NUMBER).values_list(
            "town_id", flat=True
        )
    )
    wanted = [pk for pk in ctx.data["towns"] if pk not in taken]
    valid_from = datetime.date(ctx.today.year - 1, 1, 1)
    valid_until = datetime.date(ctx.today.year + 1, 12, 31)
    first = ctx.reserve("enforcement.TownAuthorisation", len(wanted))
    now = datetime.datetime.combine(ctx.today, datetime.time(9), tzinfo=datetime.UTC)
    ctx.copy(
        "enforcement.TownAuthorisation",
        ["id", "town", "document_number", "procedure_level", "valid_from", "valid_until", "note",
         "created_at"],
        [
            (first + i, town, DOCUMENT_NUMBER,
             "general" if towns.get(town) in GENERAL_TOWNS else "simple",
             valid_from, valid_until, "", now)
            for i, town in enumerate(wanted)
        ],
    )  # fmt: skip
    links = [(first + i, item) for i in range(len(wanted)) for item in item_ids]
    through = Authorisation.items.through._meta.label
    link_first = ctx.reserve(through, len(links))
    ctx.copy(
        through,
        ["id", "townauthorisation", "delegateditem"],
        [(link_first + i, a, item) for i, (a, item) in enumerate(links)],
    )
    general = [pk for pk, code in towns.items() if code in GENERAL_TOWNS and pk in wanted]
    Organisation.objects.filter(pk__in=general).update(general_procedure_authorised=True)
    officers = [
        *(pk for pks in ctx.data["town_users"].values() for pk in pks),
        *(pk for pks in ctx.data["dept_users"].values() for pk in pks[: max(1, len(pks) // 2)]),
    ]
    certificates = []
    for officer in officers:
        issued = ctx.today - datetime.timedelta(days=rng.randint(30, 1400))
        roll = rng.random()
        if roll < 0.08:  # expired
            expires = ctx.today - datetime.timedelta(days=rng.randint(1, 300))
            issued = min(issued, expires)
        elif roll < 0.15:  # expiring within a month
            expires = ctx.today + datetime.timedelta(days=rng.randint(0, 30))
        else:
            expires = ctx.today + datetime.timedelta(days=rng.randint(31, 1400))
        revoked = ctx.today - datetime.timedelta(days=3) if roll > 0.98 else None
        certificates.append((f"SC{officer:010d}", officer, issued, expires, revoked, now))
    first = ctx.reserve("enforcement.OfficerCertificate", len(certificates))
    ctx.copy(
        "enforcement.OfficerCertificate",
        ["id", "number", "officer", "issued_on", "expires_on", "revoked_on", "created_at"],
        [(first + i, *c) for i, c in enumerate(certificates)],
    )
