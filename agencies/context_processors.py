from .access import actor_for


def acting_agency(request):
    user = getattr(request, "user", None)
    return {"actor": actor_for(user) if user is not None else None}
