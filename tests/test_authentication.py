"""Every protected route verifies the bearer token itself (signature, issuer,
client, expiry, token use) and loads roles from the table, never the token."""

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import authenticator, moto_private_jwk, problem

PROTECTED = [("GET", "/me"), ("GET", "/pending-actions"),
             ("POST", "/registrations/01a2194a-7569-7746-8033-6030c8227744/review")]


def claims(stack, **override):
    now = int(time.time())
    base = {
        "sub": str(uuid.uuid4()),
        "iss": stack["jwtIssuer"],
        "client_id": stack["userPoolClientId"],
        "token_use": "access",
        "iat": now,
        "exp": now + 600,
        "username": "someone",
    }
    base.update(override)
    return {k: v for k, v in base.items() if v is not None}


def sign_with_emulator_key(payload: dict) -> str:
    jwk = moto_private_jwk()
    key = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": jwk["kid"]})


def real_subject(identity, api) -> str:
    token = identity.as_role("qhm_admin")
    return jwt.decode(token, options={"verify_signature": False})["sub"]


@pytest.mark.parametrize("method,path", PROTECTED)
def test_no_token_is_401(api, method, path):
    response = api.call(method, path, json_body={"decision": "approve"} if method == "POST" else None)
    body = problem(response, 401)
    assert response.headers.get("www-authenticate") == "Bearer"
    assert "sign in" in body["detail"]


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer not.a.jwt", "Bearer " + "x" * 5000])
def test_a_malformed_authorization_header_is_401(api, header):
    problem(api.get("/me", headers={"Authorization": header}), 401)


def test_a_token_signed_by_another_key_is_401(api, identity, stack):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = moto_private_jwk()["kid"]
    forged = jwt.encode(claims(stack, sub=real_subject(identity, api)), other, algorithm="RS256", headers={"kid": kid})
    problem(api.get("/me", forged), 401)
    unknown_kid = jwt.encode(claims(stack), other, algorithm="RS256", headers={"kid": "someone-elses-key"})
    problem(api.get("/me", unknown_kid), 401)


def test_the_emulator_key_with_genuine_claims_is_accepted(api, identity, stack):
    """Proves the forged-claim tests below fail for the claim they change, not the key."""
    token = sign_with_emulator_key(claims(stack, sub=real_subject(identity, api)))
    assert api.get("/me", token).status_code == 200


@pytest.mark.parametrize("change", [
    {"client_id": "another-app-client"},
    {"client_id": None},
    {"token_use": "id", "client_id": None, "aud": "another-app-client"},
    {"token_use": "refresh"},
    {"iss": "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_someotherpool"},
    {"exp": int(time.time()) - 3600},
])
def test_wrong_audience_issuer_use_or_expired_is_401(api, identity, stack, change):
    token = sign_with_emulator_key(claims(stack, sub=real_subject(identity, api), **change))
    problem(api.get("/me", token), 401)


def test_an_unsigned_token_is_401(api, identity, stack):
    token = jwt.encode(claims(stack, sub=real_subject(identity, api)), key=None, algorithm="none")
    problem(api.get("/me", token), 401)


def test_a_valid_token_for_someone_without_an_account_is_refused(api, stack):
    token = sign_with_emulator_key(claims(stack))
    problem(api.get("/me", token), 403)


def test_a_practice_user_cannot_see_pending_actions(api, identity):
    body = problem(api.get("/pending-actions", identity.as_role("practice_user")), 403)
    assert "Commissioning Administrators" in body["detail"]


def test_an_administrator_of_another_icb_cannot_see_or_review_this_practice(api, identity, register):
    person = register()  # A81001 is commissioned by QHM
    other = identity.as_role("qoq_admin")
    listed = api.get("/pending-actions", other).json()
    assert person["id"] not in {i["id"] for i in listed["items"]}
    problem(api.get("/pending-actions?organisation=QHM", other), 403)
    body = problem(api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, other), 403)
    assert "organisations you administer" in body["detail"]
    problem(api.post(f"/registrations/{person['id']}/review", {"decision": "approve"},
                     identity.as_role("practice_user")), 403)


