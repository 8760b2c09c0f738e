"""A GP practice user registers, an administrator reviews, the user completes
registration from the emailed link and signs in (seed: Pending Actions)."""

import pytest

from conftest import (RUN, audit_entries, completion_secret, field_errors, problem, serial, unique_email)


def test_a_practice_user_registers_is_approved_completes_and_signs_in(api, identity, outbox, register, table, stack):
    person = register(first="Jo", last="Bloggs")

    pending = api.get("/pending-actions", identity.as_role("qhm_admin"), headers={}).json()
    listed = [item for item in pending["items"] if item["id"] == person["id"]]
    if not listed:  # not on the first page: page through
        listed = [i for i in all_pending(api, identity.as_role("qhm_admin")) if i["id"] == person["id"]]
    assert len(listed) == 1
    assert listed[0]["email"] == person["email"]
    assert listed[0]["genericEmail"] is False
    assert listed[0]["organisationName"] == "The Densham Surgery"

    review = api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin"))
    assert review.status_code == 200, review.text
    assert review.json()["status"] == "approved"
    assert person["id"] not in {i["id"] for i in all_pending(api, identity.as_role("qhm_admin"))}

    [email] = outbox.wait_for(person["email"])
    assert "approved" in email["subject"]
    assert "Dear Jo Bloggs" in email["body"]
    secret = completion_secret(email)

    completed = api.post("/registrations/complete", {"token": secret, "password": "Densham#Surgery2026"})
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "active"

    token = identity.sign_in(person["email"], "Densham#Surgery2026")
    me = api.get("/me", token)
    assert me.status_code == 200, me.text
    profile = me.json()
    assert profile["status"] == "active"
    assert profile["email"] == person["email"]
    assert profile["memberships"] == [{
        "organisationCode": "A81001",
        "organisationName": "The Densham Surgery",
        "role": {"code": "provider_user", "label": "User"},
        "status": "active",
    }]
    actions = [a["action"]["S"] for a in audit_entries(table, stack, "A81001", f"REGISTRATION#{person['id']}")]
    assert sorted(actions) == ["registration.approved", "registration.completed", "registration.submitted"]


def test_an_id_token_is_accepted_as_well_as_an_access_token(api, identity):
    token = identity.sign_in("aisha.khan@qhm.example.nhs.uk", kind="IdToken")
    assert api.get("/me", token).status_code == 200


def all_pending(api, token, **params):
    items, cursor = [], None
    while True:
        query = "&".join(f"{k}={v}" for k, v in {**params, **({"cursor": cursor} if cursor else {})}.items())
        response = api.get(f"/pending-actions?{query}", token)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["nextCursor"]
        if not cursor:
            return items


def test_rejecting_needs_a_reason_and_the_email_gives_it(api, identity, outbox, register, table, stack):
    person = register()
    admin = identity.as_role("qhm_admin")
    body = problem(api.post(f"/registrations/{person['id']}/review", {"decision": "reject"}, admin), 422)
    assert "/reason" in field_errors(body)

    reason = "Please register with your own work email address"
    rejected = api.post(f"/registrations/{person['id']}/review", {"decision": "reject", "reason": reason}, admin)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    [email] = outbox.wait_for(person["email"])
    assert "rejected" in email["subject"]
    assert reason in email["body"]

    again = problem(api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, admin), 409)
    assert "already been reviewed" in again["detail"]
    # The email is free again: the person can register properly.
    form = {k: person[k] for k in ("email", "firstName", "lastName", "organisationCode", "role")}
    assert api.post("/registrations", form).status_code == 201


def test_a_duplicate_registration_is_refused(api, register):
    person = register()
    again = {k: person[k] for k in ("email", "firstName", "lastName", "organisationCode", "role")}
    body = problem(api.post("/registrations", again), 409)
    assert body["type"] == "/problems/duplicate-registration"
    shouted = {**again, "email": person["email"].upper()}
    problem(api.post("/registrations", shouted), 409)


@pytest.mark.parametrize("email", ["reception@a81001.example.nhs.uk", "admin@densham.example.nhs.uk",
                                   "gp.a81001@nhs.example.net"])
def test_a_generic_mailbox_is_accepted_but_flagged_for_the_reviewer(api, identity, email):
    unique = email.replace("@", f"+{RUN}{serial()}@")
    form = {"email": unique, "firstName": "Jo", "lastName": "Bloggs", "organisationCode": "A81001",
            "role": "provider_user"}
    response = api.post("/registrations", form)
    assert response.status_code == 201, response.text
    listed = [i for i in all_pending(api, identity.as_role("qhm_admin")) if i["id"] == response.json()["id"]]
    assert listed[0]["genericEmail"] is True
    assert "shared mailbox" in listed[0]["genericEmailReason"]


