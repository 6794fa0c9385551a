"""Private by default: walk the whole URLconf (pages, API, admin) and check each URL's
access policy. A URL is public only when its name is in safetyportal.core.public."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from safetyportal.core.public import PUBLIC_URL_NAMES

# Sample values for path converters, by converter class name.
CONVERTER_SAMPLES = {
    "IntConverter": "1",
    "PathConverter": "1",
    "StringConverter": "x",
    "SlugConverter": "x",
    "UUIDConverter": "00000000-0000-0000-0000-000000000001",
    "FormatSuffixConverter": ".json",  # rest_framework's <drf_format_suffix:format>
}
# Sample values for named groups of regex patterns, by group name.
REGEX_GROUP_SAMPLES = {
    "pk": "1",
    "format": "json",
    "url": "no-such-page/",
    "object_id": "1",
    "indicator_code": "D1",  # an appraisal score: /appraisal-results/1/scores/D1/adjust/
    "year": "2026",  # /api/v1/supervision-maps/{year}/
}

ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Endpoint:
    url: str
    name: str  # namespaced, "" when the pattern has none
    callback: object


def fill_route(pattern: RoutePattern) -> str:
    route = str(pattern)

    def sample(match: re.Match) -> str:
        converter = pattern.converters[match["name"]]
        kind = type(converter).__name__
        if kind not in CONVERTER_SAMPLES:
            raise AssertionError(f"no sample value for converter {kind} in {route!r}")
        return CONVERTER_SAMPLES[kind]

    return ROUTE_PARAM.sub(sample, route)


def fill_regex(pattern: RegexPattern) -> str:
    regex = pattern.regex.pattern
    out = []
    i = 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4 : regex.index(">", i)]
            depth, j = 0, i
            while True:  # find the group's closing parenthesis
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += regex[j] == "("
                depth -= regex[j] == ")"
                if depth == 0:
                    break
                j += 1
            body = regex[regex.index(">", i) + 1 : j]
            if name in REGEX_GROUP_SAMPLES:
                out.append(REGEX_GROUP_SAMPLES[name])
            elif re.fullmatch(r"[\w|]+", body):  # an alternation of words: take the first
                out.append(body.split("|")[0])
            else:
                raise AssertionError(f"no sample value for group {name!r} in {regex!r}")
            i = j + 1
        else:
            out.append(regex[i])
            i += 1
    text = "".join(out)
    text = text.removeprefix("^").removesuffix("$").replace("/?", "/").replace("\\.", ".")
    assert not re.search(r"[\\()\[\]*+?^$]", text), f"could not fill regex {regex!r}: {text!r}"
    return text


def fill(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return fill_route(pattern)
    if isinstance(pattern, RegexPattern):
        return fill_regex(pattern)
    raise AssertionError(f"unknown pattern type {type(pattern)}")


def walk(resolver=None, prefix: str = "/", namespaces: tuple[str, ...] = ()) -> list[Endpoint]:
    resolver = resolver or get_resolver()
    endpoints = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            endpoints += walk(entry, prefix + fill(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join([*namespaces, entry.name]) if entry.name else ""
            endpoints.append(Endpoint(prefix + fill(entry.pattern), name, entry.callback))
    return endpoints


ENDPOINTS = walk()


def is_drf_view_requiring_login(callback) -> bool:
    view_class = getattr(callback, "cls", None)
    if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return False
    return any(
        isinstance(permission, type) and issubclass(permission, IsAuthenticated)
        for permission in view_class.permission_classes
    )


def static_offenders(endpoints: list[Endpoint]) -> list[str]:
    """URLs whose view opted out of the login requirement without being on the public
    list or being a DRF view that requires an authenticated user."""
    return [
        f"{e.url} ({e.name or 'unnamed'})"
        for e in endpoints
        if getattr(e.callback, "login_required", True) is False
        and e.name not in PUBLIC_URL_NAMES
        and not is_drf_view_requiring_login(e.callback)
    ]


LOGIN_PAGES = {reverse("login"), reverse("admin:login")}


def sends_to_login(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return response.url.split("?")[0] in LOGIN_PAGES
    return False


# --- tests -------------------------------------------------------------------------------


def test_the_walk_covers_pages_api_and_admin():
    urls = {e.url for e in ENDPOINTS}
    names = {e.name for e in ENDPOINTS}
    assert len(ENDPOINTS) > 50
    assert {"/", "/healthz", "/enterprises/1/edit/", "/api/v1/enterprises/1/", "/admin/"} <= urls
    assert {"enterprises:detail", "enterprise-detail", "api-token", "admin:index"} <= names
    assert "/api/v1/enterprises/1.json/" in urls  # regex patterns with format suffixes
    assert "/admin/no-such-page/" in urls  # the admin's catch-all


def test_every_walked_url_resolves_to_its_own_view():
    wrong = [e.url for e in ENDPOINTS if resolve(e.url).func is not e.callback]
    assert wrong == []


def test_every_public_name_exists_and_says_why():
    names = {e.name for e in ENDPOINTS}
    assert set(PUBLIC_URL_NAMES) <= names, set(PUBLIC_URL_NAMES) - names
    assert all(reason.strip() for reason in PUBLIC_URL_NAMES.values())


def test_every_view_requires_login_or_is_public_or_is_an_authenticated_api_view():
    assert static_offenders(ENDPOINTS) == []


def test_the_static_check_catches_a_view_that_opts_out_of_login():
    from django.contrib.auth.decorators import login_not_required
    from rest_framework.decorators import api_view, permission_classes
    from rest_framework.permissions import AllowAny

    @login_not_required
    def leaky(request):
        raise AssertionError("never called")

    @login_not_required
    @api_view(["GET"])
    @permission_classes([AllowAny])
    def open_api(request):
        raise AssertionError("never called")

    fake = [Endpoint("/leaky/", "leaky", leaky), Endpoint("/open/", "", open_api)]
    assert static_offenders(fake) == ["/leaky/ (leaky)", "/open/ (unnamed)"]


@pytest.mark.django_db
def test_anonymous_requests_to_private_urls_are_sent_to_login():
    client = Client()
    offenders = []
    for endpoint in ENDPOINTS:
        if endpoint.name in PUBLIC_URL_NAMES:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(endpoint.url)
            if not sends_to_login(response):
                offenders.append(
                    f"{method.upper()} {endpoint.url} ({endpoint.name}) -> {response.status_code}"
                )
    assert offenders == [], "URLs reachable without a login:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_public_urls_answer_anonymous_requests_without_error():
    client = Client()
    for endpoint in ENDPOINTS:
        if endpoint.name in PUBLIC_URL_NAMES:
            response = client.get(endpoint.url)
            assert response.status_code < 500 or endpoint.name == "healthz", endpoint.url
            assert not (300 <= response.status_code < 400 and sends_to_login(response)), (
                endpoint.url
            )


@pytest.mark.django_db
def test_a_logged_in_user_without_a_role_cannot_use_the_admin(outsider, client_for):
    # not the county office: refused outright (tests/test_admin_access.py, ADR 0045)
    response = client_for(outsider).get(reverse("admin:index"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_logged_in_user_reads_the_api_schema_and_docs(outsider, client_for):
    client = client_for(outsider)
    for name in ("api-schema", "api-docs"):
        assert client.get(reverse(name)).status_code == 200, name
