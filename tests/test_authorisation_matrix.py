"""Who may call what: every route of registration and account management, for
each kind of caller — the right administrator, another ICB's, the Service Desk,
a practice user, someone whose access was revoked, a disabled account, and
nobody signed in. Generated from the one table below, so no cell is skipped.

Each probe is built to be refused or harmless when allowed (a preview, an
invalid body, an already-cancelled invitation), so cells do not disturb each other."""

import uuid

import pytest

from conftest import unique_email, user_id_of

ACTORS = ["qhm_admin", "qoq_admin", "service_desk", "practice_user", "revoked", "disabled", "anonymous"]


@pytest.fixture(scope="module")
def world(api, identity, outbox, register, active_user):
    """The people and records the probes point at."""
    admin = identity.as_role("qhm_admin")
    revoked = active_user(organisation="A81002")
    assert api.post(f"/users/{revoked['userId']}/memberships/A81002/revoke", {"confirm": True}, admin).status_code == 200
    disabled = active_user()
    assert api.post(f"/users/{disabled['userId']}/disable", {"reason": "security_concern"}, admin).status_code == 200

    registration = register()["id"]
    requester = active_user()
    access_request = api.post("/access-requests", {"organisationCode": "A81002", "role": "provider_user"},
                              requester["token"]).json()["id"]
    invite = {"email": unique_email("ivy", "moss"), "firstName": "Ivy", "lastName": "Moss",
              "organisationCode": "A81001", "role": "provider_user"}
    pending_invitation = api.post("/invitations", invite, admin).json()["id"]
    cancelled = api.post("/invitations", {**invite, "email": unique_email("ivy", "moss")}, admin).json()["id"]
    assert api.call("DELETE", f"/invitations/{cancelled}", admin).status_code == 200
    services = api.get("/services?commissioner=QHM&limit=100", admin).json()["items"]
    demo = next(s for s in services if s["name"] == "Complex Care Plans")
    component = api.get(f"/services/{demo['id']}/components", admin).json()["items"][0]["id"]
    return {
        "service": demo["id"],
        "component": component,
        "offer": f"{demo['id']}.A81001",
        "tokens": {
            **{role: identity.as_role(role) for role in ("qhm_admin", "qoq_admin", "service_desk", "practice_user")},
            "revoked": revoked["token"],
            "disabled": disabled["token"],
            "anonymous": None,
        },
        "priya": user_id_of(api, identity.as_role("practice_user")),
        "registration": registration,
        "access_request": access_request,
        "pending_invitation": pending_invitation,
        "cancelled_invitation": cancelled,
    }


