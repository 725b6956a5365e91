"""The demo ledger loads once: running the demo loader again adds nothing."""

import pytest
from django.core.management import call_command

from costs.models import CostEntry, DailyCost, TaskVolume
from costs.selectors import pilot_costs
from pilots.models import Pilot
from tests.costs.test_rollup import ledger_by_pilot_day_category, rollup_by_pilot_day_category

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "entries": CostEntry.objects.count(),
        "volumes": TaskVolume.objects.count(),
        "rollup": DailyCost.objects.count(),
        "entry history": CostEntry.history.count(),
        "volume history": TaskVolume.history.count(),
    }


def test_demo_costs_load_idempotently_and_tell_the_articles_story():
    call_command("demo_load")
    first = counts()
    call_command("demo_load")
    assert counts() == first
    assert first["entries"] > 300 and first["volumes"] > 100
    assert rollup_by_pilot_day_category() == ledger_by_pilot_day_category()
    support = Pilot.objects.get(name="Support ticket first replies")
    (costs,) = pilot_costs(pilots=[support])
    assert costs.month.tasks and costs.month.full_per_task > 5 * costs.month.api_per_task
