"""Deleting a protected record leaves nothing behind, for every protected kind (agencies.services.deletion):
no register row points at it (the disclosure stays as a closed row with the kind only), no grant, no task link,
no search hit; the delete and the closed disclosure are in the access log."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from agencies import access
from agencies.models import AccessLogEntry, ProtectedModel, Share
from agencies.services.deletion import FORGOTTEN, delete_records
from cases.models import Task
from cases.selectors.search import search_all

from .kinds import BUILDERS, share, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def u(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    return users(
        police=police,
        kommun=kommun,
        police_caseworker=police_caseworker,
        police_lead=police_lead,
        kommun_caseworker=kommun_caseworker,
    )


def test_every_protected_kind_has_a_builder():
    protected = {m._meta.label for m in apps.get_models() if issubclass(m, ProtectedModel)}
    assert protected == set(BUILDERS)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_deleting_leaves_nothing_behind(label, u):
    obj = BUILDERS[label](u)
    model = type(obj)
    ct = ContentType.objects.get_for_model(model)
    by = u.police_lead if model.share_requires_lead else u.police_caseworker
    record = share(obj, u.kommun, by)
    assert access.can(u.kommun_caseworker, obj)
    group_grants, user_grants = access.grant_models(model)
    assert group_grants.objects.filter(**{"content_object_id": obj.pk}).exists()
    tasks_linked = (
        list(Task.objects.filter(entry_id=obj.pk).values_list("pk", flat=True)) if label == "cases.CaseEntry" else []
    )

    pk, alias = obj.pk, getattr(obj, "alias", "")
    removed = delete_records([obj], reason="Test av radering.")

    assert pk in removed[model._meta.label_lower]
    assert not model._base_manager.filter(pk=pk).exists()
    # No register row points at the record; the disclosure history stays, closed, with the kind only.
    assert not Share.objects.filter(content_type=ct, object_id=pk).exists()
    record.refresh_from_db()
    assert record.object_id == FORGOTTEN and record.content_type_id == ct.pk
    assert record.revoked_at is not None and record.revoke_reason == "Test av radering."
    assert not Share.objects.filter(consent_type=ct, consent_id=pk).exists()
    # No grant, nothing the receiver (or the owner) can still reach.
    assert not group_grants.objects.filter(**{"content_object_id": pk}).exists()
    assert not user_grants.objects.filter(**{"content_object_id": pk}).exists()
    for user in (u.kommun_caseworker, u.police_caseworker):
        assert not access.visible(user, model).filter(pk=pk).exists()
    # No task or reminder keeps a link to it.
    for task in Task.objects.filter(pk__in=tasks_linked):
        assert task.entry_id is None
    # No search hit: the alias of a deleted person finds nothing.
    if label == "cases.Individual":
        assert all(not kind.hits for kind in search_all(user=u.police_caseworker, term=alias))
    # Logged: the delete as the owner, the closed disclosure as the disclosing agency.
    deleted = AccessLogEntry.objects.filter(action="delete", model=model._meta.label_lower)
    assert deleted.filter(agency=u.police, object_ids=[pk]).exists()
    assert AccessLogEntry.objects.filter(action="revoke", detail__share=record.pk).exists()


def test_a_person_takes_along_what_cascades_and_closes_every_share_of_it(u):
    """A person's identity, membership and incident involvement are deleted with the person: each of their
    register rows is closed and cut loose too, not only the person's."""
    from cases.tests.factories import IdentityDetailsFactory

    membership = BUILDERS["cases.GroupMembership"](u)
    person = membership.individual
    identity = IdentityDetailsFactory(individual=person)
    rows = [share(person, u.kommun, u.police_caseworker), share(membership, u.kommun, u.police_caseworker)]
    rows.append(share(identity, u.kommun, u.police_lead))

    ids = {"person": person.pk, "membership": membership.pk}
    removed = delete_records([person], reason="Test.")

    assert removed["cases.individual"] == [ids["person"]]
    assert removed["cases.groupmembership"] == [ids["membership"]]
    assert removed["cases.identitydetails"] == [ids["person"]]
    for row in rows:
        row.refresh_from_db()
        assert row.object_id == FORGOTTEN and row.revoked_at is not None


def test_a_record_still_needed_is_not_deleted_and_nothing_is_written(u):
    from django.db.models import ProtectedError

    case = BUILDERS["cases.ExitCase"](u)
    person = case.individual
    record = share(person, u.kommun, u.police_caseworker)
    with pytest.raises(ProtectedError):
        delete_records([person], reason="Test.")
    record.refresh_from_db()
    assert record.object_id == person.pk and record.revoked_at is None


def test_a_consent_the_share_rests_on_is_cut_loose_too(u):
    from agencies.tests.factories import legal_basis
    from cases.tests.factories import consent

    person = BUILDERS["cases.Individual"](u)
    given = consent(u.police_caseworker, person, [u.police, u.kommun], categories=["person"])
    record = access.share(
        person,
        to_agency=u.kommun,
        level="view",
        legal_basis=legal_basis("samtycke"),
        consent=given,
        acting_user=u.police_caseworker,
    )

    delete_records([given], reason="Test.")

    record.refresh_from_db()
    assert record.consent_id is None and record.revoked_at is not None
    assert record.object_id == person.pk  # the person is still there; only the consent is gone
    assert not access.can(u.kommun_caseworker, person)
