"""What the one share dialog (cases.views.share.share_object) can disclose, by the kind its URLs name.

Each protected record of `cases` that an owner agency may disclose is described once here: how to load it
through the gate, what exactly a share of it discloses (so the caseworker knows what leaves the agency),
where to go back to, and the wording of the register rows. A page mounts the dialog for its kind with

    path("<int:pk>/dela/", share.share_object, {"kind": "group"}, name="group-share")

The kind names are the API's (cases.api.*: register_shareable), so the page and the API speak of the same
things by the same names.

A link record (a relation, a membership, a person's part in an incident) is loaded only when the user may
also see both its ends, the rule the selectors follow everywhere (cases.selectors.registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.access import Actor
from agencies.models import Agency, ProtectedModel

from . import selectors, services
from .models import (
    CaseEntry,
    CriminalGroup,
    ExitCase,
    GroupMembership,
    GroupRelation,
    IdentityDetails,
    Incident,
    IncidentPerson,
    Individual,
    PlanGoal,
    Task,
)


@dataclass(frozen=True)
class Part:
    """One record the dialog can disclose: the object itself, or (for a person) their identity details."""

    kind: str
    choice_label: Promise | str
    target: ProtectedModel


@dataclass(frozen=True)
class Shareable:
    kind: str
    model: type[ProtectedModel]
    # What a share of this record discloses and what it does not; shown on the dialog.
    discloses: Promise
    # The register row's "what" column, and the revoke button's text (with %(agency)s).
    row_label: Promise
    revoke_label: Promise
    # Shown after a successful share (with %(agency)s).
    shared_message: Promise
    # 403 text for a user who may see the record but does not own it.
    not_owner_message: Promise
    title: Callable[[Any], str]
    back_url: Callable[[Any], str]
    crumbs: Callable[[Any], list[tuple[str, str]]]
    # The gated lookup's base queryset for a user: its select_related, and for a link record the rule
    # that both ends must be visible too.
    queryset: Callable[[Any], QuerySet]
    # Further records disclosed through the same dialog (a person's identity details), by the acting user.
    # A kind that has them asks "what is to be shared?"; one that has not shares the record itself.
    extra_parts: Callable[[Any, Actor, Any], list[Part]] | None = None
    choice_label: Promise | None = None
    # For the records of a joint case: the agencies that may receive one (None: every other active agency),
    # the service that discloses it (None: access.share; same keyword arguments), whether consent is offered
    # as a basis — only where selectors.consents_covering finds a valid consent for the chosen receiver, and
    # then that consent is chosen too — and whether a share may have an end date.
    receivers: Callable[[Any, Actor, Any], QuerySet] | None = None
    disclose: Callable[..., Any] | None = None
    offers_consent: bool = False
    has_expiry: bool = True

    def parts(self, user, actor: Actor, obj) -> list[Part]:
        own = [Part(self.kind, self.choice_label or self.row_label, obj)]
        return own + (self.extra_parts(user, actor, obj) if self.extra_parts else [])


_registry: dict[str, Shareable] = {}


def register(entry: Shareable) -> Shareable:
    _registry[entry.kind] = entry
    return entry


def get(kind: str) -> Shareable | None:
    return _registry.get(kind)


def for_model(model: type) -> Shareable | None:
    for entry in _registry.values():
        if entry.model is model:
            return entry
    return None


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _optional_url(name: str, fallback: str, **kwargs) -> str:
    # The incident pages come from their own module; until they are mounted the dialog falls back.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(fallback)


# --- persons ------------------------------------------------------------------------------------------


def _identity_part(user, actor: Actor, person: Individual) -> list[Part]:
    if not actor.is_lead:
        return []
    # Only to offer (and then share) the details: nothing of them is shown on the dialog, so this is not a
    # read to log. The share itself is logged by access.share.
    identity = access.find(user, IdentityDetails, person.pk, log=False, count_denial=False)
    return [Part("identity", _("Identitetsuppgifter"), identity)] if identity is not None else []


INDIVIDUAL = register(
    Shareable(
        kind="individual",
        model=Individual,
        discloses=_(
            "Personen: alias, födelseår och stadsdel. Anteckningarna stannar hos er. Identitetsuppgifterna följer "
            "inte med; de lämnas bara ut genom ett eget beslut av en chef."
        ),
        row_label=_("Personen"),
        revoke_label=_("Återkalla utlämnandet av personen till %(agency)s"),
        shared_message=_("Personen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som äger uppgifterna om personen kan dela dem."),
        title=lambda person: person.alias,
        back_url=lambda person: _url("individual-detail", pk=person.pk),
        crumbs=lambda person: [
            (str(_("Personer")), _url("individual-list")),
            (person.alias, _url("individual-detail", pk=person.pk)),
        ],
        queryset=lambda user: selectors.individual_base(),
        extra_parts=_identity_part,
        choice_label=_("Personen (alias, födelseår, stadsdel)"),
    )
)


@dataclass(frozen=True)
class Wording:
    row_label: Promise
    revoke_label: Promise
    shared_message: Promise


# Identity details are disclosed through the person's dialog (a part of it), never a dialog of their own.
_IDENTITY_WORDING = Wording(
    row_label=_("Identitetsuppgifter"),
    revoke_label=_("Återkalla utlämnandet av identitetsuppgifterna till %(agency)s"),
    shared_message=_("Identitetsuppgifterna har delats med %(agency)s."),
)


def wording(kind: str) -> Wording:
    """The register row's and the confirmation's words for a part of any kind."""
    if kind == "identity":
        return _IDENTITY_WORDING
    entry = _registry[kind]
    return Wording(entry.row_label, entry.revoke_label, entry.shared_message)


# --- the group registry -------------------------------------------------------------------------------


# The two ends of each link record, which the user must also see for the link to be shown (or found).
LINK_ENDS: dict[type, dict[str, type]] = {
    GroupRelation: {"group_a": CriminalGroup, "group_b": CriminalGroup},
    GroupMembership: {"individual": Individual, "group": CriminalGroup},
    IncidentPerson: {"individual": Individual, "incident": Incident},
}


def with_visible_ends(user, model: type) -> QuerySet:
    """Base queryset for a gated lookup of a link record: only links whose both ends the user may see.

    Not itself gated: pass it as `queryset=` to access.find/get_or_404, which add the link's own check.
    """
    bases: dict[type, QuerySet] = {
        GroupRelation: GroupRelation.objects.select_related("group_a", "group_b"),
        GroupMembership: selectors.membership_base(),
        IncidentPerson: IncidentPerson.objects.select_related("individual", "incident"),
    }
    qs = bases[model]
    for name, end_model in LINK_ENDS[model].items():
        qs = qs.filter(**{f"{name}__in": access.visible(user, end_model).values("pk")})
    return qs


GROUP = register(
    Shareable(
        kind="group",
        model=CriminalGroup,
        discloses=_(
            "Grupperingens sammanfattning: namn, andra namn, stadsdelar, status, beskrivning och när den först och "
            "senast noterades. Medlemmar och relationer följer inte med; de delas var för sig där det finns stöd för det."
        ),
        row_label=_("Grupperingen"),
        revoke_label=_("Återkalla utlämnandet av grupperingen till %(agency)s"),
        shared_message=_("Grupperingen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som äger uppgifterna om grupperingen kan dela dem."),
        title=lambda group: group.name,
        back_url=lambda group: _url("group-detail", pk=group.pk),
        crumbs=lambda group: [
            (str(_("Grupperingar")), _url("group-list")),
            (group.name, _url("group-detail", pk=group.pk)),
        ],
        queryset=lambda user: selectors.group_base(),
    )
)

RELATION = register(
    Shareable(
        kind="group_relation",
        model=GroupRelation,
        discloses=_(
            "Relationen mellan grupperingarna: typ, status, sedan när, anteckningar och källa. Mottagaren ser den "
            "bara om båda grupperingarna också är delade med den."
        ),
        row_label=_("Relationen"),
        revoke_label=_("Återkalla utlämnandet av relationen till %(agency)s"),
        shared_message=_("Relationen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som registrerade relationen kan dela den."),
        title=lambda rel: f"{rel.group_a.name} – {rel.group_b.name} ({rel.get_kind_display().lower()})",
        back_url=lambda rel: _url("group-detail", pk=rel.group_a_id),
        crumbs=lambda rel: [
            (str(_("Grupperingar")), _url("group-list")),
            (rel.group_a.name, _url("group-detail", pk=rel.group_a_id)),
        ],
        queryset=lambda user: with_visible_ends(user, GroupRelation),
    )
)

MEMBERSHIP = register(
    Shareable(
        kind="membership",
        model=GroupMembership,
        discloses=_(
            "Medlemskapet: roll, period, säkerhet, källtyp och underlag. Mottagaren ser det bara om både personen "
            "och grupperingen också är delade med den. Dela bara där det finns rättsligt stöd för att lämna ut "
            "uppgiften om tillhörighet."
        ),
        row_label=_("Medlemskapet"),
        revoke_label=_("Återkalla utlämnandet av medlemskapet till %(agency)s"),
        shared_message=_("Medlemskapet har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som registrerade medlemskapet kan dela det."),
        title=lambda m: _("%(person)s i %(group)s") % {"person": m.individual.alias, "group": m.group.name},
        back_url=lambda m: _url("group-detail", pk=m.group_id),
        crumbs=lambda m: [
            (str(_("Grupperingar")), _url("group-list")),
            (m.group.name, _url("group-detail", pk=m.group_id)),
        ],
        queryset=lambda user: with_visible_ends(user, GroupMembership),
    )
)


# --- the incident register (its pages are mounted by cases.urls.incidents) ----------------------------

INCIDENT = register(
    Shareable(
        kind="incident",
        model=Incident,
        discloses=_(
            "Händelsen: typ, tid, stadsdel, ungefärlig plats, antal döda och skadade, status, utredningstimmar och "
            "sammanfattning, och vilka synliga grupperingar som var inblandade. Inblandade personer följer inte "
            "med; de delas var för sig."
        ),
        row_label=_("Händelsen"),
        revoke_label=_("Återkalla utlämnandet av händelsen till %(agency)s"),
        shared_message=_("Händelsen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som registrerade händelsen kan dela den."),
        title=str,
        back_url=lambda inc: _optional_url("incident-detail", "home", pk=inc.pk),
        crumbs=lambda inc: [(str(inc), _optional_url("incident-detail", "home", pk=inc.pk))],
        queryset=lambda user: selectors.incident_base(),
    )
)

INCIDENT_PERSON = register(
    Shareable(
        kind="incident_person",
        model=IncidentPerson,
        discloses=_(
            "Att personen var inblandad i händelsen och i vilken roll, med anteckningar. Mottagaren ser det bara "
            "om både personen och händelsen också är delade med den."
        ),
        row_label=_("Inblandningen"),
        revoke_label=_("Återkalla utlämnandet av inblandningen till %(agency)s"),
        shared_message=_("Uppgiften om inblandningen har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som registrerade inblandningen kan dela den."),
        title=lambda ip: f"{ip.individual.alias}: {ip.get_role_display()} ({ip.incident})",
        back_url=lambda ip: _optional_url("incident-detail", "home", pk=ip.incident_id),
        crumbs=lambda ip: [(str(ip.incident), _optional_url("incident-detail", "home", pk=ip.incident_id))],
        queryset=lambda user: with_visible_ends(user, IncidentPerson),
    )
)


# --- joint exit-support cases (their pages are mounted by cases.urls.exit_cases) ----------------------


def _case_url(case_pk: int) -> str:
    return _url("exit-case-detail", pk=case_pk)


def _case_crumbs(case_pk: int) -> list[tuple[str, str]]:
    return [
        (str(_("Ärenden")), _url("exit-case-list")),
        (str(_("Ärende %(pk)s") % {"pk": case_pk}), _case_url(case_pk)),
    ]


def _other_participants(user, actor: Actor, record: CaseEntry | PlanGoal | Task) -> QuerySet:
    # A record of a case goes only to an agency taking part in it (services.entry_share/plan_share refuse others).
    participants = services.participants(record.case)
    return Agency.objects.filter(pk__in=[a.pk for a in participants]).exclude(pk=actor.agency_id).order_by("name")


EXIT_CASE = register(
    Shareable(
        kind="exit_case",
        model=ExitCase,
        discloses=_(
            "Ärendets grunduppgifter: ansvarig myndighet, samordnare, fas, utfall, datum, nästa möte, "
            "sammanfattning och fashistorik. Myndigheten blir deltagare i ärendet. Planens mål och uppgifter följer "
            "inte med; varje myndighet delar sina egna. "
            "Personens alias syns bara om personen också är delad med myndigheten. Journalposterna följer inte "
            "med; varje myndighet delar sina poster var för sig."
        ),
        row_label=_("Ärendet"),
        revoke_label=_("Ta bort %(agency)s från ärendet"),
        shared_message=_("%(agency)s deltar nu i ärendet."),
        not_owner_message=_("Endast den ansvariga myndigheten kan bjuda in andra myndigheter till ärendet."),
        title=lambda case: str(_("ärende %(pk)s") % {"pk": case.pk}),
        back_url=lambda case: _case_url(case.pk),
        crumbs=lambda case: _case_crumbs(case.pk),
        queryset=lambda user: ExitCase.objects.select_related("individual", "owner_agency"),
        disclose=lambda case, *, expires_at=None, **kw: services.case_join(case=case, **kw),
        offers_consent=True,
        has_expiry=False,
    )
)

CASE_ENTRY = register(
    Shareable(
        kind="case_entry",
        model=CaseEntry,
        discloses=_(
            "Journalposten: typ, datum, rubrik och text, och för en behovsbedömning eller insats dess uppgifter. "
            "Den kan bara delas med myndigheter som deltar i ärendet. Andra poster i ärendet följer inte med."
        ),
        row_label=_("Journalposten"),
        revoke_label=_("Återkalla utlämnandet av journalposten till %(agency)s"),
        shared_message=_("Journalposten har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som skrev journalposten kan dela den."),
        title=lambda entry: entry.title,
        back_url=lambda entry: _case_url(entry.case_id) + f"#entry-{entry.pk}",
        crumbs=lambda entry: _case_crumbs(entry.case_id),
        # Only while its case is visible too (both ends of the link).
        queryset=lambda user: selectors.entry_base().filter(case__in=access.visible(user, ExitCase).values("pk")),
        receivers=_other_participants,
        disclose=lambda entry, **kw: services.entry_share(entry=entry, **kw),
        offers_consent=True,
    )
)


def _in_visible_case(model: type[PlanGoal] | type[Task]):
    # Only while its case is visible too (both ends of the link), as an entry.
    def queryset(user) -> QuerySet:
        return model._default_manager.select_related("case", "owner_agency").filter(
            case__in=access.visible(user, ExitCase).values("pk")
        )

    return queryset


PLAN_GOAL = register(
    Shareable(
        kind="plan_goal",
        model=PlanGoal,
        discloses=_(
            "Målet i planen: beskrivning, måldatum och status. Det kan bara delas med myndigheter som deltar i "
            "ärendet. Uppgifterna under målet följer inte med; de delas var för sig."
        ),
        row_label=_("Målet"),
        revoke_label=_("Återkalla utlämnandet av målet till %(agency)s"),
        shared_message=_("Målet har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som skrev målet kan dela det."),
        title=lambda goal: str(_("mål: %(text)s") % {"text": str(goal)}),
        back_url=lambda goal: _case_url(goal.case_id) + "#plan-heading",
        crumbs=lambda goal: _case_crumbs(goal.case_id),
        queryset=_in_visible_case(PlanGoal),
        receivers=_other_participants,
        disclose=lambda goal, **kw: services.plan_share(record=goal, **kw),
        offers_consent=True,
    )
)

TASK = register(
    Shareable(
        kind="task",
        model=Task,
        discloses=_(
            "Uppgiften: rubrik, ansvarig myndighet och handläggare, sista dag och status, och vilket mål och vilken "
            "journalpost den hör till (bara om mottagaren också ser dem). Den kan bara delas med myndigheter som "
            "deltar i ärendet."
        ),
        row_label=_("Uppgiften"),
        revoke_label=_("Återkalla utlämnandet av uppgiften till %(agency)s"),
        shared_message=_("Uppgiften har delats med %(agency)s."),
        not_owner_message=_("Endast den myndighet som skrev uppgiften kan dela den."),
        title=lambda task: str(_("uppgift: %(title)s") % {"title": task.title}),
        back_url=lambda task: _case_url(task.case_id) + "#plan-heading",
        crumbs=lambda task: _case_crumbs(task.case_id),
        queryset=_in_visible_case(Task),
        receivers=_other_participants,
        disclose=lambda task, **kw: services.plan_share(record=task, **kw),
        offers_consent=True,
    )
)
