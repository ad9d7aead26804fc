"""The demo's joint exit-support cases (avhopparärenden), as a deterministic plan (no database writes here).

About 25 cases across every phase, each told as a story: who opened it and when, which agencies joined on
which legal basis, the consents the person gave (valid, lapsed, withdrawn), each agency's entries and what
was shared of them, the plan's goals, the tasks, and the phase changes up to closing with an outcome. It
builds on the persons of cases.demo.plan and the registry plan, and keeps their rules for idempotency
(read cases.demo.plan's docstring):

- Every case has a key that does not depend on the date: the number in its summary ("Demoärende nr 7.").
  A consent's key is its document reference ("Demosamtycke nr 7.1 …"). The writer (cases.demo.cases_seed)
  writes a case's whole story only when no case with its number exists, so a second run writes nothing;
  the story of a case (shares, a withdrawal, the closing) is one thing and is never half redone.
- The cases' shapes are a fixed table (SCENARIOS). Which person each case concerns is drawn from its own
  stream over that table in a fixed order; everything else about a case comes from a stream seeded by its
  number, so changing one case's texts never moves another case.
- Dates are whole days relative to the day the case is written (negative: before), so a fresh demo always
  has tasks due and overdue and consents both valid and lapsed. The one thing that depends on today's date
  — whether the person is under 21, for OSL 10:18 a — draws nothing, so it never shifts a draw.
- A case's person is one its lead agency sees for good and another agency knows too (a person share
  exists): the services let only an agency that sees the person open a case, and a joint case is about a
  person the agencies already exchange information on.

What a case's story obeys, as the services and docs/architecture.md require: an agency writes entries only once it
has joined; threat assessments only by the police; interventions by the municipality, Kriminalvården and
the community partners; entries go only to participants; a share on consent only while a consent that
names both agencies and the entry's category is valid (given, not yet lapsed, not withdrawn); OSL 10:18 a
only from the municipality to the police about a person under 21; community partners get what is not
secret (or what the person consented to). The social services' own entries go out only on consent or
under 10:18 a; most entries are not shared at all.
"""

import random
from dataclasses import dataclass, replace

from agencies.models import Agency
from cases.models.exit_cases import EntryKind, InterventionStatus, NeedArea, NeedLevel, Outcome, Phase, PlanGoal, Task

from .plan import AGENCY_BY_SLUG, SEED, Plan
from .registry_plan import RegistryPlan

CASE_MARKER = "Demoärende nr"
CONSENT_MARKER = "Demosamtycke nr"
OLDEST_BIRTH_YEAR = 1987

K, P, V, T, N = "orebro-kommun", "polisen", "kriminalvarden", "trygga-vagar", "ny-start"
PATH: tuple[str, ...] = (Phase.REQUEST, Phase.ASSESSMENT, Phase.ACTIVE, Phase.FOLLOW_UP)
# How long each phase lasts, in days (the current phase is partly through).
STAGE_DAYS: dict[str, tuple[int, int]] = {
    Phase.REQUEST: (5, 20),
    Phase.ASSESSMENT: (15, 45),
    Phase.ACTIVE: (70, 200),
    Phase.FOLLOW_UP: (50, 150),
}
CONSENT_DAYS = 365


# --- the specs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentSpec:
    reference: str  # the key: the signed paper's reference, with CONSENT_MARKER
    agencies: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    given: int  # days relative to the day the case is written
    until: int  # last valid day; before 0: lapsed (the writer lets the nightly job end its shares)
    withdrawn: int | None = None
    withdrawal_note: str = ""

    @property
    def last_day(self) -> int:
        """The last day a share may rest on it."""
        return self.withdrawn - 1 if self.withdrawn is not None else self.until

    def covers(self, *, owner: str, to: str, category: str, day: int) -> bool:
        return (
            owner in self.agencies
            and to in self.agencies
            and category in self.categories
            and self.given <= day <= self.last_day
        )


@dataclass(frozen=True)
class CaseShareSpec:
    """A share of the case header (a join) or of an entry, by the owner's caseworker."""

    to: str
    basis: str
    consent: int | None  # index into CaseSpec.consents when the basis is consent
    day: int


@dataclass(frozen=True)
class EntrySpec:
    owner: str
    kind: str
    day: int
    minute: int  # of the day, when it was written
    title: str
    body: str
    needs: tuple[tuple[str, str, str], ...] = ()  # (area, level, comment)
    category: str = ""
    provider: str = ""
    starts: int | None = None
    ends: int | None = None
    status: str = ""
    shares: tuple[CaseShareSpec, ...] = ()


@dataclass(frozen=True)
class GoalSpec:
    description: str
    day: int
    target: int
    status: str


@dataclass(frozen=True)
class TaskSpec:
    title: str
    creator: str  # the agency whose caseworker adds it (an entry's owner, for a task on an entry)
    assignee: str
    assignee_user: str | None  # username
    day: int
    due: int
    status: str
    done: int | None = None
    goal: int | None = None  # index into CaseSpec.goals
    entry: int | None = None  # index into CaseSpec.entries


@dataclass(frozen=True)
class StepSpec:
    to_phase: str
    day: int
    reason: str
    outcome: str = ""


@dataclass(frozen=True)
class CaseSpec:
    ref: int  # the key, written into the summary
    lead: str
    person: int  # index into Plan.persons
    phase: str
    outcome: str
    summary: str
    coordinator: str  # username
    opened: int
    end: int  # the closing day, or 0 for an open case
    next_meeting: tuple[int, int] | None  # (day, hour)
    consents: tuple[ConsentSpec, ...]
    joins: tuple[CaseShareSpec, ...]
    entries: tuple[EntrySpec, ...]
    goals: tuple[GoalSpec, ...]
    tasks: tuple[TaskSpec, ...]
    steps: tuple[StepSpec, ...]

    @property
    def participants(self) -> tuple[str, ...]:
        return (self.lead, *(j.to for j in self.joins))


