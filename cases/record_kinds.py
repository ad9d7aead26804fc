"""How the access log (agencies.record_kinds) names and links the records of `cases` and of the apps that register
shareable kinds with it (outreach): the share dialog's own title, page and gated base (cases.shareables), plus the
two kinds that have no dialog of their own — a person's identity details and a consent.

Registered from CasesConfig.ready; asked at request time, so outreach's kinds (registered later) are found too.
"""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import access
from agencies.record_kinds import RecordKind, register_lookup

from .models import Consent, IdentityDetails, Individual


def _person_url(pk: int) -> str:
    return reverse("individual-detail", kwargs={"pk": pk})


def _with_visible_person(user, model: type[Model]):
    # The title names the person: shown only where the person is visible too, as everywhere else.
    return model._default_manager.select_related("individual").filter(
        individual__in=access.visible(user, Individual).values("pk")
    )


# Never the name or personnummer: the log says whose details were read, not what they are.
IDENTITY = RecordKind(
    model=IdentityDetails,
    title=lambda identity: _("identitetsuppgifterna för %(person)s") % {"person": identity.individual.alias},
    url=lambda identity: _person_url(identity.pk),
    queryset=lambda user: _with_visible_person(user, IdentityDetails),
)

CONSENT = RecordKind(
    model=Consent,
    title=lambda consent: _("samtycke från %(person)s") % {"person": consent.individual.alias},
    url=lambda consent: reverse("person-consents", kwargs={"individual_pk": consent.individual_id}),
    queryset=lambda user: _with_visible_person(user, Consent),
)


def lookup(model: type[Model]) -> RecordKind | None:
    from . import shareables  # imports views' helpers; loaded at the first request, not at start-up

    if model is IdentityDetails:
        return IDENTITY
    if model is Consent:
        return CONSENT
    entry = shareables.for_model(model)
    if entry is None:
        return None
    return RecordKind(model=entry.model, title=entry.title, url=entry.back_url, queryset=entry.queryset)


def register() -> None:
    register_lookup(lookup)
