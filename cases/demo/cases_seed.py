"""Writes the demo's joint exit-support cases (cases.demo.cases_plan) through the case and consent services.

Each case's story is told through cases.services in the order real use would leave it: case_open by the
lead's caseworker; consent_record; case_join for each participant; each agency's entries (entry_add, by
that agency's caseworker) and what is shared of them (entry_share, on law or on a consent that covers
it); goal_add and task_add, then goal_set_status and task_set_status; consent_withdraw after the shares
that rest on it; case_change_phase and case_close with their reasons. So the disclosure register, the
grants and the access log hold what that use would. Called by cases.demo.seed inside its transaction.

Idempotency: a case is looked up by the number in its summary ("Demoärende nr 7."), and its whole story
is written only when the case is missing — the story (shares, a withdrawal, the closing) is one thing, never
half redone. A consent is looked up by its document reference and recorded only if missing; an existing
one is used only while it still covers what the plan rests on it. A second run finds every case and
writes nothing at all.

Times: the services stamp everything now; the story's dates (cases_plan: days relative to the day the
case is written) are set afterwards, as cases.demo.seed and registry_seed do: created_at right after a
record is written and before it is shared (a grant row copies created_at; a consent's own grants, written
by consent_record, are brought in step through access.sync_grants), the phase history, closing dates,
withdrawal and revocation times, and the shares' decided_at at the end.

Lapsed consents: consent_record cannot record a consent that has already lapsed if it names another
agency (it shares the consent record on itself, and a lapsed consent covers nothing), and the shares that
rested on it must have been made while it was valid. So such a consent is recorded valid until today, its
shares are made, and then its valid_until is set to the planned day in the past (with the end the gate
gave the shares resting on it, Consent.lapses_at) and the nightly jobs run as they would have the night
after: access.expire_due_shares() and services.expire_lapsed_consents() end those shares and write the
log rows. They run only when this run recorded such a consent.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agencies import access, legal_bases
from agencies.models import Agency, LegalBasis, Share
from cases import services
from cases.models import CaseEntry, Consent, ExitCase, Individual, Phase, PhaseChange, PlanGoal, Task

from . import cases_plan
from .assessments import assessment_for
from .cases_plan import CASE_MARKER, CaseShareSpec, CaseSpec, CasesPlan, ConsentSpec
from .plan import AGENCY_BY_SLUG, Plan
from .registry_plan import RegistryPlan

# The bases the demo's plan is shared on where no consent covers it, in the order they are tried: between
# authorities the necessary-disclosure rule; to an association (outside OSL) with no consent that covers the
# plan, only what no secrecy covers — as the demo's case joins do.
PLAN_BASES = ("osl-10-2", "osl-10-27", "ej-sekretess")

_REF = re.compile(rf"{CASE_MARKER} (\d+)\.$")


def seed_cases(
    *,
    persons_plan: Plan,
    registry_plan: RegistryPlan,
    persons: dict[int, Individual],
    agencies: dict[str, Agency],
    users: dict[str, Any],
    now: datetime,
    report,
) -> CasesPlan:
    plan = cases_plan.build(persons_plan, registry_plan, today=timezone.localdate(now))
    _Writer(plan, persons, agencies, users, now, report).run()
    return plan


def existing_cases(agencies) -> dict[int, ExitCase]:
    """The demo's cases already in the database, by their number (the first one, should there be two)."""
    found: dict[int, ExitCase] = {}
    cases = ExitCase.objects.filter(owner_agency__in=agencies, summary__contains=CASE_MARKER).order_by("pk")
    for case in cases.only("pk", "summary"):
        match = _REF.search(case.summary)
        if match:
            found.setdefault(int(match.group(1)), case)
    return found


