"""Creating routes sent again with their `Idempotency-Key`, as a browser does
when an answer never arrived: the retry is answered with what the first
request made (the same thing), nothing is made twice — also when both
arrive at once — and the same key sent with another body is refused at the
key (422). Claims, submits, decisions and payment runs have their own tests
(test_claims, test_chaos, test_review, test_payments)."""

import json
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ROOT, field_errors, problem, unique_code, unique_email, unique_word
from test_catalogue import CARE_PLANS, new_practice, next_year
from test_claims import claim_world
from test_evidence_scanning import files_of, scan_claim
from test_organisations import practice_file_row

sys.path.insert(0, str(ROOT / "infra"))
from together import at_once  # noqa: E402


def key() -> dict:
    return {"Idempotency-Key": f"retry-{uuid.uuid4()}"}


def made_once(api, path: str, body: dict, token: str | None, other: dict, same=lambda answer: answer,
              status: int = 201) -> dict:
    """`body` sent twice with one key (the same answer), then `other` with it (refused)."""
    sent = key()
    first = api.post(path, body, token, headers=sent)
    assert first.status_code == status, first.text
    again = api.post(path, body, token, headers=sent)
    assert again.status_code == status, again.text
    assert same(again.json()) == same(first.json()), "the retry is answered with what the first made"
    refused = problem(api.post(path, other, token, headers=sent), 422)
    assert "/Idempotency-Key" in field_errors(refused), refused
    return first.json()


def test_a_service_component_and_window_sent_again_are_made_once(api, identity):
    admin = identity.as_role("qhm_admin")
    year = next_year()
    name = f"Retried service {unique_word()}"
    service = made_once(api, "/services", {"name": name, "financialYear": year}, admin,
                        {"name": f"{name} B", "financialYear": year})

    components = f"/services/{service['id']}/components"
    component = made_once(api, components, CARE_PLANS, admin, {**CARE_PLANS, "name": "Another"})
    assert [c["id"] for c in api.get(components, admin).json()["items"]] == [component["id"]]
    assert api.get(f"/services/{service['id']}", admin).json()["componentCount"] == 1

    windows = f"/services/{service['id']}/windows"
    start = int(year[:4])
    window = made_once(api, windows, {"period": "Q1", "opens": f"{start}-07-01", "closes": f"{start}-07-14"}, admin,
                       {"period": "Q2", "opens": f"{start}-10-01", "closes": f"{start}-10-14"})
    listed = api.get(windows, admin).json()["items"]
    assert [w["period"] for w in listed] == [window["period"]]


def test_two_copies_of_one_keyed_request_at_once_make_one_service(api, identity):
    admin = identity.as_role("qhm_admin")
    sent = key()
    body = {"name": f"Double click {unique_word()}", "financialYear": next_year()}
    answers = at_once(lambda: api.post("/services", body, admin, headers=sent))
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]


def test_an_organisation_and_an_access_request_sent_again_are_made_once(api, identity, active_user):
    admin = identity.as_role("qhm_admin")
    code = unique_code()
    made_once(api, "/organisations", {"code": code, "name": f"Practice {code}", "type": "gp_practice",
                                      "commissioner": "QHM"}, admin,
              {"code": code, "name": "Another name", "type": "gp_practice", "commissioner": "QHM"})
    assert api.get(f"/organisations/{code}", admin).json()["name"] == f"Practice {code}"

    world = claim_world(api, identity, active_user, services=())
    other = new_practice(api, admin)
    body = {"organisationCode": other, "role": "provider_user"}
    asked = made_once(api, "/access-requests", body, world["user"]["token"], {**body, "role": "provider_approver"})
    assert asked["status"] == "pending" and asked["organisationCode"] == other


def test_an_attachment_sent_again_is_offered_once(api, identity, active_user):
    world, cid, line_id = scan_claim(api, identity, active_user)
    body = {"fileName": "list.pdf", "contentType": "application/pdf", "size": 1200}
    offered = made_once(api, f"/claims/{cid}/lines/{line_id}/attachments", body, world["token"],
                        {**body, "fileName": "other.pdf"},
                        same=lambda answer: (answer["attachment"], answer["version"]))
    assert list(files_of(api, world, cid, line_id)) == [offered["attachment"]["id"]], "one attachment, not two"