@dataclass(frozen=True)
class CasesPlan:
    cases: tuple[CaseSpec, ...]


# --- the shapes of the cases (fixed) --------------------------------------------------------------------


@dataclass(frozen=True)
class _Consent:
    status: str  # valid, expired, withdrawn
    agencies: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True)
class _Scenario:
    lead: str
    phase: str
    participants: tuple[str, ...] = ()
    consents: tuple[_Consent, ...] = ()
    outcome: str = ""
    closed_from: str = ""


_ALL = ("case", "note", "needs", "threat", "intervention", "minutes")
_WORK = ("note", "needs", "intervention", "minutes")  # what a person most often consents to
_C = _Consent
_S = _Scenario

# Mostly led by the social services; some by Kriminalvården (under supervision) and the police (a threat).
# Consents that lapse or are withdrawn never carry a join, so a participant is not dropped from a case.
SCENARIOS = (
    _S(K, Phase.REQUEST),
    _S(K, Phase.REQUEST, (P,), (_C("valid", (K, P), ("case", "note", "needs")),)),
    _S(V, Phase.REQUEST, (K,)),
    _S(K, Phase.ASSESSMENT, (P, V), (_C("valid", (K, P, V), _ALL),)),
    _S(K, Phase.ASSESSMENT, (P,)),
    _S(P, Phase.ASSESSMENT, (K,)),
    _S(K, Phase.ASSESSMENT, (T,), (_C("withdrawn", (K, T), ("note", "needs", "minutes")),)),
    _S(K, Phase.ACTIVE, (P, V, T), (_C("valid", (K, P, V, T), _ALL),)),
    _S(K, Phase.ACTIVE, (P, N), (_C("valid", (K, P, N), ("case", *_WORK)),)),
    _S(K, Phase.ACTIVE, (V,), (_C("expired", (K, V), _WORK), _C("valid", (K, V), _WORK))),
    _S(K, Phase.ACTIVE, (P, T), (_C("withdrawn", (K, P, T), _WORK),)),
    _S(V, Phase.ACTIVE, (K, N), (_C("valid", (V, K, N), ("case", *_WORK)),)),
    _S(V, Phase.ACTIVE, (K, P)),
    _S(P, Phase.ACTIVE, (K, V)),
    _S(K, Phase.ACTIVE, (P, V, N), (_C("expired", (K, P, V, N), (*_WORK, "threat")),)),
    _S(K, Phase.FOLLOW_UP, (P, T), (_C("valid", (K, P, T), _ALL),)),
    _S(K, Phase.FOLLOW_UP, (V, N), (_C("valid", (K, V, N), ("case", *_WORK)),)),
    _S(V, Phase.FOLLOW_UP, (K,)),
    _S(K, Phase.FOLLOW_UP, (P,), (_C("expired", (K, P), ("note", "needs", "threat")),)),
    _S(K, Phase.CLOSED, (P, V, T), (_C("expired", (K, P, V, T), _WORK),), Outcome.COMPLETED, Phase.FOLLOW_UP),
    _S(K, Phase.CLOSED, (P, N), (), Outcome.COMPLETED, Phase.FOLLOW_UP),
    _S(K, Phase.CLOSED, (P, T), (_C("withdrawn", (K, P, T), _WORK),), Outcome.DROPPED_OUT, Phase.ACTIVE),
    _S(P, Phase.CLOSED, (K, V), (), Outcome.RELAPSED, Phase.ACTIVE),
    _S(K, Phase.CLOSED, (P,), (), Outcome.MOVED, Phase.ASSESSMENT),
    _S(K, Phase.CLOSED, (V,), (), Outcome.OTHER, Phase.REQUEST),
)


# --- texts ----------------------------------------------------------------------------------------------

