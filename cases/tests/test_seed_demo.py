import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from agencies.access import LEVEL_PERMISSIONS
from agencies.models import AccessLogEntry, Agency, Membership, Role, Share
from cases.demo import DEMO_PASSWORD
from cases.demo.plan import AGENCIES, USERS
from cases.demo.registry_plan import KVV_MEMBERSHIP_SHARES
from cases.models import (
    IdentityDetails,
    IdentityDetailsGroupGrant,
    IdentityDetailsUserGrant,
    Individual,
    IndividualGroupGrant,
    IndividualUserGrant,
)
from cases.personnummer import normalise

pytestmark = pytest.mark.django_db

User = get_user_model()
BASES = {"osl-10-2", "osl-10-18a", "osl-10-27", "ej-sekretess"}
# This module covers persons and identity details; test_seed_demo_registry covers the group registry.
PERSON_MODELS = ("individual", "identitydetails")
# The joint cases share on consent too, and revoke when a consent ends: test_seed_demo_cases covers them.
CASE_MODELS = ("exitcase", "caseentry", "plangoal", "task", "consent")


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the whole module (about two seconds), inside a transaction rolled back at its end.

    Each test's own `db` transaction nests inside it as a savepoint, so a test that changes the data
    (a second run, a partly deleted demo) leaves the next test the freshly seeded database.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(force=True)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def person_keys() -> dict[int, tuple]:
    """Individual (and IdentityDetails) pk → the demo's stable key, so snapshots do not depend on pks."""
    return {
        pk: (alias, year, owner)
        for pk, alias, year, owner in Individual.objects.values_list("pk", "alias", "birth_year", "owner_agency__slug")
    }


def snapshot(*, times: bool = True) -> dict:
    keys = person_keys()

    def t(value):
        return value if times else None

    return {
        "agencies": sorted(Agency.objects.values_list("slug", "name", "kind", "active", "group__name")),
        "users": sorted(
            (u.username, u.first_name, u.last_name, u.email, u.password, tuple(u.groups.values_list("name", flat=True)))
            for u in User.objects.all()
        ),
        "memberships": sorted(Membership.objects.values_list("user__username", "agency__slug", "role")),
        "persons": sorted(
            (keys[p.pk], p.district and p.district.name, p.notes, p.created_by.username, t(p.created_at))
            for p in Individual.objects.select_related("district", "created_by")
        ),
        "identities": sorted(
            (keys[i.pk], i.personnummer, i.full_name, i.address, i.phone, t(i.created_at))
            for i in IdentityDetails.objects.all()
        ),
        "shares": sorted(
            (
                s.content_type.model,
                keys[s.object_id],
                s.from_agency.slug,
                s.to_agency.slug,
                s.level,
                s.legal_basis.code,
                s.decided_by.username,
                s.expires_at is not None,
                s.revoked_at is not None,
                s.revoke_reason,
                t(s.decided_at),
                t(s.expires_at),
            )
            for s in Share.objects.filter(content_type__model__in=PERSON_MODELS).select_related(
                "content_type", "from_agency", "to_agency", "legal_basis", "decided_by"
            )
        ),
        "grants": sorted(
            (model._meta.model_name, keys[g.content_object_id], g.group.name, g.permission.codename, t(g.created_at))
            for model in (IndividualGroupGrant, IdentityDetailsGroupGrant)
            for g in model.objects.select_related("group", "permission")
        ),
    }


def test_counts_in_the_stated_ranges(seeded):
    persons = Individual.objects.count()
    assert 190 <= persons <= 210
    assert 0.5 * persons <= IdentityDetails.objects.count() <= 0.7 * persons

    owners = dict.fromkeys((a.slug for a in AGENCIES), 0)
    for slug in Individual.objects.values_list("owner_agency__slug", flat=True):
        owners[slug] += 1
    assert all(owners.values()), owners
    assert owners["polisen"] + owners["orebro-kommun"] >= 0.7 * persons

    assert Individual.objects.filter(district__isnull=True).count() == 0
    assert Individual.objects.values("district").distinct().count() >= 10
    assert set(Individual.objects.values_list("birth_year", flat=True)) <= set(range(1985, 2010))
    created = sorted(Individual.objects.values_list("created_at", flat=True))
    now = timezone.now()
    assert created[0] < now - timedelta(days=365) and created[-1] <= now

    person_shares = Share.objects.filter(content_type__model="individual")
    # The registry step also shares, with Kriminalvården, some persons whose memberships it gets.
    assert 35 <= person_shares.values("object_id").distinct().count() <= 45 + KVV_MEMBERSHIP_SHARES
    revoked = Share.objects.filter(content_type__model__in=PERSON_MODELS, revoked_at__isnull=False)
    assert 2 <= revoked.exclude(revoke_reason="").count() <= 3
    assert Share.objects.filter(revoked_at__isnull=True, expires_at__gt=now).exists()
    assert Share.objects.filter(level="change").exists()


