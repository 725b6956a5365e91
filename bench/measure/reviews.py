"""Figure 9 (issue 13): the week's draw for every pilot, and the server's time per scored item.

9a — `review_weeks_draw_due` on this week's Monday, as beat runs it: every pilot with a pool in
the previous week gets its week opened and its sample drawn, next to a hand-written SQL draw of
the same weeks (three statements: open the weeks, pick each week's items round robin across the
pool's days with the messy cases first, record the draws). Both run in a transaction rolled back,
so every run draws the same pilots (the query counts shown include the transaction's BEGIN and
ROLLBACK). The draw's own statements are counted for every pilot, and again with the pools of all
but a tenth of the pilots removed (in a rolled-back transaction): the same count.
9b — a reviewer working through the busiest pilot's drawn week in the browser: the POST of a
clean score, then the queue page with the next item (which leases it), in process.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction

from bench.generate import Dataset
from bench.generate.pool import pool_period
from reviews.models import PoolCandidate, QueueItem, ReviewWeek, WeekDraw
from reviews.services.draw import review_week_draw, reviewer_groups
from reviews.services.draw_due import review_weeks_draw_due

from .figures import Options, _ok, _ratio, browser, result
from .timing import Timing, count_queries, measure_pair, timed

DRAW_TARGET = 1.5
BASELINE_SEED = "8"

OPEN_WEEKS = """
INSERT INTO reviews_reviewweek (created_at, updated_at, pilot_id, week_start, reviewer_id,
                                target_size, notes, status, decision, below_target_reason)
SELECT now(), now(), p.id, %(monday)s, r.primary_id, p.review_sample_size, '', 'open', '', ''
FROM pilots_pilot p
LEFT JOIN pilots_pilotrole r ON r.pilot_id = p.id AND r.kind = 'reviewer'
WHERE p.status <> 'retired'
  AND EXISTS (SELECT 1 FROM reviews_poolcandidate c
              WHERE c.pilot_id = p.id AND c.day BETWEEN %(start)s AND %(end)s)
ON CONFLICT (pilot_id, week_start) DO NOTHING
"""

DUE_WEEKS = """
SELECT w.id, w.pilot_id, w.target_size FROM reviews_reviewweek w
WHERE w.week_start = %(monday)s AND w.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM reviews_weekdraw d WHERE d.week_id = w.id)
"""

PICK_ITEMS = f"""
INSERT INTO reviews_queueitem (week_id, candidate_id, reference, position, pass_number, status,
                               skip_reason, outcome)
SELECT week_id, id, source_id, position, 1, 'pending', '', ''
FROM (
    SELECT w.id AS week_id, w.target_size, c.id, c.source_id,
           row_number() OVER (PARTITION BY w.id ORDER BY c.in_day, c.day, c.id) AS position
    FROM ({DUE_WEEKS}) w
    JOIN (
        SELECT c.id, c.pilot_id, c.day, c.source_id,
               row_number() OVER (
                   PARTITION BY c.pilot_id, c.day
                   ORDER BY (c.messy = '[]'::jsonb), md5(c.id::text || %(seed)s)
               ) AS in_day
        FROM reviews_poolcandidate c WHERE c.day BETWEEN %(start)s AND %(end)s
    ) c ON c.pilot_id = w.pilot_id
) picked
WHERE position <= target_size
"""

RECORD_DRAWS = f"""
INSERT INTO reviews_weekdraw (created_at, updated_at, week_id, seed, period_start, period_end,
                              strata, gaps)
SELECT now(), now(), w.id, %(seed)s::bigint, %(start)s, %(end)s,
       jsonb_build_object(
           'drawn', count(*), 'days', count(DISTINCT c.day),
           'people', count(DISTINCT c.user_ref),
           'messy', count(*) FILTER (WHERE c.messy <> '[]'::jsonb)
       ),
       '[]'::jsonb
