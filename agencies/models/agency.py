from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A partner authority. Each agency is the data controller of the records it owns."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Polis")
        PROBATION = "probation", _("Kriminalvård")
        MUNICIPALITY = "municipality", _("Kommun")
        COMMUNITY = "community", _("Civilsamhälle")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("aktiv"), default=True)
    # The agency's one auth group: object permissions are granted to it, never to each user.
    # Kept in step by agencies.services.agency_create, never edited by hand.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("myndighet")
        verbose_name_plural = _("myndigheter")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Handläggare")
    LEAD = "lead", _("Chef/samordnare")
    INTEGRATION = "integration", _("Integrationskonto")
    ADMIN = "admin", _("Administratör")


class Membership(models.Model):
    """A user works for exactly one agency, in one role; every action is taken as that agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD
