"""Reads for the ledger and its figures, in three rooms: `sums` (spend and tasks per pilot and period,
from the rollups: what other apps and the rule engine read), `lists` (scoped lists for pages and the
API) and `dashboard` (the finance dashboard). Every name is re-exported here.
"""

from .dashboard import (
    DASHBOARD_PILOT_FIELDS,
    TREND_MONTHS,
    Dashboard,
    dashboard,
    dashboard_pilots,
)
from .lists import (
    entry_list,
    pilot_entries,
    pilot_volumes,
    volume_list,
)
from .sums import (
    API,
    EVERY_PILOT,
    cost_overview,
    daily_figures,
    monthly_trend,
    period_figures,
    pilot_costs,
    pilot_costs_for,
    window_sums,
)

__all__ = [
    "API",
    "DASHBOARD_PILOT_FIELDS",
    "EVERY_PILOT",
    "TREND_MONTHS",
    "Dashboard",
    "cost_overview",
    "daily_figures",
    "dashboard",
    "dashboard_pilots",
    "entry_list",
    "monthly_trend",
    "period_figures",
    "pilot_costs",
    "pilot_costs_for",
    "pilot_entries",
    "pilot_volumes",
    "volume_list",
    "window_sums",
]
