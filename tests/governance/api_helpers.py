"""Shared by the governance API tests: proposing a change and acting on it over REST."""

from governance.models import Change, DecisionRight

Right = DecisionRight.Kind


def propose(api, pilot, kind="prompt", new_value="", title="Shorter greeting in drafts"):
    response = api.post(
        "/api/changes",
        {
            "pilot": pilot.pk,
            "kind": kind,
            "title": title,
            "hypothesis": "Agents delete the greeting in most drafts; fewer edits.",
            "new_value": new_value,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    return Change.objects.get(pk=response.data["id"])


def act(api, change, action, data=None):
    return api.post(f"/api/changes/{change.pk}/{action}", data or {}, format="json")
