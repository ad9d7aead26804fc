from .joint import joint_dashboard, years
from .lead import Period, lead_dashboard

__all__ = ["Period", "joint_dashboard", "lead_dashboard", "years"]
