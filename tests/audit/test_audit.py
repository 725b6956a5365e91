"""The audit trail: who did what and when, with before and after; no secrets in it."""

import pytest
from django.db.models import Q

from audit.models import AuditEvent
from governance.services import rule_settings_update
from pilots.services import pilot_transition, role_assign
from tests.pilots.factories import UserFactory


def events(**filters):
    return AuditEvent.objects.filter(**filters)


def test_sign_ins_and_failures_are_recorded_without_the_password(db, client):
    UserFactory(username="maria")
    client.post("/accounts/login/", {"username": "maria", "password": "not-my-password"})
    client.post("/accounts/login/", {"username": "maria", "password": "pw-for-tests"})
    failed = events(kind="sign_in_failed").get()
    assert failed.username == "maria" and failed.ip == "127.0.0.1"
    assert events(kind="sign_in", username="maria").count() == 1
    everything = str(list(AuditEvent.objects.values()))
    assert "not-my-password" not in everything and "pw-for-tests" not in everything


def test_a_role_change_records_who_before_and_after(people, pilot):
    newcomer = UserFactory(username="newcomer")
    role_assign(
        pilot=pilot,
        kind="reviewer",
        by=people["owner"],
        primary=newcomer,
        backup=people["reviewer"],
    )
    event = events(object_type="pilots.PilotRole", kind="changed").latest("at")
    assert event.user == people["owner"] and event.pilot_id == pilot.pk
    assert event.before["primary_id"] == people["reviewer"].pk
    assert event.after["primary_id"] == newcomer.pk
    assert event.at.utcoffset().total_seconds() == 0


def test_a_status_change_is_recorded(people, pilot):
    pilot_transition(pilot=pilot, to_status="paused", by=people["stopper"], reason="Wrong refunds.")
    event = events(object_type="pilots.Pilot", kind="changed", pilot_id=pilot.pk).latest("at")
    assert (event.before["status"], event.after["status"]) == ("piloting", "paused")
    assert event.user == people["stopper"]


def test_secrets_never_enter_the_audit_trail(people, pilot):
    rule_settings_update(
        pilot=pilot,
        by=people["owner"],
        data={"webhook_url": "https://chat.example.com/hook", "webhook_secret": "s3cr3t-value"},
    )
    assert "s3cr3t-value" not in str(list(AuditEvent.objects.values()))
    event = events(object_type="governance.RuleSettings").latest("at")
    assert event.after["webhook_secret"] == "••••"


def test_permission_denials_are_recorded(people, pilot, client_for, api_for):
    client_for(people["reviewer"]).post(
        f"/pilots/{pilot.pk}/sections/handoff/", {"handoff_conditions": "x"}
    )
    api_for(people["reviewer"]).patch(f"/api/pilots/{pilot.pk}", {"name": "x"}, format="json")
    denials = events(kind="denied", user=people["reviewer"])
    assert denials.count() == 2
    assert (
        denials.filter(
            Q(summary__startswith="POST /pilots/") | Q(summary__startswith="PATCH /api/pilots/")
        ).count()
        == 2
    )
    assert set(denials.values_list("pilot_id", flat=True)) == {pilot.pk}


@pytest.mark.parametrize("who", ["owner", "finance", "stopper"])
def test_only_administrators_read_the_audit_trail(people, client_for, who):
    assert client_for(people[who]).get("/audit/").status_code == 403


def test_administrators_filter_the_trail_by_pilot_and_person(people, pilot, client_for):
    role_assign(
        pilot=pilot,
        kind="stop_authority",
        by=people["owner"],
        primary=people["stopper_backup"],
        backup=people["stopper"],
    )
    page = client_for(people["admin"]).get(
        "/audit/", {"pilot": pilot.pk, "user": people["owner"].pk}
    )
    assert page.status_code == 200
    shown = list(page.context["page"].object_list)
    assert shown and all(e.pilot_id == pilot.pk and e.user_id == people["owner"].pk for e in shown)


def test_a_cost_push_is_recorded_once_per_pilot_with_what_it_added(people, pilot, api_for):
    rows = [
        {
            "pilot": pilot.pk,
            "date": "2026-11-02",
            "category": "model_api",
            "amount": "0.03",
            "idempotency_key": f"k{i}",
        }
        for i in range(3)
    ]
    assert api_for(people["owner"]).post(
        "/api/cost-entries/bulk", rows, format="json"
    ).status_code in (200, 201)
    event = events(kind="bulk", object_type="costs.CostEntry").get()
    assert (event.pilot_id, event.user) == (pilot.pk, people["owner"])
    assert event.after == {"entries": 3, "total": "0.09"}
