"""Test helpers that are not fixtures: how a test says "this needs a service"."""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def need(available: bool, reason: str) -> None:
    """Skip with a stated reason when a service is absent — but under REQUIRE_SERVICES=1 (CI), fail."""
    if available:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)
