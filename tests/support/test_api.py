"""The guardrails, data-source classes, use-case requests and "Can I use…?" over REST, with the
same permissions as the browser: 403 before any payload is read for people who may not write."""

import pytest

from pilots.models import Pilot, PilotRole
from support.models import ApprovedTool, DataSourceClass, UseCaseRequest
from tests.pilots.factories import UserFactory

from .factories import ApprovedToolFactory, CompanyLaneFactory, company_guardrails

Kind = PilotRole.Kind


@pytest.fixture
def guardrails(db):
    return company_guardrails()


@pytest.fixture
def lena(db):
    return CompanyLaneFactory(kind=Kind.LANE_SECURITY, primary=UserFactory(username="lena")).primary


# --- The register --------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_register(people, api_for, guardrails):
    body = api_for(people["stranger"]).get("/api/approved-tools").json()
    names = {row["name"]: row for row in body["results"]}
    assert set(names) == {"Order lookup", "Help-center search"}
    assert names["Order lookup"]["data_class_names"] == ["Public", "Internal"]
    assert names["Order lookup"]["lapsed"] is False


def test_the_register_answers_403_before_reading_a_payload(people, api_for, guardrails):
    api = api_for(people["owner"])
    assert api.post("/api/approved-tools", {}, format="json").status_code == 403
    tool = guardrails["lookup"]
    assert api.patch(f"/api/approved-tools/{tool.pk}", {}, format="json").status_code == 403
    assert api.delete(f"/api/approved-tools/{tool.pk}").status_code == 403
    assert api.post("/api/data-classes", {}, format="json").status_code == 403
    assert api.post("/api/review-requirements", {}, format="json").status_code == 403