class _Writer:
    def __init__(self, plan, persons, agencies, users, now, report):
        self.plan: CasesPlan = plan
        self.persons: dict[int, Individual] = persons
        self.agencies: dict[str, Agency] = agencies
        self.users = users
        self.now: datetime = now
        self.today: date = timezone.localdate(now)
        self.report = report
        self.decided: list[Share] = []
        self.lapsing: list[tuple[Consent, int]] = []

    def run(self) -> None:
        found = existing_cases(self.agencies.values())
        missing = [spec for spec in self.plan.cases if spec.ref not in found]
        if not missing:
            return
        self.bases = {b.code: b for b in LegalBasis.objects.all()}
        references = [c.reference for spec in missing for c in spec.consents]
        self.consents: dict[str, Consent] = {}
        for consent in Consent.objects.filter(document_reference__in=references).order_by("pk"):
            self.consents.setdefault(consent.document_reference, consent)
        self.consent_type = ContentType.objects.get_for_model(Consent)
        for spec in missing:
            self._case(spec)
        Share.objects.bulk_update(self.decided, ["decided_at"], batch_size=500)
        self._lapse()

    # --- helpers ---------------------------------------------------------------------------------------

    def _user(self, slug: str, role: str = "handlaggare"):
        return self.users[f"{AGENCY_BY_SLUG[slug].login_prefix}.{role}"]

    def _day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def _at(self, offset: int, minute: int = 10 * 60) -> datetime:
        moment = timezone.make_aware(datetime.combine(self._day(offset), time(minute // 60, minute % 60)))
        return min(moment, self.now)

    def _decided(self, record: Share, obj, spec: CaseShareSpec, minute: int, consent: Consent | None) -> None:
        # Not before the record, nor before the consent it rests on was recorded.
        earliest = max(obj.created_at, consent.created_at) if consent is not None else obj.created_at
        record.decided_at = max(earliest, self._at(spec.day, minute))
        self.decided.append(record)
        self.report.count("shares")

    # --- one case's story ------------------------------------------------------------------------------

    def _case(self, spec: CaseSpec) -> None:
        lead = self._user(spec.lead)
        person = self.persons.get(spec.person)
        if person is None or not access.can(lead, person):
            return  # the lead no longer sees the person (a share was revoked by hand): leave the case out
        meeting = None
        if spec.next_meeting:
            day, hour = spec.next_meeting
            meeting = timezone.make_aware(datetime.combine(self._day(day), time(hour, 0)))
        case = services.case_open(
            acting_user=lead,
            individual=person,
            summary=spec.summary,
            coordinator=self.users[spec.coordinator],
            next_meeting=meeting,
        )
        # Backdated before anything is shared: the grant rows copy created_at.
        case.created_at = case.updated_at = self._at(spec.opened, 9 * 60)
        case.opened_on = self._day(spec.opened)
        ExitCase.objects.filter(pk=case.pk).update(
            created_at=case.created_at, updated_at=case.updated_at, opened_on=case.opened_on
        )
        self.report.count("exit_cases")

        consents = [self._consent(c, person, lead) for c in spec.consents]
        joined = {spec.lead}
        for join in spec.joins:
            possible, consent = self._resting_on(consents, join, case)
            if not possible:
                continue
            record = services.case_join(
                case=case,
                to_agency=self.agencies[join.to],
                legal_basis=self.bases[join.basis],
                assessment=assessment_for(join.basis),
                consent=consent,
                acting_user=lead,
            )
            self._decided(record, case, join, 10 * 60, consent)
            joined.add(join.to)

        entries = self._entries(spec, case, consents, joined)
        goals = self._goals(spec, case, lead, consents, joined)
        self._tasks(spec, case, entries, goals, joined, consents)
        for consent_spec, (consent, fresh) in zip(spec.consents, consents, strict=True):
            if fresh and consent_spec.withdrawn is not None:
                self._withdraw(consent_spec, consent, lead)
        self._steps(spec, case, lead)

    def _consent(self, spec: ConsentSpec, person: Individual, lead) -> tuple[Consent, bool]:
        consent = self.consents.get(spec.reference)
        if consent is not None:
            return consent, False
        consent = services.consent_record(
            acting_user=lead,
            individual=person,
            agencies=[self.agencies[slug] for slug in spec.agencies],
            categories=list(spec.categories),
            purpose=spec.purpose,
            # Valid until today at least while the story's shares are made; a lapsed one is set back after.
            valid_until=self._day(max(spec.until, 0)),
            given_on=self._day(spec.given),
            document_reference=spec.reference,
        )
        consent.created_at = consent.updated_at = self._at(spec.given, 11 * 60)
        Consent.objects.filter(pk=consent.pk).update(created_at=consent.created_at, updated_at=consent.updated_at)
        # consent_record shared the record with the agencies it names before it was backdated: the grants
        # take the backdated created_at through the gate, the register the day the consent was given.
        for slug in spec.agencies:
            if self.agencies[slug].pk != consent.owner_agency_id:
                access.sync_grants(consent, self.agencies[slug])
        access.shares_of(consent).update(decided_at=consent.created_at)
        if spec.until < 0:
            self.lapsing.append((consent, spec.until))
        self.consents[spec.reference] = consent
        self.report.count("consents")
        return consent, True

    def _resting_on(self, consents, share: CaseShareSpec, obj) -> tuple[bool, Consent | None]:
        """Whether the share can be made, and the consent it rests on (None for a share on law). A consent
        recorded by an earlier run counts only while it still covers the share."""
        if share.consent is None:
            return True, None
        consent, fresh = consents[share.consent]
        return fresh or consent.covers(agency=self.agencies[share.to], obj=obj), consent

    def _entries(self, spec: CaseSpec, case: ExitCase, consents, joined: set[str]) -> list[CaseEntry | None]:
        made: list[tuple[CaseEntry, Any]] = []
        entries: list[CaseEntry | None] = []
        for entry_spec in spec.entries:
            if entry_spec.owner not in joined:
                entries.append(None)
                continue
            fields: dict[str, Any] = {}
            if entry_spec.needs:
                fields["needs"] = {
                    area: {"level": level, "comment": comment} for area, level, comment in entry_spec.needs
                }
            if entry_spec.category:
                fields.update(
                    intervention_category=entry_spec.category,
                    provider=entry_spec.provider,
                    starts_on=self._day(entry_spec.starts) if entry_spec.starts is not None else None,
                    ends_on=self._day(entry_spec.ends) if entry_spec.ends is not None else None,
                    intervention_status=entry_spec.status,
                )
            entry = services.entry_add(
                case=case,
                acting_user=self._user(entry_spec.owner),
                kind=entry_spec.kind,
                title=entry_spec.title,
                body=entry_spec.body,
                occurred_on=self._day(entry_spec.day),
                **fields,
            )
            entry.created_at = entry.updated_at = max(self._at(entry_spec.day, entry_spec.minute), case.created_at)
            made.append((entry, entry_spec))
            entries.append(entry)
            self.report.count("case_entries")
        CaseEntry.objects.bulk_update([e for e, _s in made], ["created_at", "updated_at"], batch_size=500)
        for entry, entry_spec in made:
            for share in entry_spec.shares:
                if share.to not in joined:
                    continue
                possible, consent = self._resting_on(consents, share, entry)
                if not possible:
                    continue
                record = services.entry_share(
                    entry=entry,
                    to_agency=self.agencies[share.to],
                    legal_basis=self.bases[share.basis],
                    assessment=assessment_for(share.basis),
                    consent=consent,
                    acting_user=self._user(entry_spec.owner),
                )
                self._decided(record, entry, share, min(entry_spec.minute + 60, 17 * 60), consent)
        return entries

    def _plan_basis(self, sender: str, receiver: str, consents, obj) -> tuple[LegalBasis, Consent | None] | None:
        """The basis a goal or task of the plan goes from `sender` to `receiver` on: a consent of the case that
        covers it, else the first basis in PLAN_BASES that fits (agencies.legal_bases); None if nothing fits."""
        to_agency = self.agencies[receiver]
        for consent, _fresh in consents:
            if consent.covers(agency=to_agency, obj=obj):
                return self.bases["samtycke"], consent
        fit = legal_bases.fitting_bases(sender=self.agencies[sender], receiver=to_agency, obj=obj).fitting
        codes = {basis.code for basis in fit}
        for code in PLAN_BASES:
            if code in codes:
                return self.bases[code], None
        return None

    def _backdate(self, record: PlanGoal | Task, moment: datetime) -> None:
        # The grant rows copy created_at (the gate's sort key): backdate them with the record.
        record.created_at = moment
        type(record).objects.filter(pk=record.pk).update(created_at=moment, updated_at=moment)
        group_grant, user_grant = access.grant_models(type(record))
        # `content_object` is declared on each concrete grant table, not on the abstract base the stubs see.
        this_record: dict[str, Any] = {"content_object_id": record.pk}
        group_grant.objects.filter(**this_record).update(created_at=moment)
        user_grant.objects.filter(**this_record).update(created_at=moment)

    def _share_plan(self, record: PlanGoal, sender: str, receiver: str, consents, user) -> None:
        chosen = self._plan_basis(sender, receiver, consents, record)
        if chosen is None:
            return
        basis, consent = chosen
        share = services.plan_share(
            record=record,
            to_agency=self.agencies[receiver],
            legal_basis=basis,
            assessment=assessment_for(basis.code),
            consent=consent,
            acting_user=user,
        )
        share.decided_at = max(record.created_at, consent.created_at) if consent is not None else record.created_at
        self.decided.append(share)
        self.report.count("shares")

    def _goals(self, spec: CaseSpec, case: ExitCase, lead, consents, joined: set[str]) -> list[PlanGoal]:
        """The lead agency's goals, shared with every participant as the joint plan (each on a basis)."""
        goals = []
        for goal_spec in spec.goals:
            goal = services.goal_add(
                case=case, acting_user=lead, description=goal_spec.description, target_date=self._day(goal_spec.target)
            )
            if goal_spec.status != PlanGoal.Status.OPEN:
                services.goal_set_status(goal=goal, acting_user=lead, status=goal_spec.status)
            self._backdate(goal, self._at(goal_spec.day, 15 * 60))
            for receiver in sorted(joined - {spec.lead}):
                self._share_plan(goal, spec.lead, receiver, consents, lead)
            goals.append(goal)
            self.report.count("goals")
        return goals

    def _tasks(
        self, spec: CaseSpec, case: ExitCase, entries, goals: list[PlanGoal], joined: set[str], consents
    ) -> None:
        for task_spec in spec.tasks:
            entry = entries[task_spec.entry] if task_spec.entry is not None else None
            if task_spec.assignee not in joined or task_spec.creator not in joined:
                continue
            if task_spec.entry is not None and entry is None:
                continue
            creator = self._user(task_spec.creator)
            goal = goals[task_spec.goal] if task_spec.goal is not None else None
            if goal is not None and not access.can(creator, goal):
                goal = None  # the goal was not shared with the creator's agency: the task stands alone
            basis, consent = None, None
            if task_spec.assignee != task_spec.creator:
                probe = Task(case=case, owner_agency=self.agencies[task_spec.creator])
                chosen = self._plan_basis(task_spec.creator, task_spec.assignee, consents, probe)
                if chosen is None:
                    continue  # no basis carries the task to that agency: it is not given
                basis, consent = chosen
            task = services.task_add(
                case=case,
                acting_user=creator,
                title=task_spec.title,
                assignee_agency=self.agencies[task_spec.assignee],
                assignee_user=self.users[task_spec.assignee_user] if task_spec.assignee_user else None,
                due_on=self._day(task_spec.due),
                goal=goal,
                entry=entry,
                legal_basis=basis,
                assessment=assessment_for(basis.code) if basis is not None else "",
                consent=consent,
            )
            if task_spec.status != Task.Status.OPEN:
                services.task_set_status(task=task, acting_user=self._user(task_spec.assignee), status=task_spec.status)
            self._backdate(task, self._at(task_spec.day, 14 * 60))
            for share in access.shares_of(task):
                share.decided_at = max(task.created_at, consent.created_at) if consent is not None else task.created_at
                self.decided.append(share)
                self.report.count("shares")
            if task_spec.status == Task.Status.DONE and task_spec.done is not None:
                task.completed_at = max(self._at(task_spec.done, 16 * 60), task.created_at)
                Task.objects.filter(pk=task.pk).update(completed_at=task.completed_at)
            self.report.count("tasks")

    def _withdraw(self, spec: ConsentSpec, consent: Consent, user) -> None:
        assert spec.withdrawn is not None  # noqa: S101 - the caller checked
        revoked = services.consent_withdraw(consent=consent, acting_user=user, note=spec.withdrawal_note)
        withdrawn_at = self._at(spec.withdrawn, 11 * 60)
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=withdrawn_at)
        Share.objects.filter(pk__in=revoked).update(revoked_at=withdrawn_at)
        self.report.count("revoked", len(revoked))

    def _steps(self, spec: CaseSpec, case: ExitCase, lead) -> None:
        for step in spec.steps:
            if step.to_phase == Phase.CLOSED:
                services.case_close(case=case, acting_user=lead, outcome=step.outcome, reason=step.reason)
            else:
                services.case_change_phase(case=case, acting_user=lead, to_phase=step.to_phase, reason=step.reason)
        changes = list(PhaseChange.objects.filter(case=case).order_by("pk"))
        for change, step in zip(changes, spec.steps, strict=True):
            change.changed_at = self._at(step.day, 13 * 60)
        PhaseChange.objects.bulk_update(changes, ["changed_at"])
        last = max([spec.opened, *(s.day for s in spec.steps), *(e.day for e in spec.entries)])
        fields: dict[str, Any] = {"updated_at": max(self._at(last, 16 * 60), case.created_at)}
        if spec.phase == Phase.CLOSED:
            fields["closed_on"] = self._day(spec.end)
        ExitCase.objects.filter(pk=case.pk).update(**fields)

    # --- lapsed consents ---------------------------------------------------------------------------------

    def _lapse(self) -> None:
        """Set the lapsed consents' last day back, then run the nightly jobs that end what rested on them."""
        if not self.lapsing:
            return
        for consent, until in self.lapsing:
            # The gate caps a share on consent at the end of the consent's validity (lapses_at), which was
            # tomorrow when the story's shares were made: move that end back with the validity.
            lapses_at = getattr(consent, "lapses_at", None)
            capped = lapses_at() if lapses_at else None
            consent.valid_until = self._day(until)
            Consent.objects.filter(pk=consent.pk).update(valid_until=consent.valid_until)
            if capped is not None:
                Share.objects.filter(consent_type=self.consent_type, consent_id=consent.pk, expires_at=capped).update(
                    expires_at=consent.lapses_at()
                )
        closed = set(access.expire_due_shares()) | set(services.expire_lapsed_consents(today=self.today))
        if closed:
            self.report.count("revoked", len(closed))
        for consent, until in self.lapsing:
            # The night after its last day, when the nightly jobs would have run.
            night = self._at(until + 1, 3 * 60)
            Share.objects.filter(pk__in=closed, consent_type=self.consent_type, consent_id=consent.pk).update(
                revoked_at=night
            )
            Consent.objects.filter(pk=consent.pk, expiry_processed_at__isnull=False).update(expiry_processed_at=night)
