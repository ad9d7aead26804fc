"""The fictional group registry of the Örebro demo, as a deterministic plan (no database writes here).

Groups, the conflicts and alliances between them, memberships with evidence and review dates, three years
of incidents with the groups and persons involved, and what each agency shares of it. It builds on the
persons of cases.demo.plan and keeps that module's rules for idempotency (read its docstring):

- Every record has a key that does not depend on the date: a group its (owner, name), a relation its two
  groups and kind, a membership its person's key and group, an involvement its incident, group or person
  and side or role, and an incident the number in its summary ("Demohändelse nr 17."). The writer
  (cases.demo.registry_seed) looks records up by these keys, so a second run creates nothing.
- Which persons are members of which groups, and when incidents happened, come from their own random
  streams drawn in a fixed order, and so do review dates and what is shared; everything else about a
  record comes from a stream seeded by its key (a membership's evidence, an incident's kind and harm).
- Nothing here draws on today's date. Dates are whole days relative to a reference day that the writer
  supplies: incidents, groups and relations count back from the demo's anchor (the day of the first
  seed), memberships' recording and review dates from the day they are written (so the review queue has
  due, overdue and nearly expired entries when the demo is fresh).
- Memberships are planned before, and without looking at, the incidents. A victim is drawn afterwards from
  the persons the police see, leaving out members of the groups in that incident, so no membership ever
  follows from being a victim (docs/architecture.md, "Rules of the domain").

All names of groups are invented and tied to no real place or network. Groups are spread evenly over the
districts (one or two each) and incidents uniformly, not where the groups are: the demo must not paint a
real neighbourhood as worse than another.
"""

import math
import random
from dataclasses import dataclass, field, replace

from .plan import AGENCY_BY_SLUG, SEED, Plan

# The incident register covers three years; the programme (the first call-in) started 18 months ago, and
# the rate of incidents after it falls to about half.
TIMELINE_DAYS = 1095
PROGRAMME_START_DAYS_AGO = 548
RATE_BEFORE = 6.0  # incidents a month
RATE_AFTER = 2.1
RAMP_DAYS = 60  # from the start, the rate falls to RATE_AFTER over this many days
INCIDENT_MARKER = "Demohändelse nr"
GOLDEN = (math.sqrt(5) - 1) / 2

REVIEW_INTERVAL_DAYS = 365
# Review dates of the active memberships, per owner: (due within 30 days, overdue, nearly expired).
# Overdue is 1–22 days past the review date, nearly expired 23–29 (the review queue's "expiring" starts
# 23 days past; the nightly task expires at 31), so nothing is expired when the demo is fresh.
REVIEW_BUCKETS = {"polisen": (12, 9, 4), "orebro-kommun": (3, 2, 1)}
ENDED_IN_ACTIVE_GROUPS = 4
KVV_MEMBERSHIP_SHARES = 20  # police memberships shared with Kriminalvården (persons under supervision)
KOMMUN_MEMBERSHIP_SHARES = 4
POLICE_MEMBERSHIP_SHARES = 4  # of the municipality's youth groups, to the police
INCIDENT_SHARE_KOMMUN = 0.6
INCIDENT_PERSON_SHARES = 6
POLICE_MEMBERS = 74  # distinct persons in the police's groups; the rest of those the police see are in none
KOMMUN_MEMBERS = 40


@dataclass(frozen=True)
class GroupSpec:
    name: str
    owner: str
    aliases: tuple[str, ...]
    status: str
    description: str
    district_slots: tuple[int, ...]  # indexes into the (sorted) district list, taken modulo its length
    first_seen_days_ago: int
    last_seen_days_ago: int  # moved closer by the plan if an incident involves the group later
    created_days_ago: int  # when it was recorded in the register
    size: int  # how many memberships the plan gives it
    shared_with: tuple[tuple[str, str], ...]  # (agency, legal basis)

    @property
    def key(self) -> tuple[str, str]:
        return (self.owner, self.name)


@dataclass(frozen=True)
class RelationSpec:
    group_a: str
    group_b: str
    kind: str
    status: str
    since_days_ago: int
    notes: str
    source: str
    shared_with: tuple[tuple[str, str], ...]
    until_days_ago: int = 0  # a dormant or ended relation was last live this long ago (plan only)

    @property
    def key(self) -> tuple[frozenset[str], str]:
        return (frozenset((self.group_a, self.group_b)), self.kind)


@dataclass(frozen=True)
class MembershipSpec:
    person: int  # index into Plan.persons
    group: str
    owner: str
    role: str
    source_type: str
    evidence: str
    confidence: str
    recorded_days_ago: int  # relative to the day it is written
    known_for_days: int  # valid_from lies this long before it was recorded
    review_in_days: int  # review_due relative to the day it is written (negative: overdue)
    end_reason: str = ""  # ended at once through the review service

    @property
    def key(self) -> tuple[int, str]:
        return (self.person, self.group)


@dataclass(frozen=True)
class InvolvedGroup:
    group: str
    certainty: str
    side: str


