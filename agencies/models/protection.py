"""The declarative part of the gate: how a model becomes protected.

A protected model subclasses ProtectedModel and declares its two direct-FK grant tables:

    class Individual(ProtectedModel): ...

    class IndividualGroupGrant(GroupGrant):
        content_object = models.ForeignKey(Individual, on_delete=models.CASCADE)

    class IndividualUserGrant(UserGrant):
        content_object = models.ForeignKey(Individual, on_delete=models.CASCADE)

The grant tables are django-guardian's direct foreign-key permission models, with two additions that the
gate's queries rely on (measured; see docs/performance.md): the record's immutable `created_at` copied into the grant
row and indexed with (group or user, permission), so a page of visible ids is read straight from the
index; and the grant's `expires_at`, so an expired share stops granting at once, before the task that
revokes it has run.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ProtectedModel(models.Model):
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("ägande myndighet")
    )
    # Immutable sort key, copied into every grant row (see module docstring).
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False, db_index=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Optimistic locking: an update that names an older version is refused, never silently applied.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Whether sharing this model needs an agency lead's decision (identity details do).
    share_requires_lead: bool = False

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["owner_agency", "-created_at"])]

    # audit_person_id() as a lookup from this model ("individual", "case__individual"), for writing the log of
    # many records without loading them (agencies.access.revoke_all_as_system). None: not declared, so the
    # records are loaded and asked one by one. A model that overrides audit_person_id() declares it too
    # (agencies/tests/test_revocation_log.py checks that they agree).
    audit_person_field: str | None = None

    def audit_person_id(self) -> int | None:
        """The person this record is about, so a lead can filter the access log by person."""
        return None


class GroupGrant(GroupObjectPermissionBase):
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True
        indexes = [models.Index(fields=["group", "permission", "-created_at", "-content_object"])]


class UserGrant(UserObjectPermissionBase):
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = True
        indexes = [models.Index(fields=["user", "permission", "-created_at", "-content_object"])]
