"""Every in-place save that changes readiness tells the page (HX-Trigger), and the panels that
read it fetch themselves again from their own endpoint."""

import pytest
from django.urls import reverse

from pilots.models import PilotRole

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def unstopped(pilot):
    PilotRole.objects.filter(pilot=pilot, kind=PilotRole.Kind.STOP_AUTHORITY).delete()
    return pilot


def test_saving_an_owner_in_place_sends_pilot_changed_and_the_readiness_panel_shows_the_new_state(
    people, client_for, unstopped
):
    client = client_for(people["owner"])
    panel = reverse("pilots:panel", args=[unstopped.pk, "rules"])
    before = client.get(panel, **HTMX).content.decode()
    assert "no stop authority" in before
    response = client.post(
        reverse("pilots:role", args=[unstopped.pk, "stop_authority"]),
        {"primary": people["stopper"].pk, "backup": people["stopper_backup"].pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert "pilot-changed" in response["HX-Trigger"]
    after = client.get(panel, **HTMX).content.decode()
    assert "no stop authority" not in after
    assert 'hx-trigger="pilot-changed from:body"' in after  # it listens again after its swap


def test_saving_a_decision_right_or_a_section_in_place_sends_pilot_changed(
    people, client_for, pilot
):
    client = client_for(people["owner"])
    right = client.post(
        reverse("governance:right", args=[pilot.pk, "higher_usage"]),
        {"owner": people["owner"].pk, "backup": people["tech"].pk},
        **HTMX,
    )
    section = client.post(
        reverse("pilots:section", args=[pilot.pk, "fallback"]),
        {"fallback_action": "stop_workflow"},
        **HTMX,
    )
    assert "pilot-changed" in right["HX-Trigger"]
    assert "pilot-changed" in section["HX-Trigger"]
    cost = client.get(reverse("pilots:section", args=[pilot.pk, "cost"]), **HTMX)
    assert "approves higher usage" in cost.content.decode()


def test_a_refused_save_sends_no_change(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:role", args=[pilot.pk, "reviewer"]),
        {"primary": people["reviewer"].pk, "backup": people["reviewer"].pk},
        **HTMX,
    )
    assert "HX-Trigger" not in response


def test_the_page_panels_listen_for_changes_and_the_status_panel_has_its_own_endpoint(
    people, client_for, pilot
):
    client = client_for(people["owner"])
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    for url in (
        reverse("pilots:panel", args=[pilot.pk, "rules"]),
        reverse("pilots:panel", args=[pilot.pk, "status"]),
        reverse("pilots:section", args=[pilot.pk, "cost"]),
    ):
        assert f'hx-get="{url}" hx-trigger="pilot-changed from:body"' in page
    status = client.get(reverse("pilots:panel", args=[pilot.pk, "status"]), **HTMX)
    assert 'id="status-panel"' in status.content.decode()


def test_a_panel_is_shown_only_to_people_who_see_the_pilot(people, client_for, pilot):
    url = reverse("pilots:panel", args=[pilot.pk, "rules"])
    assert client_for(people["stranger"]).get(url).status_code == 404
    assert (
        client_for(people["owner"]).get(reverse("pilots:panel", args=[pilot.pk, "x"])).status_code
        == 404
    )