@dataclass(frozen=True)
class InvolvedPerson:
    person: int
    role: str
    notes: str
    recorded_after_hours: int  # after the later of the incident's and the person's recording


@dataclass(frozen=True)
class IncidentSpec:
    ref: int  # the key, written into the summary
    kind: str
    days_ago: int  # relative to the anchor
    hour: int
    minute: int
    recorded_after_hours: int
    # Where in the district list (0 to 1). Spread evenly over all districts, not over the involved groups'
    # districts, so that no real district gets more than its share.
    district_draw: float
    place: str
    dead: int
    injured: int
    status: str
    investigation_hours: float
    text: str
    groups: tuple[InvolvedGroup, ...]
    persons: tuple[InvolvedPerson, ...] = ()

    @property
    def summary(self) -> str:
        return f"{self.text} {INCIDENT_MARKER} {self.ref}."


@dataclass(frozen=True)
class RegistryShareSpec:
    """A disclosure by the record's owner, through agencies.access.share, acting as its caseworker."""

    model: str  # "group", "relation", "membership", "incident", "incident_person", "person"
    key: tuple  # the record's plan key (see the specs above); for "person" the person's plan index
    owner: str
    to_agency: str
    legal_basis: str
    decided_fraction: float  # between the record's creation (0) and now (1)
    expires_in_days: int | None = None


@dataclass(frozen=True)
class RegistryPlan:
    groups: tuple[GroupSpec, ...]
    relations: tuple[RelationSpec, ...]
    memberships: tuple[MembershipSpec, ...]
    incidents: tuple[IncidentSpec, ...]
    shares: tuple[RegistryShareSpec, ...] = field(default=())


# --- the groups and their relations (fixed tables) -------------------------------------------------------

_P, _K = "polisen", "orebro-kommun"
_AUTHORITIES_A = (("orebro-kommun", "osl-10-27"), ("kriminalvarden", "osl-10-27"))
_AUTHORITIES_B = (("orebro-kommun", "osl-10-2"), ("kriminalvarden", "osl-10-27"))
_COMMUNITY = (("trygga-vagar", "ej-sekretess"), ("ny-start", "ej-sekretess"))
# Groups the municipality owns: the general clause is not the social services' (OSL 26 kap.), so 10:2.
_TO_POLICE = (("polisen", "osl-10-2"), ("kriminalvarden", "osl-10-2"))


def _group(name, owner, aliases, status, *, seen, created, size, districts, shared, description) -> GroupSpec:
    first_seen, last_seen = seen
    return GroupSpec(
        name=name,
        owner=owner,
        aliases=aliases,
        status=status,
        description=description,
        district_slots=districts,
        first_seen_days_ago=first_seen,
        last_seen_days_ago=last_seen,
        created_days_ago=created,
        size=size,
        shared_with=shared,
    )


