"""Choices of protected records for the filter forms, drawn through the gate."""

from agencies import access

from ..models import CriminalGroup, Individual


def visible_groups(request):
    # The choices themselves go through the gate: an invisible group is as invalid a choice as a missing one.
    if request is None:
        return CriminalGroup.objects.none()
    return access.visible(request.user, CriminalGroup).order_by("name")


def visible_individuals(request):
    if request is None:
        return Individual.objects.none()
    return access.visible(request.user, Individual)