#: (method, path template, body, {actor: expected status}); `*` is every actor not named.
MATRIX = [
    ("GET", "/me", None,
     {"disabled": 403, "anonymous": 401, "*": 200}),
    ("PATCH", "/me", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST", "/me/disable", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST", "/registrations", {},
     {"*": 422}),
    ("POST", "/registrations/complete", {},
     {"*": 422}),
    ("GET", "/pending-actions", None,
     {"qhm_admin": 200, "qoq_admin": 200, "service_desk": 200, "anonymous": 401, "*": 403}),
    ("POST", "/registrations/{registration}/review", {"decision": "maybe"},
     {"qhm_admin": 422, "anonymous": 401, "*": 403}),
    ("GET", "/users?organisation=A81001", None,
     {"qhm_admin": 200, "anonymous": 401, "*": 403}),
    ("GET", "/users/{priya}", None,
     {"qhm_admin": 200, "qoq_admin": 404, "service_desk": 404, "anonymous": 401, "*": 403}),
    ("POST", "/access-requests", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST", "/access-requests/{access_request}/review", {"decision": "maybe"},
     {"qhm_admin": 422, "anonymous": 401, "*": 403}),
    ("POST", "/invitations", {"email": "new.person@a81001.example.nhs.uk", "firstName": "New", "lastName": "Person",
                              "organisationCode": "A81001", "role": "provider_user", "preview": True},
     {"qhm_admin": 200, "anonymous": 401, "*": 403}),
    ("GET", "/invitations?organisation=A81001", None,
     {"qhm_admin": 200, "anonymous": 401, "*": 403}),
    ("POST", "/invitations/{pending_invitation}/resend", None,
     {"qhm_admin": 200, "anonymous": 401, "*": 403}),
    ("DELETE", "/invitations/{cancelled_invitation}", None,
     {"qhm_admin": 409, "anonymous": 401, "*": 403}),
    ("POST", "/invitations/accept", {},
     {"*": 422}),
    ("POST", "/users/{priya}/memberships/A81001/revoke", {"confirm": False},
     {"qhm_admin": 422, "anonymous": 401, "*": 403}),
    ("POST", "/users/{priya}/memberships/A81001/enable", {"confirm": False},
     {"qhm_admin": 422, "anonymous": 401, "*": 403}),
    ("POST", "/users/{priya}/disable", {},
     {"qhm_admin": 422, "qoq_admin": 404, "service_desk": 404, "anonymous": 401, "*": 403}),
    ("POST", "/users/{priya}/enable", {},
     {"qhm_admin": 422, "qoq_admin": 404, "service_desk": 404, "anonymous": 401, "*": 403}),
    ("GET", "/audit?organisation=A81001", None,
     {"qhm_admin": 200, "anonymous": 401, "*": 403}),
    ("GET", "/organisations", None,
     {"qhm_admin": 200, "qoq_admin": 200, "service_desk": 200, "anonymous": 401, "*": 403}),
    ("POST", "/organisations", {"code": "A81001", "name": "The Densham Surgery", "type": "gp_practice",
                                "commissioner": "QHM"},
     {"qhm_admin": 409, "anonymous": 401, "*": 403}),
    ("GET", "/organisations/A81001", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("PATCH", "/organisations/A81001", {},
     {"qhm_admin": 422, "anonymous": 401, "*": 403}),
    ("POST", "/services", {},
     {"qhm_admin": 422, "qoq_admin": 422, "anonymous": 401, "*": 403}),
    ("GET", "/services", None,
     {"qhm_admin": 200, "qoq_admin": 200, "anonymous": 401, "*": 403}),
    ("GET", "/services/{service}", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("PATCH", "/services/{service}", {},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("POST", "/services/{service}/components", {},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/services/{service}/components", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/services/{service}/components/{component}", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("PUT", "/services/{service}/components/{component}", {},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("POST", "/services/{service}/offers", {"providers": []},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/services/{service}/offers", None,
     {"qhm_admin": 200, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/offers", None,
     {"practice_user": 200, "anonymous": 401, "*": 403}),
    ("POST", "/offers/{offer}/accept", None,
     {"practice_user": 409, "disabled": 403, "anonymous": 401, "*": 404}),
    ("POST", "/offers/{offer}/decline", None,
     {"practice_user": 409, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/services/{service}/windows", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("POST", "/services/{service}/windows", {},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("POST", "/services/{service}/windows/generate", {"openForDays": 0},
     {"qhm_admin": 422, "practice_user": 403, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/providers/A81001/services", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
    ("GET", "/providers/A81001/windows", None,
     {"qhm_admin": 200, "practice_user": 200, "disabled": 403, "anonymous": 401, "*": 404}),
]

CELLS = [(method, path, body, actor, expected.get(actor, expected.get("*")))
         for method, path, body, expected in MATRIX for actor in ACTORS]


@pytest.mark.parametrize("method,path,body,actor,expected", CELLS,
                         ids=[f"{m} {p} as {a}" for m, p, _, a, _ in CELLS])
def test_authorisation(api, world, method, path, body, actor, expected):
    url = path.format(**{k: v for k, v in world.items() if isinstance(v, str)})
    response = api.call(method, url, world["tokens"][actor], json_body=body)
    assert response.status_code == expected, f"{method} {url} as {actor}: {response.status_code} {response.text}"
    if expected >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    if actor == "disabled" and expected == 403:
        assert response.json()["type"] == "/problems/account-disabled"


def test_every_route_in_the_template_is_in_the_matrix():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))
    import cfn
    covered = {(method, path.split("?")[0]) for method, path, _, _ in MATRIX}
    placeholders = {"{registration}": "{id}", "{access_request}": "{id}", "{pending_invitation}": "{id}",
                    "{cancelled_invitation}": "{id}", "{priya}": "{id}", "{service}": "{id}",
                    "{component}": "{componentId}", "{offer}": "{id}", "/providers/A81001": "/providers/{code}"}
    normalised = set()
    for method, path in covered:
        for old, new in placeholders.items():
            path = path.replace(old, new)
        path = path.replace("/memberships/A81001", "/memberships/{organisationCode}")
        path = path.replace("/organisations/A81001", "/organisations/{code}")
        normalised.add((method, path))
    deployed = {(r.method, r.path) for r in cfn.routes(cfn.load_template())}
    assert deployed == normalised