def test_generated_windows_and_an_invitation_sent_again_are_made_once(api, identity, outbox):
    admin = identity.as_role("qhm_admin")
    service = made_once(api, "/services", {"name": f"Generated {unique_word()}", "financialYear": next_year()},
                        admin, {"name": f"Other {unique_word()}", "financialYear": next_year()})
    generate = f"/services/{service['id']}/windows/generate"
    generated = made_once(api, generate, {"openForDays": 10}, admin, {"openForDays": 12})
    assert len(generated["created"]) == 4 and generated["skipped"] == []
    assert len(api.get(f"/services/{service['id']}/windows", admin).json()["items"]) == 4

    email = unique_email("rey", "tried")
    practice = new_practice(api, admin)
    form = {"email": email, "firstName": "Rey", "lastName": "Tried", "organisationCode": practice,
            "role": "provider_user"}
    sent = made_once(api, "/invitations", form, admin, {**form, "email": unique_email("rey", "other")},
                     same=lambda answer: (answer["id"], answer["status"], answer["expiresAt"]))
    outbox.wait_for(email)
    time.sleep(1)  # room for a second email, which must not come
    assert len(outbox.to(email)) == 1, "one invitation, one email"
    listed = api.get(f"/invitations?organisation={practice}", admin).json()["items"]
    assert [i["id"] for i in listed] == [sent["id"]]


def test_a_registration_sent_again_is_received_once(api):
    form = {"email": unique_email("reg", "retried"), "firstName": "Reg", "lastName": "Retried",
            "organisationCode": "A81001", "role": "provider_user"}
    received = made_once(api, "/registrations", form, None, {**form, "firstName": "Another"})
    assert received["status"] == "pending" and received["organisationName"]
    # Without its key the same form is a second registration, which is refused.
    assert problem(api.post("/registrations", form), 409)["type"].endswith("duplicate-registration")


def test_a_practice_file_sent_again_is_reported_as_the_first_time(api, identity):
    admin = identity.as_role("qhm_admin")
    fresh = unique_code("P")
    text = "\n".join([practice_file_row(fresh, "THE RETRIED SURGERY", "QHM"),
                      practice_file_row("A81001", "THE DENSHAM SURGERY", "QHM")]) + "\n"
    upload = lambda body, sent: api.call("POST", "/organisations/import?commissioner=QHM", admin,  # noqa: E731
                                         raw=body.encode(), headers={"Content-Type": "text/csv", **sent})
    sent = key()
    answers = at_once(lambda: upload(text, sent))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    again = upload(text, sent)
    reports = [a.json() for a in [*answers, again]]
    assert [(r["added"], r["alreadyHere"]) for r in reports] == [(1, 1)] * 3, "each told as the first: one added"
    assert reports[0]["rows"] == reports[1]["rows"] == reports[2]["rows"]
    without_key = upload(text, {}).json()
    assert (without_key["added"], without_key["alreadyHere"]) == (0, 2), "another request finds it already here"
    refused = problem(upload(text + practice_file_row(unique_code("P"), "ANOTHER", "QHM") + "\n", sent), 422)
    assert "/Idempotency-Key" in field_errors(refused)
    assert [e["action"] for e in api.get(f"/audit?organisation={fresh}", admin).json()["items"]] == \
        ["organisation.created"]


def offered_service(api, admin) -> str:
    return api.post("/services", {"name": f"Offered {unique_word()}", "financialYear": next_year()},
                    admin).json()["id"]


def offer_emails(outbox, person: dict, service_name: str) -> list:
    return [m for m in outbox.to(person["email"]) if service_name in m["subject"]]


def test_an_offer_sent_again_is_answered_as_the_first_and_emails_once(api, identity, active_user, outbox):
    world = claim_world(api, identity, active_user, services=())
    admin = world["admin"]
    other = new_practice(api, admin)
    sid = offered_service(api, admin)
    name = api.get(f"/services/{sid}", admin).json()["name"]
    body = {"providers": [world["code"], other]}
    third = new_practice(api, admin)
    first = made_once(api, f"/services/{sid}/offers", body, admin, {"providers": [third]}, status=200)
    assert [r["outcome"] for r in first["results"]] == ["offered", "offered"]
    listed = api.get(f"/services/{sid}/offers", admin).json()
    assert listed["counts"]["offered"] == 2, "the key's other request offered nothing"
    assert first["counts"]["offered"] == 2, first["counts"]
    outbox.wait_for(world["user"]["email"])
    time.sleep(1)  # room for a second email, which must not come
    assert len(offer_emails(outbox, world["user"], name)) == 1, "told once"
    # A key whose request wrote nothing (all offered already) is held all the same.
    sent_again = key()
    assert api.post(f"/services/{sid}/offers", {"providers": [other]}, admin, headers=sent_again).status_code == 200
    refused = problem(api.post(f"/services/{sid}/offers", {"providers": [world["code"]]}, admin,
                               headers=sent_again), 422)
    assert "/Idempotency-Key" in field_errors(refused)
    # Without its key, the same offer finds them offered already.
    plain = api.post(f"/services/{sid}/offers", body, admin).json()
    assert [r["outcome"] for r in plain["results"]] == ["already_offered", "already_offered"]


