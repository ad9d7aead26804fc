"""`manage.py issue_token USERNAME --days N`: an expiring API token for an integration account.

The token is printed once, on standard output alone (so `TOKEN=$(manage.py issue_token ...)` works); only
its SHA-256 and the first few characters (to recognise it in the admin) are stored.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agencies.models import ApiToken, Membership, Role
from agencies.models.token import hash_token

MIN_DAYS, MAX_DAYS = 1, 365
HINT_LENGTH = 8  # "gvi_" and four characters of the random part: enough to tell tokens apart, useless to guess


class Command(BaseCommand):
    help = "Skapar en API-nyckel för ett integrationskonto. Nyckeln visas en gång; bara dess hash sparas."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Integrationskontots användarnamn.")
        parser.add_argument(
            "--days", type=int, default=90, help=f"Giltighet i dagar ({MIN_DAYS}–{MAX_DAYS}, standard 90)."
        )

    def handle(self, *args, username: str, days: int, **options):
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise CommandError(f"--days måste vara mellan {MIN_DAYS} och {MAX_DAYS}.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användaren {username!r} finns inte.")
        if not user.is_active:
            raise CommandError(f"Användaren {username!r} är inaktiverad.")
        membership = Membership.objects.select_related("agency").filter(user=user).first()
        if membership is None or membership.role != Role.INTEGRATION:
            # Tokens are for partner systems only: a person logs in, and a person's token would outlive them.
            raise CommandError(
                f"Användaren {username!r} är inget integrationskonto. API-nycklar ges bara till användare med "
                "rollen integration (manage.py create_agency_user USERNAME --agency SLUG --role integration)."
            )
        if not membership.agency.active:
            raise CommandError(f"Myndigheten {membership.agency.slug!r} är inte aktiv.")

        raw = ApiToken.generate()
        token = ApiToken.objects.create(
            user=user,
            key_hash=hash_token(raw),
            hint=raw[:HINT_LENGTH],
            expires_at=timezone.now() + timedelta(days=days),
        )
        self.stdout.write(raw)
        self.stderr.write(
            f"Nyckeln ovan visas bara nu och kan inte visas igen. Giltig till {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. "
            f"Skicka den som: Authorization: Bearer <nyckel>"
        )
