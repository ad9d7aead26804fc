"""The fictional Örebro demo data behind `manage.py seed_demo`: a deterministic plan and its writer."""

from .plan import DEMO_PASSWORD, DEMO_TOTP_KEY
from .seed import SeedReport, seed_demo

__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_KEY", "SeedReport", "seed_demo"]
