"""The draw: stratified across days, people and messy cases, recorded, and repeatable."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reviews.models import QueueItem, WeekDraw
from reviews.services.draw import (
    DrawFacts,
    draw_choose,
    pool_period,
    pools_of,
    review_week_draw,
)
from reviews.services.draw_due import review_weeks_draw_due
from tests.reviews.factories import ReviewWeekFactory, last_monday
from tests.reviews.queue_helpers import candidate

MONDAY = date(2026, 11, 2)
QUERIES = 10  # the beat's draw for any number of pilots


@st.composite
def pools(draw):
    size = draw(st.integers(min_value=3, max_value=80))
    facts = [
        DrawFacts(
            key=key,
            day=MONDAY + timedelta(days=draw(st.integers(0, 6))),
            user=draw(st.sampled_from(["ana", "ben", "chen", "dia"])),
            messy=draw(st.booleans()) and draw(st.booleans()),
        )
        for key in draw(st.lists(st.integers(1, 10**6), min_size=size, max_size=size, unique=True))
    ]
    return facts


@hsettings(max_examples=300, deadline=None)
@given(pool=pools(), target=st.integers(4, 40), seed=st.integers(0, 2**31))
def test_the_draw_covers_days_people_and_a_messy_case_without_repeats(pool, target, seed):
    keys = draw_choose(pool, target=target, seed=seed)
    by_key = {facts.key: facts for facts in pool}
    chosen = [by_key[key] for key in keys]
    assert len(keys) == len(set(keys)) == min(target, len(pool))
    pool_days, pool_users = {f.day for f in pool}, {f.user for f in pool}
    assert len({f.day for f in chosen}) >= min(3, len(pool_days))
    assert len({f.user for f in chosen}) >= min(2, len(pool_users))
    if any(f.messy for f in pool):
        assert any(f.messy for f in chosen)
    assert draw_choose(list(reversed(pool)), target=target, seed=seed) == keys


def _first_rule_pick(members, *, want_messy, users_drawn):
    """The draw's original rule for a day's next task, as every recorded seed was drawn with."""
    return min(
        range(len(members)),
        key=lambda i: (members[i].messy != want_messy, users_drawn[members[i].user], i),
    )


@hsettings(max_examples=200, deadline=None)
@given(pool=pools(), target=st.integers(1, 60), seed=st.integers(0, 2**31))
def test_a_recorded_seed_still_draws_what_it_drew(pool, target, seed):
    from reviews.services import draw as draw_module

    now = draw_choose(pool, target=target, seed=seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(draw_module, "_pick", _first_rule_pick)
        assert draw_choose(pool, target=target, seed=seed) == now


@st.composite
def lopsided_pools(draw):
    """Pools spanning at least three days and two people, most of them one busy day's or one
    person's: the shapes a greedy draw gets wrong (every extra person on the busy day)."""
    busy_day = MONDAY + timedelta(days=draw(st.integers(0, 6)))
    others = draw(
        st.lists(st.integers(0, 6).map(lambda n: MONDAY + timedelta(days=n)), min_size=2).filter(
            lambda days: len(set(days) - {busy_day}) >= 2
        )
    )
    main_user = draw(st.sampled_from(["ana", "ben"]))
    crowd = draw(st.lists(st.sampled_from(["chen", "dia", "eli", "fay"]), max_size=40))
    rows = [(busy_day, main_user)] + [(busy_day, user) for user in crowd]
    rows += [(day, main_user) for day in others]
    if not crowd:  # the second person somewhere
        rows.append((draw(st.sampled_from(others)), "zoe"))
    messy_at = draw(st.sets(st.integers(0, len(rows) - 1), max_size=3))
    keys = draw(st.permutations(range(1, len(rows) + 1)))
    return [
        DrawFacts(key=key, day=day, user=user, messy=index in messy_at)
        for index, (key, (day, user)) in enumerate(zip(keys, rows, strict=True))
    ]


