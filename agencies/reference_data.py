"""Reference data every installation needs: the legal bases (docs/access-model.md, "Legal bases").

Written by migration 0002 and again after every migrate or flush (post_migrate, see apps.py), because a
flush — which tests that need committed data do after each test — empties tables a data migration filled.
Existing rows are never overwritten: administrators may edit names and descriptions, and retire a basis
by setting it inactive (a deleted one comes back on the next migrate).
"""

LEGAL_BASES = [
    ("samtycke", "Samtycke", "Den enskilde har samtyckt till utlämnandet (OSL 12 kap. 2 §).", True),
    (
        "osl-10-2",
        "OSL 10 kap. 2 §",
        "Nödvändigt för att den utlämnande myndigheten ska kunna fullgöra sin verksamhet.",
        False,
    ),
    (
        "osl-10-18a",
        "OSL 10 kap. 18 a §",
        "Socialtjänsten till polisen om en person under 21 år, för att förebygga brott.",
        False,
    ),
    ("osl-10-15a", "OSL 10 kap. 15 a §", "För att förebygga eller utreda brott.", False),
    (
        "osl-10-27",
        "OSL 10 kap. 27 § (generalklausulen)",
        "Intresset av utlämnande har klart företräde; intresseavvägningen dokumenteras.",
        False,
    ),
    ("osl-10-28", "OSL 10 kap. 28 §", "Uppgiftsskyldighet enligt annan lag eller förordning.", False),
    ("ej-sekretess", "Ej sekretessbelagd uppgift", "Uppgiften omfattas inte av sekretess.", False),
]


def ensure_legal_bases(LegalBasis) -> None:
    for code, name, description, requires_consent in LEGAL_BASES:
        LegalBasis.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "requires_consent": requires_consent}
        )


def on_post_migrate(sender, **kwargs) -> None:
    from .models import LegalBasis

    if sender.name == "agencies":
        ensure_legal_bases(LegalBasis)
