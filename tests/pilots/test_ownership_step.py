"""The guided flow's ownership step: owners with backups and response times, and decision rights."""

import pytest
from django.urls import reverse

from governance.models import DecisionRight
from governance.services import decision_right_assign
from pilots.models import Pilot, PilotRole
from pilots.services import pilot_create

Kind = PilotRole.Kind
STEP_URL = "pilots:wizard"


def _step_data(people, **overrides) -> dict:
    data = {
        "business_owner-primary": people["owner"].pk,
        "business_owner-backup": people["owner_backup"].pk,
        "business_owner-response_minutes": "1 day",
        "technical_owner-primary": people["tech"].pk,
        "technical_owner-backup": people["owner"].pk,
        "technical_owner-response_minutes": "4 h",
        "reviewer-primary": people["reviewer"].pk,
        "reviewer-backup": people["reviewer_backup"].pk,
        "reviewer-response_minutes": "1 day",
        "stop_authority-primary": people["stopper"].pk,
        "stop_authority-backup": people["stopper_backup"].pk,
        "stop_authority-response_minutes": "30 min",
        "next": "",
    }
    for kind in DecisionRight.Kind.values:
        data[f"right-{kind}_owner"] = (
            "technical_owner" if kind == "prompt_changes" else "business_owner"
        )
        data[f"right-{kind}_backup"] = "stop_authority"
    data.update(overrides)
    return data


@pytest.fixture
def draft(people):
    return pilot_create(by=people["owner"], name="Invoice summaries")


def test_after_the_basics_the_flow_asks_who_owns_it_with_the_creator_as_business_owner(
    people, client_for
):
    client = client_for(people["owner"])
    response = client.post(reverse("pilots:create"), {"name": "Invoice summaries", "next": ""})
    pilot = Pilot.objects.get(name="Invoice summaries")
    assert response["Location"] == reverse(STEP_URL, args=[pilot.pk, "ownership"])
    page = client.get(response["Location"])
    assert page.status_code == 200
    form = dict(page.context["ownership"].role_forms[0][3].initial)
    assert form["primary"] == people["owner"].pk
    html = page.content.decode()
    assert "Who owns it" in html and "step 2 of 11" in html
    assert 'value="1 day"' in html and 'value="1 h"' in html  # default response times offered


def test_saving_the_step_fills_every_role_and_decision_right_and_goes_on(people, client_for, draft):
    response = client_for(people["owner"]).post(
        reverse(STEP_URL, args=[draft.pk, "ownership"]), _step_data(people)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(STEP_URL, args=[draft.pk, "job"])
    roles = {role.kind: role for role in PilotRole.objects.filter(pilot=draft)}
    assert (roles[Kind.STOP_AUTHORITY].primary, roles[Kind.STOP_AUTHORITY].response_minutes) == (
        people["stopper"],
        30,
    )
    assert roles[Kind.TECHNICAL_OWNER].response_minutes == 240
    rights = {right.kind: right for right in DecisionRight.objects.filter(pilot=draft)}
    assert len(rights) == len(DecisionRight.Kind.values)
    assert (rights["prompt_changes"].owner, rights["prompt_changes"].backup) == (
        people["tech"],
        people["stopper"],
    )
    assert rights["higher_usage"].owner == people["owner"]


def test_the_defaults_give_each_right_an_owner_and_a_backup_once_the_owners_are_named(
    people, client_for, draft
):
    client = client_for(people["owner"])
    page = client.get(reverse(STEP_URL, args=[draft.pk, "ownership"]))
    rights_form = page.context["ownership"].parts[0][1]
    data = {f"right-{name}": field.initial for name, field in rights_form.fields.items()}
    data |= {
        "business_owner-primary": people["owner"].pk,
        "business_owner-response_minutes": "1 day",
        "technical_owner-primary": people["tech"].pk,
        "technical_owner-response_minutes": "4 h",
        "stop_authority-primary": people["stopper"].pk,
        "next": "",
    }
    response = client.post(reverse(STEP_URL, args=[draft.pk, "ownership"]), data)
    assert response.status_code == 302
    rights = {right.kind: right for right in DecisionRight.objects.filter(pilot=draft)}
    assert (rights["model_choice"].owner, rights["model_choice"].backup) == (
        people["tech"],
        people["owner"],
    )
    assert (rights["final_signoff"].owner, rights["final_signoff"].backup) == (
        people["owner"],
        people["stopper"],
    )


def test_a_backup_that_is_the_primary_is_refused_next_to_the_field_and_nothing_is_saved(
    people, client_for, draft
):
    data = _step_data(people, **{"reviewer-backup": people["reviewer"].pk})
    response = client_for(people["owner"]).post(
        reverse(STEP_URL, args=[draft.pk, "ownership"]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="field-reviewer-backup"' in html
    assert "The backup must be a different person from the primary." in html
    assert not PilotRole.objects.filter(pilot=draft, kind=Kind.STOP_AUTHORITY).exists()
    assert not DecisionRight.objects.filter(pilot=draft).exists()
    assert 'value="30 min"' in html  # what was typed stays


def test_a_right_already_given_to_someone_is_kept_unless_changed(people, client_for, draft):
    client = client_for(people["owner"])
    client.post(reverse(STEP_URL, args=[draft.pk, "ownership"]), _step_data(people))
    decision_right_assign(
        pilot=draft, kind="tool_access", by=people["owner"], owner=people["reviewer"]
    )
    data = _step_data(
        people, **{"right-tool_access_owner": "keep", "right-tool_access_backup": "keep"}
    )
    client.post(reverse(STEP_URL, args=[draft.pk, "ownership"]), data)
    right = DecisionRight.objects.get(pilot=draft, kind="tool_access")
    assert (right.owner, right.backup) == (people["reviewer"], None)


def test_only_the_owners_open_the_ownership_step(people, client_for, pilot):
    response = client_for(people["reviewer"]).get(reverse(STEP_URL, args=[pilot.pk, "ownership"]))
    assert response.status_code == 403
