"""The web client's sessions (POST /session, POST /session/refresh, DELETE
/session): the refresh token only ever in an HttpOnly cookie, a reload carries
on, and Sign out ends that session for good — its refresh token and every
access token it made — while the person's other sessions carry on."""

from conftest import authenticator, field_errors, problem


def signed_in(api, email: str, password: str):
    """A sign-in as the browser makes it: the page's answer and the cookie header to send back."""
    answer = api.post("/session", {"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    set_cookie = answer.headers["set-cookie"]
    return answer.json(), set_cookie.split(";", 1)[0]


def test_signing_in_puts_the_refresh_token_in_a_cookie_no_script_can_read(api, active_user):
    person = active_user()
    answer = api.post("/session", {"email": person["email"].upper(), "password": person["password"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["signedIn"] is True and body["email"] == person["email"] and body["expiresIn"] > 0
    assert "refreshToken" not in body and "idToken" not in body, "the page never holds the long-lived token"
    cookie = answer.headers["set-cookie"]
    for part in ("lc_session=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"):
        assert part in cookie, cookie
    assert api.get("/me", body["accessToken"]).json()["email"] == person["email"]


def test_a_wrong_password_and_an_empty_form_are_refused_in_words(api, active_user):
    person = active_user()
    wrong = problem(api.post("/session", {"email": person["email"], "password": "not-the-password"}), 401)
    assert wrong["detail"] == "The email address or password is not right"
    nobody = problem(api.post("/session", {"email": "nobody@nowhere.example.nhs.uk", "password": "whatever-it-is"}), 401)
    assert nobody["detail"] == wrong["detail"], "whether an account exists is not given away"
    empty = problem(api.post("/session", {"email": "", "password": ""}), 422)
    assert field_errors(empty) == {"/password": "Enter your email address and password"}
    assert "set-cookie" not in {k.lower() for k in api.post("/session", {"email": "", "password": ""}).headers}


def test_someone_with_an_authenticator_app_signs_in_with_its_code(api, stack):
    admin = next(u for u in stack["demoUsers"] if u.get("authenticatorKey"))
    first = api.post("/session", {"email": admin["email"], "password": admin["password"]})
    assert first.status_code == 200 and first.json()["codeWanted"] is True, first.text
    assert "set-cookie" not in {k.lower() for k in first.headers}, "no session before the code"
    step = first.json()["session"]
    bad = problem(api.post("/session", {"email": admin["email"], "code": "12ab", "session": step}), 422)
    assert field_errors(bad) == {"/code": "Enter the 6-digit code from your authenticator app"}
    code = authenticator.code_now(admin["authenticatorKey"])
    done = api.post("/session", {"email": admin["email"], "code": code, "session": step})
    assert done.status_code == 200, done.text
    assert "lc_session=" in done.headers["set-cookie"]
    assert api.get("/pending-actions", done.json()["accessToken"]).status_code == 200, "signed in with a code"
    made_up = problem(api.post("/session", {"email": admin["email"], "code": code, "session": "made-up"}), 401)
    assert "sign in again" in made_up["detail"], "a session the pool never gave is refused as Cognito refuses it"
    nobody = problem(api.post("/session", {"email": " ", "code": code, "session": step}), 422)
    assert field_errors(nobody) == {"/email": "Enter your email address"}


def test_the_cookie_carries_the_session_on_and_signing_out_ends_it_for_good(api, active_user):
    person = active_user()
    page, cookie = signed_in(api, person["email"], person["password"])
    renewed = api.post("/session/refresh", headers={"Cookie": cookie})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["email"] == person["email"]
    renewed_token = renewed.json()["accessToken"]
    assert api.get("/me", renewed_token).status_code == 200
    other_page, other_cookie = signed_in(api, person["email"], person["password"])  # another browser

    out = api.call("DELETE", "/session", page["accessToken"], headers={"Cookie": cookie})
    assert out.status_code == 200, out.text
    assert "Max-Age=0" in out.headers["set-cookie"], "the browser forgets the cookie"

    refused = problem(api.post("/session/refresh", headers={"Cookie": cookie}), 401)
    assert "sign in" in refused["detail"].lower()
    for token in (page["accessToken"], renewed_token):
        problem(api.get("/me", token), 401)  # every access token of the ended session, in any tab
    assert api.get("/me", other_page["accessToken"]).status_code == 200, "the other browser's session carries on"
    assert api.post("/session/refresh", headers={"Cookie": other_cookie}).status_code == 200


def test_without_the_cookie_nothing_is_ended_and_nothing_is_renewed(api, active_user):
    person = active_user()
    page, cookie = signed_in(api, person["email"], person["password"])
    # A token sent alone (not from the browser that holds the session) signs nothing out.
    assert api.call("DELETE", "/session", page["accessToken"]).status_code == 200
    assert api.get("/me", page["accessToken"]).status_code == 200
    problem(api.post("/session/refresh"), 401)
    problem(api.post("/session/refresh", headers={"Cookie": "lc_session=made-up"}), 401)
    assert api.post("/session/refresh", headers={"Cookie": f"theme=dark; {cookie}"}).status_code == 200