# seen: (first, last) days before the anchor; created: recorded in the register; size: memberships.
GROUPS = (
    _group(
        "Gänget vid Bäcken",
        _P,
        ("Bäckgänget", "GvB"),
        "active",
        seen=(1400, 6),
        created=1000,
        size=15,
        districts=(0, 12),
        shared=_AUTHORITIES_A + _COMMUNITY,
        description="Kärna av ett tiotal män mellan 20 och 30 år. Kopplas till narkotikaförsäljning och till "
        "konflikten med Nätverket Blå Porten.",
    ),
    _group(
        "Nätverket Blå Porten",
        _P,
        ("Porten", "De blå"),
        "active",
        seen=(1300, 4),
        created=1000,
        size=14,
        districts=(1, 13),
        shared=_AUTHORITIES_A + _COMMUNITY[:1],
        description="Hierarkiskt nätverk med en liten ledning och yngre personer som utför uppdrag. "
        "Vapeninnehav förekommer enligt flera förundersökningar.",
    ),
    _group(
        "Kretsen kring Tornet",
        _P,
        ("Tornet", "KT"),
        "active",
        seen=(1200, 9),
        created=980,
        size=13,
        districts=(2, 7),
        shared=_AUTHORITIES_B,
        description="Löst sammanhållen krets som växte fram ur en vänskapsgrupp. Allierad med Gänget vid Bäcken.",
    ),
    _group(
        "Gruppen Nattskiftet",
        _P,
        ("Nattskiftet", "NS"),
        "active",
        seen=(1250, 12),
        created=950,
        size=12,
        districts=(3, 8),
        shared=_AUTHORITIES_A,
        description="Inriktad på stölder och häleri; på senare tid även utpressning av yngre personer.",
    ),
    _group(
        "Lyktgänget",
        _P,
        ("Lyktan", "L-gänget"),
        "active",
        seen=(1100, 15),
        created=900,
        size=11,
        districts=(4, 9),
        shared=_AUTHORITIES_B + _COMMUNITY[1:],
        description="Mindre grupp som uppges sälja narkotika i mindre skala. I konflikt med Gruppen Nattskiftet "
        "sedan ett rån mellan grupperna.",
    ),
    _group(
        "Nätverket Snäckan",
        _P,
        ("Snäckorna",),
        "active",
        seen=(1000, 20),
        created=850,
        size=10,
        districts=(5, 10),
        shared=_AUTHORITIES_A,
        description="Personer med gemensam bakgrund i en tidigare upplöst grupp. Samarbetar med Nätverket Blå Porten.",
    ),
    _group(
        "Kompisgänget Vinkeln",
        _P,
        ("Vinkeln",),
        "active",
        seen=(900, 10),
        created=800,
        size=9,
        districts=(6,),
        shared=_AUTHORITIES_B + _COMMUNITY,
        description="Ung grupp med äldre förebilder i Nätverket Blå Porten. Flera har kontakt med socialtjänsten.",
    ),
    _group(
        "Trappgänget",
        _P,
        ("Trappan", "TG"),
        "active",
        seen=(1300, 25),
        created=950,
        size=8,
        districts=(7,),
        shared=_AUTHORITIES_B,
        description="Gruppen har minskat sedan flera medlemmar lämnat, men ett par personer är fortsatt aktiva.",
    ),
    _group(
        "Gruppen Kvarnhjulet",
        _P,
        ("Kvarnen",),
        "inactive",
        seen=(1350, 320),
        created=1000,
        size=7,
        districts=(8,),
        shared=_AUTHORITIES_A,
        description="Ingen känd gemensam verksamhet det senaste året; flera medlemmar avtjänar straff.",
    ),
    _group(
        "Nätverket Gamla Kiosken",
        _P,
        ("Kiosken", "NGK"),
        "dissolved",
        seen=(1450, 600),
        created=1000,
        size=5,
        districts=(9,),
        shared=_AUTHORITIES_B,
        description="Bedömd som upplöst efter gruppkartläggningen; tidigare medlemmar har gått vidare till andra "
        "grupperingar eller lämnat kriminaliteten.",
    ),
    _group(
        "Gänget vid Skateparken",
        _K,
        ("Skejtarna",),
        "active",
        seen=(700, 8),
        created=650,
        size=22,
        districts=(10,),
        shared=_TO_POLICE,
        description="Tonåringar som fältassistenterna möter regelbundet. Några har dragits in i uppdrag åt äldre.",
    ),
    _group(
        "Gruppen Ugglorna",
        _K,
        ("Ugglorna", "U-gruppen"),
        "active",
        seen=(600, 5),
        created=550,
        size=20,
        districts=(11,),
        shared=_TO_POLICE,
        description="Grupp unga som rör sig mellan skolor och fritidsgårdar; oro för rekrytering till Lyktgänget.",
    ),
)
GROUP_BY_NAME = {g.name: g for g in GROUPS}


def _relation(a, b, kind, status, *, since, notes, source, shared=(), until=0) -> RelationSpec:
    return RelationSpec(
        group_a=a,
        group_b=b,
        kind=kind,
        status=status,
        since_days_ago=since,
        notes=notes,
        source=source,
        shared_with=shared,
        until_days_ago=until,
    )


# since (and until, for a dormant or ended one): days before the anchor.
RELATIONS = (
    _relation(
        "Gänget vid Bäcken",
        "Nätverket Blå Porten",
        "conflict",
        "active",
        since=700,
        notes="Konflikten blossade upp efter en skuld kopplad till narkotikaförsäljning.",
        source="Gruppkartläggning med samverkansparterna",
        shared=_AUTHORITIES_A + _COMMUNITY[:1],
    ),
    _relation(
        "Gänget vid Bäcken",
        "Kretsen kring Tornet",
        "alliance",
        "active",
        since=900,
        notes="Gemensamma träffar och delad förvaring enligt flera källor.",
        source="Underrättelserapport och egna iakttagelser",
        shared=_AUTHORITIES_A,
    ),
    _relation(
        "Gruppen Nattskiftet",
        "Lyktgänget",
        "conflict",
        "active",
        since=500,
        notes="Rån mellan grupperna följdes av hot och en skjutning.",
        source="Förundersökning om grovt rån",
        shared=_AUTHORITIES_B,
    ),
    _relation(
        "Nätverket Blå Porten",
        "Nätverket Snäckan",
        "alliance",
        "active",
        since=800,
        notes="Samarbete kring försäljning; personer rör sig mellan grupperna.",
        source="Gruppkartläggning med samverkansparterna",
        shared=_AUTHORITIES_A,
    ),
    _relation(
        "Kompisgänget Vinkeln",
        "Nätverket Blå Porten",
        "alliance",
        "active",
        since=450,
        notes="Yngre i Vinkeln utför uppdrag åt Blå Porten.",
        source="Egna iakttagelser och uppgifter från fältassistenter",
        shared=_AUTHORITIES_B,
    ),
    _relation(
        "Trappgänget",
        "Lyktgänget",
        "conflict",
        "dormant",
        since=1000,
        until=450,
        notes="Inga kända händelser mellan grupperna på över ett år.",
        source="Gruppkartläggning med samverkansparterna",
    ),
    _relation(
        "Gruppen Kvarnhjulet",
        "Gänget vid Bäcken",
        "conflict",
        "ended",
        since=1200,
        until=400,
        notes="Konflikten bedöms avslutad sedan Kvarnhjulet blivit inaktiv.",
        source="Förundersökning om mordförsök",
    ),
    _relation(
        "Nätverket Gamla Kiosken",
        "Trappgänget",
        "alliance",
        "ended",
        since=1300,
        until=600,
        notes="Avslutad när Gamla Kiosken upplöstes.",
        source="Gruppkartläggning med samverkansparterna",
    ),
    _relation(
        "Gruppen Ugglorna",
        "Lyktgänget",
        "alliance",
        "active",
        since=300,
        notes="Äldre i Lyktgänget uppges rekrytera bland Ugglorna.",
        source="Uppgifter från fältassistenter och skolan",
        shared=_AUTHORITIES_A,
    ),
)


