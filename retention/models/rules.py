"""The retention rules as data: a category of records, and per category the rules that say how long each
owner agency keeps them and what happens after (docs/retention.md lists the seeded rules and their sources)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class RetentionCategory(models.Model):
    """A kind of record under one retention rule set, e.g. "journalposter i avhopparärenden". The app that owns
    the records says which of its models belong to which category (its retention.py, registered here)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("benämning"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    # Why the rule is not applied by the nightly run, when it is not (the access log: see docs/retention.md).
    not_applied_reason = models.TextField(_("tillämpas inte automatiskt, därför att"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gallringskategori")
        verbose_name_plural = _("gallringskategorier")

    def __str__(self) -> str:
        return self.name


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Avidentifiera")
    DELETE = "delete", _("Radera")


class RetentionRule(models.Model):
    """How long one category is kept, by every agency, by the agencies of one kind, or by one agency.

    The most specific active rule wins: one agency's over its kind's over the general one.
    """

    category = models.ForeignKey(
        RetentionCategory, on_delete=models.CASCADE, related_name="rules", verbose_name=_("kategori")
    )
    agency_kind = models.CharField(
        _("gäller myndigheter av typen"), max_length=20, choices=Agency.Kind.choices, blank=True
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("gäller myndigheten")
    )
    # Months, not days: the laws and the agencies' own rules count in years and months.
    period_months = models.PositiveSmallIntegerField(
        _("bevarandetid (månader)"), validators=[MinValueValidator(1), MaxValueValidator(1200)]
    )
    action = models.CharField(_("åtgärd"), max_length=10, choices=RetentionAction.choices)
    source = models.CharField(_("källa"), max_length=300, help_text=_("Till exempel ”SoL 12 kap. 1 §”."))
    note = models.TextField(_("från när tiden räknas och varför"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["category", "agency", "agency_kind"]
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")

    def __str__(self) -> str:
        scope = self.agency or self.get_agency_kind_display() or _("alla myndigheter")
        return f"{self.category}: {scope}, {self.period_months} mån, {self.get_action_display()}"

    def specificity(self) -> int:
        return 2 if self.agency_id else 1 if self.agency_kind else 0

    def applies_to(self, agency: Agency) -> bool:
        if self.agency_id:
            return self.agency_id == agency.pk
        return not self.agency_kind or self.agency_kind == agency.kind
