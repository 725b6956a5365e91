"""What runs is kept on the pilot's connection, bounded by versions, not by traffic."""

from datetime import timedelta

import pytest
from django.utils import timezone

from traffic.models import Connection
from traffic.services.ingest import tasks_ingest
from traffic.services.versions import KEEP, merge_versions


def test_merging_keeps_each_value_once_with_its_newest_day_and_only_the_newest_few():
    current = {"prompt": {"v1": "2026-11-01"}, "model": {}}
    fresh = {"prompt": {"v1": "2026-11-03", "v2": "2026-11-02"}, "model": {"gpt-4o": "2026-11-03"}}
    assert merge_versions(current, fresh) == {
        "prompt": {"v1": "2026-11-03", "v2": "2026-11-02"},
        "model": {"gpt-4o": "2026-11-03"},
    }
    many = {"prompt": {f"v{n}": f"2026-10-{n + 1:02d}" for n in range(30)}, "model": {}}
    kept = merge_versions(None, many)["prompt"]
    assert len(kept) == KEEP and "v29" in kept and "v0" not in kept


@pytest.mark.django_db
def test_ingest_notes_the_prompt_versions_and_models_a_pilot_runs(pilot, people):
    ended = timezone.now() - timedelta(hours=1)
    rows = [
        {
            "pilot": pilot.pk,
            "source_id": f"s-{n}",
            "started_at": (ended - timedelta(seconds=2)).isoformat(),
            "ended_at": ended.isoformat(),
            "model_served": "gpt-4o-mini",
            "prompt_version": f"v{n % 2}",
            "outcome": "completed",
        }
        for n in range(4)
    ]
    tasks_ingest(by=people["tech"], rows=rows, origin="native", keep_valid=False)
    seen = Connection.objects.get(pilot=pilot).versions_seen
    day = timezone.localtime(ended - timedelta(seconds=2)).date().isoformat()
    assert seen == {"prompt": {"v0": day, "v1": day}, "model": {"gpt-4o-mini": day}}
