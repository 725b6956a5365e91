"""The queue page: one item at a time, scored with the sample form's checks, skips with reasons."""

from datetime import timedelta

import pytest

from reviews.models import PoolCandidate, QueueItem, Sample, WeekDraw
from tests.reviews.factories import ReviewWeekFactory
from tests.reviews.queue_helpers import QUEUE_SCORE as SCORE
from tests.reviews.queue_helpers import candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(pilot, settings):
    settings.PILOTDECK_AGREEMENT_PERCENT = 0
    week = ReviewWeekFactory(pilot=pilot, target_size=4)
    before = week.week_start - timedelta(days=7)
    for n in range(8):
        candidate(
            pilot,
            n,
            day=before + timedelta(days=n % 5),
            user=["ana", "ben"][n % 2],
            messy=["failed"] if n == 3 else [],
        )
    return week


def url(week, tail=""):
    return f"/pilots/{week.pilot_id}/reviews/{week.iso_week}/queue/{tail}"


def test_a_reviewer_draws_the_sample_and_sees_the_first_task(week, people, client_for):
    client = client_for(people["reviewer"])
    assert b"Draw this week" in client.get(url(week)).content
    response = client.post(url(week, "draw/"))
    assert response.status_code == 302
    page = client.get(url(week))
    item = QueueItem.objects.get(leased_by=people["reviewer"])
    assert item.candidate.input_text.encode() in page.content
    assert b"0 of 4" in page.content
    assert str(WeekDraw.objects.get(week=week).seed).encode() in page.content


def test_scoring_saves_a_sample_and_moves_to_the_next_item(week, people, client_for):
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    client.get(url(week))
    item = QueueItem.objects.get(leased_by=people["reviewer"])
    response = client.post(f"/queue/{item.pk}/score/", SCORE)
    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sample.reference == item.reference
    assert b"1 of 4" in client.get(url(week)).content


def test_a_failing_score_without_a_reason_is_refused_next_to_the_field(week, people, client_for):
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    client.get(url(week))
    item = QueueItem.objects.get(leased_by=people["reviewer"])
    response = client.post(f"/queue/{item.pk}/score/", {**SCORE, "tone_ok": "False"})
    assert response.status_code == 400
    assert b"Say briefly why the tone fails." in response.content
    assert not Sample.objects.exists()


def test_a_skip_without_a_reason_is_refused(week, people, client_for):
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    client.get(url(week))
    item = QueueItem.objects.get(leased_by=people["reviewer"])
    response = client.post(f"/queue/{item.pk}/skip/", {"skip_reason": ""})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    client.post(f"/queue/{item.pk}/skip/", {"skip_reason": "Test traffic"})
    item.refresh_from_db()
    assert item.status == QueueItem.Status.SKIPPED


def test_a_pilot_without_traffic_keeps_the_manual_form(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot)
    PoolCandidate.objects.all().delete()
    page = client_for(people["reviewer"]).get(url(week))
    assert b"No task texts have arrived" in page.content


def test_another_reviewer_cannot_score_an_item_held_by_someone_else(week, people, client_for):
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    client.get(url(week))
    item = QueueItem.objects.get(leased_by=people["reviewer"])
    other = client_for(people["reviewer_backup"])
    response = other.post(f"/queue/{item.pk}/score/", SCORE)
    assert response.status_code == 400
    assert b"Another reviewer has this item open" in response.content


@pytest.mark.parametrize("scored", [0, 3])
def test_the_queue_page_runs_a_fixed_number_of_queries(
    week, people, client_for, django_assert_num_queries, scored
):
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    for _ in range(scored):
        client.get(url(week))
        item = QueueItem.objects.get(leased_by=people["reviewer"], status="pending")
        client.post(f"/queue/{item.pk}/score/", SCORE)
    with django_assert_num_queries(18):  # the same with 0 or 3 items scored
        client.get(url(week))


def test_the_week_page_says_why_a_thin_pool_cannot_cover_the_week(pilot, people, client_for):
    week = ReviewWeekFactory(pilot=pilot, target_size=5)
    candidate(pilot, 1, day=week.week_start - timedelta(days=2), user="ana@example.com")
    client = client_for(people["reviewer"])
    client.post(url(week, "draw/"))
    page = client.get(f"/pilots/{pilot.pk}/reviews/{week.iso_week}/").content.decode()
    assert "Only one person used it in the previous week (ana@example.com)." in page
