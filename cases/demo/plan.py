"""What the fictional Örebro demo holds, as a deterministic plan (no database writes here).

Idempotency rests on this module: the same code yields the same plan, so a second run of `seed_demo`
finds every person by its key (alias, birth year, owner agency) and creates nothing. Three rules keep the
keys stable:

- The keys come from their own random stream, drawn in a fixed order, and nothing else draws from it.
- Everything about a person beyond the key (district, notes, identity) comes from a stream seeded by the
  key itself, so a change there (an administrator renames a district, say) never shifts another person.
- The only thing that depends on today's date — which legal basis fits a person under 21 — is drawn
  with a fixed number of draws, so it never shifts a draw that decides a key or a share target.
- Personnummer are fictional: cases.personnummer.fictional draws from the test series only.

The plan is only stable for one Faker version (requirements.txt pins it): another version may change
its Swedish name lists, and an old database would then get a second population next to the first.
"""

import random
from dataclasses import dataclass, replace
from datetime import date

from faker import Faker

from agencies.models import Agency, Role, ShareLevel
from cases.personnummer import fictional

SEED = 2026_0101
PERSON_COUNT = 200
BIRTH_YEARS = (1985, 2009)
IDENTITY_SHARE = 0.6
SHARED_PERSONS = 40
REVOKED_SHARES = 3
IDENTITY_SHARES = 8
LEADS_SHARE_IDENTITY = ("polisen", "orebro-kommun")

# A demo-only password, printed with the logins; `seed_demo` refuses to run without DEBUG unless forced.
DEMO_PASSWORD = "demo-losen-2026"  # noqa: S105
# The demo leads' authenticator-app key (base32), as published in the README: add it to an app by hand, or
# let `manage.py demo_otp polis.chef` print the current code. Demo only, like the password.
DEMO_TOTP_KEY = "GVID EMOG VIDE MOGV IDEM OGVI DEMO GVID"


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    kind: str
    login_prefix: str
    owner_weight: int  # how many of the demo persons this agency records, relatively


# Polisen, Kriminalvården and Örebro kommun are the real partners of Sluta skjut; the two community
# partners are made up.
AGENCIES = (
    AgencySpec("polisen", "Polisen Region Bergslagen", Agency.Kind.POLICE, "polis", 40),
    AgencySpec("kriminalvarden", "Kriminalvården Frivård Örebro", Agency.Kind.PROBATION, "kvv", 15),
    AgencySpec("orebro-kommun", "Örebro kommun – socialtjänsten", Agency.Kind.MUNICIPALITY, "kommun", 35),
    AgencySpec("trygga-vagar", "Föreningen Trygga Vägar", Agency.Kind.COMMUNITY, "tryggavagar", 5),
    AgencySpec("ny-start", "Nätverket Ny Start", Agency.Kind.COMMUNITY, "nystart", 5),
)
AGENCY_BY_SLUG = {a.slug: a for a in AGENCIES}


@dataclass(frozen=True)
class UserSpec:
    username: str
    agency: str
    role: str


USERS = (
    *(
        UserSpec(f"{a.login_prefix}.{suffix}", a.slug, role)
        for a in AGENCIES
        for suffix, role in (("handlaggare", Role.CASEWORKER), ("chef", Role.LEAD))
    ),
    UserSpec("polis.integration", "polisen", Role.INTEGRATION),
)

NOTES = (
    "",
    "",
    "Kontakt via fältassistenterna. Vill inte träffas på skolan.",
    "Aktuell i frivården; nästa uppföljning efter sommaren.",
    "Har frågat om stöd för att lämna sitt umgänge.",
    "Bor hos en släkting sedan i våras.",
    "Närvarade vid senaste samtalsmötet och tog emot erbjudandet om stöd.",
    "Söker arbete, intresserad av praktikplats via kommunen.",
    "Föräldrarna har kontaktat socialtjänsten av oro.",
    "Går en behandling och följer planen hittills.",
    "Mentor från föreningen träffar personen varannan vecka.",
    "Har skulder; budget- och skuldrådgivning är erbjuden.",
    "Uppgiven hotbild mot personen, bedömning pågår.",
    "Flyttade nyligen till Örebro från annan ort.",
)

REVOKE_REASONS = (
    "Ändamålet med utlämnandet har upphört.",
    "Delningen gjordes till fel myndighet.",
    "Samverkan i ärendet är avslutad.",
)


@dataclass(frozen=True)
class IdentitySpec:
    personnummer: str
    full_name: str
    address: str
    phone: str


@dataclass(frozen=True)
class PersonSpec:
    alias: str
    birth_year: int
    owner: str
    district: str | None
    notes: str
    minutes_ago: int  # how long ago the person was recorded (created_at), over the last two years
    identity: IdentitySpec | None

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.alias, self.birth_year, self.owner)


@dataclass(frozen=True)
class ShareSpec:
    person: int  # index into Plan.persons
    identity: bool  # the person's identity details rather than the person
    to_agency: str
    level: str
    legal_basis: str
    expires_in_days: int | None
    decided_fraction: float  # when it was decided, between the record's creation (0) and now (1)
    revoke_reason: str = ""


@dataclass(frozen=True)
class Plan:
    persons: tuple[PersonSpec, ...]
    shares: tuple[ShareSpec, ...]


def build(*, districts: list[str], today: date) -> Plan:
    persons = tuple(_persons(districts=districts, today=today))
    return Plan(persons=persons, shares=tuple(_shares(persons, today=today)))


def _faker(seed) -> Faker:
    fake = Faker("sv_SE")
    fake.seed_instance(seed)
    return fake


