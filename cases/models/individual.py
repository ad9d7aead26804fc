from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import GroupGrant, ProtectedModel, UserGrant

from .district import District


class Individual(ProtectedModel):
    """A person the partners work with, by alias. Who they are (personnummer, name) is in IdentityDetails,
    a separate protected record, so sharing a person never discloses their identity by itself."""

    alias = models.CharField(_("alias"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("födelseår"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel")
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Since when nothing has referred to the person, as the nightly retention run last saw it (cases/retention.py):
    # the person rule's period runs from here, so a person freed by one run is not removed by the next.
    unreferenced_since = models.DateTimeField(null=True, blank=True, editable=False)

    consent_category = "person"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["alias"])]

    def __str__(self) -> str:
        return self.alias

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "pk"

    def audit_person_id(self) -> int | None:
        return self.pk


class IndividualGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Individual, on_delete=models.CASCADE)


class IndividualUserGrant(UserGrant):
    content_object = models.ForeignKey(Individual, on_delete=models.CASCADE)


class IdentityDetails(ProtectedModel):
    """Who a person is. Its primary key is the person's, so the two are always found together."""

    individual = models.OneToOneField(
        Individual, primary_key=True, on_delete=models.CASCADE, related_name="identity", verbose_name=_("person")
    )
    # Normalised to 12 digits by cases.personnummer; samordningsnummer share the field.
    personnummer = models.CharField(
        _("personnummer"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$")],
        db_index=True,
    )
    full_name = models.CharField(_("fullständigt namn"), max_length=200, blank=True)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    share_requires_lead = True
    consent_category = "identity"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("identitetsuppgifter")
        verbose_name_plural = _("identitetsuppgifter")

    def __str__(self) -> str:
        return self.full_name or str(self.pk)

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id


class IdentityDetailsGroupGrant(GroupGrant):
    content_object = models.ForeignKey(IdentityDetails, on_delete=models.CASCADE)


class IdentityDetailsUserGrant(UserGrant):
    content_object = models.ForeignKey(IdentityDetails, on_delete=models.CASCADE)
