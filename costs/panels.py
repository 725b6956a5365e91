"""The cost panel of the one page: cap and month-to-date, cost per task, the three-volume estimate,
the short table per task type and the savings stop point next to the measured minutes saved."""

from datetime import timedelta

from django.utils import timezone

from pilots.onepage import Panel, register_history, register_panel
from reviews import selectors as review_selectors

from . import selectors
from .figures import ESTIMATE_DAYS, monthly_estimate, task_type_table
from .models import CostEntry, Source, TaskVolume
from .services import may_record_costs

# Rows pushed by machines or imported from files are the ledger itself, not edits by people:
# the one page's history shows what people entered, corrected and deleted.
MACHINE_SOURCES = (Source.API, Source.IMPORT)


def latest_minutes_saved(pilot):
    """The most recent review week with a measured saving, or None: at most two queries."""
    for figures in reversed(review_selectors.weekly_figures(pilot=pilot, weeks=4)):
        if figures.avg_minutes_saved is not None:
            return figures
    return None


def cost_panel_context(pilot, user) -> dict:
    """Four or five queries, whatever the number of ledger rows, volumes and review samples."""
    today = timezone.localdate()
    costs, window = selectors.cost_overview(pilot=pilot, today=today)
    start = today - timedelta(days=ESTIMATE_DAYS - 1)
    error_rate = review_selectors.error_rates_by_pilot(pilot_ids=[pilot.pk], start=start, end=today)
    estimate = monthly_estimate(window, pilot)
    saved = latest_minutes_saved(pilot)
    tasks_a_day = None
    if estimate.rows[0].tasks:
        tasks_a_day = (estimate.rows[0].tasks / ESTIMATE_DAYS).quantize(1)
    return {
        "costs": costs,
        "costs_estimate": estimate,
        "costs_task_types": task_type_table(window, pilot, error_rate.get(pilot.pk)),
        "costs_higher": max(pilot.one_more_team_multiplier, pilot.busy_month_multiplier),
        "costs_saved": saved,
        "costs_tasks_a_day": tasks_a_day,
        "costs_saved_hours_a_day": (
            (saved.avg_minutes_saved * tasks_a_day / 60).quantize(1)
            if saved and tasks_a_day
            else None
        ),
        "costs_can_record": may_record_costs(user, pilot),
    }


register_panel(Panel("costs", "costs/panels/costs.html", 50, cost_panel_context))
register_history(
    "Cost ledger",
    lambda pilot: CostEntry.history.filter(pilot_id=pilot.pk).exclude(
        history_type="+", source__in=MACHINE_SOURCES
    ),
)
register_history(
    "Completed tasks",
    lambda pilot: TaskVolume.history.filter(pilot_id=pilot.pk).exclude(source__in=MACHINE_SOURCES),
)
