"""The reviews panels of the one page: open stop-now errors on top, then weeks, trends and errors."""

from pilots import access
from pilots.onepage import Panel, register_history, register_panel

from . import selectors
from .forms import ReportForm
from .models import ErrorEntry, ReviewWeek


def _number(value) -> str | None:
    """Decimals travel to Chart.js as strings (never through float) and null for an empty week."""
    return None if value is None else str(value)


def chart_data(figures) -> dict:
    return {
        "labels": [figure.iso_week for figure in figures],
        "error_rate": [_number(figure.error_rate) for figure in figures],
        "correction_rate": [_number(figure.correction_rate) for figure in figures],
        "minutes_saved": [_number(figure.avg_minutes_saved) for figure in figures],
    }


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
        "reviews_recent": figures[::-1][:6],
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