def test_sorting_and_paging_return_every_item_exactly_once(api, identity, register):
    mine = {register(first=first, last=last, organisation=org)["id"]
            for first, last, org in [("Zara", "Abbott", "A81002"), ("Adam", "Young", "A81001"),
                                     ("Maya", "Moss", "A81002"), ("Eli", "Evans", "A81001"),
                                     ("Ruth", "Reid", "A81001"), ("Zed", "Lee", "A81002"),
                                     ("Amy", "Lee Ross", "A81001")]}
    admin = identity.as_role("qhm_admin")
    for sort, key in [("submittedAt", lambda i: i["submittedAt"]),
                      ("name", lambda i: (i["lastName"].lower(), i["firstName"].lower())),
                      ("organisation", lambda i: (i["organisationCode"], i["submittedAt"]))]:
        for order in ("asc", "desc"):
            items = all_pending(api, admin, sort=sort, order=order, limit=2)
            ids = [i["id"] for i in items]
            assert len(ids) == len(set(ids)), f"{sort} {order}: an item appeared twice"
            assert mine <= set(ids), f"{sort} {order}: an item was missed"
            keys = [key(i) for i in items]
            assert keys == sorted(keys, reverse=(order == "desc")), f"{sort} {order} is out of order"


def test_list_options_are_validated(api, identity):
    admin = identity.as_role("qhm_admin")
    body = problem(api.get("/pending-actions?sort=email&order=sideways&limit=1000", admin), 422)
    assert set(field_errors(body)) == {"/sort", "/order", "/limit"}
    problem(api.get("/pending-actions?cursor=not-a-cursor", admin), 400)


@pytest.mark.parametrize("form,pointer,words", [
    ({"email": "not-an-email"}, "/email", "correct format"),
    ({"email": ""}, "/email", "Enter an email address"),
    ({"firstName": ""}, "/firstName", "Enter a first name"),
    ({"lastName": "x" * 51}, "/lastName", "50 characters"),
    ({"lastName": "943 476 5919"}, "/lastName", "NHS number"),
    ({"organisationCode": "ZZ9999"}, "/organisationCode", "cannot find an organisation"),
    ({"organisationCode": "A8-1001"}, "/organisationCode", "ODS code"),
    ({"role": "superuser"}, "/role", "Choose a role"),
    ({"role": "approver_tier1"}, "/role", "cannot be held at The Densham Surgery"),
    ({"role": "service_desk"}, "/role", "cannot be requested"),
    ({"firstName": 5}, "/firstName", "Enter this as text"),
])
def test_bad_registration_input_is_explained_field_by_field_and_writes_nothing(api, table, stack, form, pointer, words):
    email = unique_email()
    good = {"email": email, "firstName": "Jo", "lastName": "Bloggs", "organisationCode": "A81001",
            "role": "provider_user"}
    body = problem(api.post("/registrations", {**good, **form}), 422)
    errors = field_errors(body)
    assert pointer in errors, errors
    assert words in errors[pointer]
    marker = table.get_item(TableName=stack["tableName"], Key={"PK": {"S": f"EMAIL#{email}"}, "SK": {"S": "EMAIL"}})
    assert "Item" not in marker


def test_malformed_requests_are_refused_clearly(api):
    assert problem(api.call("POST", "/registrations", raw="{not json", headers={"content-type": "application/json"}),
                   400)["type"] == "/problems/malformed-request"
    problem(api.call("POST", "/registrations", raw="", headers={"content-type": "application/json"}), 400)
    problem(api.call("POST", "/registrations", raw="[]", headers={"content-type": "application/json"}), 400)
    problem(api.call("POST", "/registrations", raw="email=x", headers={"content-type": "application/x-www-form-urlencoded"}), 415)
    big = '{"email": "' + "a" * 70000 + '"}'
    problem(api.call("POST", "/registrations", raw=big, headers={"content-type": "application/json"}), 413)
    missing = problem(api.post("/registrations", {}), 422)
    assert set(field_errors(missing)) == {"/email", "/firstName", "/lastName", "/organisationCode", "/role"}


def test_reviewing_an_unknown_registration_is_not_found(api, identity):
    admin = identity.as_role("qhm_admin")
    problem(api.post("/registrations/not-a-uuid/review", {"decision": "approve"}, admin), 404)
    problem(api.post("/registrations/01a2194a-7569-7746-8033-6030c8227744/review", {"decision": "approve"}, admin), 404)


def test_a_commissioning_administrator_registration_goes_to_the_service_desk(api, identity, register):
    person = register(first="Nadia", last="Ali", organisation="QHM", role="commissioning_administrator",
                      email=unique_email("nadia", "ali", "qhm.example.nhs.uk"))
    assert person["id"] not in {i["id"] for i in all_pending(api, identity.as_role("qhm_admin"))}
    desk = all_pending(api, identity.as_role("service_desk"))
    assert person["id"] in {i["id"] for i in desk}
    problem(api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin")), 403)
    approved = api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("service_desk"))
    assert approved.status_code == 200, approved.text


def test_other_commissioner_roles_are_reviewed_by_the_icb(api, identity, register):
    person = register(first="Omar", last="Farah", organisation="QHM", role="approver_tier1",
                      email=unique_email("omar", "farah", "qhm.example.nhs.uk"))
    assert person["id"] in {i["id"] for i in all_pending(api, identity.as_role("qhm_admin"))}
    assert person["id"] not in {i["id"] for i in all_pending(api, identity.as_role("service_desk"))}
