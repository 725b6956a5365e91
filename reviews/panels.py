"""The reviews panels of the one page: open stop-now errors on top, then weeks, trends and errors."""

from pilots import access
from pilots.onepage import Panel, register_history, register_panel

from . import selectors
from .forms import ReportForm
from .models import ErrorEntry, ReviewWeek
from .selectors.figures import MIN_DISTINCT_DAYS


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def _number(value) -> str | None:
    """Decimals travel to Chart.js as strings (never through float) and null for an empty week."""
    return None if value is None else str(value)


CHART_SERIES = {
    "error_rate": "error_rate",
    "correction_rate": "correction_rate",
    "minutes_saved": "avg_minutes_saved",
}


def chart_data(figures) -> dict:
    """The trend lines hold closed weeks only; an open week's figures travel apart as provisional
    points (drawn dashed, with "open week, 6 of 20" in the legend), never as a final value."""
    data = {"labels": [figure.iso_week for figure in figures]}
    for key, name in CHART_SERIES.items():
        data[key] = [None if not f.closed else _number(getattr(f, name)) for f in figures]
    open_weeks = [figure for figure in figures if not figure.closed and figure.samples]
    if open_weeks:
        latest = open_weeks[-1]
        data["provisional"] = {
            key: [None if f.closed else _number(getattr(f, name)) for f in figures]
            for key, name in CHART_SERIES.items()
        }
        data["provisional_label"] = f"open week, {latest.samples} of {latest.target}"
    return data


def coverage_summary(figure) -> dict:
    """What a week's sample covers and what it still misses, for the week table's coverage cell."""
    messy = figure.messy_count
    covered = (
        f"{figure.distinct_days} day{pluralize(figure.distinct_days)}, "
        f"{figure.distinct_users} {'person' if figure.distinct_users == 1 else 'people'}, "
        f"{messy} messy case{pluralize(messy)}"
    )
    missing = []
    if not figure.samples:
        return {"covered": "", "missing": ["samples"]}
    if figure.distinct_days < MIN_DISTINCT_DAYS:
        missing.append(f"{MIN_DISTINCT_DAYS - figure.distinct_days} more day(s)")
    if figure.distinct_users <= 1:
        missing.append("another person")
    if messy == 0:
        missing.append("messy case")
    return {"covered": covered, "missing": missing}


def _latest_reviewed(figures):
    """The week the one page reports on paper: the latest closed week with samples, else the latest
    week with any."""
    with_samples = [figure for figure in figures if figure.samples]
    closed = [figure for figure in with_samples if figure.closed]
    return (closed or with_samples or [None])[-1]


def reviews_panel_context(pilot, user) -> dict:
    """Six queries whatever the number of weeks, samples and entries."""
    figures = selectors.weekly_figures(pilot=pilot, weeks=12)
    errors = selectors.panel_errors(pilot=pilot)
    return {
        "reviews_this_week": selectors.current_week_label(),
        "reviews_recent": [(figure, coverage_summary(figure)) for figure in figures[::-1][:6]],
        "reviews_chart": chart_data(figures),
        "reviews_serious_repeats": errors["serious_repeats"],
        "reviews_open_errors": errors["latest"],
        "reviews_more_errors": errors["more"],
        "reviews_error_counts": errors["counts"],
        "reviews_latest": _latest_reviewed(figures),
        "reviews_can_report": access.can_report(user, pilot),
        "reviews_can_review": access.can_review(user, pilot),
        "reviews_report_form": ReportForm(),
    }


def stop_now_context(pilot, user) -> dict:
    return {
        "reviews_stop_now": selectors.stop_now_entries(pilot=pilot),
        "reviews_can_stop": access.can_stop(user, pilot),
    }


register_panel(Panel("reviews_stop_now", "reviews/panels/stop_now.html", 1, stop_now_context))
register_panel(Panel("reviews", "reviews/panels/reviews.html", 40, reviews_panel_context))
register_history("Review weeks", lambda pilot: ReviewWeek.history.filter(pilot_id=pilot.pk))
register_history("Error log", lambda pilot: ErrorEntry.history.filter(pilot_id=pilot.pk))
