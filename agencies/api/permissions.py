from rest_framework.permissions import BasePermission

from agencies.access import actor_for


class IsAgencyMember(BasePermission):
    """Authenticated and working for an active agency. What they may see is the gate's business."""

    def has_permission(self, request, view):
        return actor_for(request.user) is not None
