"""The Content-Security-Policy: on every response, no inline script allowed, and no page that needs one.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from the site only. Two checks that
the pages live with it: every template in templates/ is scanned, and the main pages are rendered — a crawl
of every page reachable by links from the home page of a lead and of a caseworker, over a small registry
with a person, identity details, a group, an incident and a joint case — and each is parsed for inline
script, event-handler attributes, `javascript:` links and inline style. The browser tests (tests_browser/)
run under the same header, so a page that broke under it would fail there too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from agencies import access
from agencies.tests.factories import legal_basis
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, exit_case, group, incident, membership

ROOT = Path(__file__).resolve().parents[2]
# "/utlamnanden/": the home page's links to a disclosed record redirect to the record's page (and mark it read),
# which the crawl reaches by its own link too.
SKIP_PREFIXES = ("/logga-ut/", "/static/", "/i18n/", "/admin/", "/api/", "/utlamnanden/")
MAX_PAGES = 150


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline script and style, handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script":
            src = attributes.get("src")
            if not src:
                self._in_script = attributes.get("type") not in ("application/json", "text/plain")
            elif urlsplit(src).netloc not in ("", "testserver"):
                self.problems.append(f"<script src={src}> from another site")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_problems(html: str) -> tuple[list[str], list[str]]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems, finder.links


def test_the_policy_allows_no_inline_script_and_nothing_from_elsewhere():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in str(directives)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/logga-in/", "/health/", "/api/docs/", "/api/schema/"])
def test_the_header_is_on_every_kind_of_response(client, path):
    header = client.get(path)["Content-Security-Policy"]
    assert "script-src 'self'" in header and "default-src 'self'" in header
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.django_db
def test_the_header_is_on_api_responses_and_errors(police_caseworker):
    api = APIClient()
    api.force_login(police_caseworker)
    for path in ("/api/v1/individuals/", "/api/v1/individuals/987654/"):
        assert "script-src 'self'" in api.get(path)["Content-Security-Policy"]


TEMPLATE_PATTERNS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "inline style": re.compile(r"<[a-z][^>]*\sstyle\s*=|<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx eval (hx-on, js: values)": re.compile(r"hx-on|hx-vals=['\"]\s*js:", re.I),
}


def test_no_template_has_inline_script_handlers_or_style():
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for what, pattern in TEMPLATE_PATTERNS.items():
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []


@pytest.fixture
def registry(police, kommun, probation, police_caseworker, police_lead, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Granskad")
    IdentityDetailsFactory(individual=person)
    grp = group(police, police_caseworker, name="Testnätverket")
    membership(police_caseworker, person, grp)
    incident(police_caseworker)
    case = exit_case(police_caseworker, person)
    access.share(
        person,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    return case


def crawl(client) -> dict[str, list[str]]:
    """Every page reachable from home by links, with what a strict CSP would block on each."""
    seen: dict[str, list[str]] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            seen[path] = []  # a download (the dashboards' CSV and Excel exports) is not a page: nothing to run
            continue
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        problems, links = inline_problems(response.content.decode())
        seen[path] = problems
        for link in links:
            parts = urlsplit(link)
            if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not target.startswith(SKIP_PREFIXES) and target not in seen:
                queue.append(target)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["police_lead", "police_caseworker", "kommun_caseworker"])
def test_no_page_needs_inline_script(client, registry, who, request):
    client.force_login(request.getfixturevalue(who))
    pages = crawl(client)
    # The crawl reached the main pages, not just the home page.
    for expected in ("/personer/", "/grupperingar/", "/handelser/", "/arenden/", "/uppgifter/"):
        assert expected in pages, f"{expected} not reached"
    assert len(pages) >= 12
    assert {path: problems for path, problems in pages.items() if problems} == {}


@pytest.mark.django_db
def test_the_api_docs_need_no_inline_script(client):
    response = client.get("/api/docs/")
    problems, _links = inline_problems(response.content.decode())
    assert problems == []
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', response.content.decode())
    assert script, "the split view loads its initialiser as a script file"
    initialiser = client.get(script.group(1).replace("&amp;", "&"))
    assert initialiser.status_code == 200
    assert initialiser["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in initialiser.content.decode()


@pytest.mark.django_db
def test_the_login_page_needs_no_inline_script(client):
    problems, _links = inline_problems(client.get("/logga-in/").content.decode())
    assert problems == []
