"""The full matrix: sender kind × receiver kind × legal basis × record kind, for every shareable kind.

The expected answer comes from the reference table (agencies/reference_data.py, which must equal the table
written out independently in test_legal_basis_fit.py and in docs/access-model.md). For each sender kind and each
kind of record, one record is made by a lead of the sender and every receiver × basis is asked:

- of the service, through the real `access.share` (in a savepoint that is rolled back): the allowed ones pass
  and grant, every other is refused with the rule's code;
- of the record's share dialog (where it has its own): it offers exactly the fitting bases, and a POST of a basis
  that does not fit is refused while one that fits is saved;
- of the API's register endpoint (`POST /api/v1/shares/`, where the kind is registered there): 201 or a Swedish 400.

A consent basis is allowed where the table allows it and a valid consent covers the record: records about a
person with a consent category. Such a consent is made for the service's check; the dialog and the API offer
or accept consent only with one chosen, which their own tests cover.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access, reference_data
from agencies.errors import ApplicationError
from agencies.models import Agency, LegalBasis, Role
from agencies.tests.factories import UserFactory, with_second_factor
from cases import services
from cases.models import ConsentCategory, Individual

from . import factories
from .test_legal_basis_fit import TABLE

pytestmark = pytest.mark.django_db

KINDS = ("police", "probation", "municipality", "community")
SPEC = {spec["code"]: spec for spec in reference_data.LEGAL_BASES}
ASSESSMENT = "Mottagaren behöver uppgiften för att planera stödet; personens intresse väger inte tyngre."


def test_the_reference_table_is_the_documented_table():
    assert {code: (set(spec["sender_kinds"]), set(spec["receiver_kinds"])) for code, spec in SPEC.items()} == {
        **TABLE,
        "samtycke": (set(KINDS), set(KINDS)),
    }
    assert all(not spec.get("record_kinds") for spec in SPEC.values())


# --- one record of every kind, made by the sender ----------------------------------------------------------


def _person(user):
    year = timezone.localdate().year
    # Under 21 by birth year, so the age rule (OSL 10:18 a) can fit a record about the person.
    return factories.IndividualFactory(owner_agency=user.membership.agency, created_by=user, birth_year=year - 19)


def _group(user):
    return factories.group(user.membership.agency, user)


def _case(user):
    return factories.exit_case(user, _person(user))


def _outreach():
    from outreach.tests import factories as outreach

    return outreach


BUILD = {
    "individual": _person,
    "identity": lambda u: factories.IdentityDetailsFactory(individual=_person(u)),
    "group": _group,
    "group_relation": lambda u: services.relation_create(
        acting_user=u, group_a=_group(u), group_b=_group(u), kind="conflict", source="Fiktiv källa"
    ),
    "membership": lambda u: factories.membership(u, _person(u), _group(u)),
    "incident": lambda u: factories.incident(u),
    "incident_person": lambda u: services.incident_add_person(
        incident=factories.incident(u), acting_user=u, individual=_person(u), role="suspect"
    ),
    "exit_case": _case,
    "case_entry": lambda u: services.entry_add(case=_case(u), acting_user=u, kind="note", title="Samtal (fiktivt)"),
    "plan_goal": lambda u: services.goal_add(case=_case(u), acting_user=u, description="Mål (fiktivt)"),
    "task": lambda u: services.task_add(
        case=_case(u),
        acting_user=u,
        title="Uppgift (fiktiv)",
        assignee_agency=u.membership.agency,
        due_on=timezone.localdate() + timedelta(days=2),
    ),
    "call_in": lambda u: _outreach().call_in(u),
    "invitation": lambda u: _outreach().invitation(u, _outreach().call_in(u), _person(u)),
    "invitation_reason": lambda u: (
        _outreach()
        .invitation(u, _outreach().call_in(u), _person(u), reason_kind="other", reason_text="Skäl (fiktivt)")
        .reason
    ),
    "notification": lambda u: _outreach().notification(u, _person(u)),
    "legal_risk": lambda u: _outreach().notification(u, _person(u), legal_risk="Riskbild (fiktiv)").legal_risk,
    "enforcement_response": lambda u: _outreach().response(u, _group(u)),
    "lever": lambda u: _outreach().lever(u, _outreach().response(u, _group(u))),
    "review_meeting": lambda u: _outreach().meeting(u),
}
# The share dialog of each kind (identity details are a part of the person's dialog, not a dialog of their own).
DIALOG = {
    "individual": "individual-share",
    "group": "group-share",
    "group_relation": "relation-share",
    "membership": "membership-share",
    "incident": "incident-share",
    "incident_person": "incident-person-share",
    "exit_case": "exit-case-invite",
    "call_in": "call-in-share",
    "invitation": "invitation-share",
    "invitation_reason": "invitation-reason-share",
    "notification": "notification-share",
    "legal_risk": "legal-risk-share",
    "enforcement_response": "response-share",
    "lever": "lever-share",
    "review_meeting": "review-share",
}
# Only the police write a legal-risk summary (outreach.services.notifications): no other sender has one.
ONLY = {"legal_risk": {"police"}}
COMBOS = [(sender, kind) for kind in BUILD for sender in KINDS if sender in ONLY.get(kind, set(KINDS))]


def test_every_shareable_kind_is_in_the_matrix():
    import gvi_portal.api_urls  # noqa: F401 - the API modules register their kinds when the router is built
    from agencies.api.serializers import shareable_names
    from cases import shareables

    assert set(BUILD) == set(shareables._registry) | (set(shareable_names()) - {"consent"})


# --- what the table says -----------------------------------------------------------------------------------


def about_person(obj) -> bool:
    return obj.audit_person_id() is not None


def expected(code: str, sender: str, receiver: str, obj) -> bool:
    spec = SPEC[code]
    if sender not in spec["sender_kinds"] or receiver not in spec["receiver_kinds"]:
        return False
    if spec.get("record_kinds") and obj._meta.label_lower not in spec["record_kinds"]:
        return False
    if spec.get("max_age") is not None:
        # Every person here is 19 by birth year: the age rule fits exactly the records about a person.
        return about_person(obj)
    if spec.get("requires_consent"):
        return about_person(obj) and getattr(obj, "consent_category", None) is not None
    return True


# --- the three ways in -------------------------------------------------------------------------------------


@pytest.fixture
def agencies(police, probation, kommun, community) -> dict[str, Agency]:
    return {"police": police, "probation": probation, "municipality": kommun, "community": community}


@pytest.fixture
def leads(agencies):
    made = {}
    for kind, agency in agencies.items():
        lead = UserFactory(username=f"matris.{kind}", agency=agency, agency__role=Role.LEAD)
        with_second_factor(lead)  # identity details are shared by a lead after a fresh code
        made[kind] = lead
    return made


def _service_outcome(obj, sender_user, receiver: Agency, code: str) -> tuple[bool, str]:
    """Share through the real access.share in a savepoint that is rolled back: (passed, refusal code)."""
    with transaction.atomic():
        consent = None
        if SPEC[code].get("requires_consent") and about_person(obj):
            person = Individual.objects.get(pk=obj.audit_person_id())
            consent = factories.consent(
                sender_user, person, [sender_user.membership.agency, receiver], categories=ConsentCategory.values
            )
        try:
            access.share(
                obj,
                to_agency=receiver,
                level="view",
                legal_basis=LegalBasis.objects.get(code=code),
                consent=consent,
                assessment=ASSESSMENT,
                acting_user=sender_user,
            )
        except ApplicationError as exc:
            outcome = (False, exc.code)
        else:
            assert access.agency_sees(receiver, obj)
            outcome = (True, "")
        transaction.set_rollback(True)
    return outcome


def offered_bases(html: str) -> set[str]:
    pks = {int(pk) for pk in re.findall(r'name="legal_basis" value="(\d+)"', html)}
    return set(LegalBasis.objects.filter(pk__in=pks).values_list("code", flat=True))


@pytest.mark.parametrize("sender,kind", COMBOS)
def test_the_matrix(client, sender, kind, agencies, leads):
    user = leads[sender]
    obj = BUILD[kind](user)
    receivers = [k for k in KINDS if k != sender]

    # The service: every receiver × every basis, through the real access.share.
    for receiver in receivers:
        for code in SPEC:
            passed, refusal = _service_outcome(obj, user, agencies[receiver], code)
            want = expected(code, sender, receiver, obj)
            assert passed == want, (sender, receiver, code, kind, refusal)
            if not want and not SPEC[code].get("requires_consent"):
                assert refusal == "legal_basis_not_fitting", (sender, receiver, code, kind)
            elif not want:
                assert refusal in {"legal_basis_not_fitting", "consent_required", "consent_not_covering"}

    # The share dialog: offers exactly the fitting bases (consent only with a consent, none made here).
    client.force_login(user)
    if kind in DIALOG:
        url = reverse(DIALOG[kind], args=[obj.pk])
        for receiver in receivers:
            page = client.get(url, {"to_agency": agencies[receiver].pk})
            assert page.status_code == 200
            offered = {c for c in SPEC if expected(c, sender, receiver, obj) and not SPEC[c].get("requires_consent")}
            assert offered_bases(page.content.decode()) == offered, (sender, receiver, kind)
        _dialog_posts(client, url, kind, sender, obj, agencies)

    # The API's register endpoint, where the kind is shared through it.
    from agencies.api.serializers import shareable_names

    if kind in shareable_names():
        api = APIClient()
        api.force_login(user)
        for receiver in receivers:
            for code in (c for c in SPEC if not SPEC[c].get("requires_consent")):
                response = api.post(
                    "/api/v1/shares/",
                    {
                        "object_type": kind,
                        "object_id": obj.pk,
                        "to_agency": agencies[receiver].slug,
                        "legal_basis": code,
                        "assessment": ASSESSMENT,
                    },
                    format="json",
                )
                if expected(code, sender, receiver, obj):
                    assert response.status_code == 201, (sender, receiver, code, kind, response.json())
                else:
                    assert response.status_code == 400, (sender, receiver, code, kind)
                    assert response.json()["code"] == "legal_basis_not_fitting"
                    assert "kan inte användas här" in response.json()["detail"]


def _dialog_posts(client, url, kind, sender, obj, agencies) -> None:
    """One refused and one allowed POST through the dialog, where the sender has each."""
    from agencies.models import Share

    for receiver in (k for k in KINDS if k != sender):
        for code in (c for c in SPEC if not SPEC[c].get("requires_consent")):
            allowed = expected(code, sender, receiver, obj)
            data = {
                "what": kind,
                "to_agency": agencies[receiver].pk,
                "level": "view",
                "legal_basis": LegalBasis.objects.get(code=code).pk,
                "assessment": ASSESSMENT,
            }
            before = Share.objects.count()
            response = client.post(url, data)
            if allowed:
                assert response.status_code == 302, (sender, receiver, code, kind)
                assert Share.objects.count() == before + 1
            else:
                assert response.status_code == 200, (sender, receiver, code, kind)
                assert "Välj en rättslig grund som används." in response.content.decode()
                assert Share.objects.count() == before
