"""`{% provenance record %}`: the receiver's box saying where a shared record came from (empty for the owner)."""

from django import template

from ..selectors.provenance import provenance_for

register = template.Library()


@register.inclusion_tag("agencies/_partials/provenance.html", takes_context=True)
def provenance(context, record):
    request = context.get("request")
    return {"shares": provenance_for(user=request.user, obj=record) if request is not None else []}
