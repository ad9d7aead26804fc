from .holds import Hold
from .rules import RetentionAction, RetentionCategory, RetentionRule
from .runs import RetentionRun

__all__ = ["Hold", "RetentionAction", "RetentionCategory", "RetentionRule", "RetentionRun"]
