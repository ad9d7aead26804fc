"""`manage.py seed_demo`: load the fictional Örebro demo data (idempotent) and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases import extensions
from cases.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, seed_demo

LABELS = {
    "agencies": "myndigheter",
    "users": "användare",
    "persons": "personer",
    "identities": "identitetsuppgifter",
    "groups": "grupperingar",
    "relations": "relationer",
    "memberships": "medlemskap",
    "incidents": "händelser",
    "incident_groups": "inblandade grupperingar",
    "incident_persons": "inblandade personer",
    "exit_cases": "avhopparärenden",
    "consents": "samtycken",
    "case_entries": "journalposter",
    "goals": "mål i planer",
    "tasks": "uppgifter",
    "shares": "delningar",
    "revoked": "varav återkallade",
}


class Command(BaseCommand):
    help = (
        "Läser in fiktiva demodata för Örebro: fem myndigheter, deras demoanvändare, cirka 200 personer och "
        "delningar på olika rättsliga grunder. Kan köras flera gånger; det som redan finns skapas inte igen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är avstängt. Demoanvändarna har ett känt lösenord: aldrig i produktion.",
        )

    def handle(self, *args, force: bool = False, verbosity: int = 1, **options):
        if not settings.DEBUG and not force:
            # Every demo login shares one published password; a production database must never get them.
            raise CommandError(
                "Demodata läses bara in när DEBUG är påslaget, eftersom demoanvändarna har ett känt lösenord. "
                "Använd --force om detta verkligen är en test- eller demomiljö."
            )
        report = seed_demo()
        if verbosity < 1:
            return
        created = report.created
        labels = {**LABELS, **extensions.demo_seeders.labels()}
        if created:
            summary = ", ".join(f"{labels[what]}: {created[what]}" for what in labels if what in created)
            self.stdout.write(self.style.SUCCESS(f"Demodata inlästa, nytt: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demodata fanns redan; inget nytt skapades."))
        self._logins(report.logins)

    def _logins(self, logins: list[tuple[str, str, str]]) -> None:
        rows = [("Användarnamn", "Myndighet", "Roll", "Lösenord")] + [(*row, DEMO_PASSWORD) for row in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("\nDemoinloggningar (endast för demo — samma lösenord för alla):")
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write(
            "\nCheferna loggar in med tvåstegsverifiering. Engångskoden: python manage.py demo_otp polis.chef "
            f"(eller lägg nyckeln {DEMO_TOTP_KEY} i en autentiseringsapp)."
        )
