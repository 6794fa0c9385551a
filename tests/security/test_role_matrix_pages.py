"""The role matrix over the pages (issue 14 item 1): every page URL with an id, as every
persona, on records inside and outside the persona's jurisdiction, against the oracle
(tests/security/oracle.py). New URLs join by themselves; one with an id the matrix cannot
place fails test_every_id_page_is_placed with the line to add."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security import matrix_stats
from tests.security.matrix_map import URL_OBJECTS
from tests.security.matrix_urls import (
    PERSONAS,
    records,
    release,
    requests_for,
    unmapped_id_pages,
    walk,
)
from tests.security.oracle import sees

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
REFUSED = (403, 404, 405)


def clients(world):
    made = {}
    for persona in PERSONAS:
        client = Client()
        user = world.personas[persona]
        if user is not None:
            client.force_login(user)
        made[persona] = client
    return made


def test_every_id_page_is_placed():
    missing = unmapped_id_pages(walk())
    assert not missing, "page URLs the role matrix cannot place:\n" + "\n".join(missing)


def test_pages_show_each_record_exactly_to_those_the_oracle_allows(world):
    by_persona = clients(world)
    leaks, over_denied, checks, not_applicable = [], [], 0, 0
    pages = [p for p in walk() if p.name in URL_OBJECTS]
    assert len(pages) >= 60, "the walk lost the page URLs"
    for page in pages:
        label, _spec = URL_OBJECTS[page.name]
        for obj in records(label):
            for url in requests_for(page, obj, all_steps=False):
                answers = {p: by_persona[p].get(url) for p in PERSONAS}
                for response in answers.values():
                    release(response)
                visible = {p for p in PERSONAS if sees(world, p, obj)}
                if all(answers[p].status_code == 404 for p in visible):
                    not_applicable += 1  # nobody reaches it (no file, no slip): no cell
                    continue
                for persona, response in answers.items():
                    checks += 1
                    status = response.status_code
                    where = f"GET {url} ({page.name}, {label} #{obj.pk}) as {persona}: {status}"
                    if persona == "anonymous":
                        if not (status == 302 and response.url.startswith(LOGIN)):
                            leaks.append(where + " (anonymous not sent to the login)")
                    elif persona in visible:
                        if status == 404:
                            over_denied.append(where)
                    elif status not in REFUSED:
                        leaks.append(where + f" {getattr(response, 'url', '')}")
    matrix_stats.CHECKS["pages"] += checks
    matrix_stats.LEAKS.extend(leaks)
    print(
        f"\npages: {checks} URL x persona x record checks ({not_applicable} URL x record "
        f"pairs nobody reaches), leaks {len(leaks)}, over-denied {len(over_denied)}"
    )
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks)
    assert not over_denied, f"{len(over_denied)} refused where the oracle allows:\n" + "\n".join(
        over_denied
    )
