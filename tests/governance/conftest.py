"""Fixtures of the governance API tests (test_services.py sets up its own `rights`)."""

import pytest

from governance.models import DecisionRight
from governance.services import decision_right_assign
from tests.governance.api_helpers import Right


# On the `pilot` fixture the business owner is `owner`; the decision rights set up here belong to
# other people, so "the business owner may not approve" is really tested.
@pytest.fixture
def rights(pilot, people):
    """Prompt changes: tech, backed up by the stop authority. Model choice: the reviewer alone."""
    decision_right_assign(
        pilot=pilot,
        kind=Right.PROMPT_CHANGES,
        by=people["owner"],
        owner=people["tech"],
        backup=people["stopper"],
    )
    decision_right_assign(
        pilot=pilot, kind=Right.MODEL_CHOICE, by=people["owner"], owner=people["reviewer"]
    )
    return {right.kind: right for right in DecisionRight.objects.filter(pilot=pilot)}