def test_roles_come_from_the_table_not_the_token(api, identity, stack):
    """A token claiming admin groups changes nothing: the practice user is still refused."""
    subject = jwt.decode(identity.as_role("practice_user"), options={"verify_signature": False})["sub"]
    token = sign_with_emulator_key(claims(stack, sub=subject, **{"cognito:groups": ["commissioning_administrator"]}))
    problem(api.get("/pending-actions", token), 403)


def test_a_disabled_account_is_refused_on_the_next_request(api, identity, register, outbox, table, stack):
    person = register()
    api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin"))
    from conftest import completion_secret
    secret = completion_secret(outbox.wait_for(person["email"])[0])
    assert api.post("/registrations/complete", {"token": secret, "password": "Densham#Surgery2026"}).status_code == 200
    token = identity.sign_in(person["email"], "Densham#Surgery2026")
    me = api.get("/me", token).json()
    assert api.get("/me", token).status_code == 200
    # Disabling is the account-management issue's step; here the stored status is set directly.
    table.update_item(
        TableName=stack["tableName"],
        Key={"PK": {"S": f"USER#{me['id']}"}, "SK": {"S": "PROFILE"}},
        UpdateExpression="SET #s = :d",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":d": {"S": "disabled"}},
    )
    body = problem(api.get("/me", token), 403)
    assert body["type"] == "/problems/account-disabled"
    assert "has been disabled" in body["detail"]


def test_people_who_move_money_or_manage_accounts_need_a_session_begun_with_an_authenticator_code(
        api, identity, register, outbox, stack):
    """Until their app is set up only My Profile and setting it up answer; a
    session from before the set-up is refused; one begun with a code works."""
    from conftest import PASSWORD, completion_secret

    person = register(organisation="QHM", role="approver_tier1", first="Tia", last="Code")
    reviewed = api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin"))
    assert reviewed.status_code == 200, reviewed.text
    secret = completion_secret(outbox.wait_for(person["email"])[0])
    assert api.post("/registrations/complete", {"token": secret, "password": PASSWORD}).status_code == 200
    first = identity.sign_in(person["email"], PASSWORD)

    refused = problem(api.get("/reviews?stage=tier1", first), 403)
    assert refused["type"] == "/problems/mfa-required" and "Set one up" in refused["detail"]
    assert api.get("/me", first).json()["mfa"] == {"required": True, "enabled": False, "signedInWithCode": False}
    assert problem(api.post("/me/mfa", {}, first), 409)["type"] == "/problems/mfa-not-set-up", "nothing set up yet"

    key = authenticator.set_up(identity.cognito, first)
    recorded = api.post("/me/mfa", {}, first)
    assert recorded.status_code == 200 and recorded.json()["mfa"]["enabled"] is True, recorded.text
    again = problem(api.get("/reviews?stage=tier1", first), 403)
    assert again["type"] == "/problems/mfa-required" and "Sign in again" in again["detail"], "the old session"
    with pytest.raises(Exception):
        authenticator.sign_in(identity.cognito, stack["userPoolClientId"], person["email"], PASSWORD)  # no code
    wrong = "abcdef"  # never an authenticator's code
    with pytest.raises(Exception):
        challenge = identity.cognito.initiate_auth(ClientId=stack["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                                   AuthParameters={"USERNAME": person["email"], "PASSWORD": PASSWORD})
        identity.cognito.respond_to_auth_challenge(
            ClientId=stack["userPoolClientId"], ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
            ChallengeResponses={"USERNAME": person["email"], "SOFTWARE_TOKEN_MFA_CODE": wrong})
    with_code = authenticator.sign_in(identity.cognito, stack["userPoolClientId"], person["email"], PASSWORD, key)
    assert api.get("/reviews?stage=tier1", with_code).status_code == 200
    assert api.get("/me", with_code).json()["mfa"] == {"required": True, "enabled": True, "signedInWithCode": True}
    assert api.get("/me", identity.as_role("practice_user")).json()["mfa"]["required"] is False
