"""The demo's joint exit-support cases and consents (cases.demo.cases_plan / cases_seed), seeded once per module."""

import io
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agencies import access
from agencies.access import LEVEL_PERMISSIONS
from agencies.models import AccessLogEntry, Action, Agency, Membership, Share
from cases import selectors, services
from cases.demo import cases_plan, seed_demo
from cases.demo.cases_plan import CASE_MARKER, CONSENT_MARKER
from cases.demo.plan import AGENCIES, AGENCY_BY_SLUG
from cases.models import (
    CaseEntry,
    CaseEntryGroupGrant,
    CaseEntryUserGrant,
    Consent,
    ConsentGroupGrant,
    ConsentUserGrant,
    EntryKind,
    ExitCase,
    ExitCaseGroupGrant,
    ExitCaseUserGrant,
    NeedArea,
    NeedLevel,
    Outcome,
    Phase,
    PhaseChange,
    PlanGoal,
    Task,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
CASE_MODELS = ("exitcase", "caseentry", "consent")
GRANT_TABLES = ((ExitCaseGroupGrant, ExitCase), (CaseEntryGroupGrant, CaseEntry), (ConsentGroupGrant, Consent))
USER_GRANT_TABLES = (ExitCaseUserGrant, CaseEntryUserGrant, ConsentUserGrant)
COMMUNITY = {a.slug for a in AGENCIES if a.kind == Agency.Kind.COMMUNITY}
PATH: list[str] = [Phase.REQUEST, Phase.ASSESSMENT, Phase.ACTIVE, Phase.FOLLOW_UP]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction rolled back at its end (as in test_seed_demo)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", force=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def demo_cases():
    """The demo's joint cases. (Other apps' demo data may open more: outreach's requests for help do.)"""
    return ExitCase.objects.filter(summary__contains=CASE_MARKER)


def caseworker(slug: str):
    return User.objects.get(username=f"{AGENCY_BY_SLUG[slug].login_prefix}.handlaggare")


def agency_of(user) -> int:
    actor = access.actor_for(user)
    assert actor is not None
    return actor.agency_id


def consent_of(share: Share) -> Consent:
    assert share.consent_id is not None
    return Consent.objects.get(pk=share.consent_id)


def ref_of(case: ExitCase) -> int:
    return int(case.summary.rsplit(" ", 1)[-1].rstrip("."))


def joins(case: ExitCase):
    return access.shares_of(case).select_related("legal_basis", "to_agency")


def participants(case: ExitCase) -> set[str]:
    return {case.owner_agency.slug} | {s.to_agency.slug for s in joins(case).active()}


def ct(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def case_shares():
    return Share.objects.filter(content_type__model__in=CASE_MODELS).select_related(
        "content_type", "from_agency", "to_agency", "legal_basis", "decided_by"
    )


def by_repr(rows) -> list:
    """Sorted, whatever the fields hold (some may be None)."""
    return sorted(rows, key=repr)


def snapshot(*, times: bool = True) -> dict:
    """Everything the cases part writes, keyed by the demo's stable keys rather than by primary keys."""
    refs = {c.pk: ref_of(c) for c in demo_cases().all()}
    entries = {
        e.pk: (refs[e.case_id], e.owner_agency.slug, e.kind, e.title, e.occurred_on)
        for e in CaseEntry.objects.select_related("owner_agency")
    }
    consents = dict(Consent.objects.values_list("pk", "document_reference"))
    keys: dict[str, dict[int, Any]] = {"exitcase": refs, "caseentry": entries, "consent": consents}

    def t(value):
        return value if times else None

    return {
        "cases": by_repr(
            (
                refs[c.pk],
                c.individual.alias,
                c.owner_agency.slug,
                c.lead_agency.slug,
                getattr(c.coordinator, "username", None),
                c.phase,
                c.outcome,
                c.opened_on,
                c.closed_on,
                t(c.next_meeting),
                c.summary,
                c.created_by.username,
                t(c.created_at),
                c.version,
            )
            for c in demo_cases().select_related("individual", "owner_agency", "lead_agency", "coordinator")
        ),
        "phase_changes": by_repr(
            (refs[p.case_id], p.from_phase, p.to_phase, p.reason, p.changed_by.username, t(p.changed_at))
            for p in PhaseChange.objects.select_related("changed_by")
        ),
        "entries": by_repr(
            (
                entries[e.pk],
                e.body,
                sorted(e.needs.items()),
                e.intervention_category,
                e.provider,
                e.starts_on,
                e.ends_on,
                e.intervention_status,
                e.created_by.username,
                t(e.created_at),
            )
            for e in CaseEntry.objects.select_related("created_by")
        ),
        "goals": by_repr(
            (refs[g.case_id], g.description, g.target_date, g.status, g.created_by.username, t(g.created_at))
            for g in PlanGoal.objects.select_related("created_by")
        ),
        "tasks": by_repr(
            (
                refs[k.case_id],
                k.title,
                k.assignee_agency.slug,
                k.assignee_user and k.assignee_user.username,
                k.due_on,
                k.status,
                k.goal and k.goal.description,
                k.entry_id and entries[k.entry_id],
                k.created_by.username,
                t(k.created_at),
                t(k.completed_at),
            )
            for k in Task.objects.select_related("assignee_agency", "assignee_user", "goal", "created_by")
        ),
        "consents": by_repr(
            (
                c.document_reference,
                c.individual.alias,
                tuple(sorted(c.agencies.values_list("slug", flat=True))),
                tuple(c.categories),
                c.given_on,
                c.valid_until,
                c.recorded_by.username,
                t(c.withdrawn_at),
                c.withdrawn_by and c.withdrawn_by.username,
                t(c.expiry_processed_at),
            )
            for c in Consent.objects.select_related("individual", "recorded_by", "withdrawn_by")
        ),
        "shares": by_repr(
            (
                s.content_type.model,
                keys[str(s.content_type.model)].get(s.object_id),
                s.from_agency.slug,
                s.to_agency.slug,
                s.level,
                s.legal_basis.code,
                s.consent_id and consents[s.consent_id],
                s.decided_by.username,
                s.revoked_at is not None,
                s.revoke_reason,
                t(s.decided_at),
                t(s.revoked_at),
            )
            for s in case_shares()
        ),
        "grants": by_repr(
            (
                model._meta.model_name,
                keys[str(target._meta.model_name)][g.content_object_id],
                g.group.name,
                g.permission.codename,
                t(g.created_at),
            )
            for model, target in GRANT_TABLES
            for g in model.objects.select_related("group", "permission")
        ),
    }


# --- the cases ---------------------------------------------------------------------------------------------


def test_about_25_cases_in_every_phase(seeded):
    today = timezone.localdate()
    cases = list(demo_cases().select_related("owner_agency", "lead_agency", "individual", "coordinator"))
    assert 22 <= len(cases) <= 28
    assert sorted(ref_of(c) for c in cases) == list(range(1, len(cases) + 1))
    assert all(c.summary.endswith(f"{CASE_MARKER} {ref_of(c)}.") for c in cases)
    phases = Counter(c.phase for c in cases)
    assert set(phases) == set(Phase.values) and min(phases.values()) >= 2, phases
    leads = Counter(c.lead_agency.slug for c in cases)
    assert leads["orebro-kommun"] >= 0.6 * len(cases) and leads["kriminalvarden"] >= 2 and leads["polisen"] >= 2
    assert len({c.individual_id for c in cases}) == len(cases)  # one case per person

    closed = [c for c in cases if c.phase == Phase.CLOSED]
    assert {c.outcome for c in closed} == set(Outcome.values)
    for case in cases:
        assert case.owner_agency_id == case.lead_agency_id
        lead = caseworker(case.lead_agency.slug)
        assert access.can(lead, case.individual)  # the lead sees the person (case_open demands it)
        assert agency_of(case.coordinator) == case.lead_agency_id
        assert case.opened_on < today and case.created_at <= timezone.now()
        if case.phase == Phase.CLOSED:
            assert case.closed_on is not None and case.opened_on < case.closed_on < today
            assert case.outcome and case.next_meeting is None
        else:
            assert not case.outcome and case.closed_on is None
            assert case.next_meeting is not None and case.next_meeting > timezone.now()

        # The phase history runs along the path, each change with a reason, in order, within the case's life.
        changes = list(PhaseChange.objects.filter(case=case).order_by("changed_at", "pk"))
        assert not changes or (changes[0].from_phase == Phase.REQUEST and changes[-1].to_phase == case.phase)
        for change in changes:
            assert change.reason.strip() and change.changed_by.username.startswith(
                AGENCY_BY_SLUG[case.lead_agency.slug].login_prefix
            )
            assert case.opened_on <= timezone.localdate(change.changed_at) <= (case.closed_on or today)
            if change.to_phase != Phase.CLOSED:
                assert PATH.index(change.to_phase) == PATH.index(change.from_phase) + 1
        if case.phase == Phase.REQUEST:
            assert not changes
        if case.phase == Phase.CLOSED:
            assert timezone.localdate(changes[-1].changed_at) == case.closed_on


def test_participants_join_on_fitting_legal_bases(seeded):
    year = timezone.localdate().year
    joined: Counter[str] = Counter()
    for case in demo_cases().select_related("owner_agency", "individual"):
        for share in joins(case):
            joined[share.to_agency.slug] += 1
            assert share.from_agency_id == case.owner_agency_id and share.revoked_at is None
            assert case.created_at <= share.decided_at <= timezone.now()
            code = share.legal_basis.code
            if share.to_agency.slug in COMMUNITY:
                assert code in ("ej-sekretess", "samtycke")
            if code == "osl-10-18a":
                assert (case.owner_agency.slug, share.to_agency.slug) == ("orebro-kommun", "polisen")
                birth_year = case.individual.birth_year
                assert birth_year is not None and year - birth_year <= 20
    assert set(joined) == {a.slug for a in AGENCIES}
    codes = set(case_shares().filter(content_type__model="exitcase").values_list("legal_basis__code", flat=True))
    assert {"osl-10-2", "osl-10-27", "ej-sekretess", "samtycke"} <= codes, codes


# --- entries -------------------------------------------------------------------------------------------------


def test_entries_from_every_agency(seeded):
    entries = list(CaseEntry.objects.select_related("owner_agency", "case", "case__owner_agency", "created_by"))
    assert 120 <= len(entries) <= 260
    assert {e.owner_agency.slug for e in entries} == {a.slug for a in AGENCIES}
    assert {e.kind for e in entries} == set(EntryKind.values)
    assert {e.owner_agency.slug for e in entries if e.kind == EntryKind.THREAT} == {"polisen"}
    intervening = {e.owner_agency.slug for e in entries if e.kind == EntryKind.INTERVENTION}
    assert "polisen" not in intervening and {"orebro-kommun", "kriminalvarden"} <= intervening
    assert intervening & COMMUNITY
    participating = {c.pk: participants(c) for c in demo_cases().select_related("owner_agency")}
    for entry in entries:
        assert entry.owner_agency.slug in participating[entry.case_id]
        assert agency_of(entry.created_by) == entry.owner_agency_id
        assert entry.case.opened_on <= entry.occurred_on <= (entry.case.closed_on or timezone.localdate())
        assert entry.created_at >= entry.case.created_at
        if entry.kind == EntryKind.NEEDS:
            assert 2 <= len(entry.needs) <= 5
            for area, need in entry.needs.items():
                assert area in NeedArea.values and need["level"] in NeedLevel.values and need["comment"].strip()
        if entry.kind == EntryKind.INTERVENTION:
            assert entry.intervention_category in NeedArea.values and entry.provider and entry.starts_on
            assert entry.intervention_status and (entry.ends_on is None or entry.ends_on >= entry.starts_on)


def test_shared_and_unshared_entries(seeded):
    year = timezone.localdate().year
    entry_shares = case_shares().filter(content_type__model="caseentry")
    shared_ids = set(entry_shares.values_list("object_id", flat=True))
    total = CaseEntry.objects.count()
    assert 0.2 * total <= len(shared_ids) <= 0.6 * total  # shared, and many not
    codes = Counter(entry_shares.values_list("legal_basis__code", flat=True))
    assert codes["samtycke"] and codes["osl-10-27"] and codes["osl-10-2"], codes
    participating = {c.pk: participants(c) for c in demo_cases().select_related("owner_agency")}
    for share in entry_shares:
        entry = CaseEntry.objects.select_related("case__individual", "owner_agency").get(pk=share.object_id)
        assert share.from_agency_id == entry.owner_agency_id
        assert share.decided_by == caseworker(entry.owner_agency.slug)
        assert share.to_agency.slug in participating[entry.case_id]
        assert entry.created_at <= share.decided_at <= timezone.now()
        code = share.legal_basis.code
        if share.to_agency.slug in COMMUNITY or share.from_agency.slug in COMMUNITY:
            assert code in ("ej-sekretess", "samtycke")
            assert entry.kind != EntryKind.THREAT
        if share.from_agency.slug in COMMUNITY:
            assert code == "samtycke"  # no authority: a community partner discloses on consent only
        if entry.owner_agency.slug == "orebro-kommun":
            # The social services' own entries go out only on consent, or to the police about someone under 21.
            assert code in ("samtycke", "osl-10-18a")
        if code == "osl-10-18a":
            assert (share.from_agency.slug, share.to_agency.slug) == ("orebro-kommun", "polisen")
            birth_year = entry.case.individual.birth_year
            assert birth_year is not None and year - birth_year <= 20


def test_each_agency_sees_exactly_its_own_entries_and_what_was_shared_with_it(seeded):
    active = {(s.object_id, s.to_agency_id) for s in Share.objects.active().filter(content_type__model="caseentry")}
    entries = list(CaseEntry.objects.all())
    cases = list(demo_cases().all())
    for spec in AGENCIES:
        user = caseworker(spec.slug)
        agency_id = agency_of(user)
        visible_cases = set(access.visible(user, ExitCase, queryset=demo_cases()).values_list("pk", flat=True))
        assert visible_cases == {c.pk for c in cases if spec.slug in participants(c)}
        for case in cases:
            if case.pk not in visible_cases:
                continue
            expected = {
                e.pk
                for e in entries
                if e.case_id == case.pk and (e.owner_agency_id == agency_id or (e.pk, agency_id) in active)
            }
            assert {item.entry.pk for item in selectors.case_timeline(user, case)} == expected
        # Nothing of a case it does not take part in.
        assert not access.visible(user, CaseEntry).exclude(case__in=visible_cases).exists()


# --- consents ------------------------------------------------------------------------------------------------


def test_consents_valid_expired_and_withdrawn(seeded):
    today = timezone.localdate()
    consents = list(Consent.objects.select_related("individual", "owner_agency"))
    assert all(c.document_reference.startswith(CONSENT_MARKER) for c in consents)
    valid = [c for c in consents if c.is_valid()]
    withdrawn = [c for c in consents if c.withdrawn_at is not None]
    expired = [c for c in consents if c.withdrawn_at is None and c.valid_until < today]
    assert len(valid) >= 5 and len(withdrawn) >= 2 and len(expired) >= 3, (len(valid), len(withdrawn), len(expired))
    consent_ct = ct(Consent)

    def resting(consent):
        return Share.objects.filter(consent_type=consent_ct, consent_id=consent.pk).exclude(
            content_type=consent_ct, object_id=consent.pk
        )

    for consent in consents:
        named = set(consent.agencies.values_list("slug", flat=True))
        assert consent.owner_agency.slug in named and len(named) >= 2
        assert consent.categories and consent.given_on <= consent.valid_until
        assert consent.recorded_by == caseworker(consent.owner_agency.slug)
        case = demo_cases().get(individual=consent.individual)
        assert case.owner_agency_id == consent.owner_agency_id
        # Its own record went to every agency it names (and is withdrawn from them with it).
        own = access.shares_of(consent)
        assert {s.to_agency.slug for s in own} == named - {consent.owner_agency.slug}
    # Some valid consents carry shares that are live today.
    assert sum(1 for c in valid if resting(c).active().exists()) >= 4
    for consent in withdrawn:
        revoked = resting(consent)
        assert revoked.exists() and not revoked.active().exists()
        assert consent.withdrawn_by and consent.withdrawal_note
        for share in revoked:
            assert share.revoke_reason == "Samtycket återkallades." and share.revoked_at == consent.withdrawn_at
            assert share.decided_at < share.revoked_at
    lapsed = ("Samtycket har upphört att gälla.", "Utlämnandets slutdatum har passerats.")
    for consent in expired:
        revoked = resting(consent)
        assert revoked.exists() and not revoked.active().exists()
        assert consent.expiry_processed_at is not None
        for share in revoked:
            # Ended by the nightly jobs the night after the consent's last day (whichever of them got there first).
            assert share.revoke_reason in lapsed
            assert timezone.localdate(share.decided_at) <= consent.valid_until < timezone.localdate(share.revoked_at)
            assert share.expires_at is None or timezone.localdate(share.expires_at) <= share.revoked_at.date()
    # Every revocation is in the access log.
    for share in Share.objects.filter(consent_type=consent_ct, revoked_at__isnull=False):
        assert AccessLogEntry.objects.filter(action=Action.REVOKE, detail__share=share.pk).exists()


def test_no_active_share_rests_on_an_ended_consent(seeded):
    consent_ct = ct(Consent)
    on_consent = Share.objects.filter(legal_basis__code="samtycke")
    assert on_consent.exists()
    assert not on_consent.filter(consent_id__isnull=True).exists()
    assert not Share.objects.exclude(legal_basis__code="samtycke").filter(consent_id__isnull=False).exists()
    # The consent record's own shares with the agencies it names are not resting on it in that sense
    # (cases.services.consents.shares_resting_on): they may outlive a withdrawal.
    resting = on_consent.exclude(content_type=consent_ct)
    for share in resting.active().select_related("to_agency"):
        consent = consent_of(share)
        assert share.consent_type_id == consent_ct.pk and consent.is_valid()
        assert consent.covers(agency=share.to_agency, obj=share.content_object)
    for share in on_consent.select_related("from_agency", "to_agency"):
        # Decided while the consent was valid, between two agencies it names, for a category it covers.
        consent = consent_of(share)
        named = set(consent.agencies.values_list("pk", flat=True))
        assert {share.from_agency_id, share.to_agency_id} <= named
        obj = share.content_object
        assert obj is not None and (obj.pk == consent.pk or obj.consent_category in consent.categories)
        decided = timezone.localdate(share.decided_at)
        assert consent.given_on <= decided <= consent.valid_until and consent.created_at <= share.decided_at
        assert consent.withdrawn_at is None or share.decided_at < consent.withdrawn_at
    # The nightly jobs have nothing left to do.
    assert services.expire_lapsed_consents() == []
    assert access.expire_due_shares() == []


# --- plan and tasks ----------------------------------------------------------------------------------------


def test_goals_and_tasks_due_overdue_and_done(seeded):
    today = timezone.localdate()
    tasks = list(Task.objects.select_related("case", "case__owner_agency", "assignee_agency", "assignee_user"))
    assert 60 <= len(tasks) <= 200
    open_tasks = [t for t in tasks if t.status == Task.Status.OPEN]
    overdue = [t for t in open_tasks if t.due_on < today]
    due_soon = [t for t in open_tasks if today <= t.due_on <= today + timedelta(days=2)]
    later = [t for t in open_tasks if t.due_on > today + timedelta(days=2)]
    done = [t for t in tasks if t.status == Task.Status.DONE]
    assert len(overdue) >= 8 and len(due_soon) >= 8 and len(later) >= 5 and len(done) >= 20
    assert any(t.status == Task.Status.CANCELLED for t in tasks)
    assert all(t.completed_at and t.created_at <= t.completed_at <= timezone.now() for t in done)
    assert {t.assignee_agency.slug for t in open_tasks} == {a.slug for a in AGENCIES}
    assert any(t.assignee_user for t in open_tasks) and any(t.assignee_user is None for t in open_tasks)
    members = dict(Membership.objects.values_list("user_id", "agency_id"))
    participating = {c.pk: participants(c) for c in demo_cases().select_related("owner_agency")}
    for task in tasks:
        assert task.assignee_agency.slug in participating[task.case_id]
        assert task.assignee_user is None or members[task.assignee_user.pk] == task.assignee_agency_id
        assert task.created_at <= timezone.now() and task.due_on > timezone.localdate(task.created_at)
        if task.case.phase == Phase.CLOSED:
            assert task.status != Task.Status.OPEN
        if task.entry is not None:
            assert access.can(task.created_by, task.entry)
    # The task lists show them, overdue first.
    mine = list(selectors.my_tasks(caseworker("orebro-kommun")))
    assert mine and mine[0].due_on < today and any(t.due_on >= today for t in mine)
    for spec in AGENCIES:
        assert selectors.agency_tasks(User.objects.get(username=f"{spec.login_prefix}.chef")).exists(), spec.slug

    goals = list(PlanGoal.objects.select_related("case"))
    assert {g.status for g in goals} == set(PlanGoal.Status.values)
    assert all(g.case.phase != Phase.REQUEST for g in goals)


# --- the register, the grants, idempotency -------------------------------------------------------------------


def test_every_grant_follows_an_active_share(seeded):
    expected = set()
    for share in Share.objects.active().filter(content_type__model__in=CASE_MODELS).select_related("content_type"):
        model = share.content_type.model
        for action in LEVEL_PERMISSIONS[share.level]:
            expected.add((model, share.object_id, share.to_agency.group_id, f"{action}_{model}", share.expires_at))
    actual = set()
    for grant_model, target in GRANT_TABLES:
        for grant in grant_model.objects.select_related("permission", "content_object"):
            model = target._meta.model_name
            actual.add((model, grant.content_object_id, grant.group_id, grant.permission.codename, grant.expires_at))
            # The sort key the gate pages by must be the record's own (backdated before sharing).
            assert grant.created_at == grant.content_object.created_at
    assert actual == expected
    assert not any(model.objects.exists() for model in USER_GRANT_TABLES)
    # And every write left its log row: one creation per case, entry and consent.
    for model in (ExitCase, CaseEntry, Consent):
        created = AccessLogEntry.objects.filter(action=Action.CREATE, model=model._meta.label_lower).count()
        assert created == model.objects.count()


def test_second_run_changes_nothing(seeded, settings):
    before, log_rows = snapshot(), AccessLogEntry.objects.count()
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "inget nytt" in out.getvalue()
    assert snapshot() == before
    assert AccessLogEntry.objects.count() == log_rows


def test_a_missing_case_is_written_again(seeded):
    """Only what is missing is written: a lost case comes back whole, and nothing else is touched."""
    before = snapshot(times=False)
    shared_cases = set(
        CaseEntry.objects.filter(
            pk__in=Share.objects.filter(content_type__model="caseentry").values("object_id")
        ).values_list("case_id", flat=True)
    ) | set(Share.objects.filter(content_type__model="exitcase").values_list("object_id", flat=True))
    with_consent = Consent.objects.values("individual")
    case = demo_cases().exclude(pk__in=shared_cases).exclude(individual__in=with_consent).order_by("pk").first()
    assert case is not None
    expected = {
        "exit_cases": 1,
        "case_entries": CaseEntry.objects.filter(case=case).count(),
        "tasks": case.tasks.count(),
        **({"goals": case.goals.count()} if case.goals.exists() else {}),
    }
    case.delete()

    report = seed_demo()

    assert report.created == expected
    assert snapshot(times=False) == before


def test_the_plan_is_deterministic(seeded):
    from cases.demo import plan as persons_plan
    from cases.demo import registry_plan
    from cases.models import District

    districts = list(District.objects.filter(active=True).order_by("name").values_list("name", flat=True))
    persons = persons_plan.build(districts=districts, today=timezone.localdate())
    registry = registry_plan.build(persons)
    today = timezone.localdate()
    plan = cases_plan.build(persons, registry, today=today)
    assert plan == cases_plan.build(persons, registry, today=today)
    assert len(plan.cases) == demo_cases().count()
