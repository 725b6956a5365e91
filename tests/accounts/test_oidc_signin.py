"""Signing in through the identity provider, with Django's test client against the live provider
(tests/oidc_provider): people made and linked from the claims, company rights from the groups,
refused answers (state, nonce, unverified e-mail) in the audit trail, sign-out at the provider."""

import urllib.parse

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from accounts.models import ProviderIdentity
from audit.models import AuditEvent
from pilots.access import is_finance
from pilots.models import PilotRole
from support.models import CompanyLane
from tests.accounts.conftest import (
    ADMIN_GROUP,
    FINANCE_GROUP,
    IT_LANE_GROUP,
    PROVIDER_NAME,
    provider_answer,
    sign_in_with_client,
)
from tests.pilots.factories import UserFactory

User = get_user_model()


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusal(response) -> str:
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_the_login_page_offers_the_provider_only_when_it_is_configured(client, db, settings, sso):
    page = client.get("/accounts/login/?next=/finance/")
    assert f"Sign in with {PROVIDER_NAME}" in page.content.decode()
    assert "/accounts/oidc/start/?next=/finance/" in page.content.decode()
    settings.PILOTDECK_OIDC_CLIENT_ID = ""
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_request_uses_pkce_a_state_and_a_nonce(client, db, sso):
    start = client.get("/accounts/oidc/start/")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(start["Location"]).query)
    assert start["Location"].startswith(f"{sso.issuer}/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] in client.session["oidc_states"]
    assert query["nonce"] and query["code_challenge"]
    assert query["scope"] == ["openid email profile groups"]


def test_a_new_person_is_made_from_the_claims_with_the_rights_their_groups_give(client, db, sso):
    sso.person(
        "ines",
        email="ines@acme.test",
        first_name="Ines",
        last_name="Duarte",
        groups=[ADMIN_GROUP, IT_LANE_GROUP, "unrelated"],
    )
    response = sign_in_with_client(client, sso, "ines")

    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in_user(client)
    assert (user.email, user.get_full_name()) == ("ines@acme.test", "Ines Duarte")
    assert user.is_superuser and user.is_staff
    assert not user.has_usable_password()
    assert not is_finance(user)
    assert CompanyLane.objects.get(kind=PilotRole.Kind.LANE_IT).primary == user
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN, user=user)
    assert event.summary == f"Signed in with {PROVIDER_NAME} (new person)"
    assert event.after == {"administrator": True, "finance": False, "lanes": ["lane_it"]}


def test_rights_follow_the_groups_at_every_sign_in_and_removal_takes_them_away(client, db, sso):
    backup = UserFactory(username="backup")
    CompanyLane.objects.create(kind=PilotRole.Kind.LANE_IT, primary=backup)
    sso.person("omar", email="omar@acme.test", groups=[ADMIN_GROUP, FINANCE_GROUP, IT_LANE_GROUP])
    sign_in_with_client(client, sso, "omar")
    omar = signed_in_user(client)
    assert omar.is_superuser and is_finance(omar)
    assert CompanyLane.objects.get(kind=PilotRole.Kind.LANE_IT).backup == omar
    client.post("/accounts/logout/")

    sso.person("omar", email="omar@acme.test", first_name="Omar", groups=[])
    sign_in_with_client(client, sso, "omar")

    omar = signed_in_user(client)
    assert omar.first_name == "Omar"
    assert not omar.is_superuser and not omar.is_staff and not is_finance(omar)
    lane = CompanyLane.objects.get(kind=PilotRole.Kind.LANE_IT)
    assert (lane.primary, lane.backup) == (backup, None)
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, user=omar).first()
    assert event.summary == f"Signed in with {PROVIDER_NAME}"
    assert event.before == {"administrator": True, "finance": True, "lanes": ["lane_it"]}
    assert event.after == {"administrator": False, "finance": False, "lanes": []}
    assert User.objects.filter(email__iexact="omar@acme.test").count() == 1


def test_a_new_person_whose_email_is_taken_as_a_username_gets_a_free_one(client, db, sso):
    UserFactory(username="ana@acme.test", email="ana.old@elsewhere.test")
    sso.person("ana", email="ana@acme.test")
    sign_in_with_client(client, sso, "ana")
    assert signed_in_user(client).username == "ana@acme.test-2"
    assert User.objects.count() == 2


def test_a_lane_that_already_has_two_contacts_is_named_back_not_overwritten(client, db, sso):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    CompanyLane.objects.create(kind=PilotRole.Kind.LANE_IT, primary=first, backup=second)
    sso.person("third", email="third@acme.test", groups=[IT_LANE_GROUP])
    response = sign_in_with_client(client, sso, "third")
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("already has a primary and a backup" in message for message in messages)
    lane = CompanyLane.objects.get(kind=PilotRole.Kind.LANE_IT)
    assert (lane.primary, lane.backup) == (first, second)


