"""The facts a rule reads about one pilot, as plain values."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class RuleSettings:
    """Per-pilot rule configuration; the defaults are what the one page shows when nothing is set."""

    review_grace_days: int = 2
    rising_weeks: int = 3
    max_live_changes_per_week: int = 1
    max_failure_percent: int = 10
    disabled_rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WeekPoint:
    """One closed (or current) review week's figures, oldest first in `PilotFacts.weeks`."""

    iso_week: str
    samples: int
    error_rate: Decimal | None = None
    correction_rate: Decimal | None = None
    complaints: int = 0
    avg_minutes_saved: Decimal | None = None
    review_minutes: Decimal | None = None


@dataclass(frozen=True)
class PilotFacts:
    pilot_id: int
    name: str
    status: str
    today: date
    month: str  # "2026-11"
    iso_week: str  # "2026-W47" (the current week)
    last_full_week: str  # "2026-W46"
    settings: RuleSettings = field(default_factory=RuleSettings)
    # Cost rules and figures
    monthly_cap: Decimal | None = None
    alert_thresholds: tuple[int, ...] = (50, 80, 100)
    month_to_date: Decimal = Decimal("0")
    cost_per_task_limit: Decimal | None = None
    last_week_cost_per_task: Decimal | None = None  # None: no completed tasks
    last_week_api_cost_per_task: Decimal | None = None
    has_cost_per_task: bool = False
    has_weekly_spend: bool = False
    review_time_tracked: bool = False
    # Errors and reviews
    open_stop_now_error_ids: tuple[int, ...] = ()
    serious_repeat_ids: tuple[int, ...] = ()
    errors_without_fix: int = 0  # older than a week and still without a recorded fix
    last_closed_review: date | None = None
    active_since: date | None = None  # when the pilot started piloting: the review clock's start
    review_cadence_days: int = 7
    recent_review_notes: bool = False
    weeks: tuple[WeekPoint, ...] = ()
    minutes_saved_per_employee_day: Decimal | None = None
    savings_stop_minutes: int | None = None
    # Ownership and change control
    ownership_gaps: tuple[str, ...] = ()
    single_person: str | None = None  # the name, when one person holds prompts, review and stop
    live_changes_last_week: int = 0
    undocumented_version_changes: tuple[str, ...] = ()
    # Live traffic (traffic rollups and connections), last full week
    traffic_tasks_last_week: int = 0
    traffic_failed_last_week: int = 0
    pickups_last_week: int = 0
    late_pickups_last_week: int = 0
    handoff_response_minutes: int | None = None
    undocumented_in_traffic: tuple[str, ...] = ()  # "prompt v7", "model gpt-5" seen running
    # The one page
    tool_data_problems: tuple[str, ...] = ()  # tools not approved for the data they touch
    fallback_written: bool = False
    override_cases_named: bool = False
    success_metrics: int = 0
    expansion_metric: str = ""
    expansion_threshold: Decimal | None = None
    expansion_weeks: int | None = None
