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


def practice_file_row(code: str, name: str, icb: str, status: str = "A", commissioner: str = "16C",
                      setting: str = "4") -> str:
    """A row as NHS ODS publishes epraccur.csv: 27 quoted columns, no heading."""
    columns = [""] * 27
    columns[0], columns[1], columns[2], columns[3] = code, name, "Y63", icb
    columns[9], columns[10], columns[12], columns[13] = "TS1 1AA", "19740401", status, "B"
    columns[14], columns[23], columns[25] = commissioner, commissioner, setting
    return ",".join(f'"{c}"' for c in columns)


def test_practices_come_from_the_ods_practice_file_once_each(api, identity):
    import threading

    admin = identity.as_role("qhm_admin")
    fresh, short, closed, elsewhere = new_code("P"), new_code("P"), new_code("P"), new_code("P")
    foreign = new_code("P")
    assert api.post("/organisations", {"code": foreign, "name": "Their Surgery", "type": "gp_practice",
                                       "commissioner": "QOQ"}, identity.as_role("qoq_admin")).status_code == 201
    text = "\n".join([
        practice_file_row(fresh, "THE NEW SURGERY", "QHM"),
        f"{short},Short Row Surgery,QHM",
        practice_file_row(closed, "THE CLOSED SURGERY", "QHM", status="C"),
        practice_file_row(elsewhere, "A SURGERY ELSEWHERE", "QOQ", commissioner="02Y"),
        practice_file_row(foreign, "THEIR SURGERY", "QHM"),
        practice_file_row("A81001", "THE DENSHAM SURGERY", "QHM"),
        "not a code!,Nameless,QHM",
        f"{fresh},Named Twice,QHM",
    ]) + "\n"
    upload = lambda: api.call("POST", "/organisations/import?commissioner=QHM", admin, raw=text.encode(),  # noqa: E731
                              headers={"Content-Type": "text/csv"})
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(upload())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    reports = [a.json() for a in answers]
    assert sorted(r["added"] for r in reports) in ([0, 2], [1, 1]), "sent twice at once, each practice added once"
    again = upload().json()
    outcomes = {(row["line"], row["outcome"]) for row in again["rows"]}
    assert outcomes == {(1, "already_here"), (2, "already_here"), (3, "not_active"), (4, "another_commissioners"),
                        (5, "another_commissioners"), (6, "already_here"), (7, "malformed"), (8, "already_here")}
    assert (again["added"], again["alreadyHere"], again["malformed"]) == (0, 4, 1)
    assert "QOQ" in next(r["detail"] for r in again["rows"] if r["line"] == 5)
    added = api.get(f"/organisations/{fresh}", admin).json()
    assert (added["name"], added["commissioner"], added["type"]) == ("THE NEW SURGERY", "QHM", "gp_practice")
    assert api.get(f"/organisations/{short}", admin).json()["name"] == "Short Row Surgery"
    problem(api.get(f"/organisations/{closed}", admin), 404)
    problem(api.get(f"/organisations/{elsewhere}", admin), 404)
    audit = api.get(f"/audit?organisation={fresh}", admin).json()["items"]
    assert [e["action"] for e in audit] == ["organisation.created"]

    refused = api.call("POST", "/organisations/import?commissioner=QHM", identity.as_role("qoq_admin"),
                       raw=text.encode(), headers={"Content-Type": "text/csv"})
    problem(refused, 403)
    empty = api.call("POST", "/organisations/import", admin, raw=b"\n", headers={"Content-Type": "text/csv"})
    assert "/file" in field_errors(problem(empty, 422))
