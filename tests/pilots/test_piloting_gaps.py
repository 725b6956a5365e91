"""A draft moves to piloting only with its required parts; the status panel says what is missing
before the click, and the refusal lists it."""

import pytest
from django.urls import reverse

from common.errors import ApplicationError
from pilots.models import Pilot, PilotRole
from pilots.services import pilot_create, pilot_transition, pilot_update, role_assign

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def blank(people):
    return pilot_create(by=people["owner"], name="Blank draft")


def test_the_status_panel_of_a_blank_draft_says_what_piloting_still_needs(
    people, client_for, blank
):
    page = client_for(people["owner"]).get(reverse("pilots:detail", args=[blank.pk]))
    html = page.content.decode()
    assert 'data-testid="piloting-gaps"' in html
    assert "Piloting needs first:</strong> what starts it (the job)" in html
    assert "a technical owner, a reviewer." in html
    assert "a fallback path" in html  # what is still open, said but not refused


def test_moving_a_blank_draft_to_piloting_is_refused_with_the_list(people, client_for, blank):
    response = client_for(people["owner"]).post(
        reverse("pilots:transition", args=[blank.pk]),
        {"status": "piloting", "reason": "Let's go."},
        **HTMX,
    )
    html = response.content.decode()
    assert "Still missing: what starts it (the job), what it produces (the job)" in html
    blank.refresh_from_db()
    assert blank.status == Pilot.Status.DRAFT


def test_a_draft_with_the_job_the_model_and_three_owners_starts_piloting(people, blank):
    pilot_update(
        pilot=blank,
        by=people["owner"],
        data={"trigger": "a ticket arrives.", "task_output": "a draft.", "model_name": "M"},
    )
    role_assign(
        pilot=blank, kind=PilotRole.Kind.TECHNICAL_OWNER, by=people["owner"], primary=people["tech"]
    )
    with pytest.raises(ApplicationError) as refused:
        pilot_transition(pilot=blank, to_status="piloting", by=people["owner"], reason="Go.")
    assert refused.value.field_errors["status"] == ["Still missing: a reviewer."]
    role_assign(
        pilot=blank, kind=PilotRole.Kind.REVIEWER, by=people["owner"], primary=people["reviewer"]
    )
    pilot = pilot_transition(pilot=blank, to_status="piloting", by=people["owner"], reason="Go.")
    assert pilot.status == Pilot.Status.PILOTING


def test_a_complete_piloting_pilot_shows_no_gap_list(people, client_for, pilot):
    html = client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk])).content
    assert b'data-testid="piloting-gaps"' not in html
