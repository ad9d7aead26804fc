"""The fictional Örebro demo data behind `manage.py seed_demo`: a deterministic plan and its writer."""

from .plan import DEMO_PASSWORD
from .seed import SeedReport, seed_demo

__all__ = ["DEMO_PASSWORD", "SeedReport", "seed_demo"]
