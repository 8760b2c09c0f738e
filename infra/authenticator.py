"""Authenticator-app (TOTP) sign-in against the local user pool, for the demo
users, the tests and the scripts: the same calls a person's browser makes.

Finance, Tier 1 and Tier 2 reviewers, Commissioning Administrators and the
Service Desk sign in with a code from an authenticator app. The emulator
checks each code against the key it gave (moto gives every user the same
key, and lets a code be used again within its 30 seconds; Cognito gives each
person their own and refuses a code used twice)."""

from __future__ import annotations

import base64
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP


#: A code is good for its 30-second step only (the emulator allows no drift):
#: one asked for this close to the step's end is given from the next step.
MARGIN = 3.0


def code_now(key: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for `key` (base32, as
    Cognito gives it): at `at`, or now — waiting for the next step when this
    one ends within `MARGIN` seconds, so the code is still good when it arrives."""
    padded = key.upper() + "=" * (-len(key) % 8)
    totp = TOTP(base64.b32decode(padded), 6, SHA1(), 30, enforce_key_length=False)
    if at is None:
        left = 30 - time.time() % 30
        if left < MARGIN:
            time.sleep(left + 0.05)
        at = time.time()
    return totp.generate(at).decode()


def sign_in(cognito, client_id: str, email: str, password: str, key: str | None = None,
            kind: str = "AccessToken") -> str:
    """A token for `email`, answering the authenticator challenge with `key` when one comes."""
    result = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": email, "PASSWORD": password})
    if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
        if key is None:
            raise RuntimeError(f"{email} signs in with an authenticator app, and no key was given for it")
        result = cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=result["Session"],
            ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code_now(key)})
    return result["AuthenticationResult"][kind]


def set_up(cognito, access_token: str) -> str:
    """Sets up an authenticator app for the signed-in person, as the web client
    does: the key, a code from it, then the app as their way of signing in. Answers the key."""
    key = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    verified = cognito.verify_software_token(AccessToken=access_token, UserCode=code_now(key),
                                             FriendlyDeviceName="Authenticator app")
    assert verified["Status"] == "SUCCESS", verified
    cognito.set_user_mfa_preference(AccessToken=access_token,
                                    SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return key
