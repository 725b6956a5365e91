"""The benchmark at a tiny scale: the generator makes what the scale asks for, consistently, and a
run produces the table and the JSON. (`make bench` itself runs at scale 1 on its own database.)"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from bench import report
from bench.__main__ import parse
from bench.generate import Counts, generate
from bench.measure import ORDER, Options, run
from costs.models import CostEntry, DailyCost, TaskVolume
from governance.models import DecisionRight
from pilots.models import Pilot, PilotRole, StatusChange
from reviews.models import ErrorEntry, ReviewWeek, Sample
from traffic import latency
from traffic.models import TaskDay, TaskRecord

SCALE = 0.0005


@pytest.fixture
def dataset(db):
    return generate(scale=SCALE, seed=3)


def test_scale_one_is_the_issues_data_set_and_smaller_scales_shrink_it():
    full = Counts.at(1)
    assert (full.pilots, full.ledger, full.samples, full.errors) == (
        10_000,
        1_000_000,
        200_000,
        20_000,
    )
    tenth = Counts.at(0.1)
    assert (tenth.pilots, tenth.ledger, tenth.samples, tenth.errors) == (
        1000,
        100_000,
        20_000,
        2000,
    )
    assert full.tasks == 5_000_000 and tenth.tasks == 500_000
    with pytest.raises(ValueError):
        Counts.at(0)


def test_the_generator_makes_the_rows_the_scale_asks_for(dataset):
    counts = Counts.at(SCALE)
    assert Pilot.objects.count() == counts.pilots == dataset.rows["pilots"]
    assert CostEntry.objects.count() == counts.ledger == dataset.rows["cost entries"]
    assert Sample.objects.count() == counts.samples == dataset.rows["review samples"]
    assert ErrorEntry.objects.count() == counts.errors == dataset.rows["error entries"]
    assert ReviewWeek.objects.count() == dataset.rows["review weeks"] > 0
    assert TaskVolume.objects.count() == dataset.rows["task volumes"] > 0


def test_every_pilot_has_full_ownership_and_the_rollup_matches_the_ledger(dataset):
    staffed = Pilot.objects.annotate(
        owned=Count(
            "roles",
            filter=Q(roles__kind__in=PilotRole.REQUIRED)
            & Q(roles__primary__isnull=False)
            & Q(roles__backup__isnull=False),
        )
    )
    assert {pilot.owned for pilot in staffed} == {4}
    assert not PilotRole.objects.filter(primary=F("backup")).exists()
    assert DecisionRight.objects.filter(owner__isnull=False).count() == 8 * dataset.counts.pilots
    ledger = CostEntry.objects.aggregate(total=Sum("amount"))["total"]
    assert DailyCost.objects.aggregate(total=Sum("total"))["total"] == ledger
    assert Pilot.history.count() == dataset.counts.pilots  # each pilot's '+' record


def test_the_task_rollups_are_what_ingest_would_have_kept(dataset):
    """Every live pilot with spend is connected, no task before its pilot started, and each
    TaskDay row holds exactly its records' counts, cost, latency histogram and reasons."""
    assert TaskRecord.objects.count() == dataset.counts.tasks == dataset.rows["task records"]
    connected = set(TaskRecord.objects.values_list("pilot_id", flat=True).distinct())
    assert {dataset.big_pilot, dataset.small_pilot} <= connected
    began = dict(StatusChange.objects.filter(to_status="piloting").values_list("pilot_id", "at"))
    expected: dict[tuple, dict] = {}
    for record in TaskRecord.objects.iterator():
        assert record.started_at > began[record.pilot_id]
        key = (
            record.pilot_id,
            timezone.localdate(record.started_at),
            record.task_type,
            record.team,
            record.model_served,
        )
        day = expected.setdefault(
            key, {"tasks": 0, "completed": 0, "cost": 0, "buckets": Counter(), "reasons": Counter()}
        )
        day["tasks"] += 1
        day["completed"] += record.outcome == "completed"
        day["cost"] += record.api_cost
        day["buckets"][latency.bucket(record.latency_ms)] += 1
        if record.outcome == "handed_off":
            day["reasons"][record.handoff_reason] += 1
    kept = {
        (row.pilot_id, row.day, row.task_type, row.team, row.model): {
            "tasks": row.tasks,
            "completed": row.completed,
            "cost": row.api_cost,
            "buckets": Counter(row.latency_buckets),
            "reasons": Counter(row.handoff_reasons),
        }
        for row in TaskDay.objects.all()
    }
    assert kept == expected


def test_a_tiny_run_prints_the_table_and_writes_the_json(dataset, tmp_path):
    options = Options(repeat=2, sweep_repeat=1, batches=1, batch_rows=20)
    results = run(dataset, options)
    assert [figure["figure"] for figure in results] == list(ORDER)
    for figure in results:
        assert {"figure", "title", "ours", "baseline", "ratio", "target", "passed"} <= set(figure)
        assert figure["ours"]["median_ms"] > 0 and figure["ours"]["queries"] > 0
    by_name = {figure["figure"]: figure for figure in results}
    assert by_name["1"]["check"]["same_rows_as_baseline"]
    assert by_name["2"]["check"]["same_figures"]
    assert by_name["4"]["check"]["mismatches"] == 0
    assert by_name["3a"]["passed"] and by_name["3b"]["passed"]  # fixed query counts

    growth = report.growth(results, results, (SCALE, SCALE))
    assert [entry["figure"] for entry in growth] == ["6·1", "6·2", "6·3a", "6·3b", "6·4"]
    rows = [report.figure_row(figure) for figure in results]
    rows += [report.growth_row(entry) for entry in growth]
    table = report.render(rows).splitlines()
    assert [cell.strip() for cell in table[0].split("|")[1:-1]] == list(report.HEADERS)
    assert len(table) == 2 + len(ORDER) + len(growth)
    assert {line.split("|")[-2].strip() for line in table[2:]} <= {"pass", "FAIL"}

    out = tmp_path / "results.json"
    report.write_json(out, {"figures": results, "growth": growth, "table": rows})
    written = json.loads(out.read_text())
    assert [row["figure"].split()[0] for row in written["table"]][: len(ORDER)] == list(ORDER)
    assert written["table"][0]["pass/fail"] in {"pass", "FAIL"}


def test_make_bench_runs_the_script_with_its_arguments():
    script = Path(__file__).resolve().parents[2] / "scripts" / "bench"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "source scripts/lib/services.sh" in text and "services_start_postgres" in text
    assert 'uv run python -m bench "${args[@]}"' in text


def test_the_command_line_has_the_issues_defaults_and_refuses_nonsense():
    args = parse([])
    assert (args.scale, args.skip_growth, args.repeat) == (0.2, False, 20)
    assert args.ingest_records == 100_000  # half a million per receiver at scale 1
    assert parse(["--scale", "1"]).ingest_records == 500_000
    quick = parse(["--quick"])
    assert (quick.scale, quick.skip_growth, quick.ingest_records) == (0.01, True, 20_000)
    assert parse(["--quick", "--scale", "0.05"]).scale == 0.05  # explicit flags win
    assert parse(["--scale", "0.1", "--skip-growth"]).skip_growth
    with pytest.raises(SystemExit):
        parse(["--scale", "0"])
