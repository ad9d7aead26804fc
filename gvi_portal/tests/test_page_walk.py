"""The browser walker's list of pages (tests_browser/walk.py) stays honest: what it leaves out exists and is left
out for the reason given, and every page with an argument says which record fills it."""

import pytest
from django.urls import reverse

from tests_browser.walk import EXCLUDED, POST_ONLY, RECORD_FOR, routes, walked_routes


def test_every_exclusion_names_a_route():
    names = {route.name for route in routes()}
    assert set(EXCLUDED) - names == set()
    assert set(RECORD_FOR) - names == set()


def test_every_page_with_an_argument_names_its_record():
    missing = [route.name for route in walked_routes() if route.params and route.name not in RECORD_FOR]
    assert missing == [], "add the record that fills these pages to tests_browser/walk.py RECORD_FOR"


def test_the_walk_covers_the_portals_pages():
    walked = {route.name for route in walked_routes()}
    # A sample from each app, and nothing from the API or the admin.
    assert {"home", "individual-detail", "group-landscape", "exit-case-detail", "call-in-attendance"} <= walked
    assert {"access-log", "agency-tasks", "review-minutes", "calendar-settings"} <= walked
    assert not any(name.startswith(("api", "admin")) for name in walked)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_routes_refuse_a_get(client, police_lead, name):
    route = next(route for route in routes() if route.name == name)
    client.force_login(police_lead)  # a lead passes every role check, so the answer is the method's
    response = client.get(reverse(route.view_name, kwargs={param: 1 for param in route.params}))
    assert response.status_code == 405


def test_every_walked_page_without_arguments_reverses_with_its_namespace():
    # The walker reverses each route by name; a namespaced app (the dashboards) needs "namespace:name".
    for route in walked_routes():
        if not route.params:
            assert reverse(route.view_name)
