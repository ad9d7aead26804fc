"""The outreach part of the fictional Örebro demo, written through the outreach services on top of the
registry and the cases (cases.extensions.demo_seeders runs it from `seed_demo`).

Three call-ins planned by the municipality's GVI coordinator with the partners as hosts (two held, one upcoming),
about 40 invitations with their attendance and follow-up (three asked for help: each opened one exit-case
request), about 60 custom notifications (some people more than once; the police's carry a legal-risk summary of
their own), four enforcement responses against groups that were warned, with levers from the police,
Kriminalvården and the municipality, and a year of weekly incident reviews over the demo incidents, with
decisions and actions. Every record is shared to the authorities by the services, on OSL 10:2 (each agency's own
work), and a call-in's plan to the community partners as not confidential, so every demo login sees a sensible
part and nothing more.

Idempotent: each record carries a marker ("Demo-call-in nr 2", "Demosamtal nr 17.", …) and is looked up by it;
whatever exists is left as it is, so a second run writes nothing. Dates are written relative to the day the
demo is seeded; a record is written through its service and then backdated (created_at before any share,
since grant rows copy it; a held call-in's time after it was planned), as the cases demo does.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from agencies import access
from agencies.models import Agency, LegalBasis
from cases.demo.assessments import assessment_for
from cases.demo.plan import AGENCY_BY_SLUG, SEED
from cases.demo.registry_plan import INCIDENT_MARKER
from cases.extensions import DemoContext
from cases.models import CriminalGroup, Incident, IncidentGroup, Individual

from .. import services
from ..models import (
    CallIn,
    CustomNotification,
    EnforcementResponse,
    Invitation,
    Lever,
    ReviewAction,
    ReviewMeeting,
    SpeakerRole,
)

CALL_IN_MARKER = "Demo-call-in nr"
NOTIFICATION_MARKER = "Demosamtal nr"
RESPONSE_MARKER = "Demoinsats nr"
MEETING_MARKER = "Demogenomgång nr"
BASIS = "osl-10-2"

# (number, days from the seeding day, venue, status). Two held, one upcoming.
CALL_INS = (
    (1, -150, "Vivalla folkets hus (fiktiv lokal)", CallIn.Status.HELD),
    (2, -45, "Varberga aula (fiktiv lokal)", CallIn.Status.HELD),
    (3, 21, "Oxhagens medborgarhus (fiktiv lokal)", CallIn.Status.PLANNED),
)
INVITATIONS_PER_CALL_IN = 14
NOTIFICATIONS = 60
MEETINGS = 52
SPEAKERS = (
    ("Amina (mamma, fiktiv)", SpeakerRole.RELATIVE),
    ("Jonas (före detta kriminell, fiktiv)", SpeakerRole.FORMER_OFFENDER),
    ("Kommissarie Berg (fiktiv)", SpeakerRole.POLICE),
    ("Imam Yusuf (röst från lokalsamhället, fiktiv)", SpeakerRole.COMMUNITY_VOICE),
    ("Frivårdsinspektör Lind (fiktiv)", SpeakerRole.PROBATION),
    ("Socialsekreterare Holm (fiktiv)", SpeakerRole.MUNICIPALITY),
)
MESSAGE = (
    "Vi i Örebro vill att ni lever. Våldet måste upphöra nu – för era familjers skull och för grannarnas.",
    "Nästa gång någon i gruppen skjuter svarar alla myndigheter mot hela gruppen: polisen, frivården, kommunen.",
    "Den som vill lämna får hjälp i dag: boende, arbete, skuldrådgivning och skydd. Ring numret på kortet.",
)
LEVERS = (
    ("polisen", Lever.Kind.POLICE_OPERATION, "Riktad polisinsats mot gruppens mötesplatser (fiktiv)."),
    (
        "kriminalvarden",
        Lever.Kind.SUPERVISION_CHECK,
        "Skärpt kontroll av villkoren för gruppens medlemmar i frivården.",
    ),
    ("orebro-kommun", Lever.Kind.HOUSING_REVIEW, "Prövning av andrahandsuthyrningar kopplade till gruppen (fiktiv)."),
    ("orebro-kommun", Lever.Kind.SOCIAL_SERVICES, "Orosanmälningar följs upp för gruppens yngre medlemmar."),
)


def seed_outreach(context: DemoContext) -> None:
    _Writer(context).run()


class _Writer:
    def __init__(self, context: DemoContext) -> None:
        self.c = context
        self.now: datetime = context.now
        self.today = timezone.localdate(self.now)
        self.agencies: dict[str, Agency] = context.agencies
        self.basis = LegalBasis.objects.get(code=BASIS)
        self.open_basis = LegalBasis.objects.get(code="ej-sekretess")
        self.rng = random.Random(f"{SEED}:outreach")  # noqa: S311 - demo data, not security

    def user(self, slug: str, lead: bool = False):
        return self.c.users[f"{AGENCY_BY_SLUG[slug].login_prefix}.{'chef' if lead else 'handlaggare'}"]

    def at(self, days: int, hour: int = 18) -> datetime:
        return timezone.make_aware(datetime.combine(self.today + timedelta(days=days), time(hour, 0)))

    def visible_to(self, slug: str, persons) -> list[Individual]:
        agency = self.agencies[slug]
        return [p for p in persons if access.agency_sees(agency, p)]

    def backdate(self, model, obj, moment: datetime) -> None:
        model.objects.filter(pk=obj.pk).update(created_at=moment, updated_at=moment)
        obj.created_at = moment

    def run(self) -> None:
        persons = sorted(self.c.persons.values(), key=lambda p: p.pk)
        police_groups = list(
            CriminalGroup.objects.filter(
                owner_agency=self.agencies["polisen"], status=CriminalGroup.Status.ACTIVE
            ).order_by("name")
        )
        call_ins = self.call_ins(persons, police_groups)
        notifications = self.notifications(persons)
        self.responses(police_groups, call_ins, notifications)
        self.meetings()

    # --- call-ins ----------------------------------------------------------------------------------------

    def call_ins(self, persons, groups) -> list[CallIn]:
        planner = self.user("orebro-kommun")
        existing = {c.title: c for c in CallIn.objects.filter(title__contains=CALL_IN_MARKER)}
        # Persons the planner may see (the invitation list shows a person only to whom may see them).
        police_people = self.visible_to("orebro-kommun", self.visible_to("polisen", persons))
        kvv_people = self.visible_to("orebro-kommun", self.visible_to("kriminalvarden", persons))
        result = []
        for number, days, venue, status in CALL_INS:
            title = f"Call-in {venue.split(' (')[0]} – {CALL_IN_MARKER} {number}"
            if title in existing:
                result.append(existing[title])
                continue
            hosts = [self.agencies[s] for s in ("polisen", "kriminalvarden")]
            # The community partners hear the plan too (time, place, message): nothing secret about a person,
            # so it goes to them as not confidential, the basis the demo uses for community partners.
            community = [self.agencies["trygga-vagar"]] + ([self.agencies["ny-start"]] if number == 3 else [])
            call_in = services.call_in_plan(
                acting_user=planner,
                title=title,
                starts_at=self.now + timedelta(days=1),
                ends_at=self.now + timedelta(days=1, hours=2),
                venue=venue,
                message_moral=MESSAGE[0],
                message_consequences=MESSAGE[1],
                message_help=MESSAGE[2],
                target_groups=groups[number - 1 :: 3][:2],
                speakers=[{"name": n, "role": r} for n, r in SPEAKERS],
                notes="Fiktiv demo-call-in.",
            )
            start = self.at(days)
            CallIn.objects.filter(pk=call_in.pk).update(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                rehearsal_on=(start - timedelta(days=3)).date(),
                created_at=start - timedelta(days=30),
            )
            call_in.refresh_from_db()
            services.call_in_update(
                call_in=call_in,
                acting_user=planner,
                host_agencies=hosts,
                legal_basis=self.basis,
                assessment=assessment_for(self.basis.code),
            )
            services.call_in_update(
                call_in=call_in,
                acting_user=planner,
                host_agencies=hosts + community,
                legal_basis=self.open_basis,
                assessment=assessment_for("ej-sekretess"),
            )
            self.c.report.count("call_ins")
            self.invite(call_in, number, police_people, kvv_people)
            if status == CallIn.Status.HELD:
                services.call_in_set_status(call_in=call_in, acting_user=planner, status=CallIn.Status.HELD)
                self.attendance(call_in)
            result.append(call_in)
        return result

    def invite(self, call_in: CallIn, number: int, police_people, kvv_people) -> None:
        offset = (number - 1) * INVITATIONS_PER_CALL_IN
        chosen = []
        for i in range(INVITATIONS_PER_CALL_IN):
            use_kvv = i % 4 == 3 and kvv_people
            pool = kvv_people if use_kvv else police_people
            person = pool[(offset + i * 7) % len(pool)]
            if person in chosen:
                continue
            chosen.append(person)
            slug = "kriminalvarden" if use_kvv else "polisen"
            reason = (
                ("supervision_condition", "Villkor i frivården om att delta i samtal (fiktivt).")
                if use_kvv
                else ("group_membership", "Registrerad tillhörighet till en av de kallade grupperingarna (fiktivt).")
            )
            invitation = services.invitation_create(
                acting_user=self.user(slug),
                call_in=call_in,
                individual=person,
                accompanied_by="Fältassistent (fiktiv)" if i % 3 == 0 else "",
                reason_kind=reason[0],
                reason_text=reason[1],
                legal_basis=self.basis,
                assessment=assessment_for(self.basis.code),
            )
            self.backdate(Invitation, invitation, call_in.created_at + timedelta(days=1 + i % 5))
            self.c.report.count("invitations")

    def attendance(self, call_in: CallIn) -> None:
        invitations = list(Invitation.objects.filter(call_in=call_in).select_related("call_in").order_by("pk"))
        planner = self.user("orebro-kommun")
        asked = 0
        for i, invitation in enumerate(invitations):
            status = Invitation.Status.ABSENT if i % 4 == 2 else Invitation.Status.ATTENDED
            services.invitation_set_status(invitation=invitation, acting_user=planner, status=status)
            owner = self.user(
                "kriminalvarden" if invitation.owner_agency_id == self.agencies["kriminalvarden"].pk else "polisen"
            )
            contacted = (timezone.localtime(call_in.starts_at) + timedelta(days=3 + i % 7)).date()
            if i % 3 != 1 and contacted <= self.today:
                help_now = status == Invitation.Status.ATTENDED and asked < 2 and i % 5 == 0
                services.invitation_follow_up(
                    invitation=invitation, acting_user=owner, follow_up_on=contacted, help_requested=help_now or None
                )
                if help_now:
                    asked += 1
                    self.c.report.count("help_requests")

    # --- custom notifications ----------------------------------------------------------------------------

    def notifications(self, persons) -> list[CustomNotification]:
        existing = {
            n.outcome.rsplit(NOTIFICATION_MARKER, 1)[1]: n
            for n in CustomNotification.objects.filter(outcome__contains=NOTIFICATION_MARKER)
        }
        both = self.visible_to("orebro-kommun", self.visible_to("polisen", persons))
        police_only = [p for p in self.visible_to("polisen", persons) if p not in both]
        result = []
        for number in range(1, NOTIFICATIONS + 1):
            key = f" {number}."
            if key in existing:
                result.append(existing[key])
                continue
            by_kommun = number % 4 == 0
            slug = "orebro-kommun" if by_kommun else "polisen"
            # Some people get the message more than once: every fifth repeats an earlier person.
            pool = both if (by_kommun or number % 2 == 0) else (police_only or both)
            index = (number // 5) if number % 5 == 0 else number * 3
            person = pool[index % len(pool)]
            team = [self.agencies["orebro-kommun" if slug == "polisen" else "polisen"]] if pool is both else []
            day = self.today - timedelta(days=(NOTIFICATIONS - number) * 6 + 2)
            offered = number % 3 != 0
            notification = services.notification_record(
                acting_user=self.user(slug),
                individual=person,
                delivered_on=day,
                place_type=("home", "street", "custody", "school", "other")[number % 5],
                message_delivered=("yes", "yes", "partly", "yes", "no")[number % 5],
                offer_made=offered,
                offer_accepted=offered and number % 11 == 0,
                outcome=f"Budskapet och erbjudandet framfört (fiktivt). {NOTIFICATION_MARKER} {number}.",
                follow_up_on=day + timedelta(days=14),
                speakers=[{"name": SPEAKERS[number % 6][0], "role": SPEAKERS[number % 6][1]}],
                legal_risk=(
                    "Vid fortsatt våld riskerar personen häktning och långa straff för grovt vapenbrott (fiktivt)."
                    if slug == "polisen" and number % 2
                    else ""
                ),
            )
            self.backdate(CustomNotification, notification, timezone.make_aware(datetime.combine(day, time(20, 0))))
            if team:
                services.notification_update(
                    notification=notification,
                    acting_user=self.user(slug),
                    team_agencies=team,
                    legal_basis=self.basis,
                    assessment=assessment_for(self.basis.code),
                )
            self.c.report.count("notifications")
            result.append(notification)
        return result

    # --- enforcement responses --------------------------------------------------------------------------------

    def responses(self, groups, call_ins, notifications) -> None:
        existing = {
            r.summary.rsplit(RESPONSE_MARKER, 1)[1]
            for r in EnforcementResponse.objects.filter(summary__contains=RESPONSE_MARKER)
        }
        warned = [g for c in call_ins for g in c.target_groups.all()]
        police = self.user("polisen")
        participants = [self.agencies["kriminalvarden"], self.agencies["orebro-kommun"]]
        for number, group in enumerate(dict.fromkeys(warned).keys(), start=1):
            if number > 4:
                break
            if f" {number}." in existing:
                continue
            for agency in participants:
                if not access.agency_sees(agency, group):
                    access.share(
                        group,
                        to_agency=agency,
                        level="view",
                        legal_basis=self.basis,
                        assessment=assessment_for(self.basis.code),
                        acting_user=police,
                    )
            involved = IncidentGroup.objects.filter(group=group).values("incident")
            triggers = list(Incident.objects.filter(pk__in=involved).order_by("-occurred_at")[:2])
            decided = self.today - timedelta(days=120 - number * 25)
            response = services.response_decide(
                acting_user=police,
                group=group,
                decided_on=decided,
                summary=f"Gruppen fortsatte med våld efter varningen vid call-in (fiktivt). {RESPONSE_MARKER} {number}.",
                status=EnforcementResponse.Status.COMPLETED if number == 1 else EnforcementResponse.Status.ONGOING,
                trigger_incidents=triggers,
                warning_call_ins=[c for c in call_ins if group in c.target_groups.all()],
                warning_notifications=notifications[number : number + 2],
                communicated=number < 3,
                communication="Besked till gruppen via föreningen och vid hembesök (fiktivt)." if number < 3 else "",
            )
            moment = timezone.make_aware(datetime.combine(decided, time(9, 0)))
            self.backdate(EnforcementResponse, response, moment)
            EnforcementResponse.objects.filter(pk=response.pk).update(status=EnforcementResponse.Status.ONGOING)
            response.refresh_from_db()
            services.response_update(
                response=response,
                acting_user=police,
                participating_agencies=participants,
                legal_basis=self.basis,
                assessment=assessment_for(self.basis.code),
            )
            for step, (slug, kind, text) in enumerate(LEVERS):
                services.lever_add(
                    response=response,
                    acting_user=self.user(slug),
                    kind=kind,
                    description=text,
                    starts_on=decided + timedelta(days=step * 3),
                    ends_on=decided + timedelta(days=step * 3 + 30),
                    status=Lever.Status.DONE if number == 1 else Lever.Status.ONGOING,
                    outcome="Genomförd enligt plan (fiktivt)." if number == 1 else "",
                    share_with=[a for a in [self.agencies["polisen"], *participants] if a.slug != slug],
                    legal_basis=self.basis,
                    assessment=assessment_for(self.basis.code),
                )
                self.c.report.count("levers")
            if number == 1:
                EnforcementResponse.objects.filter(pk=response.pk).update(status=EnforcementResponse.Status.COMPLETED)
            self.c.report.count("enforcement_responses")

    # --- weekly reviews -----------------------------------------------------------------------------------

    def meetings(self) -> None:
        existing = set(ReviewMeeting.objects.filter(notes__contains=MEETING_MARKER).values_list("notes", flat=True))
        police = self.user("polisen")
        participants = [self.agencies[s] for s in ("orebro-kommun", "kriminalvarden")]
        incidents = list(
            Incident.objects.filter(owner_agency=self.agencies["polisen"], summary__contains=INCIDENT_MARKER)
        )
        for number in range(1, MEETINGS + 1):
            notes = f"Veckovis genomgång av våldet (fiktiv). {MEETING_MARKER} {number}."
            if notes in existing:
                continue
            starts_at = self.at(-7 * (MEETINGS - number) - 1, hour=9)
            week = [i for i in incidents if starts_at - timedelta(days=7) < i.occurred_at <= starts_at]
            meeting = services.meeting_schedule(acting_user=police, starts_at=starts_at, incidents=week, notes=notes)
            self.backdate(ReviewMeeting, meeting, starts_at - timedelta(days=2))
            decisions = (
                f"{len(week)} händelser gicks igenom. Inga nya insatser; fortsatt bevakning (fiktivt)."
                if len(week) < 2
                else f"{len(week)} händelser gicks igenom. Individuella samtal med de inblandade; insats övervägs (fiktivt)."
            )
            services.meeting_update(
                meeting=meeting,
                acting_user=police,
                decisions=decisions,
                status=ReviewMeeting.Status.HELD,
                participating_agencies=participants,
                legal_basis=self.basis,
                assessment=assessment_for(self.basis.code),
            )
            for step, agency in enumerate(participants[:2] if week else participants[:1]):
                self.action(meeting, police, agency, step, starts_at.date() + timedelta(days=7 + step))
            self.c.report.count("review_meetings")

    def action(self, meeting, police, agency, step: int, due) -> None:
        # Written through the service with a due date ahead (it refuses one in the past), then dated as it was.
        action = services.action_add(
            meeting=meeting,
            acting_user=police,
            title=("Hembesök hos de inblandade (fiktivt)", "Kontroll av villkoren för de inblandade (fiktivt)")[step],
            assignee_agency=agency,
            due_on=self.today + timedelta(days=1),
        )
        ReviewAction.objects.filter(pk=action.pk).update(due_on=due, created_at=meeting.starts_at)
        if due < self.today:
            services.action_set_status(action=action, acting_user=police, status=ReviewAction.Status.DONE)
            done_at = timezone.make_aware(datetime.combine(due, time(12, 0)))
            ReviewAction.objects.filter(pk=action.pk).update(completed_at=done_at)
        self.c.report.count("review_actions")
