"""The base viewset every API view of a protected model uses. Access is decided by agencies.access only."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS

from agencies import access
from agencies.models import ProtectedModel

from .pagination import GateCursorPagination


class GatedViewSet(viewsets.GenericViewSet):
    """List through access.visible_page (logged, index-paged), details through access.get_or_404.

    Subclasses set `model`, `serializer_class`, optionally `filterset_class` and `base_queryset()`.
    Writes go through services in the subclass; this class only decides what the caller may touch.
    """

    model: type[ProtectedModel]  # set by each subclass
    pagination_class = GateCursorPagination

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        # Used by the filter backend and the schema generator; always already gated.
        return access.visible(self.request.user, self.model, "view", queryset=self.base_queryset())

    def get_object(self):
        reading = self.request.method in SAFE_METHODS
        # A write logs itself (the service's "change" entry); logging a "view" for it too would double the trail.
        obj = access.get_or_404(
            self.request.user,
            self.model,
            self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            queryset=self.base_queryset(),
            log=reading,
        )
        if not reading and not access.can(self.request.user, obj, "change"):
            # The caller may see the record (so 404 would be a lie) but not change it.
            raise PermissionDenied(_("Du får läsa men inte ändra den här uppgiften."))
        return obj

    def list(self, request, *args, **kwargs):
        within = self.filter_queryset(self.base_queryset())
        paginator = self.paginator
        page = paginator.paginate(
            request,
            lambda cursor, size: access.visible_page(request.user, self.model, within=within, cursor=cursor, size=size),
        )
        data = self.get_serializer(page.items, many=True).data
        return paginator.response(request, page, data)
