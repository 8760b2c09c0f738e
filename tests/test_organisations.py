"""Organisations (catalogue, part 1): the Service Desk adds commissioners, a
commissioner's administrators add its providers; ODS codes are unique and
opaque; commissioners choose single- or multi-service claims."""

from conftest import field_errors, problem
from conftest import unique_code as new_code


def test_an_icb_administrator_adds_a_practice_to_their_icb(api, identity, table, stack):
    admin = identity.as_role("qhm_admin")
    code = new_code("Z")
    created = api.post("/organisations", {"code": code.lower(), "name": "Hill Surgery", "type": "gp_practice",
                                          "commissioner": "QHM"}, admin)
    assert created.status_code == 201, created.text
    assert created.json() == {"code": code, "name": "Hill Surgery", "kind": "provider", "type": "gp_practice",
                              "commissioner": "QHM", "claimSubmission": None, "claimsAnyTime": False,
                              "claimsNeedApproval": False}
    listed = api.get("/organisations?limit=100", admin).json()["items"]
    names = [o["name"].lower() for o in listed]
    assert code in {o["code"] for o in listed} and names == sorted(names)
    assert api.get(f"/organisations/{code}", admin).json()["name"] == "Hill Surgery"
    problem(api.get(f"/organisations/{code}", identity.as_role("qoq_admin")), 404)
    body = problem(api.post("/organisations", {"code": code, "name": "Again", "type": "gp_practice",
                                               "commissioner": "QHM"}, admin), 409)
    assert code in body["detail"]
    audit = api.get(f"/audit?organisation={code}", admin).json()["items"]
    assert [e["action"] for e in audit] == ["organisation.created"]


def test_only_the_right_people_add_organisations(api, identity):
    practice = {"code": new_code("Y"), "name": "Dale Surgery", "type": "gp_practice", "commissioner": "QHM"}
    problem(api.post("/organisations", practice, identity.as_role("qoq_admin")), 403)
    problem(api.post("/organisations", practice, identity.as_role("practice_user")), 403)
    icb = {"code": new_code("Q"), "name": "NHS Example ICB", "type": "icb"}
    problem(api.post("/organisations", icb, identity.as_role("qhm_admin")), 403)
    created = api.post("/organisations", icb, identity.as_role("service_desk"))
    assert created.status_code == 201, created.text
    assert created.json()["claimSubmission"] == "single_service"
    commissioners = api.get("/organisations?limit=100", identity.as_role("service_desk")).json()["items"]
    assert icb["code"] in {o["code"] for o in commissioners}


def test_organisation_input_is_explained(api, identity):
    admin = identity.as_role("qhm_admin")
    body = problem(api.post("/organisations", {}, admin), 422)
    assert set(field_errors(body)) == {"/code", "/name", "/type"}
    bad = problem(api.post("/organisations", {"code": "A8-1", "name": "X", "type": "castle"}, admin), 422)
    assert set(field_errors(bad)) == {"/code", "/type"}
    orphan = problem(api.post("/organisations", {"code": new_code("W"), "name": "X", "type": "pcn"}, admin), 422)
    assert "/commissioner" in field_errors(orphan)
    unknown = problem(api.post("/organisations", {"code": new_code("W"), "name": "X", "type": "pcn",
                                                  "commissioner": "ZZZ99"}, admin), 422)
    assert "no commissioner" in field_errors(unknown)["/commissioner"]


def test_a_commissioner_switches_to_multi_service_claims_and_renames(api, identity):
    desk = identity.as_role("service_desk")
    code = new_code("R")
    api.post("/organisations", {"code": code, "name": "NHS Test ICB", "type": "icb"}, desk)
    changed = api.call("PATCH", f"/organisations/{code}", desk, json_body={"claimSubmission": "multi_service",
                                                                           "name": "NHS Renamed ICB"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["claimSubmission"] == "multi_service" and changed.json()["name"] == "NHS Renamed ICB"
    practice = problem(api.call("PATCH", "/organisations/A81001", identity.as_role("qhm_admin"),
                                json_body={"claimSubmission": "multi_service"}), 422)
    assert "/claimSubmission" in field_errors(practice)
    problem(api.call("PATCH", "/organisations/A81001", identity.as_role("qoq_admin"), json_body={"name": "X"}), 403)
