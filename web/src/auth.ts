// Signing in against the Cognito user pool with the password flow the pool
// allows, and the code from an authenticator app (TOTP) for people who move
// money or manage accounts. Tokens live in this module's memory only — never
// in localStorage — so closing the tab signs out; when the access token
// expires the person is told so on the sign-in page.

import { config } from "./config";

export interface Session {
  accessToken: string;
  email: string;
  expiresAt: number;
}

let session: Session | null = null;
/** What the sign-in page says first, once (a session that ran out; a sign-in to make again). */
let notice: string | null = null;
let expiryTimer: number | undefined;
const listeners: Array<() => void> = [];

export class SignInFailed extends Error {}

export function current(): Session | null {
  if (session && Date.now() >= session.expiresAt) expire();
  return session;
}

export function onExpiry(listener: () => void): void {
  listeners.push(listener);
}

/** Said once on the sign-in page. */
export function noticeForSignIn(text: string): void {
  notice = text;
}

/** What the sign-in page should say first, once. */
export function takeNotice(): string | null {
  const said = notice;
  notice = null;
  return said;
}

export function expire(): void {
  if (!session) return;
  session = null;
  notice = "Your session has expired. Sign in again to carry on.";
  window.clearTimeout(expiryTimer);
  listeners.forEach((listener) => listener());
}

export function signOut(): void {
  session = null;
  challenge = null;
  window.clearTimeout(expiryTimer);
}

/** A call to the user pool's public API (no AWS credentials: the pool's own client). */
async function cognito<T>(target: string, body: Record<string, unknown>): Promise<{ ok: boolean; body: T & { message?: string } }> {
  const settings = await config();
  const response = await fetch(settings.cognitoEndpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
    },
    body: JSON.stringify(body),
  });
  return { ok: response.ok, body: (await response.json().catch(() => ({}))) as T & { message?: string } };
}

interface Authenticated {
  AuthenticationResult?: { AccessToken: string; ExpiresIn: number };
  ChallengeName?: string;
  Session?: string;
}

/** A sign-in waiting for the code from the person's authenticator app. */
let challenge: { email: string; session: string } | null = null;

function begin(result: { AccessToken: string; ExpiresIn: number }, email: string): void {
  const lifetime = result.ExpiresIn * 1000;
  session = { accessToken: result.AccessToken, email, expiresAt: Date.now() + lifetime };
  challenge = null;
  window.clearTimeout(expiryTimer);
  expiryTimer = window.setTimeout(expire, lifetime);
}

/** Signs in with a password: done, or a code from the authenticator app is wanted next. */
export async function signIn(email: string, password: string): Promise<"signed-in" | "code-wanted"> {
  const settings = await config();
  const { ok, body } = await cognito<Authenticated>("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: settings.userPoolClientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (ok && body.ChallengeName === "SOFTWARE_TOKEN_MFA" && body.Session) {
    challenge = { email, session: body.Session };
    return "code-wanted";
  }
  if (!ok || !body.AuthenticationResult) {
    if (body.ChallengeName) throw new SignInFailed("Your account needs setting up first: use the link in your email");
    if (/disabled/i.test(body.message ?? "")) {
      throw new SignInFailed("Your account has been disabled. Contact your practice's or ICB's administrator if you need it back");
    }
    throw new SignInFailed("The email address or password is not right");
  }
  begin(body.AuthenticationResult, email);
  return "signed-in";
}

/** Whether a sign-in waits for its code. */
export function awaitingCode(): boolean {
  return challenge !== null;
}

/** The six-digit code from the authenticator app, for the sign-in waiting for it. */
export async function answerWithCode(code: string): Promise<void> {
  if (!challenge) throw new SignInFailed("Sign in with your email address and password first");
  const settings = await config();
  const { ok, body } = await cognito<Authenticated>("RespondToAuthChallenge", {
    ChallengeName: "SOFTWARE_TOKEN_MFA",
    ClientId: settings.userPoolClientId,
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.email, SOFTWARE_TOKEN_MFA_CODE: code },
  });
  if (!ok || !body.AuthenticationResult) {
    if (/session/i.test(body.message ?? "") && !/mismatch/i.test(body.message ?? "")) {
      challenge = null;
      throw new SignInFailed("That took too long: sign in again");
    }
    throw new SignInFailed("The code is not right: enter the 6-digit code your authenticator app shows now");
  }
  begin(body.AuthenticationResult, challenge.email);
}

/** Starts setting up an authenticator app: the secret key it is to hold. */
export async function newAuthenticatorKey(): Promise<string> {
  const token = current()?.accessToken;
  const { ok, body } = await cognito<{ SecretCode?: string }>("AssociateSoftwareToken", { AccessToken: token });
  if (!ok || !body.SecretCode) throw new SignInFailed("Setting up an authenticator app is not working at the moment. Try again later.");
  return body.SecretCode;
}

/** Checks a code from the newly set-up app, then makes the app how this person signs in. */
export async function confirmAuthenticator(code: string): Promise<void> {
  const token = current()?.accessToken;
  const verified = await cognito<{ Status?: string }>("VerifySoftwareToken", {
    AccessToken: token, UserCode: code, FriendlyDeviceName: "Authenticator app",
  });
  if (!verified.ok || verified.body.Status !== "SUCCESS") {
    throw new SignInFailed("The code is not right: enter the 6-digit code your authenticator app shows now");
  }
  const preferred = await cognito("SetUserMFAPreference", {
    AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  if (!preferred.ok) throw new SignInFailed("Setting up an authenticator app is not working at the moment. Try again later.");
}
