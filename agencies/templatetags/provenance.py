"""`{% provenance record %}`: the receiver's box saying where a shared record came from (empty for the owner);
`|last_day`: the last day a share's end date still grants."""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone

from ..selectors.provenance import provenance_for

register = template.Library()


@register.inclusion_tag("agencies/_partials/provenance.html", takes_context=True)
def provenance(context, record):
    request = context.get("request")
    return {"shares": provenance_for(user=request.user, obj=record) if request is not None else []}


@register.filter
def last_day(moment: datetime | None) -> date | None:
    """The last day a share with this end still grants, in local time: a share chosen to end after day D (or
    resting on a consent valid through D) ends at 00:00 on D + 1, so its last day is D, not the date of its end."""
    if moment is None:
        return None
    return timezone.localtime(moment - timedelta(microseconds=1)).date()