# --- texts -------------------------------------------------------------------------------------------------

EVIDENCE = {
    "observation": (
        "Iakttagen vid gruppens träffpunkt vid flera tillfällen.",
        "Kontrollerad i sällskap med kärnmedlemmar vid tre tillfällen under våren.",
        "Sedd med gruppens medlemmar i samband med områdesarbete, senast i höstas.",
        "Återkommande i samma sällskap vid polisens kontroller det senaste halvåret.",
    ),
    "informant": (
        "Uppgift från källa med tidigare bekräftade uppgifter; stöds av egen iakttagelse.",
        "Två av varandra oberoende uppgiftslämnare anger personen som del av gruppen.",
        "Uppgiftslämnare anger att personen utför uppdrag åt gruppen.",
    ),
    "investigation": (
        "Framgår av förundersökning om grovt vapenbrott (beslag i gemensam lokal).",
        "Telefonanalys i förundersökning visar regelbunden kontakt med gruppens ledning.",
        "Dömd tillsammans med två kärnmedlemmar för grovt narkotikabrott.",
    ),
    "group_audit": (
        "Pekad ut av flera parter vid gruppkartläggningen (polis, socialtjänst, frivård).",
        "Bedömd som del av gruppen vid senaste gruppkartläggningen; underlaget redovisades muntligt.",
        "Samstämmiga uppgifter från polis och socialtjänst vid gruppkartläggningen.",
    ),
    "other": (
        "Visar tillhörighet i egna inlägg i sociala medier (symboler och bilder med medlemmar).",
        "Uppgift från skolan och fritidsgården om återkommande umgänge med gruppen.",
    ),
}
SOURCE_WEIGHTS = {"observation": 4, "informant": 2, "investigation": 3, "group_audit": 4, "other": 1}
KOMMUN_SOURCE_WEIGHTS = {"observation": 6, "informant": 0, "investigation": 0, "group_audit": 4, "other": 2}
CONFIDENCE_WEIGHTS = {
    "observation": (3, 4, 3),
    "informant": (1, 4, 4),
    "investigation": (6, 3, 1),
    "group_audit": (4, 4, 2),
    "other": (1, 3, 5),
}
CONFIDENCES = ("confirmed", "probable", "possible")
END_REASONS = (
    "Har lämnat gruppen och deltar i avhopparverksamheten.",
    "Flyttat från Örebro; inga nya iakttagelser på över ett år.",
    "Underlaget bedöms vid omprövningen inte längre räcka.",
    "Ny uppgift visar att personen bytt umgänge; medlemskapet avslutas.",
)
DISSOLVED_REASON = "Gruppen bedöms som upplöst; inga iakttagelser av gemensam verksamhet under det senaste året."

KINDS = ("shooting", "explosion", "serious_violence", "threat")
KIND_WEIGHTS = (30, 18, 37, 15)
TEXTS = {
    "shooting": (
        "Flera skott avlossade mot en person utomhus.",
        "Skott mot en bostadsdörr; ingen person i hallen.",
        "Skottlossning mellan två bilar.",
        "Skott avlossade mot en grupp som stod utomhus.",
    ),
    "explosion": (
        "Detonation vid entrén till ett flerbostadshus; skador på dörr och fönster.",
        "Sprängning vid en lägenhetsdörr nattetid.",
        "Explosion vid en parkerad bil.",
    ),
    "serious_violence": (
        "Grov misshandel med tillhygge efter ett bråk.",
        "Knivhugg i samband med ett bråk mellan två sällskap.",
        "Person misshandlad och rånad av flera gärningspersoner.",
        "Människorov: person förd till en lägenhet och misshandlad.",
    ),
    "threat": (
        "Hot mot person framfört via meddelanden i sociala medier.",
        "Hot med vapen i samband med en skuldindrivning.",
        "Hot mot anhörig till en person i konflikten.",
    ),
}
PLACES = (
    "Utomhus vid en parkering",
    "Trapphus i flerbostadshus",
    "Vid en busshållplats",
    "Utanför en närbutik",
    "På en gång- och cykelväg",
    "Vid en idrottsplats, kvällstid",
    "Entré till flerbostadshus",
    "I en lägenhet",
    "Vid en lekplats, kvällstid",
    "På en parkeringsplats vid ett köpcentrum",
)
PERSON_NOTES = {
    "victim": ("Skadad, vårdad på sjukhus.", "Lindrigt skadad.", "Skadad; erbjuden stödsamtal."),
    "threatened": ("Hotad; erbjuden skydd och stödsamtal.", "Hotad; anmälan upprättad samma dag."),
    "suspect": (
        "Misstänkt enligt vittnesuppgifter; förhörd.",
        "Gripen, senare släppt.",
        "Misstänkt genom spår på platsen.",
    ),
    "witness": ("Hörd som vittne på platsen.", "Hörd som vittne dagen efter.", ""),
}
# Evening and night are when most of it happens.
HOUR_WEIGHTS = (4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 4, 5, 6, 7, 7, 6, 5)