FROM ({DUE_WEEKS}) w
JOIN reviews_queueitem q ON q.week_id = w.id
JOIN reviews_poolcandidate c ON c.id = q.candidate_id
GROUP BY w.id
"""


def _monday(ds: Dataset):
    return ds.today - timedelta(days=ds.today.isoweekday() - 1)


def sql_draw(monday) -> int:
    """The hand-written draw: answers the items it inserted."""
    start, end = pool_period(monday)
    params = {"monday": monday, "start": start, "end": end, "seed": BASELINE_SEED}
    with connection.cursor() as cursor:
        cursor.execute(OPEN_WEEKS, params)
        cursor.execute(PICK_ITEMS, params)
        items = cursor.rowcount
        cursor.execute(RECORD_DRAWS, params)
    return items


def rolled_back(fn):
    """`fn` in a transaction that is rolled back: what it answers, and nothing kept."""

    def run():
        with transaction.atomic():
            answer = fn()
            transaction.set_rollback(True)
        return answer

    return run


def _drawn(monday) -> dict:
    pilots = review_weeks_draw_due(today=monday)
    items = QueueItem.objects.filter(week__week_start=monday, week__pilot_id__in=pilots).count()
    return {"pilots": len(pilots), "items": items}


def _queries(monday) -> int:
    """The statements of the draw itself, inside a transaction (as `_queries_for_a_tenth`)."""
    return count_queries(lambda: review_weeks_draw_due(today=monday))[0]


def _queries_for_a_tenth(monday) -> tuple[int, int]:
    start, end = pool_period(monday)
    with_pool = sorted(
        PoolCandidate.objects.filter(day__range=(start, end))
        .values_list("pilot_id", flat=True)
        .distinct()
    )
    # A tenth, with a pilot whose week is not open yet, so the weeks are created as for all.
    opened = set(ReviewWeek.objects.filter(week_start=monday).values_list("pilot_id", flat=True))
    kept = with_pool[::10] + [pk for pk in with_pool if pk not in opened][:1]
    PoolCandidate.objects.filter(day__range=(start, end)).exclude(pilot_id__in=kept).delete()
    queries, drawn = count_queries(lambda: review_weeks_draw_due(today=monday))
    return queries, len(drawn)


def draw_every_week(ds: Dataset, options: Options) -> dict:
    monday = _monday(ds)
    ours = rolled_back(lambda: review_weeks_draw_due(today=monday))
    baseline = rolled_back(lambda: sql_draw(monday))
    drawn = rolled_back(lambda: _drawn(monday))()
    baseline_items = baseline()
    ours_timing, baseline_timing = measure_pair(
        ours, baseline, repeat=options.sweep_repeat, warmup=0
    )
    every_queries = rolled_back(lambda: _queries(monday))()
    tenth_queries, tenth_pilots = rolled_back(lambda: _queries_for_a_tenth(monday))()
    ratio = _ratio(ours_timing, baseline_timing)
    same_queries = tenth_queries == every_queries
    return result(
        "9a",
        f"Review draw: every pilot's week, {drawn['pilots']:,} pilots, {drawn['items']:,} items",
        ours_timing,
        baseline=baseline_timing,
        ratio=ratio,
        target=f"≤ {DRAW_TARGET:g}× SQL; queries independent of pilot count",
        passed=ratio <= DRAW_TARGET and same_queries and drawn["pilots"] > 0,
        check={
            **drawn,
            "baseline_items": baseline_items,
            "queries_for_every_pilot": every_queries,
            "queries_for_a_tenth": tenth_queries,
            "pilots_for_a_tenth": tenth_pilots,
            "agreement_percent": settings.PILOTDECK_AGREEMENT_PERCENT,
        },
    )


CLEAN_SCORE = {
    "accuracy_ok": "True",
    "tone_ok": "True",
    "completeness_ok": "True",
    "outcome": "sent_as_is",
    "minutes_with_ai": "2",
    "manual_minutes": "7",
}


def _score(reviewer, item_id: int):
    return _ok(reviewer.post(f"/queue/{item_id}/score/", CLEAN_SCORE), 302)


def _next_item(reviewer, page: str):
    return _ok(reviewer.get(page))


def _score_the_week(ds: Dataset, options: Options) -> dict:
    monday = _monday(ds)
    pilot_id = ds.big_pilot
    group = reviewer_groups([pilot_id])[pilot_id]
    if not group:
        raise AssertionError(f"pilot {pilot_id} has no reviewer")
    week, _ = ReviewWeek.objects.get_or_create(
        pilot_id=pilot_id,
        week_start=monday,
        defaults={"reviewer_id": group[0], "target_size": 30},
    )
    ReviewWeek.objects.filter(pk=week.pk).update(status="open", closed_at=None, target_size=30)
    WeekDraw.objects.filter(week=week).delete()
    QueueItem.objects.filter(week=week).delete()
    week.refresh_from_db()
    review_week_draw(week=week, by=None, seed=8)
    reviewer = browser(group[0])
    page = f"/pilots/{pilot_id}/reviews/{week.iso_week}/queue/"
    _ok(reviewer.get(page))  # the first item, leased to the reviewer
    scores, nexts, score_queries, next_queries = [], [], None, None
    for _ in range(min(options.repeat + 1, week.target_size - 1)):
        item = QueueItem.objects.filter(week=week, leased_by_id=group[0], status="pending").first()
        if item is None:
            break
        post = partial(_score, reviewer, item.pk)
        get = partial(_next_item, reviewer, page)
        if score_queries is None:  # the first item: counted, not timed (as a warm-up)
            score_queries, _ = count_queries(post)
            next_queries, _ = count_queries(get)
            continue
        scores.append(timed(post)[0])
        nexts.append(timed(get)[0])
    scored = QueueItem.objects.filter(week=week, status="scored").count()
    return {
        "pilot": pilot_id,
        "scores": scores,
        "nexts": nexts,
        "score_queries": score_queries,
        "next_queries": next_queries,
        "scored": scored,
    }


def score_items(ds: Dataset, options: Options) -> dict:
    run = rolled_back(lambda: _score_the_week(ds, options))()
    both = Timing(
        seconds=[a + b for a, b in zip(run["scores"], run["nexts"], strict=True)],
        queries=(run["score_queries"] or 0) + (run["next_queries"] or 0),
    )
    score, following = Timing(seconds=run["scores"]), Timing(seconds=run["nexts"])
    text = (
        f"median {both.median * 1000:.1f} ms, p95 {both.p95 * 1000:.1f} ms, {both.queries} q "
        f"(score {score.median * 1000:.1f} ms, {run['score_queries']} q; next item's page "
        f"{following.median * 1000:.1f} ms, {run['next_queries']} q), {len(run['scores'])} items"
    )
    return result(
        "9b",
        "Review queue: server time per scored item (score POST + next item's page)",
        both,
        target="time and queries reported",
        passed=run["scored"] == len(run["scores"]) + 1,
        parts={
            "score_post": {**score.as_dict(), "queries": run["score_queries"]},
            "next_item_page": {**following.as_dict(), "queries": run["next_queries"]},
        },
        pilot=run["pilot"],
        ours_text=text,
    )