def test_identity_details_shared_by_a_lead_to_an_authority_that_sees_the_person(seeded):
    identity_shares = Share.objects.filter(content_type__model="identitydetails").select_related("to_agency")
    assert 6 <= identity_shares.count() <= 10
    for share in identity_shares:
        assert share.decided_by.username in ("polis.chef", "kommun.chef")
        assert share.to_agency.kind != Agency.Kind.COMMUNITY
        assert (
            Share.objects.active()
            .filter(content_type__model="individual", object_id=share.object_id, to_agency=share.to_agency)
            .exists()
        )


def test_legal_bases(seeded):
    shares = Share.objects.exclude(content_type__model__in=CASE_MODELS)
    codes = set(shares.values_list("legal_basis__code", flat=True))
    assert codes <= BASES and len(codes) >= 4, codes
    assert not Share.objects.filter(legal_basis__isnull=True).exists()
    year = timezone.localdate().year
    for share in shares.filter(legal_basis__code="osl-10-18a").select_related("from_agency", "to_agency"):
        person = Individual.objects.get(pk=share.object_id)
        assert (share.from_agency.slug, share.to_agency.slug) == ("orebro-kommun", "polisen")
        assert person.birth_year is not None and year - person.birth_year <= 20
    community = shares.filter(to_agency__kind=Agency.Kind.COMMUNITY) | shares.filter(
        from_agency__kind=Agency.Kind.COMMUNITY
    )
    assert set(community.values_list("legal_basis__code", flat=True)) == {"ej-sekretess"}


def test_five_agencies_each_group_holds_exactly_its_users(seeded):
    assert sorted(Agency.objects.values_list("slug", "kind")) == sorted((a.slug, a.kind) for a in AGENCIES)
    for agency in Agency.objects.select_related("group"):
        expected = {u.username for u in USERS if u.agency == agency.slug}
        assert set(agency.group.user_set.values_list("username", flat=True)) == expected
        assert set(agency.memberships.values_list("user__username", flat=True)) == expected
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {u.username: u.role for u in USERS}
    assert roles["polis.integration"] == Role.INTEGRATION
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name
        assert not (user.is_staff or user.is_superuser)


def test_demo_leads_have_the_published_second_factor_and_no_one_else(seeded):
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.demo import DEMO_TOTP_KEY

    devices = {d.user.username: d for d in TOTPDevice.objects.select_related("user")}
    assert set(devices) == {u.username for u in USERS if u.role == Role.LEAD}
    key = base64.b32decode(DEMO_TOTP_KEY.replace(" ", "")).hex()
    assert all(d.confirmed and d.key == key for d in devices.values())
    out = io.StringIO()
    call_command("demo_otp", "polis.chef", "--force", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6


def test_every_grant_follows_an_active_share(seeded):
    expected = set()
    for share in Share.objects.active().filter(content_type__model__in=PERSON_MODELS).select_related("content_type"):
        model = share.content_type.model
        for action in LEVEL_PERMISSIONS[share.level]:
            expected.add((model, share.object_id, share.to_agency.group_id, f"{action}_{model}", share.expires_at))
    actual = set()
    for grant_model, target in ((IndividualGroupGrant, Individual), (IdentityDetailsGroupGrant, IdentityDetails)):
        for grant in grant_model.objects.select_related("permission", "content_object"):
            model = target._meta.model_name
            actual.add((model, grant.content_object_id, grant.group_id, grant.permission.codename, grant.expires_at))
            # The sort key the gate pages by must be the record's own (backdated before sharing).
            assert grant.created_at == grant.content_object.created_at
    assert actual == expected
    assert not IndividualUserGrant.objects.exists() and not IdentityDetailsUserGrant.objects.exists()


def test_personnummer_are_valid_and_match_the_birth_year(seeded):
    for pnr, birth_year in IdentityDetails.objects.values_list("personnummer", "individual__birth_year"):
        assert len(pnr) == 12 and pnr.isdigit()
        assert normalise(pnr) == pnr
        assert int(pnr[:4]) == birth_year


def test_second_run_changes_nothing(seeded, settings):
    before, log_rows = snapshot(), AccessLogEntry.objects.count()
    settings.DEBUG = True  # and without --force, as `make run` calls it
    out = seed()
    assert "inget nytt" in out
    assert snapshot() == before
    assert AccessLogEntry.objects.count() == log_rows


def test_partly_seeded_database_is_completed(seeded):
    before = snapshot(times=False)
    shared = set(Share.objects.values_list("object_id", flat=True))
    unshared = Individual.objects.exclude(pk__in=shared).order_by("pk")
    # Lose some persons outright and, of others, only the identity details.
    for person in unshared[:5]:
        person.delete()
    IdentityDetails.objects.filter(pk__in=unshared.filter(identity__isnull=False).values("pk")[:5]).delete()

    out = seed(force=True)

    assert "personer: 5" in out and "identitetsuppgifter:" in out
    assert snapshot(times=False) == before


def test_refuses_without_debug_unless_forced(seeded, settings):
    # Even a partly seeded database is left alone.
    Individual.objects.exclude(pk__in=Share.objects.values("object_id")).order_by("pk")[0].delete()
    before = snapshot()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert snapshot() == before


def test_prints_the_demo_logins(seeded):
    for spec in USERS:
        line = next(line for line in seeded.splitlines() if line.split()[:1] == [spec.username])
        assert DEMO_PASSWORD in line
