"""Read-side queries of the risk register: the colour-band summary."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, CharField, Count, Q, Value, When

from hazards.risk_models import RiskBand


def band_case(bands: list[RiskBand]) -> Case:
    """A SQL CASE giving each risk point's band code from its stored D score."""
    whens = [
        When(
            Q(score__gt=band.min_score) if band.min_exclusive else Q(score__gte=band.min_score),
            then=Value(band.code),
        )
        for band in bands
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def risk_summary(
    points, group_by: str, *, limit: int | None = None
) -> tuple[list[RiskBand], list[dict]]:
    """Counts per colour band, grouped by `group_by` ("enterprise__name" or
    "enterprise__town__name"): ([bands], [{"name": ..., "counts": [n per band], "total": n}]).
    With `limit`, the first `limit` groups by name only: their names are found first (a
    walk down the name's index), so a city's 50,000 enterprises are not all grouped to
    show 50. Two or three queries whatever the number of points."""
    bands = list(RiskBand.objects.order_by("-min_score"))
    if limit is not None:
        names = list(points.order_by(group_by).values_list(group_by, flat=True).distinct()[:limit])
        points = points.filter(**{f"{group_by}__in": names})
    rows = (
        points.annotate(band=band_case(bands))
        .values(group_by, "band")
        .annotate(n=Count("pk"))
        .order_by(group_by)
    )
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        grouped[row[group_by]][row["band"]] = row["n"]
    summary = [
        {
            "name": name,
            "counts": [counts.get(band.code, 0) for band in bands],
            "total": sum(counts.values()),
        }
        for name, counts in grouped.items()
    ]
    return bands, summary
