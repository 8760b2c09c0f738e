"""Who may call what: every route of registration and account management, for
each kind of caller — the right administrator, another ICB's, the Service Desk,
a practice user, someone whose access was revoked, a disabled account, and
nobody signed in. Generated from the one table below, so no cell is skipped.

Each probe is built to be refused or harmless when allowed (a preview, an
invalid body, an already-cancelled invitation), so cells do not disturb each other."""

import sys
from pathlib import Path

import pytest

from conftest import unique_email, user_id_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import cfn  # noqa: E402

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
    practice = identity.as_role("practice_user")
    claims = [api.post("/claims", {"provider": "A81001"}, practice) for _ in range(2)]
    assert all(c.status_code == 201 for c in claims), [c.text for c in claims]
    return {
        "claim": str(claims[0].json()["id"]),
        "deletable_claim": str(claims[1].json()["id"]),
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


def unseen_by_others(**answers: int) -> dict:
    """The named callers' answers; a disabled account is refused, nobody signed
    in is asked who they are, and everyone else is told it does not exist."""
    return {**answers, "disabled": 403, "anonymous": 401, "*": 404}


def refused_to_others(**answers: int) -> dict:
    """The named callers' answers; nobody signed in is asked who they are, and
    everyone else is refused."""
    return {**answers, "anonymous": 401, "*": 403}


#: (route as in template.yaml, the path probed, body, {actor: expected status}); `*` is every actor not named.
#: Every route of the template must have a row: a new route without one fails by name.
MATRIX = [
    ("GET /me", "/me", None,
     {"disabled": 403, "anonymous": 401, "*": 200}),
    ("PATCH /me", "/me", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST /me/mfa", "/me/mfa", {},
     {"qhm_admin": 200, "qoq_admin": 200, "service_desk": 200, "disabled": 403, "anonymous": 401, "*": 409}),
    ("POST /me/disable", "/me/disable", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST /session", "/session", {},
     {"*": 422}),
    ("POST /session/refresh", "/session/refresh", None,
     {"*": 401}),
    ("DELETE /session", "/session", None,
     {"*": 200}),
    ("POST /registrations", "/registrations", {},
     {"*": 422}),
    ("POST /registrations/complete", "/registrations/complete", {},
     {"*": 422}),
    ("GET /pending-actions", "/pending-actions", None,
     refused_to_others(qhm_admin=200, qoq_admin=200, service_desk=200)),
    ("POST /registrations/{id}/review", "/registrations/{registration}/review", {"decision": "maybe"},
     refused_to_others(qhm_admin=422)),
    ("GET /users", "/users?organisation=A81001", None,
     refused_to_others(qhm_admin=200)),
    ("GET /users/{id}", "/users/{priya}", None,
     refused_to_others(qhm_admin=200, qoq_admin=404, service_desk=404)),
    ("POST /access-requests", "/access-requests", {},
     {"disabled": 403, "anonymous": 401, "*": 422}),
    ("POST /access-requests/{id}/review", "/access-requests/{access_request}/review", {"decision": "maybe"},
     refused_to_others(qhm_admin=422)),
    ("POST /invitations", "/invitations", {"email": "new.person@a81001.example.nhs.uk", "firstName": "New", "lastName": "Person",
                              "organisationCode": "A81001", "role": "provider_user", "preview": True},
     refused_to_others(qhm_admin=200)),
    ("GET /invitations", "/invitations?organisation=A81001", None,
     refused_to_others(qhm_admin=200)),
    ("POST /invitations/{id}/resend", "/invitations/{pending_invitation}/resend", None,
     refused_to_others(qhm_admin=200)),
    ("DELETE /invitations/{id}", "/invitations/{cancelled_invitation}", None,
     refused_to_others(qhm_admin=409)),
    ("POST /invitations/accept", "/invitations/accept", {},
     {"*": 422}),
    ("POST /users/{id}/memberships/{organisationCode}/revoke", "/users/{priya}/memberships/A81001/revoke", {"confirm": False},
     refused_to_others(qhm_admin=422)),
    ("POST /users/{id}/memberships/{organisationCode}/enable", "/users/{priya}/memberships/A81001/enable", {"confirm": False},
     refused_to_others(qhm_admin=422)),
    ("POST /users/{id}/disable", "/users/{priya}/disable", {},
     refused_to_others(qhm_admin=422, qoq_admin=404, service_desk=404)),
    ("POST /users/{id}/enable", "/users/{priya}/enable", {},
     refused_to_others(qhm_admin=422, qoq_admin=404, service_desk=404)),
    ("GET /audit", "/audit?organisation=A81001", None,
     refused_to_others(qhm_admin=200)),
    ("GET /organisations", "/organisations", None,
     refused_to_others(qhm_admin=200, qoq_admin=200, service_desk=200)),
    ("POST /organisations", "/organisations", {"code": "A81001", "name": "The Densham Surgery", "type": "gp_practice",
                                "commissioner": "QHM"},
     refused_to_others(qhm_admin=409)),
    ("POST /organisations/import", "/organisations/import?commissioner=QHM", {},
     refused_to_others(qhm_admin=422)),
    ("GET /organisations/{code}", "/organisations/A81001", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("PATCH /organisations/{code}", "/organisations/A81001", {},
     refused_to_others(qhm_admin=422)),
    ("POST /services", "/services", {},
     refused_to_others(qhm_admin=422, qoq_admin=422)),
    ("GET /services", "/services", None,
     refused_to_others(qhm_admin=200, qoq_admin=200)),
    ("GET /services/{id}", "/services/{service}", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("PATCH /services/{id}", "/services/{service}", {},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("POST /services/{id}/components", "/services/{service}/components", {},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("GET /services/{id}/components", "/services/{service}/components", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("GET /services/{id}/components/{componentId}", "/services/{service}/components/{component}", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("PUT /services/{id}/components/{componentId}", "/services/{service}/components/{component}", {},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("POST /services/{id}/offers", "/services/{service}/offers", {"providers": []},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("GET /services/{id}/offers", "/services/{service}/offers", None,
     unseen_by_others(qhm_admin=200, practice_user=403)),
    ("GET /offers", "/offers", None,
     refused_to_others(practice_user=200)),
    ("POST /offers/{id}/accept", "/offers/{offer}/accept", None,
     unseen_by_others(practice_user=409)),
    ("POST /offers/{id}/decline", "/offers/{offer}/decline", None,
     unseen_by_others(practice_user=409)),
    ("GET /services/{id}/windows", "/services/{service}/windows", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("POST /services/{id}/windows", "/services/{service}/windows", {},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("PATCH /services/{id}/windows/{period}", "/services/{service}/windows/Q2", {},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("POST /services/{id}/windows/generate", "/services/{service}/windows/generate", {"openForDays": 0},
     unseen_by_others(qhm_admin=422, practice_user=403)),
    ("GET /providers/{code}/services", "/providers/A81001/services", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("GET /providers/{code}/windows", "/providers/A81001/windows", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("GET /providers/{code}/claims/availability", "/providers/A81001/claims/availability", None,
     unseen_by_others(qhm_admin=200, practice_user=200)),
    ("POST /claims", "/claims", {"provider": "B81001"},
     refused_to_others()),
    ("GET /claims", "/claims", None,
     refused_to_others(qhm_admin=200, qoq_admin=200, practice_user=200)),
    ("GET /claims/{id}", "/claims/{claim}", None,
     unseen_by_others(practice_user=200)),
    ("GET /claims/{id}/history", "/claims/{claim}/history", None,
     unseen_by_others(practice_user=200)),
    ("POST /claims/{id}/services", "/claims/{claim}/services", {"services": []},
     unseen_by_others(practice_user=422)),
    ("POST /claims/{id}/lines", "/claims/{claim}/lines", {"components": []},
     unseen_by_others(practice_user=422)),
    ("PATCH /claims/{id}/lines/{lineId}", "/claims/{claim}/lines/no-such-line", {},
     unseen_by_others()),
    ("DELETE /claims/{id}/lines", "/claims/{claim}/lines", None,
     unseen_by_others(practice_user=200)),
    ("DELETE /claims/{id}/lines/{lineId}", "/claims/{claim}/lines/no-such-line", None,
     unseen_by_others()),
    ("DELETE /claims/{id}", "/claims/{deletable_claim}", None,
     unseen_by_others(practice_user=200)),
    ("POST /claims/{id}/lines/{lineId}/attachments", "/claims/{claim}/lines/no-such-line/attachments",
     {"fileName": "x.pdf", "contentType": "application/pdf", "size": 10},
     unseen_by_others()),
    ("GET /claims/{id}/lines/{lineId}/attachments/{attachmentId}", "/claims/{claim}/lines/no-line/attachments/no-file",
     None, unseen_by_others()),
    ("DELETE /claims/{id}/lines/{lineId}/attachments/{attachmentId}",
     "/claims/{claim}/lines/no-line/attachments/no-file", None, unseen_by_others()),
    ("POST /claims/{id}/submit", "/claims/{claim}/submit", {"confirm": False},
     unseen_by_others(practice_user=422)),
    # A draft: only its practice sees it, and a practice user is no reviewer.
    ("POST /claims/{id}/decisions", "/claims/{claim}/decisions", {"stage": "tier1", "decision": "approve"},
     unseen_by_others(practice_user=403)),
    # None of these callers reviews claims: a work list is for those who hold its stage's role.
    ("GET /reviews", "/reviews?stage=tier1", None, refused_to_others()),
    # Bulk claims are Tier 1's: the service's administrator and its practice see the service but are refused.
    ("GET /services/{id}/bulk-claims", "/services/{service}/bulk-claims?period=Q3", None,
     unseen_by_others(qhm_admin=403, practice_user=403)),
    ("POST /services/{id}/bulk-claims", "/services/{service}/bulk-claims?period=Q3", None,
     unseen_by_others(qhm_admin=403, practice_user=403)),
    # Each commissioner's administrators read their own reports; nobody else has any.
    ("GET /reports/claims", "/reports/claims", None, refused_to_others(qhm_admin=200, qoq_admin=200)),
    # Payments are Finance's and Tier 2's: none of these callers runs them, and a run is not there for them.
    ("POST /payment-runs", "/payment-runs", {"commissioner": "QHM", "paymentDate": "2099-01-01"},
     refused_to_others()),
    ("GET /payment-runs", "/payment-runs", None, refused_to_others()),
    ("GET /payment-runs/{id}", "/payment-runs/no-such-run", None, unseen_by_others()),
    ("POST /payment-runs/{id}/confirm", "/payment-runs/no-such-run/confirm", {"confirm": False},
     unseen_by_others()),
    ("GET /payment-runs/{id}/export", "/payment-runs/no-such-run/export", None,
     unseen_by_others()),
    # A practice's own users see its remittances (none yet); nobody else finds the practice's.
    ("GET /providers/{code}/remittances", "/providers/A81001/remittances", None,
     unseen_by_others(practice_user=200)),
    ("GET /providers/{code}/remittances/{runId}", "/providers/A81001/remittances/no-such-run", None,
     unseen_by_others()),
]

ROWS = {route: (path, body, expected) for route, path, body, expected in MATRIX}
ROUTES = [f"{r.method} {r.path}" for r in cfn.routes(cfn.load_template())]
CELLS = [(route, actor) for route in ROUTES for actor in ACTORS]


@pytest.mark.parametrize("route,actor", CELLS, ids=[f"{route} as {actor}" for route, actor in CELLS])
def test_authorisation(api, world, route, actor):
    if route not in ROWS:
        pytest.fail(f"{route} is in template.yaml but has no row in MATRIX (tests/test_authorisation_matrix.py): "
                    f"add one saying what each caller gets")
    method = route.split(" ")[0]
    path, body, expected_by_actor = ROWS[route]
    expected = expected_by_actor.get(actor, expected_by_actor.get("*"))
    url = path.format(**{k: v for k, v in world.items() if isinstance(v, str)})
    response = api.call(method, url, world["tokens"][actor], json_body=body)
    assert response.status_code == expected, f"{method} {url} as {actor}: {response.status_code} {response.text}"
    if expected >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    if actor == "disabled" and expected == 403:
        assert response.json()["type"] == "/problems/account-disabled"


def test_the_matrix_has_no_row_for_a_route_that_is_gone():
    for route in ROWS:
        assert route in ROUTES, f"MATRIX has a row for {route}, which template.yaml no longer deploys"
