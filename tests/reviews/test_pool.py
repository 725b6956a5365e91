"""The candidate pool: a bounded, stratified few task texts per pilot and day, kept at ingest."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reviews.models import PoolCandidate
from reviews.pool import Offer, choose
from tests.reviews.queue_helpers import ingest, task_row
from traffic.services.ingest import MAX_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_a_busy_day_keeps_at_most_the_bound_of_texts(pilot, people, yesterday, settings):
    settings.PILOTDECK_POOL_PER_DAY = 12
    for batch in range(3):
        rows = [
            task_row(pilot, batch * 1000 + n, day=yesterday, user=f"user{n % 7}@example.com")
            for n in range(1000)
        ]
        assert ingest(people["tech"], rows).created == 1000
    kept = PoolCandidate.objects.filter(pilot=pilot, day=yesterday)
    assert kept.count() == 12
    assert len({c.user_ref for c in kept}) == 7  # spread over everyone who used it


def test_the_pool_costs_four_queries_per_batch_not_per_row(pilot, people, yesterday, settings):
    settings.PILOTDECK_POOL_PER_DAY = 20
    ingest(people["tech"], [task_row(pilot, n, day=yesterday) for n in range(50)])

    def queries(first, with_text):
        rows = [task_row(pilot, first + n, day=yesterday) for n in range(1000)]
        if not with_text:
            for row in rows:
                del row["input_text"], row["output_text"]
        with CaptureQueriesContext(connection) as captured:
            ingest(people["tech"], rows)
        return len(captured.captured_queries)

    # The pilot's turn at its pool, one locked read of the day's pool, one delete of the evicted,
    # one insert of the winners; a batch without text takes none of them.
    assert queries(1000, with_text=True) - queries(5000, with_text=False) == 4
    assert PoolCandidate.objects.filter(pilot=pilot).count() == 20


def test_messy_cases_win_places_before_clean_ones(pilot, people, yesterday, settings):
    settings.PILOTDECK_POOL_PER_DAY = 6
    rows = [task_row(pilot, n, day=yesterday) for n in range(40)]
    rows[5]["outcome"] = "handed_off"
    rows[6]["outcome"] = "failed"
    rows[7]["model_requested"] = "gpt-4o"  # served by another model: a retry
    rows[8]["input_tokens"] = 9000
    ingest(people["tech"], rows)
    kept = {c.source_id: c.messy for c in PoolCandidate.objects.filter(pilot=pilot)}
    assert len(kept) == 6
    assert kept[rows[5]["source_id"]] == ["handed_off"]
    assert kept[rows[6]["source_id"]] == ["failed"]
    assert kept[rows[7]["source_id"]] == ["retried"]
    assert kept[rows[8]["source_id"]] == ["long_input"]


def test_a_task_without_text_is_not_kept(pilot, people, yesterday):
    row = task_row(pilot, 1, day=yesterday)
    del row["input_text"], row["output_text"]
    ingest(people["tech"], [row])
    assert not PoolCandidate.objects.exists()


def test_the_pool_does_not_depend_on_the_order_batches_arrive_in():
    offers = [Offer(n, f"u{n % 3}", "t", n % 5 == 0, (n * 7919) % 1000) for n in range(60)]
    whole = {o.key for o in choose(offers, 10)}
    kept = choose(offers[:30], 10)
    again = {o.key for o in choose(kept + offers[30:], 10)}
    assert whole == again


def test_a_pilot_receiving_a_million_tasks_a_day_keeps_at_most_the_bound_of_texts():
    """The bound logic the ingest runs for each batch (the day's kept tasks and the batch's new
    ones, `choose` decides), fed a million tasks in the largest batches the API takes."""
    bound, kept = 60, []
    for batch in range(1_000_000 // MAX_ROWS):
        offers = [
            Offer(
                (batch, n),
                f"u{n % 37}",
                f"t{n % 3}",
                n % 11 == 0,
                (batch * MAX_ROWS + n) * 2654435761 % 2**63,
            )
            for n in range(MAX_ROWS)
        ]
        kept = choose(kept + offers, bound)
        assert len(kept) <= bound
    assert len(kept) == bound and len({o.key for o in kept}) == bound
    assert len({o.user for o in kept}) == 37  # still spread over everyone who used it


@hsettings(max_examples=200, deadline=None)
@given(
    flags=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2), st.booleans()), max_size=300),
    bound=st.integers(1, 60),
)
def test_a_day_never_keeps_more_than_its_bound_and_keeps_messy_cases_first(flags, bound):
    offers = [
        Offer(n, f"u{user}", f"t{kind}", messy, (n * 2654435761) % 2**32)
        for n, (user, kind, messy) in enumerate(flags)
    ]
    kept = choose(offers, bound)
    assert len(kept) == min(bound, len(offers)) and len({o.key for o in kept}) == len(kept)
    messy = [o for o in offers if o.messy]
    if len(messy) <= bound * 2 // 3:
        assert {o.key for o in messy} <= {o.key for o in kept}
    strata = {(o.user, o.task_type) for o in offers}
    assert len({(o.user, o.task_type) for o in kept}) >= min(len(strata), bound) // 2


def test_a_task_drawn_for_review_keeps_its_text_when_the_day_fills_up(
    pilot, people, yesterday, settings
):
    from reviews.models import QueueItem
    from tests.reviews.factories import ReviewWeekFactory

    settings.PILOTDECK_POOL_PER_DAY = 3
    ingest(people["tech"], [task_row(pilot, n, day=yesterday) for n in range(3)])
    drawn = PoolCandidate.objects.filter(pilot=pilot).first()
    QueueItem.objects.create(
        week=ReviewWeekFactory(pilot=pilot), candidate=drawn, reference=drawn.source_id, position=1
    )
    messy = [task_row(pilot, 100 + n, day=yesterday, outcome="failed") for n in range(10)]
    ingest(people["tech"], messy)
    assert PoolCandidate.objects.filter(pk=drawn.pk).exists()
