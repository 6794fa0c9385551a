"""Scale data for whistleblower reports: a few hundred a year per 5,000 enterprises over 3
years, in every stage by age, about half named (their identities encrypted like the
service does: a real Fernet token and keyed hash per row), a share substantiated with a
reward, a few merged."""

from __future__ import annotations

import datetime
from decimal import Decimal

from enforcement.reports import crypto
from enforcement.reports.services import CODE_ALPHABET, CODE_LENGTH
from safetyportal.dashboard.scale import ScaleContext, chunks

MATTERS = ("消防通道堵塞", "无证上岗", "安全设施损坏", "违规动火", "超员生产", "隐瞒事故")


def reports(ctx: ScaleContext) -> None:
    rng = ctx.rng("reports")
    years = 3
    count = max(30, round(100 * ctx.factor)) * years
    enterprises = ctx.data["enterprises"]
    units = list(ctx.data["departments"]) + list(ctx.data["towns"])
    office = ctx.data["office"]
    now = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=datetime.UTC)
    first = ctx.reserve("enforcement.Report", count)
    rows, identities, rewards = [], [], []
    for index in range(count):
        pk = first + index
        ent, town, industry, *_rest, name = rng.choice(enterprises)
        received = ctx.today - datetime.timedelta(days=rng.randrange(0, 365 * years))
        age = (ctx.today - received).days
        status, unit = "received", office
        accepted: datetime.date | None = None
        verify_due: datetime.date | None = None
        verified: datetime.date | None = None
        feedback_due: datetime.date | None = None
        feedback_on: datetime.date | None = None
        outcome = ""
        # each stage follows the one before it (an older report is further along)
        accepted_on = received + datetime.timedelta(days=rng.randrange(1, 9))
        verified_on = accepted_on + datetime.timedelta(days=rng.randrange(20, 75))
        if age > 5:
            status, accepted = "accepted", accepted_on
            verify_due = accepted_on + datetime.timedelta(days=60)
        if age > 10:
            status, unit = "verifying", rng.choice(units)
        if age > 50:
            status, verified = "verified", verified_on
            feedback_due = verified_on + datetime.timedelta(days=10)
            outcome = rng.choices(("substantiated", "partly", "unsubstantiated"), (4, 2, 4))[0]
        if age > 80:
            feedback_on = verified_on + datetime.timedelta(days=rng.randrange(1, 14))
            status = "closed"
        named = rng.random() < 0.5
        rows.append(
            (
                pk, "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                rng.choice(("hazard", "violation", "concealed_accident")), ent, name, town,
                industry, "厂区", rng.choice(MATTERS), not named, named and rng.random() < 0.2,
                status, unit, received, now, received + datetime.timedelta(days=7), accepted,
                "", verify_due, None, "", verified, outcome, "", feedback_due,
                "已办结" if feedback_on else "", feedback_on, None, None, None,
            )
        )  # fmt: skip
        if named:
            phone = f"139{rng.randrange(10**8):08d}"
            identities.append(
                (pk, crypto.encrypt("举报人"), crypto.encrypt(phone), "", "",
                 crypto.phone_hash(phone), now)
            )  # fmt: skip
        if status == "closed" and outcome == "substantiated" and rng.random() < 0.5:
            amount = Decimal(rng.randrange(3000, 50000))
            paid = rng.random() < 0.6
            rewards.append(
                (pk, "fine_share", amount * 7, None, "", amount, Decimal(0), amount,
                 "paid" if paid else "approved", feedback_on, feedback_on,
                 feedback_on if paid else None, "")
            )  # fmt: skip
    columns = [
        "id", "receipt_code", "kind", "enterprise", "enterprise_name", "town", "industry",
        "location", "description", "is_anonymous", "is_whistleblower", "status", "unit",
        "received_on", "received_at", "accept_due", "accepted_on", "reject_reason",
        "verify_due", "extended_on", "extension_reason", "verified_on", "outcome", "findings",
        "feedback_due", "feedback", "feedback_on", "merged_into", "hazard", "case",
    ]  # fmt: skip
    for chunk in chunks(rows):
        ctx.copy("enforcement.Report", columns, chunk)
    first_identity = ctx.reserve("enforcement.ReporterIdentity", len(identities))
    ctx.copy(
        "enforcement.ReporterIdentity",
        ["id", "report", "name_token", "phone_token", "contact_token", "relation_token",
         "phone_hash", "created_at"],
        [(first_identity + i, *row) for i, row in enumerate(identities)],
    )  # fmt: skip
    first_reward = ctx.reserve("enforcement.Reward", len(rewards))
    ctx.copy(
        "enforcement.Reward",
        ["id", "report", "basis", "fine", "deaths", "accident_grade", "base_amount",
         "uplift_amount", "amount", "status", "computed_on", "approved_on", "paid_on",
         "payment_reference"],
        [(first_reward + i, *row) for i, row in enumerate(rewards)],
    )  # fmt: skip
