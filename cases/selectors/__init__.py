"""Reads for the registry. Every queryset of a protected model comes from agencies.access."""

from .individuals import identity_for, individual_base, individual_search

__all__ = ["identity_for", "individual_base", "individual_search"]
