"""Administrators edit the retention rules in the admin; the seeded defaults are there with their sources."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.tests.factories import with_second_factor
from retention.models import RetentionCategory, RetentionRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(police):
    user = get_user_model().objects.create_superuser("brytglas", "brytglas@example.invalid", "x" * 20)
    with_second_factor(user)
    return user


def test_the_seeded_rules_have_their_sources():
    codes = set(RetentionCategory.objects.values_list("code", flat=True))
    assert codes >= {
        "case-entries",
        "memberships",
        "incidents",
        "exit-cases",
        "consents",
        "outreach",
        "access-log",
        "register-extract-files",
        "register-extracts",
        "persons",
    }
    social = RetentionRule.objects.get(category__code="case-entries", agency_kind="municipality")
    assert (social.period_months, social.action, social.source) == (60, "delete", "SoL (2001:453) 12 kap. 1 §")
    assert RetentionRule.objects.get(category__code="incidents").action == "anonymise"
    # Every category is applied by the nightly run now, the access log's included (by counts).
    assert set(RetentionCategory.objects.exclude(not_applied_reason="").values_list("code", flat=True)) == set()
    files = RetentionRule.objects.get(category__code="register-extract-files")
    assert (files.period_months, files.action) == (1, "anonymise")
    assert RetentionRule.objects.get(category__code="persons").action == "delete"
    assert not RetentionRule.objects.filter(source="").exists()


def test_an_administrator_changes_a_rules_period(client, superuser):
    client.force_login(superuser)
    category = RetentionCategory.objects.get(code="memberships")
    url = reverse("admin:retention_retentioncategory_change", args=[category.pk])
    assert client.get(url).status_code == 200
    rule = category.rules.get()
    data = {
        "name": category.name,
        "description": category.description,
        "not_applied_reason": "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "1",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": str(rule.pk),
        "rules-0-category": str(category.pk),
        "rules-0-agency_kind": "",
        "rules-0-agency": "",
        "rules-0-period_months": "18",
        "rules-0-action": "delete",
        "rules-0-source": rule.source,
        "rules-0-note": rule.note,
        "rules-0-active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.period_months == 18
    for name in ("retentioncategory", "hold", "retentionrun"):
        assert client.get(reverse(f"admin:retention_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:retention_retentioncategory_add")).status_code == 403
