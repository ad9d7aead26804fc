"""`manage.py demo_otp USERNAME`: print the one-time code a demo lead's authenticator app would show now.

The demo leads share one published TOTP key (README, "Demo logins"), so anyone can sign in as them without
a phone — which is why this, like `seed_demo`, refuses to run when DEBUG is off unless given --force.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import second_factor


class Command(BaseCommand):
    help = "Skriver ut den engångskod som en demoanvändares autentiseringsapp visar just nu."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--force", action="store_true", help="Kör även när DEBUG är avslaget.")

    def handle(self, *args, username: str, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_otp körs bara när DEBUG är påslaget: koden ger inloggning som demoanvändaren. Använd --force "
                "om detta verkligen är en test- eller demomiljö."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användaren {username} finns inte.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} har ingen tvåstegsverifiering.")
        self.stdout.write(second_factor.current_code(device))
