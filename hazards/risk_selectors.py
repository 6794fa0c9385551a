"""Read-side queries of the risk register: the colour-band summary, kept per scope
(safetyportal/core/figures.py, ADR 0017) until a risk point or the registry changes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Value, When

from hazards.risk_models import RiskBand, RiskPoint, band_for
from responsibilities.models import Organisation
from safetyportal.core.figures import kept, sql_key, watch

# what the summaries count: the risk points (their score and enterprise), and the
# registry that names the enterprises and places them in towns ("enterprises" is watched
# in enterprises/cards.py); the bands are read per page and are part of the key
RISK_TOPICS = ("risks", "enterprises")


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


# a group named through another table is counted by its key, named afterwards: the
# aggregate then reads only the risk points' (enterprise, score) index and the enterprises'
# (id) INCLUDE (town) index, joins nothing else and evaluates no CASE per row
_GROUP_KEYS = {"enterprise__town__name": ("enterprise__town_id", Organisation)}


def risk_summary(
    points, group_by: str, *, limit: int | None = None, bands: list[RiskBand] | None = None
) -> tuple[list[RiskBand], list[dict]]:
    """Counts per colour band, grouped by `group_by` ("enterprise__name" or
    "enterprise__town__name"): ([bands], [{"name": ..., "counts": [n per band], "total": n}]),
    by name. With `limit`, the first `limit` groups by name only: their names are found
    first (a walk down the name's index), so a city's 50,000 enterprises are not all
    grouped to show 50.

    The points are counted per (group, D score), a few hundred groups (D = L x E x C takes
    few values), and the scores put in their bands here: the database does one narrow
    aggregate over indexes. Two to four queries whatever the number of points."""
    if bands is None:
        bands = list(RiskBand.objects.order_by("-min_score"))
    key, named_by = _GROUP_KEYS.get(group_by, (group_by, None))
    if limit is not None:
        names = list(points.order_by(group_by).values_list(group_by, flat=True).distinct()[:limit])
        points = points.filter(**{f"{group_by}__in": names})
    rows = points.values_list(key, "score").annotate(n=Count("pk")).order_by()
    counted: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group, score, n in rows:
        band = band_for(Decimal(score), bands)
        counted[group][band.code if band else ""] += n
    if named_by is not None:
        names_of = dict(named_by.objects.filter(pk__in=counted).values_list("pk", "name"))
        grouped = {names_of[pk]: counts for pk, counts in counted.items()}
    else:
        grouped = dict(counted)
    summary = [
        {
            "name": name,
            "counts": [counts.get(band.code, 0) for band in bands],
            "total": sum(counts.values()),
        }
        for name, counts in sorted(grouped.items(), key=lambda item: (item[0] is None, item[0]))
    ]
    return bands, summary


def kept_risk_summary(
    points, group_by: str, *, bands: list[RiskBand], limit: int | None = None
) -> list[dict]:
    """risk_summary(points, group_by, ...)'s rows, kept per scope: computed once and read
    from the figures cache until a risk point or the registry is written (a town's by-town
    summary otherwise aggregates every point it sees on each page). `points` is the
    user's visible_to() queryset: its SQL names the scope, so two users share an entry
    exactly when they see the same points."""
    band_key = repr([(band.code, str(band.min_score), band.min_exclusive) for band in bands])
    return kept(
        f"hazards.risk_summary:{group_by}",
        topics=RISK_TOPICS,
        scope=(sql_key(points), band_key, str(limit)),
        compute=lambda: risk_summary(points, group_by, limit=limit, bands=bands)[1],
    )


# the columns the summaries read; a save naming only others (the measures, the person in
# charge...) moves no figure. Bulk writes (demo, scale data) call touch_all().
watch("risks", RiskPoint, fields=("score", "enterprise"))
