"""The register extract as a readable PDF, drawn with ReportLab from the same data as the JSON file.

ReportLab is pure Python (no system libraries), so the worker needs nothing from the operating system. Its
built-in Helvetica covers Latin-1 (WinAnsi), which holds å, ä, ö, é and the dashes and quotes Swedish text uses;
a character outside it is replaced rather than drawn as a missing glyph. Labels are the portal's Swedish (the
worker renders in LANGUAGE_CODE); the codes in the data are turned into their labels with the models' choices.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from agencies.models import ShareLevel
from cases.models import (
    CaseEntry,
    ConsentCategory,
    ExitCase,
    GroupMembership,
    Incident,
    IncidentPerson,
)
from outreach.models import CustomNotification, Invitation, InvitationReason

Format = Callable[[Any], str]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return str(value)


def _date(value: str | None) -> str:
    return date.fromisoformat(value[:10]).isoformat() if value else "–"


def _datetime(value: str | None) -> str:
    if not value:
        return "–"
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


def _yes_no(value: bool | None) -> str:
    return _("Ja") if value else _("Nej")


def _choice(model: type[models.Model], field: str) -> Format:
    labels = {str(code): str(label) for code, label in model._meta.get_field(field).flatchoices}  # type: ignore[union-attr]
    return lambda value: labels.get(str(value), _text(value)) if value else "–"


def _categories(values: list[str] | None) -> str:
    labels = dict(ConsentCategory.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or []) or "–"


def _record_kind(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


Fields = list[tuple[str, str, Format]]


def _fields() -> dict[str, Fields]:
    """Per section: (data key, label, how to show it). Built per call, so the labels follow the language."""
    return {
        "person": [
            ("alias", _("Alias"), _text),
            ("birth_year", _("Födelseår"), _text),
            ("district", _("Stadsdel"), _text),
            ("owner_agency", _("Ägande myndighet"), _text),
            ("created_at", _("Registrerad"), _datetime),
            ("updated_at", _("Senast ändrad"), _datetime),
            ("notes", _("Anteckningar"), _text),
        ],
        "identity": [
            ("personnummer", _("Personnummer"), _text),
            ("full_name", _("Fullständigt namn"), _text),
            ("address", _("Adress"), _text),
            ("phone", _("Telefon"), _text),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "memberships": [
            ("group", _("Gruppering"), _text),
            ("role", _("Roll"), _choice(GroupMembership, "role")),
            ("status", _("Status"), _choice(GroupMembership, "status")),
            ("valid_from", _("Från"), _date),
            ("valid_to", _("Till"), _date),
            ("source_type", _("Källtyp"), _choice(GroupMembership, "source_type")),
            ("evidence", _("Underlag"), _text),
            ("confidence", _("Säkerhet"), _choice(GroupMembership, "confidence")),
            ("review_due", _("Omprövas senast"), _date),
            ("ended_at", _("Avslutad"), _datetime),
            ("end_reason", _("Skäl för avslut"), _text),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "incidents": [
            ("role", _("Roll"), _choice(IncidentPerson, "role")),
            ("notes", _("Anteckningar"), _text),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "incident": [
            ("kind", _("Händelse"), _choice(Incident, "kind")),
            ("occurred_at", _("Inträffade"), _datetime),
            ("district", _("Stadsdel"), _text),
            ("place", _("Ungefärlig plats"), _text),
        ],
        "exit_cases": [
            ("phase", _("Fas"), _choice(ExitCase, "phase")),
            ("outcome", _("Utfall"), _choice(ExitCase, "outcome")),
            ("lead_agency", _("Ansvarig myndighet"), _text),
            ("opened_on", _("Öppnat"), _date),
            ("closed_on", _("Avslutat"), _date),
            ("summary", _("Sammanfattning"), _text),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "entries": [
            ("kind", _("Typ"), _choice(CaseEntry, "kind")),
            ("occurred_on", _("Datum"), _date),
            ("title", _("Rubrik"), _text),
            ("body", _("Text"), _text),
            ("intervention_category", _("Insatstyp"), _choice(CaseEntry, "intervention_category")),
            ("provider", _("Utförare"), _text),
            ("starts_on", _("Från"), _date),
            ("ends_on", _("Till"), _date),
            ("intervention_status", _("Insatsens status"), _choice(CaseEntry, "intervention_status")),
        ],
        "consents": [
            ("agencies", _("Myndigheter"), lambda v: ", ".join(v) or "–"),
            ("categories", _("Uppgiftskategorier"), _categories),
            ("purpose", _("Ändamål"), _text),
            ("given_on", _("Lämnat"), _date),
            ("valid_until", _("Giltigt till och med"), _date),
            ("document_reference", _("Referens till undertecknat dokument"), _text),
            ("withdrawn_at", _("Återkallat"), _datetime),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "invitations": [
            ("status", _("Status"), _choice(Invitation, "status")),
            ("accompanied_by", _("Följs av"), _text),
            ("follow_up_on", _("Uppföljande kontakt"), _date),
            ("help_requested", _("Bad om hjälp"), _yes_no),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "call_in": [
            ("title", _("Call-in"), _text),
            ("starts_at", _("Datum och tid"), _datetime),
            ("venue", _("Plats"), _text),
        ],
        "reason": [
            ("kind", _("Typ av skäl"), _choice(InvitationReason, "kind")),
            ("text", _("Skäl"), _text),
        ],
        "notifications": [
            ("delivered_on", _("Datum"), _date),
            ("place_type", _("Plats"), _choice(CustomNotification, "place_type")),
            ("message_delivered", _("Budskapet framfört"), _choice(CustomNotification, "message_delivered")),
            ("offer_made", _("Erbjudande om hjälp lämnat"), _yes_no),
            ("offer_accepted", _("Erbjudandet antaget"), _yes_no),
            ("outcome", _("Utfall"), _text),
            ("follow_up_on", _("Uppföljning"), _date),
            ("owner_agency", _("Ägande myndighet"), _text),
        ],
        "legal_risk": [("text", _("Juridisk riskbild"), _text)],
        "disclosure": [
            ("record", _("Uppgift"), _record_kind),
            ("from_agency", _("Från"), _text),
            ("to_agency", _("Till"), _text),
            ("level", _("Nivå"), lambda v: str(dict(ShareLevel.choices).get(v, v))),
            ("legal_basis", _("Rättslig grund"), _text),
            ("assessment", _("Bedömning"), _text),
            ("decided_at", _("Beslutat"), _datetime),
            ("expires_at", _("Upphör"), _datetime),
            ("revoked_at", _("Återkallat"), _datetime),
        ],
    }


class _Writer:
    def __init__(self) -> None:
        styles = getSampleStyleSheet()
        self.title = styles["Title"]
        self.h2 = styles["Heading2"]
        self.h3 = styles["Heading3"]
        self.body = styles["BodyText"]
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9, leading=11)
        self.label = ParagraphStyle("label", parent=self.cell, fontName="Helvetica-Bold")
        self.flow: list = []
        self.fields = _fields()

    def para(self, text: str, style=None) -> None:
        self.flow.append(Paragraph(_safe(text), style or self.body))

    def facts(self, spec: str | Fields, row: dict) -> None:
        fields = self.fields[spec] if isinstance(spec, str) else spec
        rows = [[Paragraph(_safe(label), self.label), Paragraph(_safe(show(row.get(key))), self.cell)]
                for key, label, show in fields]  # fmt: skip
        table = Table(rows, colWidths=[50 * mm, 120 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.flow.append(KeepTogether([table, Spacer(1, 4 * mm)]) if len(rows) < 14 else table)

    def section(self, heading: str, rows: list | None, render: Callable[[dict], None]) -> None:
        self.para(heading, self.h2)
        if not rows:
            self.para(_("Inga uppgifter."))
            return
        for row in rows:
            render(row)


def _safe(text: str) -> str:
    # Paragraph reads a small markup language, and Helvetica has only Latin-1 (WinAnsi) glyphs.
    text = str(text).encode("cp1252", errors="replace").decode("cp1252")
    return escape(text).replace("\n", "<br/>")


def render(data: dict) -> bytes:
    """The whole extract as PDF bytes."""
    w = _Writer()
    extract = data["extract"]
    w.para(_("Registerutdrag"), w.title)
    w.para(_("Enligt artikel 15 i dataskyddsförordningen (GDPR)"), w.h3)
    w.para(
        _(
            "Utdraget visar de uppgifter om personen som %(agency)s behandlar i GVI-portalen: uppgifter som "
            "myndigheten själv har registrerat och uppgifter som andra myndigheter har lämnat ut till den och som "
            "den fortfarande har tillgång till, samt till vem uppgifterna har lämnats ut."
        )
        % {"agency": extract["agency"]}
    )
    w.facts(
        [
            ("id", _("Utdrag nr"), _text),
            ("agency", _("Myndighet"), _text),
            ("ordered_by", _("Beställt av"), _text),
            ("ordered_at", _("Beställt"), _datetime),
            ("produced_at", _("Sammanställt"), _datetime),
        ],
        extract,
    )
    w.section(_("Personen"), [data["person"]], lambda row: w.facts("person", row))
    w.section(
        _("Identitetsuppgifter"), [data["identity"]] if data["identity"] else [], lambda r: w.facts("identity", r)
    )
    w.section(_("Medlemskap i grupperingar"), data["memberships"], lambda r: w.facts("memberships", r))

    def incident(row: dict) -> None:
        w.facts("incidents", row)
        if row["incident"]:
            w.facts("incident", row["incident"])

    w.section(_("Inblandning i händelser"), data["incidents"], incident)

    def exit_case(row: dict) -> None:
        w.para(_("Avhopparärende %(id)s") % {"id": row["id"]}, w.h3)
        w.facts("exit_cases", row)
        if row["entries"]:
            w.para(_("Myndighetens egna anteckningar i ärendet"), w.body)
        for entry in row["entries"]:
            w.facts("entries", entry)

    w.section(_("Avhopparärenden"), data["exit_cases"], exit_case)
    w.section(_("Samtycken"), data["consents"], lambda r: w.facts("consents", r))

    def invitation(row: dict) -> None:
        w.facts("invitations", row)
        if row["call_in"]:
            w.facts("call_in", row["call_in"])
        if row["reason"]:
            w.facts("reason", row["reason"])

    w.section(_("Inbjudningar till call-ins"), data["invitations"], invitation)

    def notification(row: dict) -> None:
        w.facts("notifications", row)
        if row["legal_risk"]:
            w.facts("legal_risk", row["legal_risk"])

    w.section(_("Individuella samtal och hembesök"), data["notifications"], notification)
    register = data["disclosures"]
    w.section(_("Utlämnanden som myndigheten har gjort"), register["made"], lambda r: w.facts("disclosure", r))
    w.section(_("Uppgifter som myndigheten har tagit emot"), register["received"], lambda r: w.facts("disclosure", r))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Registerutdrag"),
        author=extract["agency"],
        lang="sv",
    )
    doc.build(w.flow, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, _safe_plain(_("Sida %(page)d") % {"page": doc.page}))
    canvas.restoreState()


def _safe_plain(text: str) -> str:
    return text.encode("cp1252", errors="replace").decode("cp1252")
