"""Writes the demo plan (cases.demo.plan) through the same services the portal uses.

Agencies through agencies.services.agency_create (their auth groups follow), users' memberships through
membership_set, persons through cases.services, shares and revocations through agencies.access, then the
group registry and the incidents (cases.demo.registry_seed, same rules) and the joint exit-support cases
with their consents (cases.demo.cases_seed, same rules), then what the other apps registered
(cases.extensions.demo_seeders), so the
disclosure register, the grants and the access log hold exactly what they would after real use. Each
step first looks up what already exists and writes only what is missing, so a second run writes nothing
and a partly seeded database is completed.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from faker import Faker

from agencies import access, second_factor, services
from agencies.context import audit_context
from agencies.models import Agency, LegalBasis, Membership, Role, Share, Via
from cases import extensions
from cases.models import District, IdentityDetails, Individual
from cases.services import identity_set, individual_create

from . import plan as demo
from .assessments import assessment_for
from .cases_seed import seed_cases
from .plan import DEMO_PASSWORD, DEMO_TOTP_KEY, Plan
from .registry_seed import seed_registry


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, agency, role

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def seed_demo(*, now: datetime | None = None) -> SeedReport:
    now = now or timezone.now()
    report = SeedReport()
    with audit_context(Via.CLI), transaction.atomic():
        agencies = _agencies(report)
        users = _users(agencies, report)
        districts = list(District.objects.filter(active=True).order_by("name"))
        plan = demo.build(districts=[d.name for d in districts], today=timezone.localdate(now))
        persons = _persons(plan, agencies, users, {d.name: d for d in districts}, now, report)
        _shares(plan, persons, agencies, users, now, report)
        # The group registry and the incidents (cases.demo.registry_plan), on top of the persons.
        registry = seed_registry(
            persons_plan=plan,
            persons=persons,
            agencies=agencies,
            users=users,
            districts=districts,
            now=now,
            report=report,
        )
        # The joint exit-support cases (cases.demo.cases_plan), on the persons the agencies share.
        cases_plan = seed_cases(
            persons_plan=plan,
            registry_plan=registry,
            persons=persons,
            agencies=agencies,
            users=users,
            now=now,
            report=report,
        )
        # The other apps' demo data (outreach: call-ins, notifications, responses, reviews), on top of it all.
        context = extensions.DemoContext(
            agencies=agencies,
            users=users,
            persons=persons,
            persons_plan=plan,
            registry_plan=registry,
            cases_plan=cases_plan,
            now=now,
            report=report,
        )
        for seeder in extensions.demo_seeders:
            seeder.run(context)
    for spec in demo.USERS:
        report.logins.append((spec.username, agencies[spec.agency].name, str(Role(spec.role).label)))
    return report


def _agencies(report: SeedReport) -> dict[str, Agency]:
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=[s.slug for s in demo.AGENCIES])}
    for spec in demo.AGENCIES:
        if spec.slug not in agencies:
            agencies[spec.slug] = services.agency_create(name=spec.name, slug=spec.slug, kind=spec.kind)
            report.count("agencies")
    return agencies


def _users(agencies: dict[str, Agency], report: SeedReport) -> dict[str, Any]:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in demo.USERS])}
    memberships = {m.user_id: m for m in Membership.objects.filter(user__in=users.values())}
    password_hash = None
    fake = Faker("sv_SE")
    for spec in demo.USERS:
        agency = agencies[spec.agency]
        user = users.get(spec.username)
        if user is None:
            fake.seed_instance(f"{demo.SEED}:{spec.username}")
            user = User(
                username=spec.username,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email=f"{spec.username}@demo.invalid",
            )
            validate_password(DEMO_PASSWORD, user)
            # One hash for all eleven: the hasher is deliberately slow (about half a second each), and the
            # demo password is the same for every login anyway.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.save()
            users[spec.username] = user
            report.count("users")
        membership = memberships.get(user.pk)
        if membership is None or membership.agency_id != agency.pk or membership.role != spec.role:
            services.membership_set(user=user, agency=agency, role=spec.role)
        if spec.role in second_factor.REQUIRED_ROLES:
            # Leads must sign in with a second factor; in the demo all share one published key.
            second_factor.enrol_with_key(user, base32_key=DEMO_TOTP_KEY)
    return users


def _caseworker(agency_slug: str, users: dict[str, Any]) -> Any:
    return users[f"{demo.AGENCY_BY_SLUG[agency_slug].login_prefix}.handlaggare"]


def _lead(agency_slug: str, users: dict[str, Any]) -> Any:
    return users[f"{demo.AGENCY_BY_SLUG[agency_slug].login_prefix}.chef"]


def _persons(plan: Plan, agencies, users, districts, now: datetime, report: SeedReport) -> dict[int, Individual]:
    """The plan's persons by plan index, creating those that are missing (and missing identity details)."""
    slug_of = {a.pk: slug for slug, a in agencies.items()}
    existing = {
        (p.alias, p.birth_year, slug_of[p.owner_agency_id]): p
        for p in Individual.objects.filter(
            owner_agency__in=agencies.values(), alias__in={s.alias for s in plan.persons}
        ).order_by("pk")
    }
    with_identity = set(
        IdentityDetails.objects.filter(pk__in=[p.pk for p in existing.values()]).values_list("pk", flat=True)
    )
    persons: dict[int, Individual] = {}
    backdated: list[Individual] = []
    backdated_identities: list[IdentityDetails] = []
    for index, spec in enumerate(plan.persons):
        acting_user = _caseworker(spec.owner, users)
        person = existing.get(spec.key)
        identity = asdict(spec.identity) if spec.identity else None
        if person is None:
            person = individual_create(
                acting_user=acting_user,
                alias=spec.alias,
                birth_year=spec.birth_year,
                district=districts.get(spec.district),
                notes=spec.notes,
                identity=identity,
            )
            # Backdated now, before any share: the grant rows copy created_at when they are written.
            person.created_at = person.updated_at = now - timedelta(minutes=spec.minutes_ago)
            backdated.append(person)
            report.count("persons")
        elif identity and person.pk not in with_identity:
            identity_set(individual=person, acting_user=acting_user, **identity)
        else:
            identity = None
        if identity:
            backdated_identities.append(
                IdentityDetails(individual=person, created_at=person.created_at, updated_at=person.created_at)
            )
            report.count("identities")
        persons[index] = person
    Individual.objects.bulk_update(backdated, ["created_at", "updated_at"], batch_size=500)
    IdentityDetails.objects.bulk_update(backdated_identities, ["created_at", "updated_at"], batch_size=500)
    return persons


