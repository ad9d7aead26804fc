"""The retention rules the portal starts with (docs/retention.md lists them with their sources). Written once by
the migration that creates the tables; afterwards the rules are data that administrators change in the admin.

Each rule: (agency kind or "" for every agency, months, action, source, from when the time runs).
"""

CATEGORIES = [
    {
        "code": "case-entries",
        "name": "Journalposter i avhopparärenden",
        "description": "Varje myndighets anteckningar, behovsbedömningar, hotbedömningar, insatser och mötesanteckningar.",
        "rules": [
            (
                "municipality",
                60,
                "delete",
                "SoL (2001:453) 12 kap. 1 §",
                "Fem år efter myndighetens sista anteckning i ärendet.",
            ),
            (
                "police",
                36,
                "delete",
                "Polisdatalagen (2010:361) och brottsdatalagen (2018:1177); tiden bestäms av Polismyndigheten",
                "Efter myndighetens sista anteckning i ärendet, hotbedömningar inräknade. Ändra tiden efter polisens egna gallringsregler.",
            ),
            (
                "probation",
                36,
                "delete",
                "Brottsdatalagen (2018:1177); tiden bestäms av Kriminalvården",
                "Efter myndighetens sista anteckning i ärendet.",
            ),
            (
                "community",
                24,
                "delete",
                "Dataskyddsförordningen art. 5.1 e (lagringsminimering)",
                "Efter föreningens sista anteckning i ärendet; föreningen arbetar på samtycke.",
            ),
        ],
    },
    {
        "code": "memberships",
        "name": "Medlemskap i grupperingar",
        "description": "Avslutade och utgångna (ej omprövade) medlemskap.",
        "rules": [
            (
                "",
                12,
                "delete",
                "Dataskyddsförordningen art. 5.1 e; brottsdatalagen (2018:1177)",
                "Ett år efter att medlemskapet avslutades eller gick ut.",
            ),
        ],
    },
    {
        "code": "incidents",
        "name": "Händelser",
        "description": "Skjutningar, sprängningar och annat grovt våld.",
        "rules": [
            (
                "",
                60,
                "anonymise",
                "Dataskyddsförordningen art. 5.1 e; uppföljningen av programmets mål behöver statistiken",
                "Fem år efter händelsen: inblandade personer, plats och sammanfattning tas bort; typ, tid, stadsdel, "
                "döda, skadade, utredningstimmar och grupperingar blir kvar som statistik.",
            ),
        ],
    },
    {
        "code": "exit-cases",
        "name": "Avslutade avhopparärenden",
        "description": "Ärendet med plan, uppgifter och de journalposter som finns kvar.",
        "rules": [
            (
                "",
                60,
                "delete",
                "SoL (2001:453) 12 kap. 1 §; dataskyddsförordningen art. 5.1 e",
                "Fem år efter att ärendet avslutades.",
            ),
        ],
    },
    {
        "code": "consents",
        "name": "Samtycken",
        "description": "Samtycken som har återkallats eller gått ut.",
        "rules": [
            (
                "",
                24,
                "delete",
                "Dataskyddsförordningen art. 7.1 (visa att samtycke lämnats) och art. 5.1 e",
                "Två år efter att samtycket upphörde och det sista utlämnandet som vilade på det avslutades.",
            ),
        ],
    },
    {
        "code": "outreach",
        "name": "Call-ins, individuella samtal, insatser och genomgångar",
        "description": "Med inbjudningar och skäl, riskbedömningar och åtgärder.",
        "rules": [
            (
                "",
                36,
                "delete",
                "Dataskyddsförordningen art. 5.1 e",
                "Tre år efter call-in, samtal, beslut om insats eller genomgång.",
            ),
        ],
    },
    {
        "code": "access-log",
        "name": "Åtkomstloggen",
        "description": "Vem som läst, listat, ändrat, delat och raderat vad, och räknade nekade försök.",
        "rules": [
            (
                "",
                60,
                "delete",
                "Dataskyddsförordningen art. 5.1 e och 32; brottsdatalagen (2018:1177) om loggning",
                "Fem år efter läsningen. Loggen överlever det den beskriver. Rader som ingår i en logggranskning "
                "ligger kvar med granskningen, och loggen gallras aldrig yngre än ett år.",
            ),
        ],
    },
    {
        "code": "register-extract-files",
        "name": "Registerutdragens filer",
        "description": "PDF- och JSON-filen i ett registerutdrag: en kopia av allt myndigheten har om personen.",
        "rules": [
            (
                "",
                1,
                "anonymise",
                "Dataskyddsförordningen art. 5.1 c och e; utdraget har lämnats till den registrerade",
                "En månad efter att utdraget sammanställdes töms filerna. Beställningen ligger kvar.",
            ),
        ],
    },
    {
        "code": "register-extracts",
        "name": "Beställda registerutdrag",
        "description": "Vem som beställde ett utdrag om vem och när, och att det sammanställdes.",
        "rules": [
            (
                "",
                60,
                "delete",
                "Dataskyddsförordningen art. 5.2 och 12 (visa att begäran besvarades) och art. 5.1 e",
                "Fem år efter beställningen, som åtkomstloggen som skriver samma sak.",
            ),
        ],
    },
    {
        "code": "persons",
        "name": "Personer och identitetsuppgifter",
        "description": "Personer som inget längre hänvisar till, med sina identitetsuppgifter.",
        "rules": [
            (
                "",
                12,
                "delete",
                "Dataskyddsförordningen art. 5.1 c och e (uppgiftsminimering, lagringsminimering)",
                "Ett år efter personens och identitetsuppgifternas senaste ändring, när inga medlemskap, händelser, "
                "ärenden, samtycken, inbjudningar, samtal, utdrag eller öppna utlämnanden finns kvar om personen.",
            ),
        ],
    },
]


def seed(RetentionCategory, RetentionRule) -> None:
    """Create the categories that do not exist yet, each with its rules. Never changes an existing one."""
    for spec in CATEGORIES:
        category, created = RetentionCategory.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "not_applied_reason": spec.get("not_applied_reason", ""),
            },
        )
        if not created:
            continue
        for kind, months, action, source, note in spec["rules"]:
            RetentionRule.objects.create(
                category=category, agency_kind=kind, period_months=months, action=action, source=source, note=note
            )
