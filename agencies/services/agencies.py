"""Writes for agencies. The auth Group of an agency is kept in step here only."""

from django.contrib.auth.models import Group
from django.db import transaction

from ..models import Agency


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
