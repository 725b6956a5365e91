"""The route table's rows for the kill switch: fast status, bulk status, OFREP."""

from tests.pilots.permission_helpers import SIGNED_IN, VIEWERS, api
from tests.route_table.base import Row, endpoint, get, post

ENDPOINTS: dict[str, Row] = {
    "pilot-status-fast": endpoint(
        lambda m: f"/api/pilot-status/{m.pilot.pk}", get(api(VIEWERS, 200))
    ),
    # A stranger gets an answer without the pilots they cannot see.
    "pilot-status-bulk": endpoint(
        lambda m: f"/api/pilot-status?ids={m.pilot.pk}", get(api(SIGNED_IN, 200))
    ),
    "ofrep-flag": endpoint(
        lambda m: f"/ofrep/v1/evaluate/flags/pilot-{m.pilot.pk}-may-call-model",
        post(api(VIEWERS, 200), lambda m: {"context": {}}),
    ),
    "ofrep-bulk": endpoint(
        lambda m: "/ofrep/v1/evaluate/flags",
        post(api(SIGNED_IN, 200), lambda m: {"context": {}}),
    ),
}
