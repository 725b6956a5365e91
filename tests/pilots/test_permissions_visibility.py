"""A pilot you have no role on is never listed or hinted at, and refusals ignore the payload."""

import pytest

from pilots import services

# --- A pilot you have no role on is never listed -----------------------------------------------


def api_ids(response, field="id"):
    assert response.status_code == 200
    return {row[field] for row in response.data["results"]}


LISTS = [
    pytest.param("/api/pilots", "id", id="pilots"),
    pytest.param("/api/roles", "pilot", id="roles"),
    pytest.param("/api/decision-rights", "pilot", id="decision-rights"),
    pytest.param("/api/changes", "pilot", id="changes"),
]


@pytest.mark.parametrize(("url", "pilot_field"), LISTS)
@pytest.mark.parametrize(
    ("role", "listed"),
    [("stranger", False), ("owner", True), ("reviewer", True), ("finance", True), ("admin", True)],
)
def test_api_list_shows_the_pilot_only_to_people_who_may_see_it(
    world, api_for, url, pilot_field, role, listed
):
    ids = api_ids(api_for(world.people[role]).get(url), pilot_field)

    assert (world.pilot.pk in ids) is listed


@pytest.mark.parametrize(
    ("role", "listed"), [("stranger", False), ("reviewer", True), ("admin", True)]
)
def test_portfolio_lists_the_pilot_only_to_people_who_may_see_it(world, client_for, role, listed):
    response = client_for(world.people[role]).get("/")

    assert response.status_code == 200
    assert (world.pilot in response.context["pilots"]) is listed
    assert (f"/pilots/{world.pilot.pk}/" in response.content.decode()) is listed


def test_stranger_sees_only_the_pilots_they_hold_a_role_on(world, api_for):
    own = services.pilot_create(by=world.people["stranger"], name="The stranger's own pilot")

    ids = api_ids(api_for(world.people["stranger"]).get("/api/pilots"))

    assert ids == {own.pk}


@pytest.mark.parametrize(
    "url",
    ["/api/roles", "/api/decision-rights", "/api/changes"],
    ids=["roles", "decision-rights", "changes"],
)
def test_posting_to_a_pilot_you_cannot_see_reads_like_a_pilot_that_does_not_exist(
    world, api_for, url
):
    stranger = api_for(world.people["stranger"])
    payload = {"kind": "policy", "title": "t", "hypothesis": "h", "primary": world.user("stranger")}

    hidden = stranger.post(url, {**payload, "pilot": world.pilot.pk}, format="json")
    missing = stranger.post(url, {**payload, "pilot": 999_999}, format="json")

    assert hidden.status_code == missing.status_code == 400
    assert str(hidden.data["pilot"][0]) == str(missing.data["pilot"][0]).replace(
        "999999", str(world.pilot.pk)
    )


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/roles", "pilot"),
        ("/api/decision-rights", "pilot"),
        ("/api/changes", "pilot"),
        ("/api/alerts", "pilot"),
        ("/api/rule-settings", "pilot"),
    ],
    ids=["roles", "decision-rights", "changes", "alerts", "rule-settings"],
)
def test_filtering_by_a_pilot_you_cannot_see_reads_like_a_pilot_that_does_not_exist(
    world, api_for, url, param
):
    """`?pilot=<id>` must not tell a stranger whether a pilot with that id exists."""
    stranger = api_for(world.people["stranger"])

    hidden = stranger.get(url, {param: world.pilot.pk})
    missing = stranger.get(url, {param: 999_999})

    assert hidden.status_code == missing.status_code
    assert hidden.status_code in {200, 400}


# --- A refusal does not depend on the payload ---------------------------------------------------

INVALID_WRITES = [
    pytest.param(
        "patch", lambda w: f"/api/pilots/{w.pilot.pk}", {"monthly_cap": "-5"}, id="api-pilot-patch"
    ),
    pytest.param("put", lambda w: f"/api/pilots/{w.pilot.pk}", {"name": ""}, id="api-pilot-put"),
    pytest.param(
        "post",
        lambda w: f"/api/pilots/{w.pilot.pk}/status",
        {"status": "paused"},
        id="api-pause-without-reason",
    ),
    pytest.param(
        "patch",
        lambda w: f"/api/roles/{w.reviewer_role.pk}",
        {"response_minutes": 0},
        id="api-role-patch",
    ),
]


@pytest.mark.parametrize("role", ["reviewer", "finance"])
@pytest.mark.parametrize(("method", "url", "payload"), INVALID_WRITES)
def test_a_read_only_role_is_refused_with_403_whatever_it_sends(
    world, api_for, role, method, url, payload
):
    """A write the caller may not make answers 403 before its payload is looked at: a read-only
    caller must not be sent off to fix field errors for a write it will never be allowed."""
    response = getattr(api_for(world.people[role]), method)(url(world), payload, format="json")

    assert response.status_code == 403, response.data


@pytest.mark.parametrize("role", ["reviewer", "finance"])
def test_a_read_only_role_is_refused_a_pause_without_reason_in_the_browser_too(
    world, client_for, role
):
    response = client_for(world.people[role]).post(
        f"/pilots/{world.pilot.pk}/status/", {"status": "paused"}
    )

    assert response.status_code == 403
