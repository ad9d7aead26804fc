"""`manage.py create_agency_user USERNAME --agency SLUG --role ROLE`: provision a user in one agency.

The password comes from standard input — one line from a pipe, or typed twice at a terminal — never from
the command line, where it would end up in the shell history and the process list. The user, the
membership and the agency's auth group are written by agencies.services.agency_user_create, so an
administrator never edits groups or permissions by hand.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies import services
from agencies.errors import ApplicationError
from agencies.models import Agency, Role


class Command(BaseCommand):
    help = (
        "Skapar en användare i en myndighet med en roll. Lösenordet läses från standard in "
        "(en rad), eller efterfrågas två gånger vid en terminal."
    )
    # Tests hand the command a stdin of their own, as Django's createsuperuser allows.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="Användarnamn, till exempel polis.handlaggare.")
        parser.add_argument("--agency", required=True, help="Myndighetens kortnamn (slug), till exempel polisen.")
        parser.add_argument("--role", required=True, help=f"Roll i myndigheten: {', '.join(Role.values)}.")
        parser.add_argument("--email", default="", help="E-postadress.")
        parser.add_argument("--first-name", default="", help="Förnamn.")
        parser.add_argument("--last-name", default="", help="Efternamn.")

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username:
            raise CommandError("Ange ett användarnamn.")
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            known = ", ".join(Agency.objects.order_by("slug").values_list("slug", flat=True)) or "(inga)"
            raise CommandError(f"Okänd myndighet: {options['agency']}. Kända kortnamn: {known}.")
        role = options["role"]
        if role not in Role.values:
            raise CommandError(f"Okänd roll: {role}. Välj en av: {', '.join(Role.values)}.")
        # Checked before the password is asked for, so nobody types a password for nothing.
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"Användarnamnet {username} finns redan.")

        password = self._read_password(options.get("stdin") or sys.stdin)
        try:
            membership = services.agency_user_create(
                username=username,
                password=password,
                agency=agency,
                role=role,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            raise CommandError("Lösenordet godtas inte: " + " ".join(exc.messages)) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

        if not agency.active:
            self.stderr.write(
                self.style.WARNING(f"Observera: {agency} är inte aktiv; användaren kan inte arbeta förrän den är det.")
            )
        self.stdout.write(
            self.style.SUCCESS(f"Skapade {username} som {membership.get_role_display().lower()} i {agency}.")
        )

    def _read_password(self, stdin) -> str:
        if stdin.isatty():
            password = getpass.getpass("Lösenord: ")
            if password != getpass.getpass("Lösenord igen: "):
                raise CommandError("Lösenorden stämmer inte överens.")
        else:
            # One line; only the line ending is removed, since spaces may belong to a passphrase.
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("Inget lösenord angavs.")
        return password
