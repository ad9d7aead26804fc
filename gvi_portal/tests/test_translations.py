"""English is available: the compiled catalogue is committed, complete, and used when chosen."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def test_catalogue_is_compiled_and_complete():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert (CATALOGUE / "django.mo").stat().st_size > 0
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') or "#, fuzzy" in e]
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy entries (run `make messages`)"


@pytest.mark.django_db
def test_login_page_speaks_swedish_by_default_and_english_when_chosen(client):
    assert "Logga in" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page and "Sign in" in page and "Logga in" not in page
