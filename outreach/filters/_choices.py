"""Choices of protected records for the filter forms, drawn through the gate."""

from agencies import access
from cases.models import CriminalGroup, Individual

from ..models import CallIn


def visible_groups(request):
    if request is None:
        return CriminalGroup.objects.none()
    return access.visible(request.user, CriminalGroup).order_by("name")


def visible_individuals(request):
    if request is None:
        return Individual.objects.none()
    return access.visible(request.user, Individual)


def visible_call_ins(request):
    if request is None:
        return CallIn.objects.none()
    return access.visible(request.user, CallIn)
