"""Small, fast checks of the gate's rules, written to kill the mutants that the behavioural tests let live.

See docs/testing.md ("Mutation testing") for the run these answer.
"""

import pytest

pytestmark = pytest.mark.django_db