SUMMARIES: dict[str, tuple[str, ...]] = {
    K: (
        "Förfrågan om stöd att lämna en kriminell miljö, via fältassistenterna.",
        "Tog emot erbjudandet om stöd vid samtalsmötet och vill ha hjälp att ta sig ur sitt umgänge.",
        "Föräldrarna kontaktade socialtjänsten av oro; personen vill själv bryta med sitt umgänge.",
        "Förfrågan efter ett hembesök av polis och socialtjänst (individuellt samtal).",
        "Egen förfrågan till socialtjänstens avhopparverksamhet.",
    ),
    V: (
        "Egen förfrågan under pågående övervakning i frivården.",
        "Förfrågan inför villkorlig frigivning; vill inte återvända till sitt tidigare umgänge.",
    ),
    P: (
        "Hotbild mot personen efter en händelse; polisen tog initiativ till samverkan om stöd.",
        "Personen sökte själv kontakt med polisen och vill lämna sin gruppering.",
    ),
}
CONSENT_PURPOSE = (
    "Samordnat stöd för att lämna en kriminell miljö (Sluta skjut): att de angivna aktörerna får lämna "
    "uppgifter till varandra i avhopparärendet, i de kategorier som anges."
)
WITHDRAWAL_NOTES = (
    "Personen meddelade i telefon att samtycket återkallas.",
    "Återkallat muntligt vid besök; personen vill inte att uppgifterna lämnas vidare.",
    "Skriftlig återkallelse inkom per post.",
)
REQUEST_NOTES = (
    "Första samtal. Personen berättar att hen vill lämna sitt umgänge och behöver stöd med boende och sysselsättning.",
    "Inledande samtal tillsammans med en anhörig. Motivationen bedöms som god.",
    "Personen tog själv kontakt efter samtalsmötet. Vill träffas utanför bostadsområdet.",
    "Kort samtal; personen är osäker men vill veta vad stödet innebär. Nytt samtal bokas.",
)
NEED_COMMENTS: dict[str, tuple[str, str]] = {
    NeedArea.HOUSING: ("Bor tillfälligt hos en släkting och behöver eget boende.", "Har eget boende."),
    NeedArea.INCOME: ("Saknar inkomst; ansökan om ekonomiskt bistånd pågår.", "Har inkomst från deltidsarbete."),
    NeedArea.DEBT: ("Skulder hos Kronofogden; omfattningen behöver kartläggas.", "Mindre skulder, hanterar dem själv."),
    NeedArea.SUBSTANCE: ("Uppger regelbundet cannabisbruk och vill ha behandling.", "Uppger inget missbruk."),
    NeedArea.MENTAL_HEALTH: ("Sömnsvårigheter och oro; vill träffa psykiatrin.", "Inga kända behov."),
    NeedArea.FAMILY: ("Syskon i samma umgänge; familjen behöver stöd.", "God kontakt med sin mamma."),
    NeedArea.EDUCATION: ("Saknar gymnasieexamen och vill läsa in den.", "Har avslutad gymnasieutbildning."),
    NeedArea.WORK: ("Har aldrig haft anställning; vill ha praktik.", "Har viss arbetslivserfarenhet från lager."),
    NeedArea.PROTECTED_IDENTITY: ("Skyddade personuppgifter behöver utredas.", "Inget behov i nuläget."),
    NeedArea.RELOCATION: ("Behöver troligen flytta från nuvarande område.", "Kan bo kvar i nuläget."),
    NeedArea.GUARDIAN: ("Behöver hjälp med myndighetskontakter; god man kan bli aktuellt.", "Inget behov."),
}
NEED_WEIGHTS: dict[str, int] = {
    NeedArea.HOUSING: 6,
    NeedArea.INCOME: 5,
    NeedArea.DEBT: 4,
    NeedArea.SUBSTANCE: 3,
    NeedArea.MENTAL_HEALTH: 3,
    NeedArea.FAMILY: 3,
    NeedArea.EDUCATION: 4,
    NeedArea.WORK: 5,
    NeedArea.PROTECTED_IDENTITY: 1,
    NeedArea.RELOCATION: 2,
    NeedArea.GUARDIAN: 1,
}
LEVELS = (NeedLevel.HIGH, NeedLevel.MEDIUM, NeedLevel.LOW, NeedLevel.NONE)
LEVEL_WEIGHTS = (3, 4, 2, 1)
THREATS = (
    (
        "Hotbedömning",
        "Sammanvägd bedömning: förhöjd hotbild från tidigare umgänge. Rekommenderar att möten hålls utanför bostadsområdet.",
    ),
    ("Hotbedömning", "Inga aktuella uppgifter om hot mot personen. Bedömningen omprövas om personen flyttar."),
    (
        "Hotbedömning inför flytt",
        "Hög hotbild kopplad till en pågående konflikt. Skyddsåtgärder och flytt till annan ort rekommenderas.",
    ),
    (
        "Uppdaterad hotbedömning",
        "Hotbilden bedöms ha minskat sedan förra bedömningen; fortsatt försiktighet vid kontakt med tidigare umgänge.",
    ),
)
INTERVENTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    Agency.Kind.MUNICIPALITY: (
        (NeedArea.HOUSING, "Träningslägenhet", "Örebro kommun, boendeenheten"),
        (NeedArea.INCOME, "Ekonomiskt bistånd", "Örebro kommun, försörjningsstöd"),
        (NeedArea.DEBT, "Budget- och skuldrådgivning", "Örebro kommun, budget- och skuldrådgivningen"),
        (NeedArea.SUBSTANCE, "Öppenvårdsbehandling", "Örebro kommun, beroendeenheten"),
        (NeedArea.EDUCATION, "Studievägledning och vuxenutbildning", "Örebro kommun, vuxenutbildningen"),
        (NeedArea.WORK, "Praktikplats", "Örebro kommun, arbetsmarknadsenheten"),
        (NeedArea.RELOCATION, "Stöd vid flytt till annan ort", "Örebro kommun, socialtjänsten"),
        (NeedArea.FAMILY, "Familjesamtal", "Örebro kommun, familjebehandlingen"),
    ),
    Agency.Kind.PROBATION: (
        (NeedArea.SUBSTANCE, "Programverksamhet: återfallsprevention", "Kriminalvården Frivård Örebro"),
        (NeedArea.WORK, "Arbetsträning under övervakning", "Kriminalvården Frivård Örebro"),
        (NeedArea.EDUCATION, "Studier under verkställighet", "Kriminalvården Frivård Örebro"),
    ),
    Agency.Kind.COMMUNITY: (
        (NeedArea.WORK, "Mentorstöd och jobbcoachning", ""),
        (NeedArea.FAMILY, "Mentorskap och fritidsaktiviteter", ""),
        (NeedArea.EDUCATION, "Läxhjälp och studiestöd", ""),
    ),
}
NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    Agency.Kind.MUNICIPALITY: (
        ("Samtal med personen", "Uppföljande samtal. Personen följer planen och har hållit sina tider."),
        ("Samtal med personen", "Personen har haft en svår vecka men vill fortsätta. Extra samtal bokat."),
        ("Kontakt med anhöriga", "Samtal med mamman, som bekräftar att personen har brutit med sitt tidigare umgänge."),
    ),
    Agency.Kind.PROBATION: (
        ("Övervakningssamtal", "Följer övervakningsplanen. Inga anmärkningar."),
        ("Övervakningssamtal", "Har missat ett besök men hörde av sig själv; nytt besök bokat."),
    ),
    Agency.Kind.POLICE: (
        ("Avstämning med personen", "Polisen har haft en avstämning; inga nya uppgifter om hot."),
        ("Kontakt från personen", "Personen hörde av sig om en obehaglig kontakt; råd om säkerhet lämnade."),
    ),
    Agency.Kind.COMMUNITY: (
        ("Mentorsamtal", "Träffades på föreningens lokal. Personen berättar att det går bättre på praktiken."),
        ("Mentorsamtal", "Promenad och samtal. Personen funderar på att börja träna regelbundet igen."),
        ("Aktivitet", "Följde med på föreningens helgaktivitet; gott bemötande från de andra deltagarna."),
    ),
}
MINUTES: dict[str, tuple[str, str]] = {
    Phase.ASSESSMENT: (
        "Samverkansmöte: bedömning",
        "Behovsbedömningen gicks igenom. Beslut: en gemensam plan tas fram till nästa möte.",
    ),
    Phase.ACTIVE: (
        "Samverkansmöte",
        "Insatserna stämdes av. Beslut: planen gäller oförändrad; nästa möte om sex veckor.",
    ),
    Phase.FOLLOW_UP: (
        "Uppföljningsmöte",
        "Målen i planen följdes upp. Beslut: fortsatt uppföljning med glesare möten.",
    ),
}
FOLLOW_UP_NOTES = (
    "Uppföljningssamtal. Personen har kvar sitt boende och sin sysselsättning.",
    "Uppföljning per telefon; allt fungerar enligt planen.",
)
CLOSING_NOTES: dict[str, str] = {
    Outcome.COMPLETED: "Avslutningssamtal. Planens mål är uppnådda; personen vet vart hen kan vända sig framöver.",
    Outcome.DROPPED_OUT: "Personen har meddelat att hen inte vill ha fortsatt stöd.",
    Outcome.RELAPSED: "Personen är misstänkt för nytt brott och anhållen; stödet avbryts.",
    Outcome.MOVED: "Personen har flyttat till en annan kommun. Överlämning till socialtjänsten där.",
    Outcome.OTHER: "Personen har fått plats i ett nationellt program; ärendet avslutas här.",
}
PHASE_REASONS: dict[str, str] = {
    Phase.ASSESSMENT: "Personen har bekräftat att hen vill ha stöd; bedömningen inleds.",
    Phase.ACTIVE: "Behovsbedömningen är klar och planen fastställd vid samverkansmötet.",
    Phase.FOLLOW_UP: "Insatserna i planen är i huvudsak genomförda; uppföljning i sex månader.",
}
CLOSING_REASONS: dict[str, str] = {
    Outcome.COMPLETED: "Planens mål är uppnådda och uppföljningen är klar.",
    Outcome.DROPPED_OUT: "Personen avböjer fortsatt stöd och har återkallat sitt samtycke.",
    Outcome.RELAPSED: "Nytt brott; personen är häktad. En ny förfrågan kan tas emot efter verkställigheten.",
    Outcome.MOVED: "Personen har flyttat från Örebro; ärendet är överlämnat till den nya hemkommunen.",
    Outcome.OTHER: "Personen ingår i ett nationellt program med egen samordning.",
}
GOALS: dict[str, str] = {
    NeedArea.HOUSING: "Eget boende, i första hand en träningslägenhet via kommunen.",
    NeedArea.INCOME: "Egen försörjning eller beviljat bistånd utan avbrott.",
    NeedArea.DEBT: "Överblick över skulderna och en avbetalningsplan.",
    NeedArea.SUBSTANCE: "Drogfrihet, styrkt med provtagning under tre månader.",
    NeedArea.MENTAL_HEALTH: "Regelbunden kontakt med psykiatrin.",
    NeedArea.FAMILY: "Stärkt kontakt med familjen.",
    NeedArea.EDUCATION: "Påbörjade studier vid vuxenutbildningen.",
    NeedArea.WORK: "Sysselsättning: praktik eller anställning.",
    NeedArea.PROTECTED_IDENTITY: "Utredd fråga om skyddade personuppgifter.",
    NeedArea.RELOCATION: "Trygg flytt till en ny bostadsort.",
    NeedArea.GUARDIAN: "Avgjord fråga om god man.",
}
GENERAL_GOAL = "Brutit kontakten med det tidigare kriminella umgänget."
TASKS: dict[str, tuple[str, ...]] = {
    "request": ("Boka inledande samtal med personen", "Inhämta samtycke till informationsutbyte"),
    "assessment": ("Boka samverkansmöte", "Skriva genomförandeplan", "Kartlägga skuldsituationen"),
    "follow_up": ("Boka uppföljningssamtal", "Stämma av boendet inför uppföljningen"),
    Agency.Kind.POLICE: (
        "Genomföra hotbedömning",
        "Uppdatera hotbedömningen",
        "Kontakta personen om säkerhetsåtgärder",
    ),
    Agency.Kind.PROBATION: ("Stämma av övervakningsplanen med socialtjänsten", "Ordna plats i programverksamheten"),
    Agency.Kind.MUNICIPALITY: (
        "Ansöka om träningslägenhet",
        "Följa upp praktikplatsen",
        "Boka möte med budget- och skuldrådgivningen",
    ),
    Agency.Kind.COMMUNITY: ("Matcha personen med en mentor", "Boka mentorsträff", "Följa med till Arbetsförmedlingen"),
}
RENEW_CONSENT = "Inhämta nytt samtycke; det tidigare har upphört att gälla"
AFTER_WITHDRAWAL = "Stämma av fortsatt stöd efter att samtycket återkallats"