def test_the_security_lane_keeps_the_register(api_for, guardrails, lena):
    api = api_for(lena)
    response = api.post(
        "/api/approved-tools",
        {"name": "Chat", "approved_for": "Drafts", "data_classes": [guardrails["public"].pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["approved_by"] == lena.pk
    tool_id = response.json()["id"]
    response = api.patch(
        f"/api/approved-tools/{tool_id}",
        {"data_classes": [guardrails["public"].pk, guardrails["internal"].pk]},
        format="json",
    )
    assert response.json()["data_class_names"] == ["Public", "Internal"]
    assert response.json()["approved_for"] == "Drafts"
    duplicate = api.post(
        "/api/approved-tools", {"name": "CHAT", "approved_for": "x"}, format="json"
    )
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    assert api.delete(f"/api/approved-tools/{tool_id}").status_code == 204
    assert not ApprovedTool.objects.filter(pk=tool_id).exists()


def test_data_classes_and_review_requirements_over_the_api(people, api_for, guardrails):
    api = api_for(people["admin"])
    response = api.post(
        "/api/data-classes",
        {"name": "Payroll", "level": 5, "rule": "Payroll stays in HR systems.", "aliases": ["pay"]},
        format="json",
    )
    assert response.status_code == 201 and response.json()["tools"] == []
    response = api.patch(f"/api/data-classes/{response.json()['id']}", {"level": 4}, format="json")
    assert (response.json()["level"], response.json()["aliases"]) == (4, ["pay"])
    body = {"area": "hr", "review_required": True, "rule": "Review before HR decisions."}
    assert api.post("/api/review-requirements", body, format="json").status_code == 201
    body["rule"] = "A person reviews it first."
    api.post("/api/review-requirements", body, format="json")
    [row] = api.get("/api/review-requirements").json()["results"]
    assert row["rule"] == "A person reviews it first."


def test_company_lanes_and_escalation_paths_are_set_by_administrators(people, api_for, lena):
    assert api_for(lena).post("/api/company-lanes", {}, format="json").status_code == 403
    assert api_for(lena).post("/api/escalation-paths", {}, format="json").status_code == 403
    api = api_for(people["admin"])
    response = api.post(
        "/api/company-lanes",
        {"kind": "lane_it", "primary": people["tech"].pk, "backup": people["tech"].pk},
        format="json",
    )
    assert response.status_code == 400 and "backup" in response.json()
    response = api.post(
        "/api/company-lanes",
        {"kind": "lane_it", "primary": people["tech"].pk, "response_minutes": 120},
        format="json",
    )
    assert response.status_code == 201 and response.json()["primary"] == people["tech"].pk
    paths = api.get("/api/escalation-paths").json()
    assert len(paths) == 8 and {path["category"] for path in paths} >= {"security_incident"}
    response = api.post(
        "/api/escalation-paths",
        {"category": "user_guidance", "route_to": "lane_it", "target_minutes": 45},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["route_label"], response.json()["configured"]) == ("IT", True)


# --- Data-source classes -------------------------------------------------------------------------


def test_owners_classify_data_sources_over_the_api(pilot, people, api_for, guardrails):
    body = {"pilot": pilot.pk, "source": "Help center", "data_class": guardrails["internal"].pk}
    assert (
        api_for(people["reviewer"])
        .post("/api/data-source-classes", body, format="json")
        .status_code
        == 403
    )
    stranger = api_for(people["stranger"]).post("/api/data-source-classes", body, format="json")
    assert stranger.status_code == 400 and "pilot" in stranger.json()
    response = api_for(people["owner"]).post("/api/data-source-classes", body, format="json")
    assert response.status_code == 201 and response.json()["data_class_name"] == "Internal"
    listed = api_for(people["reviewer"]).get(f"/api/data-source-classes?pilot={pilot.pk}").json()
    assert [row["source"] for row in listed["results"]] == ["Help center"]
    assert api_for(people["stranger"]).get("/api/data-source-classes").json()["count"] == 0
    cleared = api_for(people["owner"]).post(
        "/api/data-source-classes", {**body, "data_class": None}, format="json"
    )
    assert cleared.status_code == 204 and not DataSourceClass.objects.exists()


# --- Use-case requests and "Can I use…?" ---------------------------------------------------------


def request_body(guardrails, **extra):
    return {
        "name": "Renewal summaries",
        "task": "Draft renewal summaries.",
        "team_name": "Sales",
        "data_classes": [guardrails["confidential"].pk],
        "tool": "Order lookup",
        "use_areas": ["client_facing"],
        **extra,
    }


def test_a_request_goes_from_proposal_to_draft_pilot_over_the_api(
    people, api_for, guardrails, lena
):
    maria = CompanyLaneFactory(
        kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria")
    ).primary
    response = api_for(people["stranger"]).post(
        "/api/use-case-requests", request_body(guardrails), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [step["lane"] for step in body["approvals"]] == ["lane_business", "lane_security"]
    url = f"/api/use-case-requests/{body['id']}"
    assert api_for(people["stranger"]).post(f"{url}/approve", {}, format="json").status_code == 403
    rejected = api_for(lena).post(f"{url}/reject", {}, format="json")
    assert rejected.status_code == 400 and "note" in rejected.json()
    api_for(maria).post(f"{url}/approve", {}, format="json")
    body = api_for(lena).post(f"{url}/approve", {"note": "EU tenant."}, format="json").json()
    assert body["status"] == "approved" and body["pilot"]
    pilot = Pilot.objects.get(pk=body["pilot"])
    assert (
        pilot.status == "draft"
        and pilot.roles.get(kind="business_owner").primary == people["stranger"]
    )


def test_requests_are_scoped_to_the_person_who_asked(people, api_for, guardrails, lena):
    api_for(people["stranger"]).post(
        "/api/use-case-requests", request_body(guardrails), format="json"
    )
    assert api_for(people["reviewer"]).get("/api/use-case-requests").json()["count"] == 0
    assert api_for(people["stranger"]).get("/api/use-case-requests").json()["count"] == 1
    assert api_for(lena).get("/api/use-case-requests").json()["count"] == 1
    bad = api_for(people["reviewer"]).post(
        "/api/use-case-requests", request_body(guardrails, data_classes=[]), format="json"
    )
    assert bad.status_code == 400 and "data_classes" in bad.json()
    assert UseCaseRequest.objects.count() == 1


@pytest.mark.parametrize("count", [1, 25])
def test_list_endpoints_run_a_fixed_number_of_queries(
    people, api_for, guardrails, lena, django_assert_num_queries, count
):
    for _ in range(count):
        ApprovedToolFactory(data_classes=[guardrails["public"]])
        api_for(people["stranger"]).post(
            "/api/use-case-requests", request_body(guardrails), format="json"
        )
    api = api_for(lena)
    with django_assert_num_queries(3):  # count, tools, their classes
        api.get("/api/approved-tools")
    with django_assert_num_queries(5):  # lanes of the user, count, requests, classes, approvals
        api.get("/api/use-case-requests")


def test_can_i_use_over_the_api(people, api_for, guardrails, lena):
    api = api_for(people["stranger"])
    body = api.get(
        "/api/can-i-use", {"tool": "Order lookup", "data_class": guardrails["confidential"].pk}
    ).json()
    assert body["allowed"] is False
    assert body["headline"] == "No. Order lookup is not approved for Client confidential data."
    assert body["ask"] == lena.get_full_name()
    yes = api.get("/api/can-i-use", {"tool": "Order lookup", "data_class": guardrails["public"].pk})
    assert yes.json()["allowed"] is True
    missing = api.get("/api/can-i-use", {"tool": "Order lookup"})
    assert missing.status_code == 400 and "data_class" in missing.json()


def test_the_api_needs_a_signed_in_user(client, guardrails):
    for url in ("/api/approved-tools", "/api/can-i-use", "/api/use-case-requests"):
        assert client.get(url).status_code in (401, 403)


def test_names_stay_on_one_line_and_free_of_control_characters(people, api_for, guardrails):
    api = api_for(people["admin"])
    data_class = guardrails["public"]
    for hostile in ("Pub\x00lic", "Public\nData"):
        response = api.patch(f"/api/data-classes/{data_class.pk}", {"name": hostile}, format="json")
        assert response.status_code == 400 and "name" in response.json()
    response = api_for(people["stranger"]).post(
        "/api/use-case-requests",
        request_body(guardrails, name="Renewals\r\nBcc: everyone"),
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()