# --- building the plan -------------------------------------------------------------------------------------


def build(persons: Plan) -> RegistryPlan:
    sees = _who_sees(persons)
    memberships = _memberships(persons, sees)
    incidents = _incidents(sees, memberships)
    groups = tuple(_last_seen(g, incidents) for g in GROUPS)
    plan = RegistryPlan(groups=groups, relations=RELATIONS, memberships=memberships, incidents=incidents)
    return replace(plan, shares=tuple(_shares(plan, persons, sees)))


def _who_sees(persons: Plan) -> dict[str, set[int]]:
    """Which plan persons each agency sees for good: its own, and those shared with it for good."""
    sees: dict[str, set[int]] = {slug: set() for slug in AGENCY_BY_SLUG}
    for index, person in enumerate(persons.persons):
        sees[person.owner].add(index)
    for share in persons.shares:
        if not share.identity and not share.revoke_reason and share.expires_in_days is None:
            sees[share.to_agency].add(share.person)
    return sees


def _revoked_to(persons: Plan, agency: str) -> set[int]:
    return {s.person for s in persons.shares if not s.identity and s.revoke_reason and s.to_agency == agency}


def _weighted_sample(rng: random.Random, items: list[int], weights: list[float], k: int) -> list[int]:
    """k distinct items, more likely the heavier ones; one draw per item, so the count never shifts."""
    keyed = sorted(((rng.random() ** (1 / w), item) for item, w in zip(items, weights, strict=True)), reverse=True)
    return sorted(item for _key, item in keyed[:k])


def _deal(rng: random.Random, groups: list[GroupSpec], members: list[int], extra: int) -> list[tuple[int, str]]:
    """Every member into one group, and `extra` of them into a second one (people move between groups)."""
    slots = [g.name for g in groups for _ in range(g.size)]
    rng.shuffle(slots)
    people = list(members)
    rng.shuffle(people)
    seconds = rng.sample(people, extra)
    pairs: list[tuple[int, str]] = []
    taken: set[tuple[int, str]] = set()
    for person in people + seconds:
        n = next((i for i, name in enumerate(slots) if (person, name) not in taken), None)
        if n is None:
            continue
        name = slots.pop(n)
        taken.add((person, name))
        pairs.append((person, name))
    return pairs


def _memberships(persons: Plan, sees: dict[str, set[int]]) -> tuple[MembershipSpec, ...]:
    rng = random.Random(f"{SEED}:memberships")  # noqa: S311 - fictional demo data, not security
    pairs: list[tuple[int, str, str]] = []
    for owner, count in (("polisen", POLICE_MEMBERS), ("orebro-kommun", KOMMUN_MEMBERS)):
        groups = [g for g in GROUPS if g.owner == owner]
        pool = sorted(sees[owner])
        if owner == "polisen":
            # Mostly the police's own persons, some that the municipality shared with them.
            weights = [3.0 if persons.persons[i].owner == owner else 1.0 for i in pool]
        else:
            # The municipality's groups are youth groups.
            weights = [_youth_weight(persons.persons[i].birth_year) for i in pool]
        members = _weighted_sample(rng, pool, weights, min(count, len(pool)))
        extra = sum(g.size for g in groups) - len(members)
        pairs += [(p, name, owner) for p, name in _deal(rng, groups, members, max(extra, 0))]
    specs = [_membership(persons, person, group, owner) for person, group, owner in pairs]
    specs = _roles(persons, specs)
    return tuple(_reviews(specs))


def _youth_weight(birth_year: int) -> float:
    return 4.0 if birth_year >= 2000 else 2.0 if birth_year >= 1995 else 0.3


def _membership(persons: Plan, person: int, group: str, owner: str) -> MembershipSpec:
    rng = random.Random(f"{SEED}:membership:{persons.persons[person].key}:{group}")  # noqa: S311
    weights = KOMMUN_SOURCE_WEIGHTS if owner == "orebro-kommun" else SOURCE_WEIGHTS
    source = rng.choices(list(weights), list(weights.values()))[0]
    confidence = rng.choices(CONFIDENCES, CONFIDENCE_WEIGHTS[source])[0]
    evidence = rng.choice(EVIDENCE[source])
    role = rng.choices(("core", "peripheral", "associate"), (3, 4, 3))[0]
    known_for = rng.randint(0, 400)
    return MembershipSpec(
        person=person,
        group=group,
        owner=owner,
        role=role,
        source_type=source,
        evidence=evidence,
        confidence=confidence,
        recorded_days_ago=0,
        known_for_days=known_for,
        review_in_days=0,
    )


