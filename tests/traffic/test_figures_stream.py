"""`manage.py stream_traffic` posts LiteLLM StandardLoggingPayload batches over HTTP to a running
Pilotdeck, and the figures move."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from traffic.figures import pilot_traffic
from traffic.models import Connection, Origin, TaskRecord

pytestmark = pytest.mark.django_db(transaction=True)


def test_stream_traffic_sends_tasks_through_the_litellm_receiver(live_server, pilot, capsys):
    call_command(
        "stream_traffic", pilot=str(pilot.pk), url=live_server.url, rate=5, count=5, user="tech"
    )
    assert TaskRecord.objects.filter(pilot=pilot, origin=Origin.LITELLM).count() == 5
    assert Connection.objects.get(pilot=pilot, origin=Origin.LITELLM).received == 5
    figures = pilot_traffic(pilot=pilot, today=timezone.localdate())
    assert figures.total.tasks == 5 and figures.total.median_ms
    out = capsys.readouterr().out
    assert "sent 5: 5 stored, 0 refused" in out and "Done: 5 task(s) sent." in out


def test_stream_traffic_names_an_unknown_pilot(db, live_server):
    with pytest.raises(CommandError, match="No pilot 'Nobody'"):
        call_command("stream_traffic", pilot="Nobody", url=live_server.url, count=1)
