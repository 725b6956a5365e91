"""A stop-now error stops the pilot and tells the stop authority at once, on the shortest clock.

The pause and its alert go through the rule engine's one alert path, exactly once per error: the
sweep that runs later finds the alert already raised. Severity reaches the route and the clock.
"""

import pytest
from django.core import mail

from common.errors import ApplicationError, PermissionDenied
from governance.models import Alert
from governance.services import pilots_evaluate
from pilots.models import Pilot, PilotRole
from pilots.services import pilot_transition
from reviews import services
from reviews.models import ErrorEntry
from reviews.selectors import error_list

pytestmark = pytest.mark.django_db
Severity = ErrorEntry.Severity


def report(pilot, by, what="Pasted another customer's address.", **fields):
    return services.error_report(
        pilot=pilot, by=by, what_went_wrong=what, severity=Severity.STOP_NOW, **fields
    )


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_stop_now_report_pauses_and_emails_the_stop_authority_and_backup_once(
    pilot, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = report(pilot, people["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        later = pilots_evaluate(pilot_ids=[pilot.pk])  # the sweep: nothing new to say

    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PAUSED and entry.paused_pilot
    alert = Alert.objects.get()
    assert alert.rule == "stop_now_error" and alert.paused_pilot
    assert later.alerts == []
    assert {people["stopper"].email, people["stopper_backup"].email} <= set(recipients())
    assert len(recipients()) == len(set(recipients()))  # one e-mail per person
    assert f"#{entry.pk}" in mail.outbox[0].body


def test_a_stop_now_report_on_a_pilot_already_paused_by_hand_still_alerts(
    pilot, people, django_capture_on_commit_callbacks
):
    pilot_transition(
        pilot=pilot, to_status=Pilot.Status.PAUSED, by=people["stopper"], reason="Holiday freeze"
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry = report(pilot, people["reviewer"])

    alert = Alert.objects.get()
    assert alert.rule == "stop_now_error" and not alert.paused_pilot
    assert not entry.paused_pilot
    assert people["stopper"].email in recipients()


def test_each_stop_now_error_is_its_own_cause(pilot, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(pilot, people["reviewer"])
        report(pilot, people["reviewer"], what="Promised a refund it may not promise.")
    assert Alert.objects.filter(rule="stop_now_error").count() == 2


def test_a_stop_now_entry_goes_to_the_stop_authority_on_the_shortest_clock(pilot, people):
    entry = report(pilot, people["reviewer"])
    assert (entry.routed_role, entry.routed_to) == (
        PilotRole.Kind.STOP_AUTHORITY,
        people["stopper"],
    )
    listed = error_list(user=people["stopper"], pilot=pilot).get(pk=entry.pk)
    assert listed.target_minutes == 30  # the security-incident path, not output quality's 480

    medium = services.error_report(
        pilot=pilot,
        by=people["reviewer"],
        what_went_wrong="Tone too stiff.",
        severity=Severity.MEDIUM,
    )
    assert medium.routed_role == PilotRole.Kind.BUSINESS_OWNER
    assert error_list(user=people["stopper"], pilot=pilot).get(pk=medium.pk).target_minutes == 480


def test_the_lane_the_category_names_hears_of_a_stop_now_error(
    pilot, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(pilot, people["reviewer"])
    assert set(recipients()) == {
        people[name].email for name in ("stopper", "stopper_backup", "owner", "owner_backup")
    }


def test_resume_is_refused_while_the_stop_now_error_is_open_and_says_why(pilot, people, client_for):
    entry = report(pilot, people["reviewer"])
    with pytest.raises(ApplicationError) as refused:
        pilot_transition(
            pilot=pilot, to_status=Pilot.Status.PILOTING, by=people["stopper"], reason="Fixed"
        )
    assert f"#{entry.pk} still open" in refused.value.field_errors["status"][0]

    page = client_for(people["stopper"]).get(f"/pilots/{pilot.pk}/")
    html = page.content.decode()
    assert "Resume is not possible yet" in html and f"#{entry.pk} still open" in html
    assert "Resume (piloting)" not in html

    services.error_resolve(entry=entry, by=people["stopper"], note="Prompt fixed, tested.")
    pilot_transition(
        pilot=pilot, to_status=Pilot.Status.PILOTING, by=people["stopper"], reason="Fixed"
    )
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PILOTING


def test_only_the_business_owner_retires_a_paused_pilot(pilot, people, client_for):
    report(pilot, people["reviewer"])
    for name in ("tech", "stopper", "reviewer"):
        with pytest.raises(PermissionDenied):
            pilot_transition(
                pilot=pilot, to_status=Pilot.Status.RETIRED, by=people[name], reason="Done"
            )
        html = client_for(people[name]).get(f"/pilots/{pilot.pk}/").content.decode()
        assert ">Retired<" not in html, name
    pilot_transition(pilot=pilot, to_status=Pilot.Status.RETIRED, by=people["owner"], reason="Done")
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.RETIRED
