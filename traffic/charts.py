"""The Live traffic panel's chart data, put in the page with `json_script` and drawn by
static/js/traffic.js: response time (median and 95th percentile) and tasks per day."""

from .figures import PilotTraffic


def traffic_chart_data(traffic: PilotTraffic) -> dict:
    return {
        "labels": [f"{item.day:%d %b}" for item in traffic.days],
        "p50": [item.mix.median_ms for item in traffic.days],
        "p95": [item.mix.p95_ms for item in traffic.days],
        "tasks": [item.mix.tasks for item in traffic.days],
    }
