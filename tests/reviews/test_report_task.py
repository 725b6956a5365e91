"""Report bad output from a task: name it by its source id and what the AI did is filled in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ErrorEntry, PoolCandidate
from tests.reviews.queue_helpers import candidate, ingest, task_row

pytestmark = pytest.mark.django_db


def test_the_api_report_names_a_task_and_gets_its_text(pilot, people, api_for):
    day = timezone.localdate() - timedelta(days=1)
    task = candidate(pilot, 5, day=day, source_id="ticket-5")
    response = api_for(people["tech"]).post(
        "/api/error-reports",
        {"pilot": pilot.pk, "what_went_wrong": "Wrong date.", "task": "ticket-5"},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = ErrorEntry.objects.get()
    assert (entry.task_asked, entry.output) == (task.input_text, task.output_text)
    assert entry.reference == "ticket-5" and entry.occurred_on == day
    assert "reported" in PoolCandidate.objects.get().messy  # a messy case for the next draw


def test_an_unknown_task_id_is_a_field_error(pilot, people, api_for):
    response = api_for(people["tech"]).post(
        "/api/error-reports",
        {"pilot": pilot.pk, "what_went_wrong": "Wrong date.", "task": "nope"},
        format="json",
    )
    assert response.status_code == 400
    assert "This pilot has no task" in str(response.json())
    assert not ErrorEntry.objects.exists()


def test_a_task_whose_text_was_not_kept_still_gives_its_reference(pilot, people, client_for):
    day = timezone.localdate() - timedelta(days=1)
    row = task_row(pilot, 1, day=day)
    del row["input_text"], row["output_text"]
    ingest(people["tech"], [row])
    client = client_for(people["owner"])
    client.post(
        f"/pilots/{pilot.pk}/errors/report/",
        {"what_went_wrong": "Odd.", "task": row["source_id"]},
    )
    entry = ErrorEntry.objects.get()
    assert entry.reference == row["source_id"] and entry.task_asked == ""


def test_the_report_page_offers_recent_tasks(pilot, people, client_for):
    candidate(pilot, 1, day=timezone.localdate(), source_id="ticket-77")
    page = client_for(people["owner"]).get(f"/pilots/{pilot.pk}/errors/report/")
    assert b'<option value="ticket-77">' in page.content
