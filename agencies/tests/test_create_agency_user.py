import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agencies.models import Membership, Role

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD = "ett-bra-langt-losen-99"


def run(*args, password=GOOD, **options):
    out = io.StringIO()
    call_command("create_agency_user", *args, stdin=io.StringIO(password + "\n"), stdout=out, stderr=out, **options)
    return out.getvalue()


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_creates_user_with_membership_and_group(police):
    out = run("anna.lind", agency="polisen", role="lead", email="anna@example.org", first_name="Anna", last_name="Lind")

    user = User.objects.get(username="anna.lind")
    assert user.check_password(GOOD)
    assert (user.email, user.first_name, user.last_name) == ("anna@example.org", "Anna", "Lind")
    assert (user.membership.agency, user.membership.role) == (police, Role.LEAD)
    assert list(user.groups.all()) == [police.group]
    assert "anna.lind" in out


def test_password_line_keeps_inner_spaces(police):
    run("bo.ek", agency="polisen", role="caseworker", password="  fyra ord som minns lätt  ")
    assert User.objects.get(username="bo.ek").check_password("  fyra ord som minns lätt  ")


def test_terminal_asks_twice(police, monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command(
        "create_agency_user", "cia.berg", agency="polisen", role="caseworker", stdin=Tty(), stdout=io.StringIO()
    )
    assert User.objects.get(username="cia.berg").check_password(GOOD)


def test_terminal_mismatch_refused(police, monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="stämmer inte"):
        call_command("create_agency_user", "cia.berg", agency="polisen", role="caseworker", stdin=Tty())
    assert not User.objects.filter(username="cia.berg").exists()


@pytest.mark.parametrize(
    ("options", "password", "message"),
    [
        ({"agency": "finns-inte", "role": "caseworker"}, GOOD, "Okänd myndighet"),
        ({"agency": "polisen", "role": "chef"}, GOOD, "Okänd roll"),
        ({"agency": "polisen", "role": "caseworker"}, "kort", "Lösenordet godtas inte"),
        ({"agency": "polisen", "role": "caseworker"}, "123456789012345", "Lösenordet godtas inte"),
        ({"agency": "polisen", "role": "caseworker"}, "", "Inget lösenord"),
    ],
)
def test_refused_and_nothing_created(police, options, password, message):
    users, memberships = User.objects.count(), Membership.objects.count()
    with pytest.raises(CommandError, match=message):
        run("ny.person", password=password, **options)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not police.group.user_set.filter(username="ny.person").exists()


def test_existing_username_refused_and_left_alone(police, kommun, police_caseworker):
    with pytest.raises(CommandError, match="finns redan"):
        run("polis.handlaggare", agency="orebro-kommun", role="lead")
    police_caseworker.refresh_from_db()
    assert (police_caseworker.membership.agency, police_caseworker.membership.role) == (police, Role.CASEWORKER)
    assert list(police_caseworker.groups.all()) == [police.group]
    assert not kommun.group.user_set.exists()


def test_command_exits_non_zero(police, capsys):
    # What an administrator's shell sees: CommandError from the command line is exit status 1.
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "create_agency_user", "x.y", "--agency", "nej", "--role", "lead"]).execute()
    assert exit_info.value.code == 1
    assert "Okänd myndighet" in capsys.readouterr().err