def _roles(persons: Plan, specs: list[MembershipSpec]) -> list[MembershipSpec]:
    """The oldest member of each group leads it (two in the larger groups), recorded as confirmed."""
    out = list(specs)
    for group in GROUPS:
        mine = sorted(
            (i for i, s in enumerate(out) if s.group == group.name),
            key=lambda i: (persons.persons[out[i].person].birth_year, out[i].person),
        )
        for i in mine[: 2 if group.size >= 12 else 1]:
            out[i] = replace(out[i], role="leader", confidence="confirmed")
    return out


def _reviews(specs: list[MembershipSpec]) -> list[MembershipSpec]:
    """Recording and review dates, and which memberships have already been ended (drawn in a fixed order)."""
    rng = random.Random(f"{SEED}:reviews")  # noqa: S311
    out = list(specs)
    for i, spec in enumerate(out):
        group = GROUP_BY_NAME[spec.group]
        if group.status == "dissolved":
            recorded = rng.randint(group.last_seen_days_ago + 30, group.created_days_ago - 30)
            out[i] = replace(
                spec,
                recorded_days_ago=recorded,
                review_in_days=REVIEW_INTERVAL_DAYS - recorded,
                end_reason=DISSOLVED_REASON,
            )
    active_groups = [i for i, s in enumerate(out) if GROUP_BY_NAME[s.group].status != "dissolved"]
    order = list(active_groups)
    rng.shuffle(order)
    buckets: dict[int, str] = {}
    for owner, (due, overdue, expiring) in REVIEW_BUCKETS.items():
        mine = [i for i in order if out[i].owner == owner]
        for kind, n in (("due", due), ("overdue", overdue), ("expiring", expiring)):
            for i in mine[:n]:
                buckets[i] = kind
            mine = mine[n:]
    ended = [i for i in order if i not in buckets and out[i].owner == "polisen"][:ENDED_IN_ACTIVE_GROUPS]
    for i in active_groups:
        kind = buckets.get(i, "later")
        review_in = {
            "due": rng.randint(1, 30),
            "overdue": -rng.randint(1, 22),
            "expiring": -rng.randint(23, 29),
            "later": rng.randint(31, REVIEW_INTERVAL_DAYS - 1),
        }[kind]
        reason = END_REASONS[ended.index(i) % len(END_REASONS)] if i in ended else ""
        out[i] = replace(
            out[i], recorded_days_ago=REVIEW_INTERVAL_DAYS - review_in, review_in_days=review_in, end_reason=reason
        )
    return out


def _rate(days_ago: int) -> float:
    """Incidents a day: flat before the programme, falling to about half over RAMP_DAYS after it."""
    season = 1 + 0.2 * math.cos(2 * math.pi * (days_ago - 180) / 365.25)  # a little more in summer
    if days_ago > PROGRAMME_START_DAYS_AGO:
        monthly = RATE_BEFORE
    else:
        progress = min(1.0, (PROGRAMME_START_DAYS_AGO - days_ago) / RAMP_DAYS)
        monthly = RATE_BEFORE + (RATE_AFTER - RATE_BEFORE) * progress
    return monthly * season / 30.44


def _timeline() -> list[int]:
    """Days ago of each incident, oldest first: one or two draws for every day, whatever the outcome."""
    rng = random.Random(f"{SEED}:timeline")  # noqa: S311
    days: list[int] = []
    for days_ago in range(TIMELINE_DAYS, 0, -1):
        rate = _rate(days_ago)
        first, second = rng.random(), rng.random()
        if first < rate:
            days.append(days_ago)
            if second < rate * 0.1:  # now and then two on one day
                days.append(days_ago)
    return days


def _alive(group: GroupSpec, days_ago: int) -> bool:
    last = 0 if group.status == "active" else group.last_seen_days_ago
    return last <= days_ago <= group.first_seen_days_ago


def _incidents(sees: dict[str, set[int]], memberships: tuple[MembershipSpec, ...]) -> tuple[IncidentSpec, ...]:
    members_of: dict[str, list[int]] = {}
    for m in memberships:
        members_of.setdefault(m.group, []).append(m.person)
    police_sees = sorted(sees["polisen"])
    return tuple(_incident(ref, days_ago, police_sees, members_of) for ref, days_ago in enumerate(_timeline(), start=1))