@hsettings(max_examples=300, deadline=None)
@given(pool=lopsided_pools(), target=st.integers(4, 30), seed=st.integers(0, 2**31))
def test_a_lopsided_pool_still_gives_three_days_two_people_and_its_messy_case(pool, target, seed):
    keys = draw_choose(pool, target=target, seed=seed)
    by_key = {facts.key: facts for facts in pool}
    chosen = [by_key[key] for key in keys]
    assert len(keys) == len(set(keys)) == min(target, len(pool))
    assert len({f.day for f in chosen}) >= 3 and len({f.user for f in chosen}) >= 2
    assert any(f.messy for f in chosen) == any(f.messy for f in pool)
    assert draw_choose(sorted(pool, key=lambda f: -f.key), target=target, seed=seed) == keys


@pytest.mark.django_db
def test_a_week_draws_from_the_previous_week_and_records_how(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=6)
    before = week.week_start - timedelta(days=7)
    for n in range(12):
        candidate(pilot, n, day=before + timedelta(days=n % 4), user=["ana", "ben"][n % 2])
    candidate(pilot, 99, day=before + timedelta(days=5), messy=["failed"])
    candidate(pilot, 100, day=week.week_start)  # this week's: drawn next week
    draw = review_week_draw(week=week, by=people["reviewer"])
    items = list(QueueItem.objects.filter(week=week, pass_number=1))
    assert len(items) == 6
    assert draw.strata["messy"] >= 1 and draw.strata["pool"] == 13
    assert len(draw.strata["days"]) >= 3 and set(draw.strata["people"]) == {"ana", "ben"}
    assert draw.gaps == []
    # Two reviewers in the group: a share of the items is scored twice, independently.
    assert QueueItem.objects.filter(week=week, pass_number=2).count() == 1
    # The seed on the week draws the same sample again.
    start, end = pool_period(week)
    pool = pools_of([pilot.pk], (start, end))[pilot.pk]
    assert draw_choose(pool, target=6, seed=draw.seed) == [i.candidate_id for i in items]
    assert review_week_draw(week=week, by=people["reviewer"]) == draw  # once


@pytest.mark.django_db
def test_a_thin_pool_says_why_in_words(pilot, people):
    week = ReviewWeekFactory(pilot=pilot, target_size=10)
    day = week.week_start - timedelta(days=3)
    for n in range(4):
        candidate(pilot, n, day=day, user="ana@example.com")
    draw = review_week_draw(week=week, by=people["reviewer"])
    assert "Only one person used it in the previous week (ana@example.com)." in draw.gaps
    assert any("only 1 day" in gap for gap in draw.gaps)
    assert any("fewer than the target of 10" in gap for gap in draw.gaps)


@pytest.mark.django_db
def test_the_beat_opens_this_week_and_draws_once(pilot, people):
    monday = last_monday() + timedelta(days=7)
    for n in range(5):
        candidate(pilot, n, day=monday - timedelta(days=1 + n), user=["ana", "ben"][n % 2])
    assert review_weeks_draw_due(monday) == [pilot.pk]
    assert review_weeks_draw_due(monday) == []
    draw = WeekDraw.objects.get(week__pilot=pilot)
    assert draw.week.week_start == monday and draw.drawn_by is None
    # The week the beat opened has its history, as one opened by hand would.
    (opened,) = draw.week.history.all()
    assert (opened.history_type, opened.history_user, opened.target_size) == (
        "+",
        None,
        pilot.review_sample_size,
    )
    assert opened.status == "open" and opened.reviewer_id == draw.week.reviewer_id


@pytest.mark.django_db
def test_the_beat_draws_every_pilots_week_in_queries_that_do_not_grow_with_pilots(
    people, django_assert_num_queries
):
    from tests.fixtures import staff_pilot
    from tests.pilots.factories import PilotFactory

    monday = last_monday() + timedelta(days=7)

    def pilots_with_traffic(count):
        made = []
        for _ in range(count):
            pilot = PilotFactory()
            staff_pilot(pilot, people)
            for n in range(6):
                candidate(pilot, n, day=monday - timedelta(days=1 + n), user=["ana", "ben"][n % 2])
            made.append(pilot)
        return made

    pilots_with_traffic(2)
    with django_assert_num_queries(QUERIES) as few:
        review_weeks_draw_due(monday)
    more = pilots_with_traffic(6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert review_weeks_draw_due(monday) == sorted(p.pk for p in more)
