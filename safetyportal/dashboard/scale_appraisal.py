"""Scale data for the year-end appraisal (registered as generator "appraisal", after every
ledger it reads): the demo's scheme for the generator's year (the year every generated
ledger has data for: this year's plans and supervision map, ten years of hazards), a
round with the generator's day as the data snapshot, and every unit's result computed by
the real computation (responsibilities.appraisal_services.compute_result), one unit after
the other, as the Celery task does. The seconds per unit are logged: the slowest is a
busy 街道 at a city's size.

The results stay drafts (nobody comments or reviews synthetic results). open_round queues
a task per result on commit; they find the results computed and skip them.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.apps import apps

from safetyportal.dashboard.demo_appraisal import INDICATORS


def appraisal(ctx) -> None:
    """Registered by generate_scale (this module imports nothing of scale.py)."""
    from responsibilities import appraisal_services as services

    User = apps.get_model("accounts", "User")
    AppraisalResult = apps.get_model("responsibilities", "AppraisalResult")
    actor = User.objects.get(pk=ctx.data["users"]["county_office"][0])
    year = ctx.today.year
    scheme = services.save_scheme(
        actor=actor, year=year, title=f"{year}年度安全生产工作考核方案（规模测试）"
    )
    for order, (code, name, kind, rule, points, towns, depts, comms, params, text) in enumerate(
        INDICATORS, start=1
    ):
        services.save_indicator(
            actor=actor,
            scheme=scheme,
            values={
                "code": code,
                "name": name,
                "kind": kind,
                "rule": rule,
                "method": "",
                "points": Decimal(points),
                "params": params,
                "for_towns": towns,
                "for_departments": depts,
                "for_committees": comms,
                "description": text,
                "sort_order": order * 10,
            },
        )
    round_ = services.open_round(actor=actor, scheme=scheme, snapshot_date=ctx.today)
    timings = []
    for pk, unit_name in (
        AppraisalResult.objects.filter(round=round_).order_by("pk").values_list("pk", "unit__name")
    ):
        started = time.perf_counter()
        services.compute_result(pk)
        timings.append((time.perf_counter() - started, unit_name))
    slowest = max(timings) if timings else (0.0, "")
    ctx.data["appraisal"] = {
        "round": round_.pk,
        "results": len(timings),
        "slowest": slowest,
        "mean": sum(t for t, _n in timings) / len(timings) if timings else 0.0,
    }
    for label in ("responsibilities.AppraisalResult", "responsibilities.IndicatorScore"):
        model = apps.get_model(label)
        ctx.written[label] = model.objects.filter(
            **{"round" if label.endswith("Result") else "result__round": round_}
        ).count()
    ctx.written["responsibilities.ScoreEvidence"] = (
        apps.get_model("responsibilities", "ScoreEvidence")
        .objects.filter(score__result__round=round_)
        .count()
    )
    ctx.data.setdefault("notes", []).append(
        f"appraisal: {len(timings)} results computed, mean"
        f" {ctx.data['appraisal']['mean'] * 1000:.0f} ms per unit, slowest {slowest[1]}"
        f" {slowest[0] * 1000:.0f} ms"
    )
