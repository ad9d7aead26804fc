"""access.visible as one UNION ALL of the three index-driven branches gives exactly what the old
`owner OR pk IN grants OR pk IN grants` shape gave, for every way a record can be (or not be) visible."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from agencies import access
from agencies.tests.factories import legal_basis
from cases.models import Individual, IndividualGroupGrant, IndividualUserGrant
from cases.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def old_shape(user, action):
    """The shape access.visible had before: an OR of the owner and two IN subqueries."""
    actor = access.require_actor(user)
    now = timezone.now()
    return Individual.objects.filter(
        Q(owner_agency_id=actor.agency_id)
        | Q(pk__in=access._group_grants(actor, Individual, action, now).values("content_object_id"))
        | Q(pk__in=access._user_grants(actor, Individual, action, now).values("content_object_id"))
    )


@pytest.fixture
def world(police, kommun, community, police_caseworker, kommun_caseworker, community_user):
    own = person(kommun, kommun_caseworker, alias="Egen")
    viewed = person(police, police_caseworker, alias="Delad att se")
    changed = person(police, police_caseworker, alias="Delad att ändra")
    twice = person(police, police_caseworker, alias="Delad två gånger")
    lapsed = person(police, police_caseworker, alias="Utgången")
    to_me = person(police, police_caseworker, alias="Till mig")
    hidden = person(police, police_caseworker, alias="Dold")
    elsewhere = person(community, community_user, alias="Annanstans")
    basis = legal_basis()
    for obj, level in ((viewed, "view"), (changed, "change"), (twice, "view"), (lapsed, "view")):
        access.share(
            obj,
            to_agency=kommun,
            level=level,
            legal_basis=basis,
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    IndividualGroupGrant.objects.filter(content_object=lapsed).update(expires_at=timezone.now() - timedelta(hours=1))
    view_perm = access._permission_id(Individual, "view")
    IndividualUserGrant.objects.create(
        user=kommun_caseworker, permission_id=view_perm, content_object=to_me, created_at=to_me.created_at
    )
    IndividualUserGrant.objects.create(
        user=kommun_caseworker, permission_id=view_perm, content_object=twice, created_at=twice.created_at
    )
    return {o.alias: o for o in (own, viewed, changed, twice, lapsed, to_me, hidden, elsewhere)}


@pytest.mark.parametrize("action", ["view", "change"])
def test_union_shape_equals_the_old_or_shape(world, kommun_caseworker, police_caseworker, outsider, action):
    for user in (kommun_caseworker, police_caseworker, outsider):
        new = sorted(access.visible(user, Individual, action).values_list("pk", flat=True))
        old = sorted(old_shape(user, action).values_list("pk", flat=True))
        assert new == old
    seen = set(access.visible(kommun_caseworker, Individual, "view").values_list("alias", flat=True))
    assert seen == {"Egen", "Delad att se", "Delad att ändra", "Delad två gånger", "Till mig"}
    changeable = set(access.visible(kommun_caseworker, Individual, "change").values_list("alias", flat=True))
    assert changeable == {"Egen", "Delad att ändra"}


def test_counts_filters_and_composition_agree(world, kommun_caseworker):
    visible = access.visible(kommun_caseworker, Individual)
    assert visible.count() == old_shape(kommun_caseworker, "view").count() == 5  # no duplicates from the union
    assert list(visible.filter(alias__startswith="Delad").order_by("alias").values_list("alias", flat=True)) == [
        "Delad att se",
        "Delad att ändra",
        "Delad två gånger",
    ]
    assert visible.filter(pk=world["Dold"].pk).count() == 0
    # The shape: one UNION of index ranges, not an OR around the owner.
    sql = str(visible.query).upper()
    assert "UNION ALL" in sql
    assert '"OWNER_AGENCY_ID" = ' in sql and " OR " not in sql.split("WHERE", 1)[1].split("UNION", 1)[0]
