"""The inspection scope at a city's scale (ADR 0026): a town or department sees the
inspections it logged, joined, or (a town) that happened on its territory, and on
PostgreSQL the joint-unit branch is an index condition, not a hashed subplan, so the list
never walks every inspection testing each."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from enforcement.inspections.models import Inspection

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def inspections(county, county_officer):
    """Many of 澧阳街道's own, one of 应急管理局's there jointly with 小渡口镇, one of
    住建局's alone."""

    def make(unit, town, n=1):
        return Inspection.objects.bulk_create(
            [
                Inspection(
                    unit=unit,
                    enterprise=county.ly_chem,
                    town=town,
                    inspected_on=DAY - datetime.timedelta(days=i % 300),
                    created_by=county_officer,
                )
                for i in range(n)
            ]
        )

    make(county.other_town, county.other_town, 2000)
    (joint,) = make(county.department, county.other_town)
    joint.joint_units.add(county.town)
    (alone,) = make(county.other_department, county.other_town)
    return {"joint": joint, "alone": alone}


def test_each_unit_sees_what_it_logged_joined_or_what_happened_on_its_territory(
    inspections, town_official, department_official, other_town_official
):
    joint, alone = inspections["joint"], inspections["alone"]
    town_sees = set(Inspection.objects.visible_to(town_official).values_list("pk", flat=True))
    assert town_sees == {joint.pk}  # joined, on another town's territory
    department_sees = set(
        Inspection.objects.visible_to(department_official).values_list("pk", flat=True)
    )
    assert department_sees == {joint.pk}
    other_town_sees = Inspection.objects.visible_to(other_town_official)
    assert other_town_sees.count() == 2002 and alone.pk in set(
        other_town_sees.values_list("pk", flat=True)
    )


def test_the_joint_branch_is_an_index_condition_not_a_hashed_subplan(inspections, town_official):
    page = Inspection.objects.visible_to(town_official).values("pk")[:26]
    sql, params = page.query.sql_with_params()
    if connection.vendor != "postgresql":
        assert " IN (SELECT" in sql
        return
    assert "= ANY(ARRAY(SELECT" in sql
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enforcement_inspection")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hashed SubPlan" not in plan
    assert "Seq Scan on enforcement_inspection " not in plan