def _shares(plan: Plan, persons: dict[int, Individual], agencies, users, now: datetime, report: SeedReport) -> None:
    content_types = ContentType.objects.get_for_models(Individual, IdentityDetails)
    ct = {False: content_types[Individual], True: content_types[IdentityDetails]}
    existing = set(
        Share.objects.filter(content_type__in=ct.values(), from_agency__in=agencies.values()).values_list(
            "content_type_id", "object_id", "to_agency_id"
        )
    )
    bases = {b.code: b for b in LegalBasis.objects.filter(code__in={s.legal_basis for s in plan.shares})}
    identity_ids = {s.person for s in plan.shares if s.identity}
    identities = {i.pk: i for i in IdentityDetails.objects.filter(pk__in=[persons[n].pk for n in identity_ids])}
    backdated: list[Share] = []
    for spec in plan.shares:
        person = persons[spec.person]
        obj = identities.get(person.pk) if spec.identity else person
        to_agency = agencies[spec.to_agency]
        if obj is None or (ct[spec.identity].pk, obj.pk, to_agency.pk) in existing:
            continue
        owner = plan.persons[spec.person].owner
        record = access.share(
            obj,
            to_agency=to_agency,
            level=spec.level,
            legal_basis=bases[spec.legal_basis],
            assessment=assessment_for(spec.legal_basis),
            acting_user=_lead(owner, users) if spec.identity else _caseworker(owner, users),
            expires_at=now + timedelta(days=spec.expires_in_days) if spec.expires_in_days else None,
        )
        record.decided_at = obj.created_at + (now - obj.created_at) * spec.decided_fraction
        backdated.append(record)
        report.count("shares")
        if spec.revoke_reason:
            access.revoke(record, acting_user=_caseworker(owner, users), reason=spec.revoke_reason)
            report.count("revoked")
    Share.objects.bulk_update(backdated, ["decided_at"], batch_size=500)