def _incident(ref: int, days_ago: int, police_sees: list[int], members_of: dict[str, list[int]]) -> IncidentSpec:
    rng = random.Random(f"{SEED}:incident:{ref}")  # noqa: S311
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    minute = rng.randrange(0, 60, 5)
    dead, injured = _harm(rng, kind)
    if days_ago > 365:
        status = rng.choices(("solved", "closed", "open"), (45, 40, 15))[0]
    elif days_ago > 90:
        status = rng.choices(("open", "solved", "closed"), (50, 30, 20))[0]
    else:
        status = rng.choices(("open", "solved"), (85, 15))[0]
    hours = _hours(rng, kind, dead, injured)
    text = rng.choice(TEXTS[kind])
    place = rng.choice(PLACES)

    groups = _involved_groups(rng, days_ago, kind, status)
    perpetrators = [g.group for g in groups if g.side == "perpetrator"]
    in_incident = {p for g in groups for p in members_of.get(g.group, ())}
    involved: list[InvolvedPerson] = []
    used: set[int] = set()

    def add(person: int, role: str) -> None:
        used.add(person)
        notes = PERSON_NOTES["threatened" if role == "victim" and kind == "threat" else role]
        involved.append(InvolvedPerson(person, role, rng.choice(notes), rng.randint(1, 72)))

    # Suspects: members of the perpetrator side that the police see.
    suspects = sorted({p for name in perpetrators for p in members_of.get(name, ()) if p in police_sees})
    n_suspects = rng.choices((0, 1, 2), (60, 30, 10))[0]
    for person in rng.sample(suspects, min(n_suspects, len(suspects))):
        add(person, "suspect")
    # Victims: the injured or threatened. Drawn from the persons the police see, never from members of a
    # group in this incident; a victim is not thereby a member of anything (memberships are planned first).
    n_victims = min(injured, 1) if kind != "threat" else 1
    outsiders = [p for p in police_sees if p not in in_incident and p not in used]
    if rng.random() < 0.7:  # now and then the victim is unknown to the register or not recorded
        for person in rng.sample(outsiders, n_victims):
            add(person, "victim")
    if rng.random() < 0.25:
        candidates = [p for p in police_sees if p not in used]
        add(rng.choice(candidates), "witness")

    return IncidentSpec(
        ref=ref,
        kind=kind,
        days_ago=days_ago,
        hour=hour,
        minute=minute,
        recorded_after_hours=rng.randint(1, 36),
        # A golden-ratio sequence rather than a random draw: as even over the districts as can be, however
        # many there are.
        district_draw=(ref * GOLDEN) % 1.0,
        place=place,
        dead=dead,
        injured=injured,
        status=status,
        investigation_hours=hours,
        text=text,
        groups=tuple(groups),
        persons=tuple(involved),
    )


def _harm(rng: random.Random, kind: str) -> tuple[int, int]:
    if kind == "shooting":
        dead = rng.choices((0, 1, 2), (82, 16, 2))[0]
        injured = rng.choices((0, 1, 2), (50, 38, 12))[0]
    elif kind == "explosion":
        dead = 0
        injured = rng.choices((0, 1), (85, 15))[0]
    elif kind == "serious_violence":
        dead = rng.choices((0, 1), (94, 6))[0]
        injured = rng.choices((0, 1, 2), (10, 70, 20))[0]
    else:
        dead, injured = 0, 0
    return dead, injured


def _hours(rng: random.Random, kind: str, dead: int, injured: int) -> float:
    low, high = {"shooting": (150, 600), "explosion": (100, 450), "serious_violence": (40, 250), "threat": (10, 80)}[
        kind
    ]
    hours = rng.uniform(low, high) * (1 + 0.3 * injured)
    if dead:
        hours += rng.uniform(800, 2500) * dead
    return round(hours, 1)


def _involved_groups(rng: random.Random, days_ago: int, kind: str, status: str) -> list[InvolvedGroup]:
    alive = [g for g in GROUPS if _alive(g, days_ago)]
    # Groups in a conflict at the time are likelier to be involved; the municipality's youth groups less.
    weights = [
        (2.0 if _conflict_partners(g.name, days_ago) else 1.0) * (0.4 if g.owner == "orebro-kommun" else 1.0)
        for g in alive
    ]
    perpetrator = rng.choices(alive, weights)[0]
    certainty = "confirmed" if status == "solved" or rng.random() < 0.3 else "suspected"
    groups = [InvolvedGroup(perpetrator.name, certainty, "perpetrator")]
    rivals = [name for name in _conflict_partners(perpetrator.name, days_ago) if _alive(GROUP_BY_NAME[name], days_ago)]
    draw = rng.random()
    if rivals and draw < 0.7:
        rival = rivals[int(draw / 0.7 * len(rivals))]
        groups.append(InvolvedGroup(rival, "confirmed" if rng.random() < 0.5 else "suspected", "victim"))
    return groups


def _conflict_partners(name: str, days_ago: int) -> list[str]:
    out = []
    for r in RELATIONS:
        live = r.since_days_ago >= days_ago >= r.until_days_ago
        if r.kind == "conflict" and live and name in (r.group_a, r.group_b):
            out.append(r.group_b if r.group_a == name else r.group_a)
    return out


def _last_seen(group: GroupSpec, incidents: tuple[IncidentSpec, ...]) -> GroupSpec:
    latest = min((i.days_ago for i in incidents if any(g.group == group.name for g in i.groups)), default=None)
    if latest is not None and latest < group.last_seen_days_ago:
        return replace(group, last_seen_days_ago=latest)
    return group


