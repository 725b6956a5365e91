"""The beat's draw: on a week's first day, open the week and draw its sample for every pilot
whose pool holds task texts from the previous week — in a fixed number of queries whatever the
number of pilots (one read of every pool, bulk writes of weeks, items and draws)."""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from common.batch import collector_paused
from pilots.models import Pilot
from traffic.services import bulk_sql

from ..models import PoolCandidate, ReviewWeek, WeekDraw
from .draw import draw_build, items_insert, pools_of, reviewer_groups


def _weeks(pilots: list[Pilot], start: date, groups: dict[int, list[int]]) -> list[ReviewWeek]:
    """Each pilot's review week starting `start`, locked; created (with history) where missing."""
    ids = [pilot.pk for pilot in pilots]
    existing = {
        week.pilot_id: week
        for week in ReviewWeek.objects.select_for_update().filter(
            pilot_id__in=ids, week_start=start
        )
    }
    fresh = [
        ReviewWeek(
            pilot=pilot,
            week_start=start,
            reviewer_id=(groups.get(pilot.pk) or [None])[0],
            target_size=pilot.review_sample_size,
        )
        for pilot in pilots
        if pilot.pk not in existing
    ]
    if fresh:
        ReviewWeek.objects.bulk_create(fresh)  # the constraint keeps one week per pilot and week
        ReviewWeek.history.bulk_history_create(fresh)
    return [*existing.values(), *fresh]


@transaction.atomic
def review_weeks_draw_due(today: date | None = None) -> list[int]:
    """Open this week's review week for every pilot with task texts in the previous week and draw
    its sample; answer the pilots drawn. Re-running draws nothing new (one draw per week)."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.isoweekday() - 1)
    period = (start - timedelta(days=7), start - timedelta(days=1))
    with_pool = PoolCandidate.objects.filter(day__range=period).values("pilot_id")
    drawn = WeekDraw.objects.filter(week__week_start=start).values("week__pilot_id")
    pilots = list(
        Pilot.objects.filter(pk__in=with_pool)
        .exclude(pk__in=drawn)
        .exclude(status=Pilot.Status.RETIRED)
        .order_by("pk")
        .only("id", "review_sample_size")  # not the sixty columns and their JSON, 1,600 times
    )
    if not pilots:
        return []
    groups = reviewer_groups([pilot.pk for pilot in pilots])
    weeks = [week for week in _weeks(pilots, start, groups) if week.is_open]
    draws, items = [], []
    with collector_paused():  # every pilot's pool in memory at once: see common.batch
        pools = pools_of([week.pilot_id for week in weeks], period)
        for week in weeks:
            draw, week_items = draw_build(
                week,
                pools[week.pilot_id],
                reviewers=len(groups.get(week.pilot_id, [])),
                seed=secrets.randbelow(2**31),
            )
            draws.append(draw)
            items += week_items
    items_insert(items)
    if bulk_sql.supported():
        bulk_sql.insert_json(WeekDraw, [bulk_sql.new_row(draw) for draw in draws])
    else:
        WeekDraw.objects.bulk_create(draws)
    return sorted(week.pilot_id for week in weeks)
