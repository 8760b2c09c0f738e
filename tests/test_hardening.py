"""The defects a new user hit (issue 14, part 2): every field error in plain
words naming its field, no control characters stored, sensible bounds on
evidence rules and money, and the last sign-in recorded by the Cognito
trigger."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import requests

from conftest import field_errors, problem, user_id_of
from test_catalogue import CARE_PLANS, new_code, new_practice, new_service

ROOT = Path(__file__).resolve().parents[1]


def test_type_errors_are_in_plain_words_and_name_their_field(api, identity):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin)
    rule = {**CARE_PLANS, "evidence": {"requiredFromUnits": -1, "guidance": "The letter", "accepted": [
        {"extension": "pdf", "contentType": "application/pdf"}]}}
    cases = [
        (f"/services/{service['id']}/components", rule, "/evidence/requiredFromUnits", "Enter a whole number"),
        ("/organisations", {"code": 123, "name": "X", "type": "gp_practice", "commissioner": "QHM"},
         "/code", "Enter this as text"),
        ("/invitations", {"email": "a@b.nhs.uk", "organisationCode": 123, "role": "provider_user"},
         "/organisationCode", "Enter this as text"),
        ("/invitations", {"email": "a@b.nhs.uk", "organisationCode": "A81001", "role": "provider_user",
                          "preview": "yes"}, "/preview", "Enter true or false"),
    ]
    for path, body, field, words in cases:
        errors = field_errors(problem(api.post(path, body, admin), 422))
        assert field in errors and errors[field].startswith(words), (path, errors)
        assert not any(w in errors[field] for w in ("invalid", "expected", "line 1", "column")), errors[field]


def test_control_characters_are_refused_and_line_breaks_kept(api, identity):
    admin = identity.as_role("qhm_admin")
    code = new_code()
    body = {"code": code, "name": "Pr\u0000obe", "type": "gp_practice", "commissioner": "QHM"}
    errors = field_errors(problem(api.post("/organisations", body, admin), 422))
    assert "control characters" in errors["/name"]
    assert api.get(f"/organisations/{code}", admin).status_code == 404, "nothing was stored"
    service = new_service(api, admin, description="Line one\nLine two")
    assert service["description"] == "Line one\nLine two"
    changed = api.call("PATCH", f"/services/{service['id']}", admin, json_body={"description": "Bell\u0007"})
    assert "/description" in field_errors(problem(changed, 422))
    for control in ("\u007f", "\u0080", "\u009b", "\u009f"):  # DEL and C1, as raw UTF-8 and as \\u escapes
        raw = json.dumps({"description": f"Probe{control}"}, ensure_ascii=False).encode()
        escaped = json.dumps({"description": f"Probe{control}"}).encode()
        assert b"\\u" not in raw and b"\\u" in escaped
        for body in (raw, escaped):
            sent = api.call("PATCH", f"/services/{service['id']}", admin, raw=body,
                            headers={"content-type": "application/json"})
            assert "/description" in field_errors(problem(sent, 422)), (control, body)
    assert api.get(f"/services/{service['id']}", admin).json()["description"] == "Line one\nLine two"


def test_if_match_compares_strongly_and_star_matches_any_version(api, identity, active_user):
    from test_claims import claim_world, lines_by_name, new_claim

    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    claim = new_claim(api, world)
    api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    line = lines_by_name(screen)["Complex Care Plans"]
    path, version = f"/claims/{claim['id']}/lines/{line['id']}", screen["version"]

    def change(if_match: str, units: int):
        return api.call("PATCH", path, world["token"], json_body={"units": units}, headers={"If-Match": if_match})

    assert problem(change(f'W/"{version}"', 1), 412)["type"] == "/problems/stale-version", "a weak tag never matches"
    assert "/If-Match" in field_errors(problem(change(str(version), 1), 422)), "a version that is no entity tag"
    starred = change("*", 2)
    assert starred.status_code == 200, starred.text
    listed = change(f'"{version}", "{starred.json()["version"]}"', 3)
    assert listed.status_code == 200 and listed.json()["line"]["units"] == 3, listed.text
    zero = change("*", 0).json()
    assert zero["line"]["value"]["amount"] == "0.00", "money always has two decimal places"


def test_evidence_from_zero_units_and_prices_beyond_any_tariff_are_refused(api, identity):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin)
    zero = {**CARE_PLANS, "evidence": {"requiredFromUnits": 0, "guidance": "The letter", "accepted": [
        {"extension": "pdf", "contentType": "application/pdf"}]}}
    errors = field_errors(problem(api.post(f"/services/{service['id']}/components", zero, admin), 422))
    assert "1 or more" in errors["/evidence/requiredFromUnits"]
    dear = {**CARE_PLANS, "payment": {**CARE_PLANS["payment"], "unitPrice": "99999999999999999999999.99"}}
    errors = field_errors(problem(api.post(f"/services/{service['id']}/components", dear, admin), 422))
    assert "cannot be more than £1,000,000.00" in errors["/payment/unitPrice"]


def subject_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def test_the_post_authentication_trigger_records_the_last_sign_in(api, identity, active_user, stack):
    person = active_user()
    admin = identity.as_role("qhm_admin")
    before = api.get(f"/users/{person['userId']}", admin).json()["lastSignInAt"]
    event = json.loads((ROOT / "events" / "record-sign-in.json").read_text())
    event["request"]["userAttributes"].update(sub=subject_of(person["token"]), email=person["email"])
    time.sleep(0.01)
    answered = requests.post(f"{stack['apiUrl']}/2015-03-31/functions/record-sign-in/invocations", json=event,
                             timeout=120)
    assert answered.status_code == 200, answered.text
    assert answered.json() == event, "Cognito gets its event back, or the sign-in fails"
    after = api.get(f"/users/{person['userId']}", admin).json()["lastSignInAt"]
    assert after and (before is None or after > before)
    # Someone with no account yet (registration not finished) signs in without harm.
    stranger = {**event, "request": {**event["request"], "userAttributes": {"sub": "no-such-person"}}}
    answered = requests.post(f"{stack['apiUrl']}/2015-03-31/functions/record-sign-in/invocations", json=stranger,
                             timeout=120)
    assert answered.status_code == 200 and answered.json() == stranger


def test_a_filtered_list_answers_a_full_page_not_an_empty_one(api, identity):
    """DynamoDB applies Limit before the filter: a page of one entry of a rare
    action, under a dozen newer entries of another, must still find it."""
    admin = identity.as_role("qhm_admin")
    code = new_practice(api, admin)
    for n in range(12):
        sent = api.post("/invitations", {"email": f"filler{n}.{code.lower()}@example.nhs.uk", "firstName": "Fill",
                                         "lastName": "Er", "organisationCode": code, "role": "provider_user"}, admin)
        assert sent.status_code == 201, sent.text
    page = api.get(f"/audit?organisation={code}&action=organisation.created&limit=1", admin).json()
    assert [e["action"] for e in page["items"]] == ["organisation.created"]
    sent_page = api.get(f"/audit?organisation={code}&action=invitation.sent&limit=5", admin).json()
    assert len(sent_page["items"]) == 5 and sent_page["nextCursor"]
    rest = api.get(f"/audit?organisation={code}&action=invitation.sent&limit=50&cursor={sent_page['nextCursor']}",
                   admin).json()
    ids = [e["id"] for e in sent_page["items"]] + [e["id"] for e in rest["items"]]
    assert len(ids) == len(set(ids)) == 12 and rest["nextCursor"] is None, "every match once, none skipped"


def test_a_persons_trail_pages_through_what_they_did_and_what_was_done_to_them(api, identity, active_user):
    """By person, the trail merges two indexes (entries about them, entries by
    them): page by page, newest first, every entry once, none skipped."""
    admin = identity.as_role("qhm_admin")
    code = new_practice(api, admin)
    person = active_user(organisation=code)
    assert api.call("PATCH", "/me", person["token"], {"firstName": "Joanna", "lastName": "Bloggs"}).status_code == 200
    membership = f"/users/{person['userId']}/memberships/{code}"
    for change in ("revoke", "enable"):
        assert api.post(f"{membership}/{change}", {"confirm": True}, admin).status_code == 200
    everything = api.get(f"/audit?organisation={code}&limit=100", admin).json()
    assert everything["nextCursor"] is None
    admin_id = user_id_of(api, admin)
    for who in (person["userId"], admin_id):
        # About them: their account, and the approval of their registration (which names them).
        approval = ("registration.approved", f"REGISTRATION#{person['id']}") if who == person["userId"] else None
        expected = [e["id"] for e in everything["items"]
                    if who in (e["actor"], e["target"].removeprefix("USER#")) or (e["action"], e["target"]) == approval]
        walked, cursor = [], None
        for _ in range(len(expected) + 1):
            page = api.get(f"/audit?organisation={code}&user={who}&limit=1" + (f"&cursor={cursor}" if cursor else ""),
                           admin).json()
            walked += [e["id"] for e in page["items"]]
            cursor = page["nextCursor"]
            if not cursor:
                break
        assert walked == expected, f"{who}: {walked} != {expected}"
    both = api.get(f"/audit?organisation={code}&user={person['userId']}&action=membership.revoked", admin).json()
    assert [e["action"] for e in both["items"]] == ["membership.revoked"] and both["nextCursor"] is None
