from django.core.management import call_command

from governance.models import Change, DecisionRight
from pilots.models import Pilot, PilotRole, StatusChange


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Pilot, PilotRole, StatusChange, DecisionRight, Change)
    }


def test_demo_loader_runs_twice_without_duplicates(db, capsys):
    call_command("demo_load")
    first = counts()
    call_command("demo_load")
    assert counts() == first
    assert first["Pilot"] >= 3
    out = capsys.readouterr().out
    assert "already present; nothing added" in out
    assert "maria" in out and "pilotdeck-demo" in out


def test_demo_support_pilot_is_complete(db):
    call_command("demo_load")
    pilot = Pilot.objects.get(name="Support ticket first replies")
    kinds = set(pilot.roles.values_list("kind", flat=True))
    assert set(PilotRole.REQUIRED) <= kinds
    assert all(role.backup_id for role in pilot.roles.filter(kind__in=PilotRole.REQUIRED))
    assert pilot.decision_rights.filter(owner__isnull=False).count() == len(
        DecisionRight.Kind.values
    )
    assert (
        pilot.handoff_conditions
        and pilot.fallback_action
        and pilot.override_cases
        and pilot.monthly_cap
    )


def test_demo_pilots_have_two_weeks_of_traffic_loaded_once(db):
    from django.utils import timezone

    from traffic.figures import pilot_traffic
    from traffic.models import TaskDay, TaskRecord

    call_command("demo_load")
    first = (TaskRecord.objects.count(), TaskDay.objects.count())
    call_command("demo_load")
    assert (TaskRecord.objects.count(), TaskDay.objects.count()) == first
    support = Pilot.objects.get(name="Support ticket first replies")
    figures = pilot_traffic(pilot=support, today=timezone.localdate())
    assert len(figures.days) >= 13 and figures.total.tasks > 1000
    assert figures.total.median_ms and figures.total.p95_ms > figures.total.median_ms
    assert figures.total.handed_off and figures.total.failed and figures.total.skipped
    assert figures.pickups.picked_up and not figures.pickups.late
    assert [team.team for team in figures.barely] == ["Billing"]
    sales = Pilot.objects.get(name="Sales call summaries")
    assert pilot_traffic(pilot=sales, today=timezone.localdate()).total.tasks > 100
