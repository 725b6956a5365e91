"""Celery tasks of the review queue: thin, one service call each."""

from celery import shared_task

from .services.draw_due import review_weeks_draw_due


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def review_weeks_draw_task() -> dict:
    """Hourly: on a week's first day, open it and draw its sample for every pilot with traffic.
    Guarded by the one draw per week in the database, so running it again draws nothing new."""
    return {"drawn": review_weeks_draw_due()}
