"""Which disclosures to an agency each of its users has opened: the home page's "new since your last visit"."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeenShare(models.Model):
    """A user opened the record a share disclosed to their agency (agencies.services.seen.mark_seen).

    Per user, not per agency: a colleague opening it does not make it read for me. Not part of the access log
    (the read itself is logged there by the gate); only a mark, so it may be written again without harm.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    share = models.ForeignKey("agencies.Share", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(_("öppnad"), default=timezone.now)

    class Meta:
        verbose_name = _("öppnat utlämnande")
        verbose_name_plural = _("öppnade utlämnanden")
        # The home page asks "has this user opened this share?" for a page of shares: one index probe each.
        constraints = [models.UniqueConstraint(fields=["user", "share"], name="seen_share_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.share_id} {self.seen_at:%Y-%m-%d %H:%M}"
