"""The reward from the rules (reference data, models.RewardRule): a share of the fine within a
floor and a cap; per concealed death by the accident's grade, up to a cap; the 吹哨人
uplift on top where the county adopts it (its rule active), up to its own cap."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enforcement.reports.models import RewardBasis, RewardRule

CENT = Decimal("0.01")

# the national rules (安监总财〔2018〕19号) and Shandong's 吹哨人 uplift (domain-notes §6.2, §6.3)
DEFAULT_RULES = [
    {
        "code": "fine_share",
        "name": "重大事故隐患、违法行为：罚没款的 15%",
        "basis": "fine_share",
        "percent": "15",
        "floor": "3000",
        "cap": "300000",
    },
    {
        "code": "concealed_general",
        "name": "瞒报谎报一般事故：每死亡一人 3 万元",
        "basis": "concealed_death",
        "accident_grade": "general",
        "per_death": "30000",
        "cap": "300000",
    },
    {
        "code": "concealed_larger",
        "name": "瞒报谎报较大事故：每死亡一人 4 万元",
        "basis": "concealed_death",
        "accident_grade": "larger",
        "per_death": "40000",
        "cap": "300000",
    },
    {
        "code": "concealed_major",
        "name": "瞒报谎报重大事故：每死亡一人 5 万元",
        "basis": "concealed_death",
        "accident_grade": "major",
        "per_death": "50000",
        "cap": "300000",
    },
    {
        "code": "concealed_especially_serious",
        "name": "瞒报谎报特别重大事故：每死亡一人 6 万元",
        "basis": "concealed_death",
        "accident_grade": "especially_serious",
        "per_death": "60000",
        "cap": "300000",
    },
    {
        "code": "whistleblower",
        "name": "吹哨人（内部人员）上浮 20%",
        "basis": "whistleblower",
        "percent": "20",
        "cap": "500000",
    },
]


def ensure_reward_rules() -> int:
    """The default rules whose code is missing (idempotent: a changed row is kept)."""
    known = set(RewardRule.objects.values_list("code", flat=True))
    missing = [RewardRule(**row) for row in DEFAULT_RULES if row["code"] not in known]
    RewardRule.objects.bulk_create(missing)
    return len(missing)


class Computed(NamedTuple):
    base: Decimal
    uplift: Decimal
    amount: Decimal


def _rule(**filters) -> RewardRule | None:
    return RewardRule.objects.filter(is_active=True, **filters).order_by("pk").first()


def compute(
    *,
    basis: str,
    fine: Decimal | None,
    deaths: int | None,
    accident_grade: str,
    whistleblower: bool,
) -> Computed:
    if basis == RewardBasis.FINE_SHARE:
        rule = _rule(basis=basis)
        if rule is None:
            raise ValidationError(
                {"basis": _("没有施行中的罚没款比例奖励标准，请先维护奖励标准。")}
            )
        if fine is None or fine <= 0:
            raise ValidationError({"fine": _("请填写罚没款金额（大于 0）。")})
        base = fine * (rule.percent or 0) / 100
        base = max(base, rule.floor or Decimal(0))
        base = min(base, rule.cap)
    elif basis == RewardBasis.CONCEALED_DEATH:
        rule = _rule(basis=basis, accident_grade=accident_grade)
        if rule is None:
            raise ValidationError(
                {"accident_grade": _("请选择事故等级（该等级没有施行中的奖励标准）。")}
            )
        if not deaths or deaths < 1:
            raise ValidationError({"deaths": _("请填写核实的瞒报死亡人数（至少 1 人）。")})
        base = min((rule.per_death or Decimal(0)) * deaths, rule.cap)
    else:
        raise ValidationError({"basis": _("请选择奖励计算方式。")})
    base = base.quantize(CENT, ROUND_HALF_UP)
    uplift = Decimal("0.00")
    if whistleblower:
        extra = _rule(basis=RewardBasis.WHISTLEBLOWER)
        if extra is not None:
            total = min(base * (1 + (extra.percent or 0) / 100), extra.cap)
            uplift = max(total.quantize(CENT, ROUND_HALF_UP) - base, Decimal("0.00"))
    return Computed(base=base, uplift=uplift, amount=base + uplift)
