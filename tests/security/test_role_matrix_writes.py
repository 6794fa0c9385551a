"""The role matrix's write half (issue 14 item 1): every state-changing page URL placed by
URL_OBJECTS (each workflow step of a step URL, every other POST view) and every API write
operation with {id} in the schema, POSTed (PUT/PATCH/DELETE for the API) with empty data
as each persona with the wrong role for the record (tests/security/write_sweep.py). The
answer must be the login (anonymous) or a refusal, and nothing may change: the record's
row, its table's row count and the audit trail are compared before and after."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from tests.security import matrix_stats
from tests.security.matrix_map import URL_OBJECTS
from tests.security.matrix_urls import PERSONAS, records, release, requests_for, walk
from tests.security.test_role_matrix_api import api_clients, model_of
from tests.security.write_sweep import difference, samples, snapshot

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
REFUSED = (400, 403, 404, 405, 409)
API_ANONYMOUS = (401, 403)
WRITE_METHODS = ("post", "put", "patch", "delete")
# extra path parts of API write paths, besides {id}
API_EXTRA = {"{indicator_code}": "M1"}  # the world's indicator (world.py)


def page_clients(world):
    made = {}
    for persona in PERSONAS:
        client = Client()
        user = world.personas[persona]
        if user is not None:
            client.force_login(user)
        made[persona] = client
    return made


def attempt(send, url, obj, **extra):
    """Send one write inside a savepoint, rolled back after the comparison, so that a leak
    shows once and does not spoil the next cells."""
    with transaction.atomic():
        before = snapshot(obj)
        response = send(url, {}, **extra)
        release(response)
        changed = difference(before, snapshot(obj))
        transaction.set_rollback(True)
    return response, changed


def test_wrong_role_page_writes_change_nothing(world):
    by_persona = page_clients(world)
    leaks, wrong_answers, checks = [], [], 0
    pages = [p for p in walk() if p.name in URL_OBJECTS]
    assert len(pages) >= 50, "the walk lost the page URLs"
    for page in pages:
        label, _spec = URL_OBJECTS[page.name]
        for persona, obj in samples(world, label, page.name).items():
            for url in requests_for(page, obj, all_steps=True):
                response, changed = attempt(by_persona[persona].post, url, obj)
                checks += 1
                status = response.status_code
                where = f"POST {url} ({page.name}, {label} #{obj.pk}) as {persona}: {status}"
                if changed:
                    leaks.append(f"{where}: {changed}")
                if persona == "anonymous":
                    if not (status == 302 and response.url.startswith(LOGIN)):
                        wrong_answers.append(where + " (anonymous not sent to the login)")
                elif status not in REFUSED:
                    wrong_answers.append(f"{where} {getattr(response, 'url', '')}")
    matrix_stats.CHECKS["page writes"] += checks
    matrix_stats.LEAKS.extend(leaks)
    print(
        f"\npage writes: {checks} wrong-role POSTs, leaks {len(leaks)}, "
        f"answers other than a refusal {len(wrong_answers)}"
    )
    assert checks >= 800, "the write sweep lost its cells"
    assert not leaks, f"{len(leaks)} writes went through:\n" + "\n".join(leaks)
    assert not wrong_answers, "\n".join(wrong_answers)


def id_write_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        if "{id}" not in path:
            continue
        for method in WRITE_METHODS:
            if method in operations:
                yield path, method


def test_wrong_role_api_writes_change_nothing(world):
    by_persona = api_clients(world)
    leaks, wrong_answers, checks, missing = [], [], 0, []
    operations = list(id_write_operations())
    assert len(operations) >= 50, "the schema walk lost the API write operations"
    for path, method in operations:
        concrete = path
        for part, value in API_EXTRA.items():
            concrete = concrete.replace(part, value)
        model = model_of(concrete.split("{id}")[0] + "{id}/")
        if model is None:
            missing.append(f"{path}: add its model to API_MODELS in test_role_matrix_api.py")
            continue
        label = model._meta.label
        for persona, obj in samples(world, label, path).items():
            url = concrete.replace("{id}", str(obj.pk))
            send = getattr(by_persona[persona], method)
            response, changed = attempt(send, url, obj, format="json")
            checks += 1
            status = response.status_code
            where = f"{method.upper()} {url} ({label} #{obj.pk}) as {persona}: {status}"
            if changed:
                leaks.append(f"{where}: {changed}")
            if persona == "anonymous":
                if status not in API_ANONYMOUS:
                    wrong_answers.append(where)
            elif status not in REFUSED:
                wrong_answers.append(where)
    matrix_stats.CHECKS["api writes"] += checks
    matrix_stats.LEAKS.extend(leaks)
    print(
        f"\napi writes: {checks} wrong-role writes over {len(operations)} operations, "
        f"leaks {len(leaks)}, answers other than a refusal {len(wrong_answers)}"
    )
    assert not missing, "\n".join(missing)
    assert checks >= 300, "the write sweep lost its cells"
    assert not leaks, f"{len(leaks)} writes went through:\n" + "\n".join(leaks)
    assert not wrong_answers, "\n".join(wrong_answers)


# ROLE_GATED pages (matrix_map.py) name no record of a jurisdiction; their writes belong to
# the county office (plus, where noted, the unit that records them). url name -> (model of
# the record the path names, how the path is filled, personas allowed to write).
COUNTY = ("county_office",)
GATED_WRITES = {
    "core:schedule_change": ("django_celery_beat.PeriodicTask", {"pk": "pk"}, COUNTY),
    "enterprises:import_job": ("enterprises.ImportJob", {"pk": "pk"}, ("county_office", "town")),
    "hazards:bulletin": ("hazards.Bulletin", {"pk": "pk"}, COUNTY),
    "responsibilities:committee_detail": (
        "responsibilities.CommitteeMembership",
        {"pk": "committee_id"},
        COUNTY,
    ),
    # the committee's lead department records its meetings
    "responsibilities:committee_meeting_record": (
        "responsibilities.CommitteeMembership",
        {"pk": "committee_id"},
        ("county_office", "department"),
    ),
    "responsibilities:appraisal_scheme": (
        "responsibilities.AppraisalScheme",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_scheme_copy": (
        "responsibilities.AppraisalScheme",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_indicator_add": (
        "responsibilities.AppraisalScheme",
        {"year": "year"},
        COUNTY,
    ),
    # the county summary report: leaders and the county office ask for it (ADR 0047)
    "responsibilities:appraisal_round_report": (
        "responsibilities.AppraisalRound",
        {"year": "year"},
        ("county_office", "leader"),
    ),
    "responsibilities:appraisal_open": (
        "responsibilities.AppraisalScheme",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_round": (
        "responsibilities.AppraisalRound",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_round_progress": (
        "responsibilities.AppraisalRound",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_round_recompute": (
        "responsibilities.AppraisalRound",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_round_publish": (
        "responsibilities.AppraisalRound",
        {"year": "year"},
        COUNTY,
    ),
    "responsibilities:appraisal_indicator_edit": (
        "responsibilities.AppraisalIndicator",
        {"year": "scheme.year", "pk": "pk"},
        COUNTY,
    ),
    # the appraiser adjusts (the county office, or the committee's lead department)
    "responsibilities:appraisal_score_adjust": (
        "responsibilities.IndicatorScore",
        {"pk": "result_id", "score_pk": "pk"},
        ("county_office", "department"),
    ),
    "responsibilities:appraisal_score_evidence": (
        "responsibilities.IndicatorScore",
        {"pk": "result_id", "score_pk": "pk"},
        ("county_office", "department"),
    ),
    "enforcement:authority_item": ("enforcement.DelegatedItem", {"pk": "pk"}, COUNTY),
    "enforcement:exposure_public_detail": ("enforcement.ExposedCase", {"pk": "pk"}, ()),
    "enforcement:exposure_withdraw": ("enforcement.ExposedCase", {"pk": "pk"}, COUNTY),
}
# public pages answer anonymous POSTs themselves (no login needed to be refused)
PUBLIC = {"enforcement:exposure_public_detail"}


def test_wrong_role_writes_on_role_gated_pages_change_nothing(world):
    from django.urls import reverse

    from tests.security.matrix_map import ROLE_GATED
    from tests.security.matrix_urls import _attr

    by_persona = page_clients(world)
    leaks, wrong_answers, checks, unplaced, no_record = [], [], 0, [], []
    pages = [p for p in walk() if p.name in ROLE_GATED]
    for page in pages:
        if page.name not in GATED_WRITES:
            unplaced.append(page.name)
            continue
        label, spec, allowed = GATED_WRITES[page.name]
        rows = records(label)
        if not rows:
            no_record.append(page.name)  # the world holds no such record (no cell)
            continue
        obj = rows[0]
        url = reverse(page.name, kwargs={k: _attr(obj, v) for k, v in spec.items()})
        for persona in PERSONAS:
            if persona in allowed:
                continue
            response, changed = attempt(by_persona[persona].post, url, obj)
            checks += 1
            status = response.status_code
            where = f"POST {url} ({page.name}) as {persona}: {status}"
            if changed:
                leaks.append(f"{where}: {changed}")
            if persona == "anonymous" and page.name not in PUBLIC:
                if not (status == 302 and response.url.startswith(LOGIN)):
                    wrong_answers.append(where + " (anonymous not sent to the login)")
            elif status not in REFUSED:
                wrong_answers.append(f"{where} {getattr(response, 'url', '')}")
    matrix_stats.CHECKS["role-gated writes"] += checks
    matrix_stats.LEAKS.extend(leaks)
    print(
        f"\nrole-gated writes: {checks} wrong-role POSTs on {len(pages) - len(no_record)} "
        f"pages (no record in the world: {', '.join(no_record) or 'none'}), leaks {len(leaks)}"
    )
    assert not unplaced, "add these ROLE_GATED pages to GATED_WRITES: " + ", ".join(unplaced)
    assert checks >= 80, "the role-gated write sweep lost its cells"
    assert not leaks, f"{len(leaks)} writes went through:\n" + "\n".join(leaks)
    assert not wrong_answers, "\n".join(wrong_answers)
