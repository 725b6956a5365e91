"""The bench's load generator (figures 7 and 8) against a live server: keep-alive connections,
every request answered and counted, answers other than the expected status counted as errors."""

from urllib.parse import urlsplit

import pytest

from bench.measure.load import Connection, merge, request_bytes, run_level
from killswitch.services import status_token_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def address(live_server):
    parts = urlsplit(live_server.url)
    return parts.hostname, parts.port


def status_request(pilot, token: str) -> bytes:
    return request_bytes(
        "GET", f"/api/pilot-status/{pilot.pk}", headers={"Authorization": f"Token {token}"}
    )


def test_every_request_is_answered_and_timed(address, pilot, people):
    token = status_token_create(user=people["stopper"], name="bench", pilot_ids=[pilot.pk])[1]
    host, port = address

    level = run_level(host, port, status_request(pilot, token), concurrency=3, requests=10)

    assert (level.requests, level.errors, len(level.latencies)) == (10, 0, 10)
    assert 0 < level.percentile(0.5) <= level.percentile(0.99)
    assert level.as_dict()["requests_per_second"] > 0
    assert merge([level, level]).requests == 20


def test_answers_with_another_status_are_errors(address, pilot):
    host, port = address

    level = run_level(host, port, status_request(pilot, "pdks_wrong"), concurrency=2, requests=4)

    assert (level.requests, level.errors) == (4, 4)


def test_a_connection_reads_each_answer_by_its_length(address, pilot, people):
    token = status_token_create(user=people["stopper"], name="bench", pilot_ids=[pilot.pk])[1]
    connection = Connection(*address)
    connection.open()
    try:
        answers = [connection.request(status_request(pilot, token)) for _ in range(3)]
    finally:
        connection.close()

    assert [status for status, _ in answers] == [200, 200, 200]
    assert all(body.startswith(b'{"id": %d' % pilot.pk) for _, body in answers)