# --- building the plan -------------------------------------------------------------------------------------


def _kind(slug: str) -> str:
    return AGENCY_BY_SLUG[slug].kind


def _user(slug: str, role: str = "handlaggare") -> str:
    return f"{AGENCY_BY_SLUG[slug].login_prefix}.{role}"


def build(persons: Plan, registry: RegistryPlan, *, today) -> CasesPlan:
    chosen = _persons(persons, registry)
    cases = []
    open_ordinal = 0
    for ref, (scenario, person) in enumerate(zip(SCENARIOS, chosen, strict=True), start=1):
        young = today.year - persons.persons[person].birth_year <= 20
        cases.append(_Case(ref, scenario, person, young=young, ordinal=open_ordinal).build())
        if scenario.phase != Phase.CLOSED:
            open_ordinal += 1
    return CasesPlan(cases=tuple(cases))


def _persons(persons: Plan, registry: RegistryPlan) -> list[int]:
    """One person per case: seen for good by the lead, known to another agency too; members of a group first."""
    sees: dict[str, set[int]] = {slug: set() for slug in AGENCY_BY_SLUG}
    for index, person in enumerate(persons.persons):
        sees[person.owner].add(index)
    for share in persons.shares:
        if not share.identity and not share.revoke_reason and share.expires_in_days is None:
            sees[share.to_agency].add(share.person)
    for rshare in registry.shares:
        if rshare.model == "person" and rshare.expires_in_days is None:
            sees[rshare.to_agency].add(rshare.key[0])
    members = {m.person for m in registry.memberships if not m.end_reason}
    rng = random.Random(f"{SEED}:cases")  # noqa: S311 - fictional demo data, not security
    used: set[int] = set()
    chosen = []
    for scenario in SCENARIOS:
        pool = sorted(
            i
            for i in sees[scenario.lead]
            if i not in used
            and persons.persons[i].birth_year >= OLDEST_BIRTH_YEAR
            and any(i in sees[other] for other in AGENCY_BY_SLUG if other != scenario.lead)
        )
        rng.shuffle(pool)
        pool.sort(key=lambda i: i not in members)  # stable: the shuffle decides within each half
        used.add(pool[0])
        chosen.append(pool[0])
    return chosen


