"""Account management (seed: Commissioning Administrator Account Management):
the Users section, access requests, invitations, revoke, re-enable, disable,
My Profile and the audit trail — happy paths and every refusal."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (DEMO, PASSWORD, audit_entries, field_errors, problem, token_key, unique_email, user_id_of)
from test_catalogue import new_practice


def invitation_secret(message: dict) -> str:
    import re
    match = re.search(r"accept-invitation#token=([A-Za-z0-9_-]{43})", message["body"])
    assert match, message["body"]
    return match.group(1)


# ------------------------------------------------------------------ Users section
def test_the_users_section_lists_roles_statuses_and_last_sign_in(api, identity, active_user):
    person = active_user(first="Lina", last="Aaronson")
    api.get("/me", person["token"])  # the front end loads My Profile after signing in
    admin = identity.as_role("qhm_admin")
    rows, cursor = [], None
    while True:
        page = api.get("/users?organisation=A81001&limit=3" + (f"&cursor={cursor}" if cursor else ""), admin)
        assert page.status_code == 200, page.text
        rows.extend(page.json()["items"])
        cursor = page.json()["nextCursor"]
        if not cursor:
            break
    ids = [r["userId"] for r in rows]
    assert len(ids) == len(set(ids)), "a user appeared twice across pages"
    names = [(r["lastName"].lower(), r["firstName"].lower()) for r in rows]
    assert names == sorted(names)
    mine = next(r for r in rows if r["userId"] == person["userId"])
    assert mine["role"] == {"code": "provider_user", "label": "User"}
    assert mine["membershipStatus"] == "active" and mine["accountStatus"] == "active"
    assert mine["lastSignInAt"]
    active = api.get("/users?organisation=A81001&status=active&limit=100", admin).json()["items"]
    assert all(r["membershipStatus"] == "active" for r in active)
    problem(api.get("/users?organisation=A81001&status=asleep", admin), 422)
    detail = api.get(f"/users/{person['userId']}", admin).json()
    assert detail["email"] == person["email"]
    assert detail["organisations"] == [{"code": "A81001", "name": "The Densham Surgery"}]
    assert detail["status"] == "active"
    assert [m["role"]["code"] for m in detail["memberships"]] == ["provider_user"]
    assert detail["memberships"][0]["organisation"] == {"code": "A81001", "name": "The Densham Surgery"}, \
        "each role says where it is held"


# ------------------------------------------------------------------ access requests
def test_an_existing_user_requests_access_to_another_practice_and_is_approved(api, identity, active_user, outbox):
    person = active_user()
    requested = api.post("/access-requests", {"organisationCode": "A81002", "role": "provider_user"}, person["token"])
    assert requested.status_code == 201, requested.text
    request_id = requested.json()["id"]
    problem(api.post("/access-requests", {"organisationCode": "A81002", "role": "provider_user"}, person["token"]), 409)

    admin = identity.as_role("qhm_admin")
    pending = api.get("/users?organisation=A81002&status=pending&limit=100", admin).json()["items"]
    row = next(r for r in pending if r["userId"] == person["userId"])
    assert row["accessRequestId"] == request_id

    problem(api.post(f"/access-requests/{request_id}/review", {"decision": "approve"}, identity.as_role("qoq_admin")), 403)
    assert "/reason" in field_errors(problem(api.post(f"/access-requests/{request_id}/review",
                                                       {"decision": "reject"}, admin), 422))
    approved = api.post(f"/access-requests/{request_id}/review", {"decision": "approve"}, admin)
    assert approved.status_code == 200, approved.text
    problem(api.post(f"/access-requests/{request_id}/review", {"decision": "approve"}, admin), 409)
    mail = outbox.wait_for(person["email"], count=2)[-1]
    assert "approved" in mail["subject"] and "Queens Park Medical Centre" in mail["subject"]
    memberships = {m["organisationCode"]: m["status"] for m in api.get("/me", person["token"]).json()["memberships"]}
    assert memberships == {"A81001": "active", "A81002": "active"}
    # The approval is about the person, though its target is their request.
    trail = api.get(f"/audit?organisation=A81002&user={person['userId']}&limit=100", admin).json()["items"]
    assert {"access.requested", "access.approved"} <= {e["action"] for e in trail}


def test_a_rejected_access_request_gives_the_reason(api, identity, active_user, outbox):
    person = active_user()
    request_id = api.post("/access-requests", {"organisationCode": "A81002", "role": "provider_user"},
                          person["token"]).json()["id"]
    reason = "Please ask your practice manager to confirm your role first"
    rejected = api.post(f"/access-requests/{request_id}/review", {"decision": "reject", "reason": reason},
                        identity.as_role("qhm_admin"))
    assert rejected.status_code == 200, rejected.text
    mail = outbox.wait_for(person["email"], count=2)[-1]
    assert reason in mail["body"]
    again = api.post("/access-requests", {"organisationCode": "A81002", "role": "provider_user"}, person["token"])
    assert again.status_code == 201, "a rejected request can be made again"


def test_access_requests_are_validated(api, identity):
    token = identity.as_role("practice_user")
    body = problem(api.post("/access-requests", {}, token), 422)
    assert set(field_errors(body)) == {"/organisationCode", "/role"}
    problem(api.post("/access-requests", {"organisationCode": "ZZ9999", "role": "provider_user"}, token), 422)
    problem(api.post("/access-requests", {"organisationCode": "A81002", "role": "finance"}, token), 422)
    problem(api.post("/access-requests", {"organisationCode": "A81001", "role": "provider_user"}, token), 409)


# ------------------------------------------------------------------ invitations
def test_inviting_a_new_person_preview_send_accept_sign_in(api, identity, outbox):
    admin = identity.as_role("qhm_admin")
    email = unique_email("sam", "jones")
    form = {"email": email, "firstName": "Sam", "lastName": "Jones", "organisationCode": "A81001",
            "role": "provider_user"}
    preview = api.post("/invitations", {**form, "preview": True}, admin)
    assert preview.status_code == 200, preview.text
    assert preview.json()["existingAccount"] is False
    assert "Aisha Khan has invited you" in preview.json()["email"]["text"]
    time.sleep(1)
    assert outbox.to(email) == [], "a preview sends nothing"

    sent = api.post("/invitations", form, admin)
    assert sent.status_code == 201, sent.text
    listed = api.get("/invitations?organisation=A81001&limit=100", admin).json()["items"]
    assert sent.json()["id"] in {i["id"] for i in listed}
    secret = invitation_secret(outbox.wait_for(email)[0])

    weak = problem(api.post("/invitations/accept", {"token": secret, "password": "weak"}), 422)
    assert "/password" in field_errors(weak)
    other = identity.as_role("practice_user")
    problem(api.post("/invitations/accept", {"token": secret, "password": PASSWORD}, other), 403)
    accepted = api.post("/invitations/accept", {"token": secret, "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    token = identity.sign_in(email, PASSWORD)
    me = api.get("/me", token).json()
    assert (me["firstName"], me["lastName"]) == ("Sam", "Jones")
    assert [(m["organisationCode"], m["status"]) for m in me["memberships"]] == [("A81001", "active")]
    problem(api.post("/invitations/accept", {"token": secret, "password": PASSWORD}), 409)
    assert sent.json()["id"] not in {i["id"] for i in
                                     api.get("/invitations?organisation=A81001&limit=100", admin).json()["items"]}


def test_a_new_person_needs_a_name_and_roles_must_fit_the_organisation(api, identity):
    admin = identity.as_role("qhm_admin")
    body = problem(api.post("/invitations", {"email": unique_email(), "organisationCode": "A81001",
                                             "role": "provider_user"}, admin), 422)
    assert {"/firstName", "/lastName"} <= set(field_errors(body))
    wrong = problem(api.post("/invitations", {"email": unique_email(), "firstName": "A", "lastName": "B",
                                              "organisationCode": "A81001", "role": "finance"}, admin), 422)
    assert "/role" in field_errors(wrong)
    problem(api.post("/invitations", {"email": unique_email(), "firstName": "A", "lastName": "B",
                                      "organisationCode": "B81001", "role": "provider_user"}, admin), 403)
    problem(api.post("/invitations", {"email": unique_email(), "firstName": "A", "lastName": "B",
                                      "organisationCode": "X26", "role": "service_desk"}, admin), 403)


def test_inviting_an_existing_person_reuses_their_account(api, identity, outbox, active_user):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    sent = api.post("/invitations", {"email": person["email"], "organisationCode": "A81002",
                                     "role": "provider_approver"}, admin)
    assert sent.status_code == 201, sent.text
    assert sent.json()["existingAccount"] is True
    secret = invitation_secret(outbox.wait_for(person["email"], count=2)[-1])
    problem(api.post("/invitations/accept", {"token": secret}), 401)
    problem(api.post("/invitations/accept", {"token": secret}, identity.as_role("practice_user")), 403)
    accepted = api.post("/invitations/accept", {"token": secret}, person["token"])
    assert accepted.status_code == 200, accepted.text
    roles = {m["organisationCode"]: m["role"]["code"] for m in api.get("/me", person["token"]).json()["memberships"]}
    assert roles == {"A81001": "provider_user", "A81002": "provider_approver"}
    problem(api.post("/invitations", {"email": person["email"], "organisationCode": "A81002",
                                      "role": "provider_user"}, admin), 409)


def test_resent_cancelled_and_expired_links(api, identity, outbox, table, stack):
    admin = identity.as_role("qhm_admin")
    email = unique_email("kai", "lee")
    form = {"email": email, "firstName": "Kai", "lastName": "Lee", "organisationCode": "A81001",
            "role": "provider_user"}
    invitation = api.post("/invitations", form, admin).json()["id"]
    first = invitation_secret(outbox.wait_for(email)[0])
    resent = api.post(f"/invitations/{invitation}/resend", None, admin)
    assert resent.status_code == 200, resent.text
    second = invitation_secret(outbox.wait_for(email, count=2)[-1])
    assert first != second
    problem(api.post("/invitations/accept", {"token": first, "password": PASSWORD}), 404)

    table.update_item(TableName=stack["tableName"], Key=token_key(second),
                      UpdateExpression="SET expiresAt = :past",
                      ExpressionAttributeValues={":past": {"S": "2026-01-01T00:00:00.000000Z"}})
    problem(api.post("/invitations/accept", {"token": second, "password": PASSWORD}), 410)

    cancelled = api.call("DELETE", f"/invitations/{invitation}", admin)
    assert cancelled.status_code == 200, cancelled.text
    problem(api.call("DELETE", f"/invitations/{invitation}", admin), 409)
    problem(api.post(f"/invitations/{invitation}/resend", None, admin), 409)
    closed = problem(api.post("/invitations/accept", {"token": second, "password": PASSWORD}), 409)
    assert "was cancelled" in closed["detail"] and "new one" in closed["detail"], closed


def test_two_clicks_on_send_make_one_pending_invitation_and_one_email(api, identity, outbox):
    admin = identity.as_role("qhm_admin")
    email = unique_email("ria", "shah")
    code, other = new_practice(api, admin), new_practice(api, admin)
    form = {"email": email, "firstName": "Ria", "lastName": "Shah", "organisationCode": code,
            "role": "provider_user"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = list(pool.map(lambda _: api.post("/invitations", form, admin), range(2)))
    assert sorted(r.status_code for r in sent) == [201, 409], [r.text for r in sent]
    refused = next(r for r in sent if r.status_code == 409).json()
    assert refused["type"] == "/problems/invitation-pending" and "Resend" in refused["detail"]
    time.sleep(1)
    assert len(outbox.to(email)) == 1
    pending = api.get(f"/invitations?organisation={code}", admin).json()["items"]
    assert [i["email"] for i in pending] == [email]
    # Once cancelled, the person may be invited again; other organisations were never blocked.
    assert api.call("DELETE", f"/invitations/{pending[0]['id']}", admin).status_code == 200
    assert api.post("/invitations", form, admin).status_code == 201
    assert api.post("/invitations", {**form, "organisationCode": other}, admin).status_code == 201


def test_an_invitation_sent_before_the_person_set_a_password_asks_them_to_sign_in(api, identity, outbox):
    admin = identity.as_role("qhm_admin")
    email = unique_email("lee", "ford")
    form = {"email": email, "firstName": "Lee", "lastName": "Ford", "role": "provider_user"}
    codes = [new_practice(api, admin), new_practice(api, admin)]
    first = api.post("/invitations", {**form, "organisationCode": codes[0]}, admin)
    second = api.post("/invitations", {**form, "organisationCode": codes[1]}, admin)
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    links = [invitation_secret(m) for m in outbox.wait_for(email, count=2)]
    assert api.post("/invitations/accept", {"token": links[0], "password": PASSWORD}).status_code == 200
    asked = problem(api.post("/invitations/accept", {"token": links[1], "password": PASSWORD}), 401)
    assert asked["type"] == "/problems/sign-in-first" and "already has a Local Claims account" in asked["detail"]
    # Resent now, the email says to sign in, not to choose a password.
    waiting = [i["id"] for code in codes for i in api.get(f"/invitations?organisation={code}", admin).json()["items"]]
    assert len(waiting) == 1 and waiting[0] in {first.json()["id"], second.json()["id"]}
    waiting = waiting[0]
    resent = api.post(f"/invitations/{waiting}/resend", None, admin)
    assert resent.status_code == 200, resent.text
    mail = outbox.wait_for(email, count=3)[-1]
    assert "sign in with your existing Local Claims email address and password" in mail["body"]
    assert "choose a password" not in mail["body"]
    token = identity.sign_in(email, PASSWORD)
    done = api.post("/invitations/accept", {"token": invitation_secret(mail)}, token)
    assert done.status_code == 200, done.text


# ------------------------------------------------------------------ revoke and enable
def test_revoke_needs_confirmation_emails_the_user_and_keeps_my_profile(api, identity, active_user, outbox, table, stack):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    path = f"/users/{person['userId']}/memberships/A81001"
    assert "/confirm" in field_errors(problem(api.post(f"{path}/revoke", {}, admin), 422))
    revoked = api.post(f"{path}/revoke", {"confirm": True}, admin)
    assert revoked.status_code == 200, revoked.text
    mail = outbox.wait_for(person["email"], count=2)[-1]
    assert "revoked" in mail["subject"]
    me = api.get("/me", person["token"])
    assert me.status_code == 200, "a revoked user still reaches My Profile"
    assert me.json()["memberships"][0]["status"] == "revoked"
    assert "already been revoked" in problem(api.post(f"{path}/revoke", {"confirm": True}, admin), 409)["detail"]

    enabled = api.post(f"{path}/enable", {"confirm": True}, admin)
    assert enabled.status_code == 200, enabled.text
    assert "restored" in outbox.wait_for(person["email"], count=3)[-1]["subject"]
    problem(api.post(f"{path}/enable", {"confirm": True}, admin), 409)
    actions = [a["action"]["S"] for a in audit_entries(table, stack, "A81001", f"USER#{person['userId']}")]
    assert actions.count("membership.revoked") == 1 and actions.count("membership.enabled") == 1


def test_administrators_cannot_change_their_own_access_or_other_icbs(api, identity, active_user):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    me = user_id_of(api, admin)
    problem(api.post(f"/users/{me}/memberships/QHM/revoke", {"confirm": True}, admin), 403)
    problem(api.post(f"/users/{person['userId']}/memberships/A81001/revoke", {"confirm": True},
                     identity.as_role("qoq_admin")), 403)
    problem(api.post(f"/users/{person['userId']}/memberships/B81001/revoke", {"confirm": True}, admin), 403)
    problem(api.post(f"/users/{person['userId']}/memberships/A81002/revoke", {"confirm": True}, admin), 404)


def test_the_last_administrator_cannot_be_revoked_or_disabled(api, identity):
    desk = identity.as_role("service_desk")
    tom = user_id_of(api, identity.as_role("qoq_admin"))
    body = problem(api.post(f"/users/{tom}/memberships/QOQ/revoke", {"confirm": True}, desk), 409)
    assert body["type"] == "/problems/last-administrator"
    problem(api.post(f"/users/{tom}/disable", {"reason": "left_organisation"}, desk), 409)
    assert api.get("/me", identity.as_role("qoq_admin")).status_code == 200


# ------------------------------------------------------------------ disable and enable
def test_disabling_an_account_refuses_its_next_request_and_sign_in(api, identity, active_user, outbox, stack):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    body = problem(api.post(f"/users/{person['userId']}/disable", {"reason": "other"}, admin), 422)
    assert "/detail" in field_errors(body)
    problem(api.post(f"/users/{person['userId']}/disable", {"reason": "other", "detail": "x" * 251}, admin), 422)
    disabled = api.post(f"/users/{person['userId']}/disable",
                        {"reason": "other", "detail": "Moved to a practice in another ICB"}, admin)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["signIn"] == "disabled"
    refused = problem(api.get("/me", person["token"]), 403)
    assert refused["type"] == "/problems/account-disabled"
    cognito = stack.client("cognito-idp")
    with pytest.raises(cognito.exceptions.NotAuthorizedException, match="disabled"):
        cognito.initiate_auth(ClientId=stack["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": person["email"], "PASSWORD": PASSWORD})
    mail = outbox.wait_for(person["email"], count=2)[-1]
    assert "Moved to a practice in another ICB" in mail["body"]
    detail = api.get(f"/users/{person['userId']}", admin).json()
    assert detail["status"] == "disabled" and "Moved to a practice" in detail["disabledReason"]
    problem(api.post(f"/users/{person['userId']}/disable", {"reason": "duplicate_account"}, admin), 409)

    problem(api.post(f"/users/{person['userId']}/enable", {}, admin), 422)
    enabled = api.post(f"/users/{person['userId']}/enable", {"confirm": True}, admin)
    assert enabled.status_code == 200, enabled.text
    fresh = cognito.initiate_auth(ClientId=stack["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": person["email"], "PASSWORD": PASSWORD})
    assert api.get("/me", fresh["AuthenticationResult"]["AccessToken"]).status_code == 200, "signs in again"
    assert api.get(f"/users/{person['userId']}", admin).json()["disabledReason"] is None, "the old reason is gone"


def test_a_user_disables_their_own_account(api, active_user):
    person = active_user()
    problem(api.post("/me/disable", {"reason": "bored"}, person["token"]), 422)
    done = api.post("/me/disable", {"reason": "no_longer_requires_access"}, person["token"])
    assert done.status_code == 200, done.text
    problem(api.get("/me", person["token"]), 403)


# ------------------------------------------------------------------ My Profile
def test_my_profile_changes_my_name_everywhere(api, identity, active_user):
    person = active_user(first="Jo", last="Bloggs")
    changed = api.call("PATCH", "/me", person["token"], json_body={"firstName": "Joanna"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["firstName"], changed.json()["lastName"]) == ("Joanna", "Bloggs")
    problem(api.call("PATCH", "/me", person["token"], json_body={}), 422)
    problem(api.call("PATCH", "/me", person["token"], json_body={"lastName": "943 476 5919"}), 422)
    rows = api.get("/users?organisation=A81001&limit=100", identity.as_role("qhm_admin")).json()["items"]
    rows += api.get("/users?organisation=A81001&limit=100&order=desc", identity.as_role("qhm_admin")).json()["items"]
    assert any(r["userId"] == person["userId"] and r["firstName"] == "Joanna" for r in rows)


# ------------------------------------------------------------------ audit
def test_the_audit_trail_is_filtered_by_user_action_and_date(api, identity, active_user):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    path = f"/users/{person['userId']}/memberships/A81001"
    api.post(f"{path}/revoke", {"confirm": True}, admin)
    trail = api.get(f"/audit?organisation=A81001&user={person['userId']}", admin)
    assert trail.status_code == 200, trail.text
    actions = [e["action"] for e in trail.json()["items"]]
    assert "membership.revoked" in actions
    revoked = api.get("/audit?organisation=A81001&action=membership.revoked&limit=100", admin).json()["items"]
    assert revoked and all(e["action"] == "membership.revoked" for e in revoked)
    entry = next(e for e in revoked if e["target"] == f"USER#{person['userId']}")
    assert entry["before"]["status"] == "active" and entry["after"]["status"] == "revoked"
    assert entry["actor"] == user_id_of(api, admin)
    past = api.get("/audit?organisation=A81001&from=2020-01-01&to=2020-12-31", admin).json()["items"]
    assert past == []
    problem(api.get("/audit?organisation=A81001&from=31/12/2020", admin), 422)
    unknown = problem(api.get("/audit?organisation=A81001&action=membership.exploded", admin), 422)
    assert "Choose one of:" in field_errors(unknown)["/action"] and "membership.revoked" in field_errors(unknown)["/action"]
    problem(api.get("/audit?organisation=B81001", admin), 403)


# ------------------------------------------------------------------ concurrency
def test_two_administrators_revoking_at_once_change_it_once(api, identity, active_user, table, stack):
    person = active_user()
    admins = [identity.as_role("qhm_admin"), identity.as_role("qhm_admin_2")] * 2
    path = f"/users/{person['userId']}/memberships/A81001"
    with ThreadPoolExecutor(max_workers=4) as pool:
        revokes = list(pool.map(lambda t: api.post(f"{path}/revoke", {"confirm": True}, t), admins))
    assert sorted(r.status_code for r in revokes) == [200, 409, 409, 409], [r.text for r in revokes]
    with ThreadPoolExecutor(max_workers=4) as pool:
        enables = list(pool.map(lambda t: api.post(f"{path}/enable", {"confirm": True}, t), admins))
    assert sorted(r.status_code for r in enables) == [200, 409, 409, 409], [r.text for r in enables]
    actions = [a["action"]["S"] for a in audit_entries(table, stack, "A81001", f"USER#{person['userId']}")]
    assert actions.count("membership.revoked") == 1 and actions.count("membership.enabled") == 1
    me = api.get("/me", person["token"]).json()
    assert me["memberships"][0]["status"] == "active"


# ------------------------------------------------------------------ the organisation a list is about
def test_a_list_never_answers_for_an_organisation_the_caller_no_longer_administers(api, identity, active_user):
    """A warm function guesses the organisation from the caller as it last read
    them, to read the list beside their account; the account as read now decides."""
    nadia = active_user(organisation="QHM", role="commissioning_administrator", reviewer="service_desk",
                        first="Nadia", last="Ali")
    for path in ("/users", "/audit", "/invitations"):
        listed = api.get(path, nadia["token"])
        assert listed.status_code == 200, listed.text
        assert listed.json()["organisation"]["code"] == "QHM"
    desk = identity.as_role("service_desk")
    membership = f"/users/{nadia['userId']}/memberships/QHM"
    assert api.post(f"{membership}/revoke", {"confirm": True}, desk).status_code == 200
    for path in ("/users", "/audit", "/invitations", "/users?organisation=QHM", "/audit?organisation=QHM"):
        problem(api.get(path, nadia["token"]), 403)
    assert api.post(f"{membership}/enable", {"confirm": True}, desk).status_code == 200
    assert api.get("/users", nadia["token"]).json()["organisation"]["code"] == "QHM"
