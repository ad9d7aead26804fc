"""The birth year of the person a record is about, for the age rule of a legal basis (OSL 10:18 a).

Registered with agencies.legal_bases by CasesConfig.ready, since `agencies` imports no other app. Works for any
protected record that names its person through `audit_person_id()` (outreach's records too): no query for a
person, one for anything else.
"""

from __future__ import annotations

from .models import Individual


def birth_year_of(obj) -> int | None:
    if isinstance(obj, Individual):
        return obj.birth_year
    person_id = getattr(obj, "audit_person_id", lambda: None)()
    if person_id is None:
        return None
    return Individual.objects.filter(pk=person_id).values_list("birth_year", flat=True).first()
