"""Writes for agencies and the people in them, one module per area; the package re-exports them, as
cases.services does."""

from .agencies import agency_create, agency_rename
from .lockouts import lockout_lift
from .memberships import agency_user_create, membership_set

__all__ = ["agency_create", "agency_rename", "agency_user_create", "lockout_lift", "membership_set"]
