"""The Content Security Policy and the pages that satisfy it (ADR 0045).

Every template under every template folder of the project is read: no inline <script>,
no <style> element, no style="..." attribute, no on*="..." handler, no javascript: URL.
The PDF templates are the exception (WeasyPrint reads their <style>; no browser ever
gets them), and no page template may include or extend one. Then every page without a
path parameter is rendered for the county office and for the public, and its HTML and
its Content-Security-Policy header are checked the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(settings.BASE_DIR).resolve()

# the handlers a browser runs from an attribute (on*="..."): the policy refuses them all
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)
EXTENDS_OR_INCLUDES = re.compile(r"{%\s*(?:extends|include)\s+[\"']([^\"']+)[\"']")


def template_folders() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    own = {folder.resolve() for folder in folders if folder.is_dir()}
    # the project's own, never an installed package's (Django's admin is checked rendered)
    return sorted(f for f in own if f.is_relative_to(ROOT) and ".venv" not in f.parts)


def all_templates() -> dict[str, Path]:
    """Template name -> file, for every .html file of every template folder."""
    found = {}
    for folder in template_folders():
        for path in folder.rglob("*.html"):
            found.setdefault(path.relative_to(folder).as_posix(), path)
    return found


def is_pdf_template(name: str) -> bool:
    """Rendered by WeasyPrint into a PDF, never sent to a browser."""
    return name.endswith("_pdf.html") or "/pdf/" in f"/{name}"


def inline_code(text: str) -> list[str]:
    text = COMMENTS.sub("", text)
    problems = []
    for label, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ('style="..." attribute', STYLE_ATTRIBUTE),
        ('on*="..." handler', HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {label}: {match.group(0).strip()[:60]}")
    return problems


def test_the_walk_finds_every_template_folder_and_the_pdf_templates():
    names = all_templates()
    assert len(names) > 150
    assert {"base.html", "hazards/risk_list.html", "enterprises/_import_progress.html"} <= set(
        names
    )
    pdf = {name for name in names if is_pdf_template(name)}
    assert {"hazards/slip_pdf.html", "dashboard/reports/pdf/base.html"} <= pdf


def test_no_template_served_to_a_browser_holds_inline_script_or_style():
    found = {}
    for name, path in all_templates().items():
        if is_pdf_template(name):
            continue
        problems = inline_code(path.read_text(encoding="utf-8"))
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    assert not found, "move these to static/js/*.js and static/css/portal.css:\n" + "\n".join(
        f"{path}: {problem}" for path, problems in found.items() for problem in problems
    )


def test_no_page_template_includes_or_extends_a_pdf_template():
    for name, path in all_templates().items():
        if is_pdf_template(name):
            continue
        for used in EXTENDS_OR_INCLUDES.findall(path.read_text(encoding="utf-8")):
            assert not is_pdf_template(used), f"{name} shows the PDF template {used} as a page"


def test_the_checker_catches_each_kind_of_inline_code():
    assert len(inline_code('<script>alert(1)</script><script defer src="/a.js"></script>')) == 1
    assert len(inline_code("<style>p{}</style>")) == 1
    assert len(inline_code('<div style="width: 1px">')) == 1
    assert len(inline_code('<select onchange="this.form.submit()">')) == 1
    assert len(inline_code('<a href="javascript:void(0)">')) == 1
    assert inline_code("{% comment %}never <script> or <style>{% endcomment %}{# style= #}") == []
    assert inline_code('<div class="online" data-on="x" hx-get="/x">') == []


class InlineCodeFinder(HTMLParser):
    """What the policy would refuse in a rendered page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        # a JSON data block (Django's json_script) is not executed: the policy allows it
        is_data = names.get("type") == "application/json"
        if tag == "script" and not names.get("src") and not is_data:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for attribute, value in attrs:
            if attribute == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if attribute.startswith("on"):
                self.problems.append(f"{attribute} handler on <{tag}>")
            if attribute in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")


def assert_policy_kept(response, url: str) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'", url
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'", url
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert not finder.problems, f"{url}: {finder.problems}"


# pages without a path parameter that are not HTML pages to look at
NOT_PAGES = {"logout", "set_language", "healthz", "javascript-catalog", "notifications:badge"}


def pages_without_parameters() -> list[str]:
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not pattern.pattern.regex.groups
            ):
                names.append(namespace + pattern.name)

    walk(get_resolver(), "")
    return [
        name
        for name in dict.fromkeys(names)
        if name not in NOT_PAGES
        and not name.startswith(("admin:", "api-"))
        and not name.endswith(("export", "_template", "-list", "-create", "-statistics"))
        and "-create-" not in name
    ]


@pytest.mark.django_db
def test_every_page_keeps_the_policy_for_the_county_office(county_officer, client_for):
    client = client_for(county_officer)
    looked_at = 0
    for name in pages_without_parameters():
        url = reverse(name)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert_policy_kept(response, url)
        looked_at += 1
    assert looked_at >= 40, looked_at


@pytest.mark.django_db
def test_the_public_pages_keep_the_policy(client, county):
    for name in [
        "login",
        "enforcement:exposure_public",
        "enforcement:report_public_new",
        "enforcement:report_public_status",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_policy_kept(response, name)


@pytest.mark.django_db
def test_the_api_docs_and_the_admin_keep_the_policy(county_officer, client_for):
    from django.contrib.auth.models import Group

    from safetyportal.accounts.roles import group_name

    county_officer.groups.add(Group.objects.get(name=group_name("county_office")))
    county_officer.is_staff = True
    county_officer.save(update_fields=["is_staff"])
    client = client_for(county_officer)
    for url in [
        reverse("api-docs"),
        reverse("admin:index"),
        reverse("admin:audit_auditevent_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy_kept(response, url)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]


@pytest.mark.django_db
def test_the_other_roles_pages_keep_the_policy(
    town_official, enterprise_manager, expert, leader, client_for
):
    for user in (town_official, enterprise_manager, expert, leader):
        client = client_for(user)
        for name in ["home", "enterprises:list", "hazards:list", "notifications:list", "profile"]:
            response = client.get(reverse(name), follow=True)
            if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
                assert_policy_kept(response, f"{user.username} {name}")
