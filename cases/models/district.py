from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """An Örebro district. Data, not code: seeded by a migration, editable by administrators."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stadsdel")
        verbose_name_plural = _("stadsdelar")

    def __str__(self) -> str:
        return self.name
