"""Outreach records for the tests, written through the services (so shares, grants and log rows are real)."""

from datetime import timedelta

from django.utils import timezone

from agencies import access
from agencies.tests.factories import legal_basis
from cases.tests.factories import IndividualFactory, group, incident
from outreach import services
from outreach.models import Lever

__all__ = ["IndividualFactory", "group", "incident"]


def share(obj, to_agency, user, level="view"):
    return access.share(
        obj,
        to_agency=to_agency,
        level=level,
        # A community partner is outside OSL: it receives only what no secrecy covers (or on consent).
        legal_basis=legal_basis("ej-sekretess" if to_agency.kind == "community" else "osl-10-2"),
        assessment="Behövs för samverkan.",
        acting_user=user,
    )


def person(user, **kw):
    agency = access.require_actor(user)
    return IndividualFactory(owner_agency_id=agency.agency_id, created_by=user, **kw)


def call_in(user, *, days=7, **kw):
    defaults = dict(
        title="Call-in Vivalla (fiktiv)",
        starts_at=timezone.now() + timedelta(days=days),
        venue="Vivalla medborgarhus (fiktivt)",
        message_moral="Våldet måste upphöra.",
        message_consequences="Hela gruppen får konsekvenser.",
        message_help="Hjälp finns för den som vill lämna.",
    )
    return services.call_in_plan(acting_user=user, **{**defaults, **kw})


def held_call_in(user, **kw):
    """A call-in on today's date (so attendance may be taken), planned a minute from now."""
    return services.call_in_plan(
        acting_user=user,
        title=kw.pop("title", "Call-in idag (fiktiv)"),
        starts_at=timezone.now() + timedelta(minutes=1),
        venue="Fiktiv lokal",
        **kw,
    )


def invitation(user, call_in_obj, individual, **kw):
    return services.invitation_create(acting_user=user, call_in=call_in_obj, individual=individual, **kw)


def notification(user, individual, **kw):
    defaults = dict(delivered_on=timezone.localdate(), place_type="home", message_delivered="yes")
    return services.notification_record(acting_user=user, individual=individual, **{**defaults, **kw})


def response(user, grp, **kw):
    return services.response_decide(acting_user=user, group=grp, decided_on=timezone.localdate(), **kw)


def lever(user, resp, **kw):
    defaults = dict(kind=Lever.Kind.POLICE_OPERATION, description="Fiktiv kontroll.", starts_on=timezone.localdate())
    return services.lever_add(response=resp, acting_user=user, **{**defaults, **kw})


def meeting(user, **kw):
    return services.meeting_schedule(acting_user=user, starts_at=kw.pop("starts_at", timezone.now()), **kw)
