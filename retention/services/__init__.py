"""Writes of the retention app: applying the rules, and the holds that stop them."""

from .holds import hold_place
from .plan import plan, summary
from .runs import apply_rules

__all__ = ["apply_rules", "hold_place", "plan", "summary"]
