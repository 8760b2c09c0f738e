"""Completing registration from the emailed link: single use, expires, and a
password the pool would refuse is explained before anything is written."""

from conftest import completion_secret, problem, token_key, field_errors

PASSWORD = "Densham#Surgery2026"


def approved_secret(api, identity, outbox, register) -> tuple[dict, str]:
    person = register()
    assert api.post(f"/registrations/{person['id']}/review", {"decision": "approve"},
                    identity.as_role("qhm_admin")).status_code == 200
    return person, completion_secret(outbox.wait_for(person["email"])[0])


def test_a_link_works_once(api, identity, outbox, register):
    person, secret = approved_secret(api, identity, outbox, register)
    assert api.post("/registrations/complete", {"token": secret, "password": PASSWORD}).status_code == 200
    body = problem(api.post("/registrations/complete", {"token": secret, "password": PASSWORD}), 409)
    assert "already been used" in body["detail"]


def test_an_expired_link_is_refused(api, identity, outbox, register, table, stack):
    person, secret = approved_secret(api, identity, outbox, register)
    table.update_item(TableName=stack["tableName"], Key=token_key(secret),
                      UpdateExpression="SET expiresAt = :past",
                      ExpressionAttributeValues={":past": {"S": "2026-01-01T00:00:00.000000Z"}})
    body = problem(api.post("/registrations/complete", {"token": secret, "password": PASSWORD}), 410)
    assert "expired" in body["detail"]


def test_an_unknown_or_mangled_link_is_refused(api):
    assert "not recognised" in problem(api.post("/registrations/complete",
                                                {"token": "A" * 43, "password": PASSWORD}), 404)["detail"]
    problem(api.post("/registrations/complete", {"token": "short", "password": PASSWORD}), 404)
    body = problem(api.post("/registrations/complete", {}), 422)
    assert set(field_errors(body)) == {"/token", "/password"}


def test_a_weak_password_is_explained_and_the_link_still_works(api, identity, outbox, register, table, stack):
    person, secret = approved_secret(api, identity, outbox, register)
    body = problem(api.post("/registrations/complete", {"token": secret, "password": "password"}), 422)
    assert "12 characters" in field_errors(body)["/password"]
    token = table.get_item(TableName=stack["tableName"], Key=token_key(secret), ConsistentRead=True)["Item"]
    assert "usedAt" not in token
    assert api.post("/registrations/complete", {"token": secret, "password": PASSWORD}).status_code == 200


def test_the_token_is_stored_only_as_a_hash(table, stack, api, identity, outbox, register):
    person, secret = approved_secret(api, identity, outbox, register)
    item = table.get_item(TableName=stack["tableName"], Key=token_key(secret), ConsistentRead=True)["Item"]
    assert secret not in str(item)
    assert item["userId"]["S"] and item["expiresAt"]["S"]
