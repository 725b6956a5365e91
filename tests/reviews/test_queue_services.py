"""The queue: items shared by the reviewer group, held while open, scored into the week's samples."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from common.errors import ApplicationError
from costs.models import Category, CostEntry, HourlyRate
from reviews import selectors
from reviews.models import ErrorEntry, QueueItem, Sample
from reviews.services.draw import review_week_draw
from reviews.services.queue import queue_item_score, queue_item_skip, queue_next
from reviews.services.review_time import review_time_record
from tests.reviews.factories import ReviewWeekFactory
from tests.reviews.queue_helpers import candidate

pytestmark = pytest.mark.django_db

CLEAN = {
    "accuracy_ok": True,
    "accuracy_note": "",
    "tone_ok": True,
    "tone_note": "",
    "completeness_ok": True,
    "completeness_note": "",
    "should_have_gone_to_human": False,
    "outcome": Sample.Outcome.SENT_AS_IS,
    "minutes_with_ai": Decimal("2.0"),
    "manual_minutes": Decimal("8.0"),
    "complaint": False,
    "note": "",
}


@pytest.fixture
def drawn_week(pilot, people, settings):
    settings.PILOTDECK_AGREEMENT_PERCENT = 0
    week = ReviewWeekFactory(pilot=pilot, target_size=3)
    before = week.week_start - timedelta(days=7)
    for n in range(6):
        candidate(pilot, n, day=before + timedelta(days=n), user=["ana", "ben"][n % 2])
    review_week_draw(week=week, by=people["reviewer"], seed=7)
    return week


def test_an_item_one_reviewer_has_open_is_not_handed_to_another(drawn_week, people):
    mine = queue_next(week=drawn_week, by=people["reviewer"])
    theirs = queue_next(week=drawn_week, by=people["reviewer_backup"])
    assert mine.pk != theirs.pk
    assert queue_next(week=drawn_week, by=people["reviewer"]).pk == mine.pk  # still mine


def test_an_expired_lease_frees_the_item(drawn_week, people):
    item = queue_next(week=drawn_week, by=people["reviewer"])
    QueueItem.objects.filter(pk=item.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert queue_next(week=drawn_week, by=people["reviewer_backup"]).pk == item.pk
    with pytest.raises(ApplicationError, match="Another reviewer"):
        queue_item_score(item=item, by=people["reviewer"], scores=CLEAN)


def test_a_scored_item_becomes_a_sample_of_the_task_and_the_figures_count_it(drawn_week, people):
    item = queue_next(week=drawn_week, by=people["reviewer"])
    scored = queue_item_score(item=item, by=people["reviewer"], scores=CLEAN)
    sample = Sample.objects.get(pk=scored.sample_id)
    assert sample.reference == item.reference == item.candidate.source_id
    assert sample.produced_on == item.candidate.day
    assert sample.produced_by == item.candidate.user_ref
    figures = selectors.week_figures(week=drawn_week)
    assert figures.samples == 1 and figures.avg_minutes_saved == Decimal("6.0")
    assert scored.seconds_spent is not None


def test_log_as_an_error_fills_in_what_the_ai_was_asked_and_produced(drawn_week, people):
    item = queue_next(week=drawn_week, by=people["reviewer"])
    scores = {**CLEAN, "accuracy_ok": False, "accuracy_note": "Wrong date"}
    scored = queue_item_score(
        item=item,
        by=people["reviewer"],
        scores=scores,
        error={"what_went_wrong": "Promised Friday; it ships Monday.", "severity": "low"},
    )
    entry = ErrorEntry.objects.get()
    assert entry.task_asked == item.candidate.input_text
    assert entry.output == item.candidate.output_text
    assert entry.reference == item.reference
    assert Sample.objects.get(pk=scored.sample_id).error == entry


def test_a_skip_needs_a_reason(drawn_week, people):
    item = queue_next(week=drawn_week, by=people["reviewer"])
    with pytest.raises(ApplicationError) as raised:
        queue_item_skip(item=item, by=people["reviewer"], reason="  ")
    assert "skip_reason" in raised.value.field_errors
    queue_item_skip(item=item, by=people["reviewer"], reason="Customer data in the text")
    assert queue_next(week=drawn_week, by=people["reviewer"]).pk != item.pk


def test_the_weeks_review_time_goes_into_the_ledger_once(drawn_week, people):
    HourlyRate.objects.create(
        pilot=drawn_week.pilot, category=Category.REVIEWER_TIME, rate=Decimal("60")
    )
    for _ in range(3):
        item = queue_next(week=drawn_week, by=people["reviewer"])
        QueueItem.objects.filter(pk=item.pk).update(opened_at=timezone.now() - timedelta(minutes=4))
        item.refresh_from_db()
        queue_item_score(item=item, by=people["reviewer"], scores=CLEAN)
    entry = CostEntry.objects.get(pilot=drawn_week.pilot, category=Category.REVIEWER_TIME)
    assert entry.hours == Decimal("0.2000")  # three items of four minutes
    assert entry.amount == Decimal("12.0000")
    assert entry.idempotency_key == f"weekly-review-{drawn_week.iso_week}"
    assert review_time_record(week=drawn_week).entry == entry
    assert CostEntry.objects.filter(category=Category.REVIEWER_TIME).count() == 1


def test_a_week_closed_before_its_queue_is_done_still_counts_its_review_time(drawn_week, people):
    from reviews.services import review_week_close

    item = queue_next(week=drawn_week, by=people["reviewer"])
    QueueItem.objects.filter(pk=item.pk).update(opened_at=timezone.now() - timedelta(minutes=6))
    item.refresh_from_db()
    queue_item_score(item=item, by=people["reviewer"], scores=CLEAN)
    assert not CostEntry.objects.filter(category=Category.REVIEWER_TIME).exists()  # 1 of 3 done
    # No reviewer rate yet: nothing is recorded, and it is recorded once a rate is set.
    assert review_time_record(week=drawn_week).problem
    HourlyRate.objects.create(pilot=None, category=Category.REVIEWER_TIME, rate=Decimal("50"))
    review_week_close(
        week=drawn_week, by=people["reviewer"], decision="Keep it.", below_target_reason="Busy."
    )
    entry = CostEntry.objects.get(pilot=drawn_week.pilot, category=Category.REVIEWER_TIME)
    assert (entry.hours, entry.amount) == (Decimal("0.1000"), Decimal("5.0000"))


def test_both_passes_of_an_agreement_item_go_to_two_reviewers(pilot, people, settings):
    settings.PILOTDECK_AGREEMENT_PERCENT = 100
    week = ReviewWeekFactory(pilot=pilot, target_size=1)
    candidate(pilot, 1, day=week.week_start - timedelta(days=2))
    review_week_draw(week=week, by=people["reviewer"])
    first = queue_next(week=week, by=people["reviewer"])
    queue_item_score(item=first, by=people["reviewer"], scores=CLEAN)
    assert queue_next(week=week, by=people["reviewer"]) is None
    second = queue_next(week=week, by=people["reviewer_backup"])
    assert second.position == first.position and second.pass_number != first.pass_number
    queue_item_score(
        item=second,
        by=people["reviewer_backup"],
        scores={**CLEAN, "tone_ok": False, "tone_note": "Curt"},
    )
    assert Sample.objects.count() == 1  # the week counts the item once


def test_deleting_a_pilot_takes_its_pool_and_queue_with_it(drawn_week, people):
    from reviews.models import PoolCandidate

    queue_item_score(
        item=queue_next(week=drawn_week, by=people["reviewer"]), by=people["reviewer"], scores=CLEAN
    )
    drawn_week.pilot.delete()
    connection.check_constraints()  # as at commit: nothing points at a deleted row
    assert not PoolCandidate.objects.exists() and not QueueItem.objects.exists()
