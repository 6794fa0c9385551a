"""The role matrix's drop-downs (issue 14 item 1): every page a persona can open - the
pages without parameters (create forms, lists with their filters) and every page placed by
URL_OBJECTS (edit and step forms, details with their step forms) on one record the persona
sees - parsed for the choices it offers (selects, radios, checkboxes, datalists). Each
choice naming an enterprise, a town, a unit or an officer must lie in the persona's scope
(tests/security/choices.py, from the oracle): a town official is offered its own town's
enterprises only."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.apps import apps

from enterprises.registry.models import Enterprise
from tests.security import matrix_stats
from tests.security.choices import ChoiceParser, forms_in, in_scope, model_fields
from tests.security.matrix_map import URL_OBJECTS
from tests.security.matrix_urls import PERSONAS, records, release, requests_for, walk
from tests.security.oracle import sees
from tests.security.test_role_matrix_writes import page_clients

pytestmark = pytest.mark.django_db
# choices rendered by hand (no ModelChoiceField behind them): the HTML name's last part
NAMED = {
    "enterprise": "enterprises.Enterprise",
    "enterprise_id": "enterprises.Enterprise",
    "town": "responsibilities.Organisation",
    "town_id": "responsibilities.Organisation",
    "unit": "responsibilities.Organisation",
    "department": "responsibilities.Organisation",
    "officer": "accounts.User",
    "officers": "accounts.User",
    "assigned_to": "accounts.User",
}
SCOPED = {"enterprises.Enterprise", "responsibilities.Organisation", "accounts.User"}
# the searchable enterprise picker (enforcement/pickers.py): results are links back to the
# form with ?enterprise=<id>; searched once per town's name so every world enterprise matches
PICKER = b'id="enterprise-results"'
PICKED = re.compile(r"[?&]enterprise=(\d+)")
SEARCHES = ("小渡口", "澧阳")


def picked(client, url):
    """The enterprises a picker page offers for searches matching every world enterprise."""
    ids = set()
    for term in SEARCHES:
        response = client.get(url, {"q": term})
        if response.status_code == 200:
            html = response.content.decode()
            results = html.split('id="enterprise-results"', 1)[-1]
            ids |= {int(i) for i in PICKED.findall(results)}
    return Enterprise.objects.in_bulk(ids).values()


def urls_for(world, persona):
    for page in walk():
        if "<" not in page.route:
            yield page.name, page.route if page.route.startswith("/") else "/" + page.route
        elif page.name in URL_OBJECTS:
            label, _spec = URL_OBJECTS[page.name]
            seen = [obj for obj in records(label) if sees(world, persona, obj)]
            for obj in seen[:1]:
                for url in requests_for(page, obj, all_steps=True):
                    yield page.name, url


def offered(response):
    parser = ChoiceParser()
    parser.feed(response.content.decode())
    models = model_fields(forms_in(response.context))
    for name, values in parser.choices().items():
        model = models.get(name)
        label = model._meta.label if model is not None else NAMED.get(name.split("-")[-1])
        if label in SCOPED:
            ids = {int(v) for v in values if v.isdigit()}
            objects = apps.get_model(label)._base_manager.in_bulk(ids).values()
            yield name, label, name in parser.in_post, objects


def test_every_choice_offered_lies_in_the_personas_scope(world):
    by_persona = page_clients(world)
    out_of_scope, checks, forms_seen, by_label, pickers = [], 0, 0, Counter(), 0
    for persona in PERSONAS:
        if persona == "anonymous":
            continue
        for name, url in urls_for(world, persona):
            response = by_persona[persona].get(url)
            release(response)
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code != 200 or not html or b"<form" not in response.content:
                continue
            forms_seen += 1
            if PICKER in response.content:
                pickers += 1
                for obj in picked(by_persona[persona], url):
                    checks += 1
                    by_label["picker"] += 1
                    if not in_scope(world, persona, obj, write=True):
                        out_of_scope.append(
                            f"GET {url}?q= ({name}) as {persona}: the picker offers #{obj.pk} {obj}"
                        )
            for field, label, write, objects in offered(response):
                for obj in objects:
                    checks += 1
                    by_label[label] += 1
                    if not in_scope(world, persona, obj, write=write):
                        out_of_scope.append(
                            f"GET {url} ({name}) as {persona}: {field} offers {label} "
                            f"#{obj.pk} {obj}"
                        )
    matrix_stats.CHECKS["choices"] += checks
    matrix_stats.LEAKS.extend(out_of_scope)
    print(
        f"\nchoices: {checks} offered options checked on {forms_seen} form pages "
        f"({pickers} with an enterprise picker), "
        f"out of scope {len(out_of_scope)} ({dict(by_label)})"
    )
    assert forms_seen >= 100 and checks >= 200, "the choices walk lost its forms"
    assert by_label["picker"] >= 10, "the choices walk lost the enterprise pickers"
    assert not out_of_scope, f"{len(out_of_scope)} out of scope:\n" + "\n".join(out_of_scope)