# --- what each agency gets ------------------------------------------------------------------------------


def _shares(plan: RegistryPlan, persons: Plan, sees: dict[str, set[int]]):
    rng = random.Random(f"{SEED}:registry-shares")  # noqa: S311
    for group in plan.groups:
        for to_agency, basis in group.shared_with:
            yield RegistryShareSpec("group", group.key, group.owner, to_agency, basis, rng.random())
    for relation in plan.relations:
        owner = "polisen"
        for to_agency, basis in relation.shared_with:
            yield RegistryShareSpec("relation", relation.key, owner, to_agency, basis, rng.random())
    membership_shares = list(_membership_shares(rng, plan, persons, sees))
    yield from membership_shares
    kvv_sees = sees["kriminalvarden"] | {s.key[0] for s in membership_shares if s.model == "person"}
    yield from _incident_shares(rng, plan, sees, kvv_sees)


def _membership_shares(rng: random.Random, plan: RegistryPlan, persons: Plan, sees: dict[str, set[int]]):
    active = [m for m in plan.memberships if not m.end_reason]
    # To Kriminalvården: memberships of persons under its supervision. It sees the person already, or the
    # police share the person along with the membership (the police can only share their own persons).
    revoked = _revoked_to(persons, "kriminalvarden")
    candidates = [
        m
        for m in active
        if m.owner == "polisen"
        and m.person not in revoked
        and (m.person in sees["kriminalvarden"] or persons.persons[m.person].owner == "polisen")
    ]
    rng.shuffle(candidates)
    candidates.sort(key=lambda m: m.person not in sees["kriminalvarden"])  # those it sees first (stable)
    picked: list[MembershipSpec] = []
    for m in candidates:
        if len(picked) < KVV_MEMBERSHIP_SHARES and all(p.person != m.person for p in picked):
            picked.append(m)
    for m in sorted(picked, key=lambda m: m.key):
        fraction = rng.random()
        expires = rng.randint(90, 365) if rng.random() < 0.3 else None  # until the supervision ends
        if m.person not in sees["kriminalvarden"]:
            yield RegistryShareSpec("person", (m.person,), "polisen", "kriminalvarden", "osl-10-27", fraction)
        basis = "osl-10-2" if m.owner == "orebro-kommun" else "osl-10-27"
        yield RegistryShareSpec("membership", m.key, m.owner, "kriminalvarden", basis, fraction, expires)
    # Police memberships to the municipality, municipal ones to the police: only where the person is seen.
    for owner, to_agency, basis, limit in (
        ("polisen", "orebro-kommun", "osl-10-2", KOMMUN_MEMBERSHIP_SHARES),
        ("orebro-kommun", "polisen", "osl-10-2", POLICE_MEMBERSHIP_SHARES),
    ):
        fitting = [m for m in active if m.owner == owner and m.person in sees[to_agency]]
        for m in sorted(rng.sample(fitting, min(limit, len(fitting))), key=lambda m: m.key):
            yield RegistryShareSpec("membership", m.key, owner, to_agency, basis, rng.random())


def _incident_shares(rng: random.Random, plan: RegistryPlan, sees: dict[str, set[int]], kvv_sees: set[int]):
    shared: set[tuple[int, str]] = set()
    for incident in plan.incidents:
        draw = rng.random()
        if draw < INCIDENT_SHARE_KOMMUN:
            basis = "osl-10-27" if draw < INCIDENT_SHARE_KOMMUN * 0.7 else "osl-10-2"
            shared.add((incident.ref, "orebro-kommun"))
            # Shared for the weekly incident review, soon after it was recorded.
            yield RegistryShareSpec("incident", (incident.ref,), "polisen", "orebro-kommun", basis, rng.random() * 0.02)
    # A handful of involvements: a victim or witness whom the municipality supports, a suspect under
    # Kriminalvården's supervision. The receiver must see the person; Kriminalvården gets the incident too.
    candidates = []
    for incident in plan.incidents:
        for involved in incident.persons:
            if involved.role in ("victim", "witness") and involved.person in sees["orebro-kommun"]:
                if (incident.ref, "orebro-kommun") in shared:
                    candidates.append((incident.ref, involved, "orebro-kommun"))
            elif involved.role == "suspect" and involved.person in kvv_sees:
                candidates.append((incident.ref, involved, "kriminalvarden"))
    picked = rng.sample(candidates, min(INCIDENT_PERSON_SHARES, len(candidates)))
    for ref, involved, to_agency in sorted(picked, key=lambda c: (c[0], c[1].person, c[1].role)):
        if (ref, to_agency) not in shared:
            shared.add((ref, to_agency))
            yield RegistryShareSpec("incident", (ref,), "polisen", to_agency, "osl-10-27", rng.random() * 0.02)
        key = (ref, involved.person, involved.role)
        yield RegistryShareSpec("incident_person", key, "polisen", to_agency, "osl-10-27", rng.random() * 0.05)
