"""The role matrix over the API (issue 14 item 1): every schema path with {id} that reads
one record, as every persona, on records inside and outside the persona's jurisdiction,
against the oracle. The record's model comes from the viewset (its queryset's model), so
a new viewset joins by itself; a model the oracle has no rule for fails with its name."""

from __future__ import annotations

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.security import matrix_stats
from tests.security.matrix_urls import PERSONAS, records, release
from tests.security.oracle import PARENTS, RULES, sees

pytestmark = pytest.mark.django_db
REFUSED = (403, 404, 405)
# viewsets that build their queryset in get_queryset: path -> model label
API_MODELS = {
    "/api/v1/enterprises/{id}/": "enterprises.Enterprise",
    "/api/v1/self-assessments/{id}/": "enterprises.SelfAssessment",
}
# paths naming no record of a jurisdiction, with the reason
API_ROLE_GATED = {
    "/api/v1/enforcement/items/{id}/": "a delegated item (reference data, the catalogue)",
    "/api/v1/appraisal-rounds/{id}/": "a year's round (its results are scoped records)",
    "/api/v1/exposed-cases/{id}/": "a published snapshot (public on the 曝光台)",
}


def id_read_paths():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        one_id = path.count("{") == 1 and path.endswith("{id}/")
        if one_id and "get" in operations and path not in API_ROLE_GATED:
            yield path


def model_of(path: str):
    if path in API_MODELS:
        from django.apps import apps

        return apps.get_model(API_MODELS[path])
    match = resolve(path.replace("{id}", "1"))
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    return None if queryset is None else queryset.model


def api_clients(world):
    made = {}
    for persona in PERSONAS:
        client = APIClient()
        user = world.personas[persona]
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        made[persona] = client
    return made


def test_every_api_record_path_has_a_rule(world):
    missing = []
    for path in id_read_paths():
        model = model_of(path)
        if model is None:
            missing.append(
                f'{path}: add "{path}": "<app_label.Model>" to API_MODELS in '
                "tests/security/test_role_matrix_api.py (or a line to API_ROLE_GATED)"
            )
        elif model._meta.label not in RULES and model._meta.label not in PARENTS:
            missing.append(
                f"{path}: add a rule for {model._meta.label} to RULES (or its parent to "
                "PARENTS) in tests/security/oracle.py"
            )
    assert not missing, "\n".join(missing)


def test_api_shows_each_record_exactly_to_those_the_oracle_allows(world):
    by_persona = api_clients(world)
    leaks, over_denied, checks = [], [], 0
    paths = list(id_read_paths())
    assert len(paths) >= 10, "the schema walk lost the API paths"
    for path in paths:
        model = model_of(path)
        for obj in records(model._meta.label):
            url = path.replace("{id}", str(obj.pk))
            visible = {p for p in PERSONAS if sees(world, p, obj)}
            for persona in PERSONAS:
                response = by_persona[persona].get(url)
                release(response)
                checks += 1
                status = response.status_code
                where = f"GET {url} ({model._meta.label} #{obj.pk}) as {persona}: {status}"
                if persona == "anonymous":
                    if status not in (401, 403):
                        leaks.append(where)
                elif persona in visible:
                    if status != 200:
                        over_denied.append(where)
                elif status not in REFUSED:
                    leaks.append(where)
    matrix_stats.CHECKS["api"] += checks
    matrix_stats.LEAKS.extend(leaks)
    print(
        f"\napi: {checks} path x persona x record checks, leaks {len(leaks)}, "
        f"over-denied {len(over_denied)}"
    )
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks)
    assert not over_denied, "\n".join(over_denied)
