"""Writes for the registry. Each service names its acting user, checks access through agencies.access and
writes the access log."""

from .individuals import (
    IDENTITY_FIELDS,
    INDIVIDUAL_FIELDS,
    identity_set,
    individual_create,
    individual_update,
)

__all__ = ["IDENTITY_FIELDS", "INDIVIDUAL_FIELDS", "identity_set", "individual_create", "individual_update"]
