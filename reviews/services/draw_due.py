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
from .draw import DueWeek, draw_build, items_insert, pools_of, reviewer_groups


def _weeks(pilots: list[Pilot], start: date, groups: dict[int, list[int]]) -> list[DueWeek]:
    """Each pilot's open review week starting `start`, locked; created (with history) where
    missing: on PostgreSQL in one statement, without a model instance (see bulk_sql)."""
    ids = [pilot.pk for pilot in pilots]
    existing = {
        pilot_id: DueWeek(pk, pilot_id, start, target) if status == ReviewWeek.Status.OPEN else None
        for pk, pilot_id, target, status in ReviewWeek.objects.select_for_update()
        .filter(pilot_id__in=ids, week_start=start)
        .values_list("pk", "pilot_id", "target_size", "status")
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
    # The constraint keeps one week per pilot and week.
    if bulk_sql.supported() and fresh:
        made = bulk_sql.insert_logged(
            ReviewWeek,
            [bulk_sql.new_row(week) for week in fresh],
            ("id", "pilot_id", "target_size"),
        )
        created = [DueWeek(pk, pilot_id, start, target) for pk, pilot_id, target in made]
    else:
        ReviewWeek.objects.bulk_create(fresh)
        ReviewWeek.history.bulk_history_create(fresh)
        created = [DueWeek(week.pk, week.pilot_id, start, week.target_size) for week in fresh]
    return [week for week in [*existing.values(), *created] if week is not None]


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
    weeks = _weeks(pilots, start, groups)
    draws = []

    def items():
        """Each week's items, drawn as COPY sends the previous weeks' to the database: the
        choosing (here) and the writing (there) run at once, on two cores."""
        for week in weeks:
            draw, week_items = draw_build(
                week,
                pools[week.pilot_id],
                reviewers=len(groups.get(week.pilot_id, [])),
                seed=secrets.randbelow(2**31),
            )
            draws.append(draw)
            yield from week_items

    with collector_paused():  # every pilot's pool in memory at once: see common.batch
        pools = pools_of([week.pilot_id for week in weeks], period)
        items_insert(items())
    if bulk_sql.supported():
        now = timezone.now()
        bulk_sql.insert_json(WeekDraw, [{**d, "created_at": now, "updated_at": now} for d in draws])
    else:
        WeekDraw.objects.bulk_create([WeekDraw(**draw) for draw in draws])
    return sorted(week.pilot_id for week in weeks)
