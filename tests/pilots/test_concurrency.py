"""Concurrent edits: nobody silently overwrites a change they never saw."""

import re
import threading

import pytest
from django.db import connection

from common.errors import StaleEdit
from common.versions import version_of
from pilots.models import Pilot, PilotRole
from pilots.services import pilot_update
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def opened_version(client, pilot, section="handoff") -> str:
    form = client.get(
        f"/pilots/{pilot.pk}/sections/{section}/", {"edit": 1}, **HTMX
    ).content.decode()
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_a_stale_browser_edit_shows_who_changed_it_with_both_versions_and_keeps_the_text(
    people, pilot, client_for
):
    from django.test import Client

    people["tech"].first_name, people["tech"].last_name = "Tomas", "Novak"
    people["tech"].save()
    maria, tomas = client_for(people["owner"]), Client()
    tomas.force_login(people["tech"])
    maria_version = opened_version(maria, pilot)
    tomas.post(
        f"/pilots/{pilot.pk}/sections/handoff/",
        {
            "handoff_conditions": "a refund is mentioned.",
            "handoff_receiver": "billing",
            "handoff_response_minutes": "30",
            "version": opened_version(tomas, pilot),
        },
        **HTMX,
    )

    url = f"/pilots/{pilot.pk}/sections/handoff/"
    typed = {
        "handoff_conditions": "the customer is angry.",
        "handoff_receiver": "tier 2",
        "handoff_response_minutes": "15",
        "version": maria_version,
    }
    page = maria.post(url, typed, **HTMX).content.decode()
    assert "Changed by Tomas Novak at" in page and "since you opened it" in page
    assert "a refund is mentioned." in page  # their version
    assert "the customer is angry." in page  # hers, kept in the form
    pilot.refresh_from_db()
    assert pilot.handoff_conditions == "a refund is mentioned."

    typed["version"] = re.search(r'name="version" value="(\d+)"', page).group(1)
    maria.post(url, typed, **HTMX)  # saving again knowingly replaces theirs
    pilot.refresh_from_db()
    assert pilot.handoff_conditions == "the customer is angry."


def test_the_api_answers_412_to_a_stale_if_match_and_changes_nothing(people, pilot, api_for):
    api = api_for(people["owner"])
    etag = api.get(f"/api/pilots/{pilot.pk}")["ETag"]
    assert etag == f'"{version_of(pilot)}"'
    first = api.patch(
        f"/api/pilots/{pilot.pk}", {"limits": "English only."}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first["ETag"] != etag
    stale = api.patch(
        f"/api/pilots/{pilot.pk}", {"limits": "Anything."}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert "since you read it" in stale.json()["detail"]
    pilot.refresh_from_db()
    assert pilot.limits == "English only."
    fresh = api.patch(
        f"/api/pilots/{pilot.pk}",
        {"limits": "Short tickets."},
        format="json",
        HTTP_IF_MATCH=first["ETag"],
    )
    assert fresh.status_code == 200


def test_the_ownership_matrix_api_checks_if_match_too(people, pilot, api_for):
    api = api_for(people["owner"])
    role = PilotRole.objects.get(pilot=pilot, kind="reviewer")
    etag = api.get(f"/api/roles/{role.pk}")["ETag"]
    assert (
        api.patch(
            f"/api/roles/{role.pk}", {"response_minutes": 90}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    stale = api.patch(
        f"/api/roles/{role.pk}", {"response_minutes": 5}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    role.refresh_from_db()
    assert role.response_minutes == 90


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_version_at_once_one_wins_the_other_is_told(people):
    pilot = PilotFactory()
    staff_pilot(pilot, people)
    version = version_of(pilot)
    barrier, outcomes = threading.Barrier(2), []

    def save(by, text):
        try:
            barrier.wait(timeout=10)
            pilot_update(pilot=pilot, by=by, data={"limits": text}, expected_version=version)
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(people[who], who)) for who in ("owner", "tech")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["saved", "stale"]
    assert Pilot.objects.get(pk=pilot.pk).limits in {"owner", "tech"}


def test_cost_and_error_entries_answer_412_to_a_stale_if_match(people, pilot, api_for):
    from datetime import date
    from decimal import Decimal

    from costs.services import cost_entry_create
    from reviews.services import error_report

    api = api_for(people["owner"])
    entry, _ = cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=date(2026, 11, 2),
        category="model_api",
        amount=Decimal("12.00"),
    )
    etag = api.get(f"/api/cost-entries/{entry.pk}")["ETag"]
    assert (
        api.patch(
            f"/api/cost-entries/{entry.pk}", {"note": "first"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    stale = api.patch(
        f"/api/cost-entries/{entry.pk}", {"amount": "99.00"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    entry.refresh_from_db()
    assert entry.amount == Decimal("12.00")

    error = error_report(pilot=pilot, by=people["reviewer"], what_went_wrong="Wrong delivery date.")
    reviewer = api_for(people["reviewer"])
    etag = reviewer.get(f"/api/errors/{error.pk}")["ETag"]
    assert (
        reviewer.patch(
            f"/api/errors/{error.pk}", {"why_wrong": "Old data."}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    stale = reviewer.patch(
        f"/api/errors/{error.pk}", {"why_wrong": "Guess."}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    error.refresh_from_db()
    assert error.why_wrong == "Old data."
