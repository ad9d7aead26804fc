"""Writes for agencies and the people in them. The auth Group of an agency is kept in step here only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .access import Actor
from .errors import ApplicationError
from .models import Action, Agency, Membership, Role


@transaction.atomic
def agency_create(*, name: str, slug: str, kind: str, active: bool = True) -> Agency:
    group, _created = Group.objects.get_or_create(name=f"agency:{slug}")
    return Agency.objects.create(name=name, slug=slug, kind=kind, active=active, group=group)


@transaction.atomic
def agency_rename(*, agency: Agency, slug: str, name: str | None = None) -> Agency:
    agency.slug = slug
    if name:
        agency.name = name
    agency.save()
    agency.group.name = f"agency:{slug}"
    agency.group.save(update_fields=["name"])
    return agency


@transaction.atomic
def membership_set(*, user, agency: Agency, role: str) -> Membership:
    """Put a user in an agency (and only in it): the auth group membership follows the Membership row."""
    if role not in Role.values:
        raise ApplicationError(_("Okänd roll: %(role)s") % {"role": role}, code="invalid_role")
    previous = Membership.objects.filter(user=user).select_related("agency").first()
    if previous is not None and previous.agency_id != agency.pk:
        user.groups.remove(previous.agency.group)
    membership, _created = Membership.objects.update_or_create(user=user, defaults={"agency": agency, "role": role})
    user.groups.add(agency.group)
    return membership


@transaction.atomic
def agency_user_create(
    *, username: str, password: str, agency: Agency, role: str, email: str = "", **names
) -> Membership:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("Användarnamnet %(name)s finns redan.") % {"name": username}, code="exists")
    user = User(username=username, email=email, **names)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return membership_set(user=user, agency=agency, role=role)


@transaction.atomic
def lockout_lift(*, actor: Actor, acting_user, username: str, ip_address: str | None) -> int:
    """Lift a login lockout of one of the lead's own users, from one address; logged in the access log."""
    from axes.utils import reset

    if not actor.is_lead:
        raise ApplicationError(_("Bara en chef kan låsa upp konton."), code="lead_required")
    user = get_user_model().objects.filter(username=username, membership__agency_id=actor.agency_id).first()
    if user is None:
        raise ApplicationError(_("Användaren finns inte på din myndighet."), code="not_in_agency")
    removed = reset(ip=ip_address, username=username)
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.UNLOCK,
        model=type(user),
        objects=[user],
        detail={"username": username, "ip_address": ip_address},
    )
    return removed
