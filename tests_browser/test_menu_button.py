"""The main navigation on a phone: behind a "Meny" button that says whether it is open (aria-expanded), opens by
keyboard, and closes with Escape, giving the focus back to the button. On a desktop the links show at once."""

import pytest
from django.test import Client

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.django_db(transaction=True)
def test_menu_button_on_a_phone(chromium, live_server, police_caseworker):
    client = Client()
    client.force_login(police_caseworker)
    context = chromium.new_context(locale="sv-SE", viewport=PHONE)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    button = nav.get_by_role("button", name="Meny")
    people = nav.get_by_role("link", name="Personer")
    assert button.get_attribute("aria-expanded") == "false" and not people.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and people.is_visible()
    box = people.bounding_box()
    assert box is not None and box["height"] >= 40  # a thumb's target
    people.focus()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not people.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    page.keyboard.press("Space")
    assert people.is_visible()
    # Wider than 800 px: no button, every link shown.
    page.set_viewport_size(DESKTOP)
    assert not button.is_visible() and people.is_visible()
    context.close()
