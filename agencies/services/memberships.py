"""Writes for the people in an agency: a user's membership and role, and the auth group that follows it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import ApplicationError
from ..models import Agency, Membership, Role


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
