"""Reads of the retention app: the dry run and the holds, for leads (their own agency) and administrators."""

from .dry_run import dry_run
from .holds import holds_for

__all__ = ["dry_run", "holds_for"]
