"""The one page's Live traffic panel (registered with `pilots.onepage`)."""

from django.utils import timezone

from pilots.onepage import Panel, register_panel

from .charts import traffic_chart_data
from .figures import BARELY_SHARE, WINDOW_DAYS, pilot_traffic


def traffic_panel_context(pilot, user) -> dict:
    """Three queries at most, whatever the number of tasks, days or teams."""
    traffic = pilot_traffic(pilot=pilot, today=timezone.localdate())
    return {
        "traffic": traffic,
        "traffic_chart": traffic_chart_data(traffic) if traffic.has_traffic else None,
        "traffic_window_days": WINDOW_DAYS,
        "traffic_barely_percent": int(BARELY_SHARE * 100),
    }


register_panel(Panel("traffic", "traffic/panels/traffic.html", 45, traffic_panel_context))
