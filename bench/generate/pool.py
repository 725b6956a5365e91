"""The review pool (issue 13): the texts ingest keeps of the previous week's tasks, at most
PILOTDECK_POOL_PER_DAY per pilot and day, made from the generated task records with one
INSERT … SELECT (the handed-off and failed tasks are the messy cases, kept first, as ingest keeps
them), so the week's draw (figure 9) has every connected pilot's pool to draw from."""

from datetime import date, timedelta

from django.conf import settings

POOL = """
INSERT INTO reviews_poolcandidate (
    pilot_id, day, source_id, started_at, user_ref, team, task_type, outcome, messy,
    input_tokens, people_seconds, input_text, output_text, rank
)
SELECT pilot_id, day, source_id, started_at, user_ref, team, task_type, outcome, messy,
       input_tokens, people_seconds,
       'Customer writes about ' || task_type || ' (' || source_id || ').',
       'Draft answer for ' || task_type || ', ' || input_tokens || ' tokens in.', rank
FROM (
    SELECT r.*, (r.started_at AT TIME ZONE %(zone)s)::date AS day,
           CASE r.outcome WHEN 'completed' THEN '[]'::jsonb
                ELSE jsonb_build_array(r.outcome) END AS messy,
           hashtextextended(r.source_id, r.pilot_id) AS rank,
           row_number() OVER (
               PARTITION BY r.pilot_id, (r.started_at AT TIME ZONE %(zone)s)::date
               ORDER BY (r.outcome = 'completed'), hashtextextended(r.source_id, r.pilot_id)
           ) AS kept
    FROM traffic_taskrecord r
    WHERE r.started_at >= %(start)s::date AND r.started_at < %(end)s::date
) kept_tasks
WHERE kept <= %(per_day)s
"""


def pool_period(today: date) -> tuple[date, date]:
    """The seven days before this week's Monday: what this week's draw reads."""
    monday = today - timedelta(days=today.isoweekday() - 1)
    return monday - timedelta(days=7), monday - timedelta(days=1)


def load_pool(cursor, *, today: date) -> int:
    start, end = pool_period(today)
    cursor.execute(
        POOL,
        {
            "zone": settings.TIME_ZONE,
            "start": start,
            "end": end + timedelta(days=1),
            "per_day": settings.PILOTDECK_POOL_PER_DAY,
        },
    )
    return cursor.rowcount
