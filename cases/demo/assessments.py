"""The written assessments the demo's disclosures carry (fictional), one per legal basis that needs one."""

from __future__ import annotations

ASSESSMENTS = {
    "osl-10-2": "Mottagaren behöver uppgiften för den gemensamma planeringen i ärendet; utan den kan vi inte "
    "samordna insatserna. Personens intresse väger inte tyngre eftersom uppgiften begränsas till det nödvändiga "
    "(fiktivt).",
    "osl-10-18a": "Personen är under 21 år. Uppgiften kan bidra till att förhindra fortsatt brottslighet, och "
    "polisen behöver den för att planera ett förebyggande samtal (fiktivt).",
    "osl-10-27": "Intresseavvägning: mottagaren behöver uppgiften för att bedöma hot och risk i samverkan; "
    "intresset av att lämna ut väger klart tyngre än det intresse sekretessen skyddar (fiktivt).",
    "osl-10-28": "Uppgiftsskyldighet enligt 14 kap. 1 § socialtjänstlagen (fiktivt exempel).",
    "ej-sekretess": "Uppgifterna rör en planerad sammankomst och innehåller inga personuppgifter som omfattas av "
    "sekretess (fiktivt).",
}


def assessment_for(code: str) -> str:
    """The demo's assessment for a basis ("" for one that needs none, such as consent)."""
    return ASSESSMENTS.get(code, "")