def _persons(*, districts: list[str], today: date):
    keys_fake = _faker(SEED)
    keys_rng = keys_fake.random
    owners = [a.slug for a in AGENCIES]
    weights = [a.owner_weight for a in AGENCIES]
    detail_fake = Faker("sv_SE")
    seen: set[tuple[str, int, str]] = set()
    while len(seen) < PERSON_COUNT:
        first, last = keys_fake.first_name(), keys_fake.last_name()
        birth_year = keys_rng.randint(*BIRTH_YEARS)
        owner = keys_rng.choices(owners, weights)[0]
        key = (f"{first} {last[0]}.", birth_year, owner)
        if key in seen:
            continue
        seen.add(key)
        detail_fake.seed_instance(f"{SEED}:{key}")
        yield _person(key, first=first, last=last, fake=detail_fake, districts=districts, today=today)


def _person(key, *, first: str, last: str, fake: Faker, districts: list[str], today: date) -> PersonSpec:
    rng = fake.random
    alias, birth_year, owner = key
    with_identity = rng.random() < IDENTITY_SHARE
    minutes_ago = rng.randint(60, 730 * 24 * 60)
    notes = rng.choice(NOTES)
    # Spread evenly over the districts: the demo must not paint any real neighbourhood as worse than another.
    district = rng.choice(districts) if districts else None
    identity = None
    if with_identity:
        full_name = f"{first} {last}"
        address = f"{fake.street_address()}, 70{rng.randint(0, 5)} {rng.randint(10, 99)} Örebro"
        # PTS keeps 070-174 06 05 … 99 for fiction, so no real subscriber is ever printed in the demo.
        phone = f"070-174 06 {rng.randint(5, 99):02d}"
        identity = IdentitySpec(_ssn(rng, birth_year), full_name, address, phone)
    return PersonSpec(alias, birth_year, owner, district, notes, minutes_ago, identity)


def _ssn(rng: random.Random, birth_year: int) -> str:
    """A fictional personnummer born in `birth_year` (cases.personnummer.fictional: test series only).

    Drawn last for the person, so no other draw moves.
    """
    return fictional(rng, birth_year)


def _basis(owner: str, to_agency: str, *, birth_year: int, today: date, draw: float) -> str | None:
    """A legal basis that fits who discloses to whom (agencies/reference_data.py), or None when only a consent
    would; one draw whatever the answer, so the plan holds."""
    owner_kind, to_kind = AGENCY_BY_SLUG[owner].kind, AGENCY_BY_SLUG[to_agency].kind
    if owner_kind == Agency.Kind.COMMUNITY:
        return None  # a community partner is no authority: it discloses on consent only, and has none here
    if to_kind == Agency.Kind.COMMUNITY:
        # OSL reaches no community partner: it gets only what is not secret.
        options = ["ej-sekretess"]
    elif owner_kind == Agency.Kind.MUNICIPALITY and to_kind == Agency.Kind.POLICE and today.year - birth_year <= 20:
        options = ["osl-10-18a"]  # social services to the police about a person under 21
    elif owner_kind == Agency.Kind.MUNICIPALITY:
        options = ["osl-10-2"]  # the general clause does not reach the social services' data (OSL 26 kap.)
    else:
        options = ["osl-10-2", "osl-10-27", "osl-10-27"]
    return options[int(draw * len(options))]


def _shares(persons: tuple[PersonSpec, ...], *, today: date) -> list[ShareSpec]:
    rng = random.Random(f"{SEED}:shares")  # noqa: S311 - fictional demo data, not security
    shares: list[ShareSpec] = []
    for index in sorted(rng.sample(range(len(persons)), SHARED_PERSONS)):
        person = persons[index]
        others = [a.slug for a in AGENCIES if a.slug != person.owner]
        # The authorities share mostly with each other.
        weights = [1 if AGENCY_BY_SLUG[s].kind == Agency.Kind.COMMUNITY else 4 for s in others]
        first = rng.choices(others, weights)[0]
        second = rng.choices(others, weights)[0]
        targets = [first] if rng.random() < 0.7 or second == first else [first, second]
        for to_agency in targets:
            basis = _basis(person.owner, to_agency, birth_year=person.birth_year, today=today, draw=rng.random())
            to_community = AGENCY_BY_SLUG[to_agency].kind == Agency.Kind.COMMUNITY
            change = rng.random() < 0.25 and not to_community
            expires = rng.random() < 0.12
            days = 30 + int(rng.random() * 150)
            if basis is None:
                continue  # drawn all the same, so the rest of the plan does not move
            shares.append(
                ShareSpec(
                    person=index,
                    identity=False,
                    to_agency=to_agency,
                    level=ShareLevel.CHANGE if change else ShareLevel.VIEW,
                    legal_basis=basis,
                    expires_in_days=days if expires else None,
                    decided_fraction=rng.random(),
                )
            )
    for n, i in enumerate(sorted(rng.sample(range(len(shares)), REVOKED_SHARES))):
        shares[i] = replace(shares[i], revoke_reason=REVOKE_REASONS[n % len(REVOKE_REASONS)])
    return shares + _identity_shares(persons, shares)


def _identity_shares(persons: tuple[PersonSpec, ...], shares: list[ShareSpec]) -> list[ShareSpec]:
    """A lead discloses who a person is only to an authority that already sees the person."""
    picked: list[ShareSpec] = []
    for spec in shares:
        person = persons[spec.person]
        if (
            len(picked) < IDENTITY_SHARES
            and person.owner in LEADS_SHARE_IDENTITY
            and person.identity is not None
            and not spec.revoke_reason
            and spec.expires_in_days is None
            and AGENCY_BY_SLUG[spec.to_agency].kind != Agency.Kind.COMMUNITY
        ):
            picked.append(replace(spec, identity=True, level=ShareLevel.VIEW))
    return picked
