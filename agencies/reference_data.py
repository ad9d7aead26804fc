"""Reference data every installation needs: the legal bases (docs/access-model.md, "Legal bases").

Written by migrations 0002 and 0006 and again after every migrate or flush (post_migrate, see apps.py),
because a flush — which tests that need committed data do after each test — empties tables a data
migration filled.

Administrators may reword a basis (name, description) and retire it (`active = False`); those are never
overwritten here. Where a basis applies — who may disclose on it, to whom, which records, whether it needs a
written assessment or a consent, the age rule — is the law as this table reads it, so it is written again on
every migrate and is read-only in the admin: nobody loosens a basis by editing a row.
"""

from __future__ import annotations

POLICE, PROBATION, MUNICIPALITY, COMMUNITY = "police", "probation", "municipality", "community"
AUTHORITIES = [POLICE, PROBATION, MUNICIPALITY]
ANY = [POLICE, PROBATION, MUNICIPALITY, COMMUNITY]

# Community associations are not authorities and OSL does not cover them: every OSL provision below names
# only authorities as senders and receivers, so an association discloses and receives on consent — or, as a
# receiver, what no secrecy covers at all ("ej-sekretess", itself no OSL provision).
LEGAL_BASES: list[dict] = [
    {
        "code": "samtycke",
        "name": "Samtycke",
        "description": "Den enskilde har samtyckt till utlämnandet (OSL 10 kap. 1 §, 12 kap. 2 §; för "
        "civilsamhället dataskyddsförordningen art. 6.1 a).",
        "sender_kinds": ANY,
        "receiver_kinds": ANY,
        "requires_consent": True,
    },
    {
        "code": "osl-10-2",
        "name": "OSL 10 kap. 2 §",
        "description": "Nödvändigt för att den utlämnande myndigheten ska kunna fullgöra sin verksamhet.",
        "sender_kinds": AUTHORITIES,
        "receiver_kinds": AUTHORITIES,
        "requires_assessment": True,
        "assessment_prompt": "Varför är utlämnandet nödvändigt för att din myndighet ska kunna fullgöra sin "
        "verksamhet, och varför räcker det inte med mindre?",
    },
    {
        "code": "osl-10-18a",
        "name": "OSL 10 kap. 18 a §",
        "description": "Socialtjänsten till polisen om en person under 21 år, för att förebygga brott.",
        "sender_kinds": [MUNICIPALITY],
        "receiver_kinds": [POLICE],
        "requires_assessment": True,
        "max_age": 21,
        "assessment_prompt": "Hur kan uppgiften bidra till att förhindra att personen fortsätter att begå brott, "
        "och varför väger personens intresse inte tyngre?",
    },
    {
        "code": "osl-10-27",
        "name": "OSL 10 kap. 27 § (generalklausulen)",
        "description": "Intresset av utlämnande har klart företräde framför det intresse sekretessen skyddar. "
        "Gäller inte socialtjänstens uppgifter (OSL 26 kap.).",
        "sender_kinds": [POLICE, PROBATION],
        "receiver_kinds": AUTHORITIES,
        "requires_assessment": True,
        "assessment_prompt": "Intresseavvägningen: vem behöver uppgiften och varför, och varför har det intresset "
        "klart företräde framför det intresse sekretessen skyddar?",
    },
    {
        "code": "osl-10-28",
        "name": "OSL 10 kap. 28 §",
        "description": "Uppgiftsskyldighet enligt annan lag eller förordning.",
        "sender_kinds": AUTHORITIES,
        "receiver_kinds": AUTHORITIES,
        "requires_assessment": True,
        "assessment_prompt": "Vilken lag eller förordning (med paragraf) ålägger din myndighet att lämna uppgiften?",
    },
    {
        "code": "ej-sekretess",
        "name": "Ej sekretessbelagd uppgift",
        "description": "Uppgiften omfattas inte av sekretess.",
        # Not an OSL provision but the absence of one: what no secrecy covers an authority may give anyone.
        "sender_kinds": AUTHORITIES,
        "receiver_kinds": ANY,
        "requires_assessment": True,
        "assessment_prompt": "Varför omfattas uppgiften inte av någon sekretess?",
    },
]

# Named by an earlier version of the list; no provision in force was found for it, so it is retired (rows
# that already rest on it stay in the register) and fits nothing.
RETIRED = ["osl-10-15a"]

RULE_FIELDS = (
    "sender_kinds",
    "receiver_kinds",
    "record_kinds",
    "requires_consent",
    "requires_assessment",
    "assessment_prompt",
    "max_age",
)


def _rules(spec: dict) -> dict:
    return {
        "sender_kinds": spec.get("sender_kinds", []),
        "receiver_kinds": spec.get("receiver_kinds", []),
        "record_kinds": spec.get("record_kinds", []),
        "requires_consent": spec.get("requires_consent", False),
        "requires_assessment": spec.get("requires_assessment", False),
        "assessment_prompt": spec.get("assessment_prompt", ""),
        "max_age": spec.get("max_age"),
    }


def ensure_legal_bases(LegalBasis) -> None:
    for spec in LEGAL_BASES:
        rules = _rules(spec)
        basis, created = LegalBasis.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], "description": spec["description"], **rules}
        )
        if not created and any(getattr(basis, k) != v for k, v in rules.items()):
            LegalBasis.objects.filter(pk=basis.pk).update(**rules)
    # A retired basis fits no sender and no receiver, whatever an administrator sets `active` to.
    LegalBasis.objects.filter(code__in=RETIRED).update(active=False, sender_kinds=[], receiver_kinds=[])


def on_post_migrate(sender, **kwargs) -> None:
    from .models import LegalBasis

    if sender.name == "agencies":
        ensure_legal_bases(LegalBasis)