class _Case:
    """One case's story, drawn from a stream seeded by its number."""

    def __init__(self, ref: int, scenario: _Scenario, person: int, *, young: bool, ordinal: int):
        self.ref = ref
        self.s = scenario
        self.person = person
        self.young = young
        self.ordinal = ordinal  # among the open cases, so due and overdue tasks are spread by design
        self.rng = random.Random(f"{SEED}:case:{ref}")  # noqa: S311
        self.lead = scenario.lead
        self.closed = scenario.phase == Phase.CLOSED

    # -- helpers --

    def _minute(self) -> int:
        return self.rng.randint(8 * 60, 16 * 60 + 30)

    def _clamp(self, day: int, low: int) -> int:
        return max(low, min(day, self.end))

    def basis(self, owner: str, to: str, category: str, day: int) -> tuple[str, int | None] | None:
        """The legal basis of a disclosure, or None when none fits (so it is not made)."""
        for n, consent in enumerate(self.consents):
            if consent.covers(owner=owner, to=to, category=category, day=day):
                return "samtycke", n
        owner_kind, to_kind = _kind(owner), _kind(to)
        if owner_kind == Agency.Kind.COMMUNITY:
            return None  # no authority: a community partner discloses on consent only
        if owner_kind == Agency.Kind.MUNICIPALITY:
            if to_kind == Agency.Kind.POLICE and self.young:
                return "osl-10-18a", None
            if category == "case":
                return ("ej-sekretess" if to_kind == Agency.Kind.COMMUNITY else "osl-10-2"), None
            return None  # the social services' own entries go out only on consent (or under 10:18 a)
        if to_kind == Agency.Kind.COMMUNITY:
            return ("ej-sekretess", None) if category in ("case", "intervention", "minutes") else None
        if owner_kind == Agency.Kind.POLICE:
            return ("osl-10-27" if category in ("case", "threat") else "osl-10-2"), None
        return "osl-10-2", None

    # -- the story --

    def build(self) -> CaseSpec:
        self._timeline()
        self._consents()
        self._joins()
        entries = self._entries()
        goals = self._goals(entries)
        tasks = self._tasks(entries, goals)
        meeting = None
        if not self.closed:
            days = (14, 45) if self.s.phase == Phase.FOLLOW_UP else (2, 21)
            meeting = (self.rng.randint(*days), self.rng.choice((9, 10, 13, 14)))
        summary = f"{self.rng.choice(SUMMARIES[self.lead])} {CASE_MARKER} {self.ref}."
        coordinator = _user(self.lead, "chef") if self.lead == K and self.rng.random() < 0.25 else _user(self.lead)
        return CaseSpec(
            ref=self.ref,
            lead=self.lead,
            person=self.person,
            phase=self.s.phase,
            outcome=self.s.outcome,
            summary=summary,
            coordinator=coordinator,
            opened=self.starts[Phase.REQUEST],
            end=self.end,
            next_meeting=meeting,
            consents=tuple(self.consents),
            joins=tuple(self.joins),
            entries=tuple(entries),
            goals=tuple(goals),
            tasks=tuple(tasks),
            steps=tuple(self._steps()),
        )

    def _timeline(self) -> None:
        last = self.s.closed_from if self.closed else self.s.phase
        self.reached = PATH[: PATH.index(last) + 1]
        lengths: dict[str, int] = {phase: self.rng.randint(*STAGE_DAYS[phase]) for phase in self.reached}
        self.end = -self.rng.randint(20, 400) if self.closed else 0
        elapsed = max(2, round(lengths[last] * self.rng.uniform(0.2, 0.9)))
        # A consent that lapses or is withdrawn needs a case that has run for a while.
        statuses = {c.status for c in self.s.consents}
        if "expired" in statuses:
            elapsed = max(elapsed, 90)
        elif "withdrawn" in statuses:
            elapsed = max(elapsed, 40)
        self.starts: dict[str, int] = {last: self.end - elapsed}
        for earlier, later in zip(reversed(self.reached[:-1]), reversed(self.reached[1:]), strict=True):
            self.starts[earlier] = self.starts[later] - lengths[earlier]
        self.opened = self.starts[Phase.REQUEST]
        self.stage_end = {
            phase: (self.starts[self.reached[i + 1]] - 1 if i + 1 < len(self.reached) else self.end)
            for i, phase in enumerate(self.reached)
        }

    def _consents(self) -> None:
        """Given at the first meeting. A valid one runs 30 to 300 days more (a year at most, so an old case's
        was renewed); a lapsed one ended 8 to 40 days ago, and a renewal may follow it; a withdrawn one was
        withdrawn shortly before today, or before the case closed."""
        self.consents: list[ConsentSpec] = []
        given = min(self.starts.get(Phase.ASSESSMENT, self.opened + 2) + self.rng.randint(0, 5), self.end)
        for n, plan in enumerate(self.s.consents, start=1):
            withdrawn, note = None, ""
            if plan.status == "valid":
                until = self.rng.randint(30, 300)
                given = max(given, until - CONSENT_DAYS)
            elif plan.status == "expired":
                until = min(given + self.rng.randint(60, 180), -self.rng.randint(8, 40))
            else:
                until = given + CONSENT_DAYS
                withdrawn = self.end - self.rng.randint(1, 5) if self.closed else -self.rng.randint(4, 20)
                withdrawn = max(withdrawn, given + 15)
                note = self.rng.choice(WITHDRAWAL_NOTES)
            spec = ConsentSpec(
                reference=f"{CONSENT_MARKER} {self.ref}.{n}, undertecknat original i personakten",
                agencies=plan.agencies,
                categories=tuple(sorted(plan.categories)),
                purpose=CONSENT_PURPOSE,
                given=given,
                until=until,
                withdrawn=withdrawn,
                withdrawal_note=note,
            )
            fits = {
                "valid": spec.given <= 0 < spec.until,
                "expired": spec.given + 20 <= spec.until <= -2,
                "withdrawn": spec.withdrawn is not None
                and spec.given < spec.withdrawn <= min(self.end, -1, spec.until),
            }[plan.status]
            if not fits:
                raise ValueError(f"Demo case {self.ref}: consent {n} does not fit its story ({spec}).")
            self.consents.append(spec)
            if plan.status == "expired":  # a renewal follows the lapsed one, after a gap
                given = min(until + self.rng.randint(3, 12), -1)

    def _joins(self) -> None:
        self.joins: list[CaseShareSpec] = []
        self.joined_on: dict[str, int] = {self.lead: self.opened}
        for to in self.s.participants:
            if _kind(to) == Agency.Kind.COMMUNITY and Phase.ACTIVE in self.starts:
                day = self.starts[Phase.ACTIVE] + self.rng.randint(0, 5)
            else:
                day = self.opened + self.rng.randint(0, 4)
            day = self._clamp(day, self.opened)
            # On consent only if one covers the header that day; a consent given later does not count.
            basis = self.basis(self.lead, to, "case", day)
            if basis is None:
                raise ValueError(f"Demo case {self.ref}: no legal basis for {to} to join.")
            self.joins.append(CaseShareSpec(to, basis[0], basis[1], day))
            self.joined_on[to] = day

    def _entry(self, owner: str, kind: str, day: int, title: str, body: str, **fields) -> EntrySpec:
        return EntrySpec(owner, kind, self._clamp(day, self.joined_on[owner]), self._minute(), title, body, **fields)

    def _needs(self) -> tuple[tuple[str, str, str], ...]:
        # Three to five areas, the common ones more often (a weighted sample without replacement).
        keyed = sorted(((self.rng.random() ** (1 / w), area) for area, w in NEED_WEIGHTS.items()), reverse=True)
        picked = [area for _key, area in keyed[: self.rng.randint(3, 5)]]
        needs = []
        for area in picked:
            level = self.rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
            high, low = NEED_COMMENTS[area]
            needs.append((area, level, high if level in (NeedLevel.HIGH, NeedLevel.MEDIUM) else low))
        return tuple(needs)

    def _intervention(self, owner: str, day: int) -> EntrySpec:
        category, title, provider = self.rng.choice(INTERVENTIONS[_kind(owner)])
        provider = provider or AGENCY_BY_SLUG[owner].name
        entry_day = self._clamp(day, self.joined_on[owner])
        starts = entry_day + self.rng.randint(0, 14)
        ends = starts + self.rng.randint(30, 150) if self.rng.random() < 0.8 else None
        if starts > self.end:
            status = InterventionStatus.CANCELLED if self.closed else InterventionStatus.PLANNED
            if self.closed:
                starts, ends = self.end, self.end
        elif ends is not None and ends <= self.end:
            status = InterventionStatus.COMPLETED
        elif self.closed:
            ends = self.end
            status = (
                InterventionStatus.COMPLETED if self.s.outcome == Outcome.COMPLETED else InterventionStatus.CANCELLED
            )
        else:
            status = InterventionStatus.ONGOING
        body = f"{title} genom {provider}."
        return EntrySpec(
            owner,
            EntryKind.INTERVENTION,
            entry_day,
            self._minute(),
            title,
            body,
            category=category,
            provider=provider,
            starts=starts,
            ends=ends,
            status=status,
        )

    def _entries(self) -> list[EntrySpec]:
        rng, lead = self.rng, self.lead
        others = [j.to for j in self.joins]
        everyone = [lead, *others]
        # The police lead a case for its threat picture; the social services still assess the needs and
        # provide the support.
        social = K if lead == P and K in everyone else lead
        entries = [
            self._entry(lead, EntryKind.NOTE, self.opened, "Inkommen förfrågan om stöd", rng.choice(REQUEST_NOTES))
        ]
        if Phase.ASSESSMENT in self.starts:
            start = self.starts[Phase.ASSESSMENT]
            entries.append(
                self._entry(
                    social, EntryKind.NEEDS, start + rng.randint(3, 10), "Behovsbedömning", "", needs=self._needs()
                )
            )
            if P in everyone:
                title, body = rng.choice(THREATS[:3])
                entries.append(self._entry(P, EntryKind.THREAT, start + rng.randint(2, 12), title, body))
            if V in others and rng.random() < 0.4:
                entries.append(
                    self._entry(
                        V,
                        EntryKind.NEEDS,
                        start + rng.randint(4, 14),
                        "Behov under övervakningen",
                        "",
                        needs=self._needs(),
                    )
                )
            title, body = MINUTES[Phase.ASSESSMENT]
            entries.append(self._entry(lead, EntryKind.MINUTES, start + rng.randint(10, 20), title, body))
        if Phase.ACTIVE in self.starts:
            start, stop = self.starts[Phase.ACTIVE], self.stage_end[Phase.ACTIVE]
            span = max(stop - start, 1)

            def at(fraction: float) -> int:
                return start + int(span * fraction)

            entries.append(self._intervention(social, at(rng.uniform(0, 0.4))))
            for owner in others:
                kind = _kind(owner)
                if kind in (Agency.Kind.PROBATION, Agency.Kind.COMMUNITY):
                    entries.append(self._intervention(owner, at(rng.uniform(0, 0.3))))
                if kind == Agency.Kind.COMMUNITY or rng.random() < 0.4:
                    title, body = rng.choice(NOTES[kind])
                    entries.append(self._entry(owner, EntryKind.NOTE, at(rng.uniform(0.2, 1)), title, body))
            if P in everyone and rng.random() < 0.35:
                title, body = THREATS[3]
                entries.append(self._entry(P, EntryKind.THREAT, at(rng.uniform(0.4, 1)), title, body))
            title, body = MINUTES[Phase.ACTIVE]
            entries.append(self._entry(lead, EntryKind.MINUTES, at(rng.uniform(0.3, 0.7)), title, body))
        if Phase.FOLLOW_UP in self.starts:
            start = self.starts[Phase.FOLLOW_UP]
            entries.append(
                self._entry(
                    lead, EntryKind.NOTE, start + rng.randint(5, 30), "Uppföljning", rng.choice(FOLLOW_UP_NOTES)
                )
            )
            if rng.random() < 0.5:
                title, body = MINUTES[Phase.FOLLOW_UP]
                entries.append(self._entry(lead, EntryKind.MINUTES, start + rng.randint(10, 40), title, body))
        if self.closed:
            entries.append(self._entry(lead, EntryKind.NOTE, self.end, "Avslutning", CLOSING_NOTES[self.s.outcome]))
        entries.sort(key=lambda e: (e.day, e.minute))
        return [self._shares(e) for e in entries]

    def _shares(self, entry: EntrySpec) -> EntrySpec:
        rng = self.rng
        shares = []
        for to in self.participants_on(entry.day):
            if to == entry.owner:
                continue
            draw = rng.random()  # one draw per (entry, participant), whatever is decided
            day = self._clamp(entry.day + rng.randint(0, 3), entry.day)
            if entry.kind == EntryKind.MINUTES:
                chance = 0.75
            elif entry.kind == EntryKind.THREAT:
                chance = 0.6 if to == self.lead else 0.2
            elif entry.kind == EntryKind.NEEDS:
                chance = 0.5
            elif entry.kind == EntryKind.INTERVENTION:
                chance = 0.6 if to == self.lead else 0.3
            else:
                chance = 0.2
            if draw >= chance:
                continue
            basis = self.basis(entry.owner, to, entry.kind, day)
            if basis is not None:
                shares.append(CaseShareSpec(to, basis[0], basis[1], day))
        return replace(entry, shares=tuple(shares))

    def participants_on(self, day: int) -> list[str]:
        return [a for a, joined in self.joined_on.items() if joined <= day]

    def _goals(self, entries: list[EntrySpec]) -> list[GoalSpec]:
        if Phase.ASSESSMENT not in self.starts:
            return []
        needs = next((e.needs for e in entries if e.kind == EntryKind.NEEDS), ())
        areas = [area for area, level, _c in needs if level in (NeedLevel.HIGH, NeedLevel.MEDIUM)][:1]
        descriptions = [GOALS[a] for a in areas] + [GENERAL_GOAL]
        day = self._clamp(self.starts[Phase.ASSESSMENT] + self.rng.randint(10, 25), self.opened)
        goals = []
        for description in descriptions:
            target = day + self.rng.randint(90, 270)
            if Phase.FOLLOW_UP in self.starts and (not self.closed or self.s.outcome == Outcome.COMPLETED):
                status = PlanGoal.Status.MET if self.rng.random() < 0.8 else PlanGoal.Status.DROPPED
            elif self.closed:
                status = PlanGoal.Status.DROPPED
            else:
                status = PlanGoal.Status.OPEN
            goals.append(GoalSpec(description, day, target, status))
        return goals

    def _tasks(self, entries: list[EntrySpec], goals: list[GoalSpec]) -> list[TaskSpec]:
        rng, lead = self.rng, self.lead
        current = self.reached[-1]
        wanted: list[tuple[str, str, str, int | None, int | None]] = []  # stage, title, assignee, goal, entry

        def add(stage: str, title: str, assignee: str, goal: int | None = None, entry: int | None = None) -> None:
            if assignee in self.joined_on:
                wanted.append((stage, title, assignee, goal, entry))

        add(Phase.REQUEST, TASKS["request"][0], lead)
        if not self.consents:
            add(Phase.REQUEST, TASKS["request"][1], lead)
        if Phase.ASSESSMENT in self.starts:
            add(Phase.ASSESSMENT, TASKS["assessment"][0], lead)
            add(Phase.ASSESSMENT, rng.choice(TASKS["assessment"][1:]), lead, goal=0 if goals else None)
            if P in self.joined_on:
                threat = next((i for i, e in enumerate(entries) if e.kind == EntryKind.THREAT), None)
                add(Phase.ASSESSMENT, TASKS[Agency.Kind.POLICE][0], P)
                if threat is not None:
                    add(current, TASKS[Agency.Kind.POLICE][1], P, entry=threat)
        if Phase.ACTIVE in self.starts:
            for owner in self.joined_on:
                kind = _kind(owner)
                title, goal = rng.choice(TASKS[kind]), rng.randrange(len(goals)) if goals else None
                if owner == lead or rng.random() < 0.6:
                    add(Phase.ACTIVE, title, owner, goal=goal)
            intervention = next(
                (i for i, e in enumerate(entries) if e.kind == EntryKind.INTERVENTION and e.owner == lead), None
            )
            if intervention is not None:
                add(Phase.ACTIVE, "Följa upp insatsen", lead, entry=intervention)
        if Phase.FOLLOW_UP in self.starts:
            for title in TASKS["follow_up"]:
                add(Phase.FOLLOW_UP, title, lead)
        if not self.closed and self.consents:
            last = self.consents[-1]
            if last.withdrawn is not None:
                add(current, AFTER_WITHDRAWAL, lead)
            elif last.until < 0:
                add(current, RENEW_CONSENT, lead)

        # Of a phase that is over, one task is kept (done, or struck now and then); the current phase's are open.
        kept: list[tuple[str, str, str, int | None, int | None]] = []
        for item in wanted:
            if (self.closed or item[0] != current) and any(k[0] == item[0] for k in kept):
                continue
            kept.append(item)
        tasks = []
        buckets = ("overdue", "due_soon", "upcoming")
        open_count = 0
        for stage, title, assignee, goal, entry in kept:
            creator = entries[entry].owner if entry is not None else lead
            start = max(self.starts.get(stage, self.starts[current]), self.joined_on[assignee], self.opened)
            if entry is not None:
                start = max(start, entries[entry].day)
            start = min(start, self.end)
            named = rng.random()
            user = None
            if named < 0.45:
                user = _user(assignee)
            elif named < 0.55:
                user = _user(assignee, "chef")
            if stage != current or self.closed:
                # A task of a phase that is over (or of a closed case) is done, or struck now and then.
                stop = self.stage_end[stage] if stage in self.stage_end else self.end
                day = self._clamp(start + rng.randint(0, 5), start)
                due = max(day + rng.randint(5, 20), day)
                done = min(max(day + 1, due + rng.randint(-4, 6)), stop, self.end)
                done = max(done, day)
                if rng.random() < 0.1:
                    tasks.append(
                        TaskSpec(title, creator, assignee, user, day, due, Task.Status.CANCELLED, done, goal, entry)
                    )
                else:
                    tasks.append(
                        TaskSpec(title, creator, assignee, user, day, due, Task.Status.DONE, done, goal, entry)
                    )
                continue
            bucket = buckets[(self.ordinal + open_count) % 3]
            open_count += 1
            if title in (RENEW_CONSENT,):
                bucket = "overdue"
            if bucket == "overdue":
                due = -rng.randint(1, 14)
            elif bucket == "due_soon":
                due = rng.randint(0, 2)
            else:
                due = rng.randint(5, 30)
            # Added before it fell due, and not before the case was opened.
            day = max(min(start, due - rng.randint(3, 14), 0), self.opened)
            due = max(due, day + 1)
            tasks.append(TaskSpec(title, creator, assignee, user, day, due, Task.Status.OPEN, None, goal, entry))
        return tasks

    def _steps(self) -> list[StepSpec]:
        steps = [StepSpec(phase, self.starts[phase], PHASE_REASONS[phase]) for phase in self.reached[1:]]
        if self.closed:
            steps.append(StepSpec(Phase.CLOSED, self.end, CLOSING_REASONS[self.s.outcome], self.s.outcome))
        return steps
