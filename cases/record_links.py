"""How `agencies` pages (the home page) name and link the records of `cases` and of the apps that register
their shareable kinds here (outreach): from the share dialog's registry (cases.shareables), asked at call time,
so a kind registered later is named too. Identity details have no dialog of their own: they are named after
their person, and only where the person is visible as well."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import access, record_links
from agencies.record_links import RecordLink

from . import shareables
from .models import IdentityDetails, Individual


def _identity_base(user):
    return IdentityDetails.objects.select_related("individual").filter(
        individual__in=access.visible(user, Individual).values("pk")
    )


IDENTITY = RecordLink(
    # Never the details themselves: the row says only whose they are.
    title=lambda identity: _("Identitetsuppgifter för %(alias)s") % {"alias": identity.individual.alias},
    url=lambda identity: reverse("individual-detail", kwargs={"pk": identity.individual_id}),
    base=_identity_base,
)


def resolve(model: type[Model]) -> RecordLink | None:
    if model is IdentityDetails:
        return IDENTITY
    entry = shareables.for_model(model)
    if entry is None:
        return None
    return RecordLink(title=lambda obj: str(entry.title(obj)), url=entry.back_url, base=entry.queryset)


def register() -> None:
    record_links.register("cases", resolve)