def test_a_right_whose_group_variable_is_unset_is_kept_by_hand(client, db, sso, settings):
    settings.PILOTDECK_OIDC_ADMIN_GROUPS = None
    settings.PILOTDECK_OIDC_FINANCE_GROUPS = None
    UserFactory(username="kim", email="kim@acme.test", is_superuser=True, is_staff=True)
    sso.person("kim", email="kim@acme.test", groups=[])
    sign_in_with_client(client, sso, "kim")
    assert signed_in_user(client).is_superuser


def test_groups_never_take_the_break_glass_accounts_administrator_right(client, db, sso, settings):
    settings.PILOTDECK_BREAK_GLASS_USERNAME = "breakglass"
    UserFactory(username="breakglass", email="it-ops@acme.test", is_superuser=True, is_staff=True)
    sso.person("it-ops", email="it-ops@acme.test", groups=[])
    sign_in_with_client(client, sso, "it-ops")
    assert signed_in_user(client).is_superuser


def test_an_existing_person_with_the_verified_email_is_linked_never_duplicated(client, db, sso):
    maria = UserFactory(username="maria", email="maria@acme.test")
    subject = sso.person("maria.k", email="Maria@ACME.test", groups=[FINANCE_GROUP])
    for _ in range(2):
        sign_in_with_client(client, sso, "maria.k")
        assert signed_in_user(client) == maria
        client.post("/accounts/logout/")
    assert User.objects.count() == 1
    identity = ProviderIdentity.objects.get()
    assert (identity.user, identity.subject, identity.issuer) == (maria, subject, sso.issuer)
    maria.refresh_from_db()
    assert maria.has_usable_password()  # her local password is hers to keep
    assert is_finance(maria)


def test_an_unverified_email_that_belongs_to_an_existing_person_is_refused(client, db, sso):
    UserFactory(username="paul", email="paul@acme.test")
    sso.person("impostor", email="paul@acme.test", email_verified=False, groups=[ADMIN_GROUP])

    response = sign_in_with_client(client, sso, "impostor")

    assert "has not verified this e-mail address" in refusal(response)
    assert signed_in_user(client) is None
    assert User.objects.count() == 1 and not ProviderIdentity.objects.exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.username == "paul@acme.test"
    assert event.summary.startswith(f"Sign-in with {PROVIDER_NAME} refused: the provider has not")


def test_an_answer_with_a_state_this_browser_did_not_start_is_refused(client, db, sso):
    sso.person("eve", email="eve@acme.test")
    start = client.get("/accounts/oidc/start/")
    answer = provider_answer(sso, start["Location"], "eve")
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(answer).query)["state"][0]

    forged = client.get(answer.replace(f"state={state}", "state=forged"))

    assert "does not match a sign-in started in this browser (state)" in refusal(forged)
    assert signed_in_user(client) is None
    assert client.get(answer).status_code == 302 and signed_in_user(client) is not None
    client.post("/accounts/logout/")
    replayed = client.get(answer)  # the state was used once: the same answer again is refused
    assert "(state)" in refusal(replayed) and signed_in_user(client) is None
    summaries = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).values_list(
            "summary", flat=True
        )
    )
    assert len(summaries) == 2 and all("(state)" in summary for summary in summaries)


def test_an_id_token_with_another_sign_ins_nonce_is_refused(client, db, sso):
    sso.person("mallory", email="mallory@acme.test")
    start = client.get("/accounts/oidc/start/")
    answer = provider_answer(sso, start["Location"], "mallory")
    session = client.session
    state = next(iter(session["oidc_states"]))
    session["oidc_states"][state]["nonce"] = "a-nonce-from-another-sign-in"
    session.save()

    response = client.get(answer)

    assert "(nonce)" in refusal(response)
    assert signed_in_user(client) is None and not User.objects.exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert "(nonce)" in event.summary


def test_an_error_from_the_provider_is_refused_and_recorded(client, db, sso):
    client.get("/accounts/oidc/start/")
    state = next(iter(client.session["oidc_states"]))
    response = client.get(f"/accounts/oidc/callback/?error=access_denied&state={state}")
    assert "access_denied" in refusal(response)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).count() == 1
    assert state not in client.session["oidc_states"]


def test_sign_out_ends_the_session_here_and_at_the_provider(client, db, sso):
    sso.person("lou", email="lou@acme.test")
    sign_in_with_client(client, sso, "lou")
    id_token = client.session["oidc_id_token"]

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    url = urllib.parse.urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{sso.issuer}/logout/"
    query = urllib.parse.parse_qs(url.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert signed_in_user(client) is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_OUT).count() == 1


def test_a_password_session_signs_out_to_the_login_page(client, db, sso):
    UserFactory(username="local")
    client.post("/accounts/login/", {"username": "local", "password": "pw-for-tests"})
    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
