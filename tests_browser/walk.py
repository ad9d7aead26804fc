"""Which pages the browser walker visits: every route named in the URL conf, found by walking the resolver, so a
new page is covered without a new test. A route with arguments is filled from the demo data (seed_demo) through
the gate; a route that is not an HTML page a caseworker or lead can GET is left out here, each with its reason
(gvi_portal/tests/test_page_walk.py keeps this list honest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

# Whole namespaces that are not the portal's pages: the API (walked by the API tests) and Django's admin.
EXCLUDED_NAMESPACES = {"api": "the JSON API, not a page", "admin": "Django's admin, for operators only"}

# Routes a GET by a signed-in caseworker or lead never shows as a page. POST_ONLY is checked (a GET is 405).
POST_ONLY = {
    "logout",
    "review-action-create",
    "share-revoke",
    "lockout-lift",
    "task-status",
    "exit-case-goal-status",
    "call-in-status",
    "invitation-mark",
    "review-action-status",
    "run-request",
    "log-review-verdict",
}
EXCLUDED = {
    **{name: "POST only: a button on another page" for name in POST_ONLY},
    "login": "walked signed out (test_every_page.py), not per role",
    "second-factor-verify": "only in the middle of signing in with a second factor",
    "second-factor-step-up": "only when a lead confirms with the code before a sensitive step",
    "share-open": "a redirect to a shared record that marks it read (agencies/tests/test_views_home.py)",
    "set_language": "Django's language switch: a button in the header; a GET only redirects",
    "calendar-feed": "an iCalendar file for a calendar app, not a page",
    "health": "JSON for the load balancer",
    "choices": "JSON hits for the gated choice widget (cases/tests/test_choosers.py)",
    "api-schema": "the OpenAPI schema (YAML)",
    "api-docs": "Swagger UI of the API, its own page outside the portal's layout",
    "joint-export": "a CSV or Excel download of the joint dashboard, not a page",
    "lead-export": "a CSV or Excel download of a lead's dashboard, not a page",
    "access-log-export": "a CSV download of the lead's filtered access log, not a page",
    "drill": "a lead's list of one figure's records for a month (query string); tests_browser/test_dashboards.py opens it",
    "run": "a snapshot run's progress, made by a lead's POST; dashboards/tests/test_views.py",
    "survey-import": "a survey import's result, made by an upload (POST); dashboards/tests/test_views.py",
    "extract-file": "a register extract's PDF or JSON download, not a page (extracts/tests/test_views.py)",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]
    namespace: str | None = None

    @property
    def view_name(self) -> str:
        """What reverse() takes: the name, inside its namespace if it has one (the dashboards' pages do)."""
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


def routes() -> Iterator[Route]:
    """Every named route outside the excluded namespaces, in URL-conf order."""

    def walk(patterns, prefix: str, namespace: str | None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace not in EXCLUDED_NAMESPACES:
                yield Route(entry.name, prefix + str(entry.pattern), tuple(entry.pattern.converters), namespace)

    yield from walk(get_resolver().url_patterns, "", None)


def walked_routes() -> list[Route]:
    return [route for route in routes() if route.name not in EXCLUDED]


# Which record fills a route's argument: (model label, how to narrow the gate's queryset). The user's own records
# come first, so edit pages open; "today" picks a call-in whose attendance can be taken.
_PERSON = ("cases.Individual", None)
_GROUP = ("cases.CriminalGroup", None)
_INCIDENT = ("cases.Incident", None)
_CASE = ("cases.ExitCase", None)
_CALL_IN = ("outreach.CallIn", None)
_INVITATION = ("outreach.Invitation", None)
_NOTIFICATION = ("outreach.CustomNotification", None)
_RESPONSE = ("outreach.EnforcementResponse", None)
_MEETING = ("outreach.ReviewMeeting", None)
RECORD_FOR: dict[str, tuple[str, Callable | None]] = {
    "individual-detail": _PERSON,
    "individual-update": _PERSON,
    "individual-share": _PERSON,
    "person-reads": _PERSON,
    "person-consents": _PERSON,
    "consent-create": _PERSON,
    "consent-withdraw": ("cases.Consent", lambda qs: qs.filter(withdrawn_at__isnull=True)),
    "group-detail": _GROUP,
    "group-update": _GROUP,
    "group-share": _GROUP,
    "relation-create": _GROUP,
    "membership-create": _GROUP,
    "relation-update": ("cases.GroupRelation", None),
    "relation-share": ("cases.GroupRelation", None),
    "membership-review": ("cases.GroupMembership", None),
    "membership-share": ("cases.GroupMembership", None),
    "incident-detail": _INCIDENT,
    "incident-update": _INCIDENT,
    "incident-group-add": _INCIDENT,
    "incident-person-add": _INCIDENT,
    "incident-share": _INCIDENT,
    "incident-person-share": ("cases.IncidentPerson", None),
    "exit-case-detail": _CASE,
    "exit-case-update": _CASE,
    "exit-case-phase": ("cases.ExitCase", lambda qs: qs.exclude(phase="closed")),
    "exit-case-close": ("cases.ExitCase", lambda qs: qs.exclude(phase="closed")),
    "exit-case-invite": _CASE,
    "exit-case-disclose": _CASE,
    "case-entry-create": _CASE,
    "exit-case-goal-add": _CASE,
    "exit-case-task-add": _CASE,
    "case-entry-update": ("cases.CaseEntry", None),
    "case-entry-share": ("cases.CaseEntry", None),
    "plan-goal-share": ("cases.PlanGoal", None),
    "plan-task-share": ("cases.Task", None),
    "call-in-detail": _CALL_IN,
    "call-in-update": ("outreach.CallIn", lambda qs: qs.filter(status="planned")),
    "invitation-create": ("outreach.CallIn", lambda qs: qs.filter(status="planned")),
    "call-in-attendance": _CALL_IN,
    "call-in-follow-up": _CALL_IN,
    "call-in-share": _CALL_IN,
    "invitation-detail": _INVITATION,
    "invitation-follow-up": _INVITATION,
    "invitation-reason": _INVITATION,
    "invitation-share": _INVITATION,
    "invitation-reason-share": ("outreach.InvitationReason", None),
    "notification-detail": _NOTIFICATION,
    "notification-update": _NOTIFICATION,
    "legal-risk": _NOTIFICATION,
    "notification-share": _NOTIFICATION,
    "legal-risk-share": ("outreach.LegalRiskSummary", None),
    "response-detail": _RESPONSE,
    "response-update": _RESPONSE,
    "lever-create": _RESPONSE,
    "response-share": _RESPONSE,
    "lever-update": ("outreach.Lever", None),
    "lever-share": ("outreach.Lever", None),
    "review-detail": _MEETING,
    "review-update": _MEETING,
    "review-minutes": _MEETING,
    "review-action-create": _MEETING,
    "review-share": _MEETING,
    # The demo's extract (extracts/demo.py), ordered by the police's caseworker.
    "extract-detail": ("extracts.RegisterExtract", None),
    # Not a protected record: an agency's own log review, opened by its leads (see url_for).
    "log-review-detail": ("agencies.LogReview", None),
}


# A page that shows little without a query string gets one, so the walk sees it with results: the search page
# with a term that the demo data's aliases, group names and places match.
QUERY_FOR: dict[str, dict[str, str]] = {"search": {"q": "an"}}


def url_for(route: Route, user) -> str | None:
    """The route's address for `user`: arguments filled from a record the user owns (else one the user may see);
    None when the user sees no such record."""
    from agencies import access
    from agencies.models import ProtectedModel

    if not route.params:
        query = QUERY_FOR.get(route.name)
        return reverse(route.view_name) + (f"?{urlencode(query)}" if query else "")
    if route.name not in RECORD_FOR:
        raise LookupError(f"{route.name}: no record named in tests_browser/walk.py RECORD_FOR")
    label, narrow = RECORD_FOR[route.name]
    model = apps.get_model(label)
    actor = access.require_actor(user)
    if not issubclass(model, ProtectedModel):
        # A record of the agency's own (a log review) rather than one the gate shares: the user's agency's.
        record = model._default_manager.filter(agency_id=actor.agency_id).order_by("pk").first()
    else:
        queryset = access.visible(user, model)
        if narrow is not None:
            queryset = narrow(queryset)
        record = (
            queryset.filter(owner_agency_id=actor.agency_id).order_by("pk").first() or queryset.order_by("pk").first()
        )
    if record is None:
        return None
    (param,) = route.params
    return reverse(route.view_name, kwargs={param: record.pk})
