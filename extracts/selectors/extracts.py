"""Reads of the extracts themselves (not of what they hold)."""

from django.db.models import QuerySet

from ..models import RegisterExtract


def extract_base() -> QuerySet[RegisterExtract]:
    """What a list row or the status page needs: never the files themselves, which only a download loads."""
    return RegisterExtract.objects.select_related("individual", "ordered_by").defer("pdf", "json")