def test_an_offer_whose_function_ended_before_its_emails_is_finished_by_its_retry(api, stack, identity, active_user,
                                                                                 outbox):
    world = claim_world(api, identity, active_user, services=())
    admin = world["admin"]
    sid = offered_service(api, admin)
    name = api.get(f"/services/{sid}", admin).json()["name"]
    crash_file = Path(stack["crashFile"])
    crash_file.write_text(json.dumps([{"function": "offer-service", "point": "after-offers-made"}]))
    sent = key()
    try:
        with pytest.raises(requests.exceptions.ReadTimeout):
            api.http.post(f"{stack['apiUrl']}/services/{sid}/offers", json={"providers": [world["code"]]}, timeout=10,
                          headers={**sent, "Authorization": f"Bearer {admin}"})
    finally:
        left = json.loads(crash_file.read_text())
        crash_file.unlink()
    assert left == [], "the function reached the point and ended there"
    assert not offer_emails(outbox, world["user"], name), "nobody told before the process ended"
    again = api.post(f"/services/{sid}/offers", {"providers": [world["code"]]}, admin, headers=sent)
    assert again.status_code == 200, again.text
    assert [r["outcome"] for r in again.json()["results"]] == ["offered"], "answered as the first would have been"
    outbox.wait_for(world["user"]["email"])
    time.sleep(1)
    assert len(offer_emails(outbox, world["user"], name)) == 1


#: How each change that takes no key is safe to send twice: a second copy
#: changes nothing more, and is told why (or is answered as the first).
SENT_TWICE_CHANGES_ONCE = {
    "POST /access-requests/{id}/review": "the request must still be pending (409 already-reviewed)",
    "DELETE /claims/{id}": "the draft is gone (404)",
    "DELETE /claims/{id}/lines": "Remove All again finds no lines: it removes nothing and answers the claim",
    "POST /claims/{id}/lines": "a component is a claim's line once: adding it again adds nothing",
    "DELETE /claims/{id}/lines/{lineId}": "the line is gone (404)",
    "PATCH /claims/{id}/lines/{lineId}": "sets the line's values: the same values again leave them as they are",
    "DELETE /claims/{id}/lines/{lineId}/attachments/{attachmentId}": "the attachment is gone (404)",
    "POST /claims/{id}/services": "a service is in a claim once: adding it again for its period adds nothing",
    "POST /invitations/accept": "the link is used once (409 link-used)",
    "DELETE /invitations/{id}": "the invitation must still be pending (409 invitation-closed)",
    "POST /invitations/{id}/resend": "sending the email again is what it is for; the web client sends it once a click",
    "PATCH /me": "sets the person's details: the same again leaves them as they are",
    "POST /me/disable": "the account must be active (409 account-unchanged)",
    "POST /me/mfa": "records what the user pool says: the same again records the same",
    "POST /offers/{id}/accept": "the offer must still be open (409 offer-answered)",
    "POST /offers/{id}/decline": "the offer must still be open (409 offer-answered)",
    "PATCH /organisations/{code}": "sets the organisation's settings: the same again leaves them as they are",
    "POST /registrations/complete": "the link is used once (409 link-used)",
    "POST /registrations/{id}/review": "the registration must still be pending (409 already-reviewed)",
    "PATCH /services/{id}": "sets the service's details: the same again leaves them as they are",
    "PUT /services/{id}/components/{componentId}": "a new version must start after the latest (422 at effectiveFrom)",
    "PATCH /services/{id}/windows/{period}": "sets the window's dates: the same again leaves them as they are",
    "DELETE /session": "signing out a session already ended ends nothing more",
    "POST /session": "each sign-in is a session of its own; nothing is changed",
    "POST /session/refresh": "each refresh gives new tokens; nothing is changed",
    "POST /users/{id}/disable": "the account must be active (409 account-unchanged)",
    "POST /users/{id}/enable": "the account must be disabled (409 account-unchanged)",
    "POST /users/{id}/memberships/{organisationCode}/enable": "the access must be revoked (409 membership-unchanged)",
    "POST /users/{id}/memberships/{organisationCode}/revoke": "the access must be active (409 membership-unchanged)",
}


def test_every_change_either_takes_a_key_or_changes_once_when_sent_twice():
    """A new route that changes something says here how a retry of it is
    safe, or takes an Idempotency-Key (the document is the code's own)."""
    import yaml

    document = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    keyed, unkeyed = set(), set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "head", "options", "parameters"):
                continue
            names = {str(p.get("name", "")).lower() for p in operation.get("parameters", [])}
            (keyed if "idempotency-key" in names else unkeyed).add(f"{method.upper()} {path}")
    assert unkeyed == set(SENT_TWICE_CHANGES_ONCE), (
        f"say how these are safe to send twice: {sorted(unkeyed - set(SENT_TWICE_CHANGES_ONCE))}; "
        f"no longer changes without a key: {sorted(set(SENT_TWICE_CHANGES_ONCE) - unkeyed)}")
    assert len(keyed) >= 16 and not keyed & set(SENT_TWICE_CHANGES_ONCE)
