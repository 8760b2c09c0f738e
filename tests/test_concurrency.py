"""Double clicks and races change state once."""

from concurrent.futures import ThreadPoolExecutor

from conftest import audit_entries


def test_two_administrators_approving_at_once_one_succeeds(api, identity, outbox, register, table, stack):
    person = register()
    admins = [identity.as_role("qhm_admin"), identity.as_role("qhm_admin_2")] * 2
    with ThreadPoolExecutor(max_workers=len(admins)) as pool:
        responses = list(pool.map(
            lambda token: api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, token), admins))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409], [r.text for r in responses]
    outbox.wait_for(person["email"])
    import time
    time.sleep(3)  # any second email would have arrived by now
    assert len(outbox.to(person["email"])) == 1
    approvals = [a for a in audit_entries(table, stack, "A81001", f"REGISTRATION#{person['id']}")
                 if a["action"]["S"] == "registration.approved"]
    assert len(approvals) == 1


def test_approve_and_reject_at_once_leave_one_decision(api, identity, register, table, stack):
    person = register()
    admin = identity.as_role("qhm_admin")
    bodies = [{"decision": "approve"}, {"decision": "reject", "reason": "Duplicate"}] * 2
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        responses = list(pool.map(
            lambda body: api.post(f"/registrations/{person['id']}/review", body, admin), bodies))
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    decisions = [a for a in audit_entries(table, stack, "A81001", f"REGISTRATION#{person['id']}")
                 if a["action"]["S"] in ("registration.approved", "registration.rejected")]
    assert len(decisions) == 1


def test_a_double_submitted_registration_creates_one(api):
    from conftest import unique_email
    form = {"email": unique_email(), "firstName": "Jo", "lastName": "Bloggs", "organisationCode": "A81001",
            "role": "provider_user"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda _: api.post("/registrations", form), range(4)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]


def test_completing_twice_at_once_activates_once(api, identity, outbox, register, table, stack):
    from conftest import completion_secret
    person = register()
    api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin"))
    secret = completion_secret(outbox.wait_for(person["email"])[0])
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(
            lambda _: api.post("/registrations/complete", {"token": secret, "password": "Densham#Surgery2026"}),
            range(3)))
    assert sorted(r.status_code for r in responses) == [200, 409, 409], [r.text for r in responses]
    completions = [a for a in audit_entries(table, stack, "A81001", f"REGISTRATION#{person['id']}")
                   if a["action"]["S"] == "registration.completed"]
    assert len(completions) == 1
