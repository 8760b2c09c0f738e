// Signing in through the session routes on the client's own origin: a
// password, then the code from an authenticator app (TOTP) for people who move
// money or manage accounts. The access token lives in this module's memory
// only (never localStorage); the refresh token is in an HttpOnly cookie page
// script cannot read, so a reload or a new tab carries on the session, and the
// access token is renewed before it runs out. Signing out ends it everywhere.

import { config } from "./config";
import { tracked } from "./waiting";

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

/** Other tabs hear of a sign-out at once (and the API refuses their old session anyway). */
const tabs = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("local-claims-session");
tabs?.addEventListener("message", (event) => {
  if (event.data === "signed-out" && session) {
    forget();
    notice = "You signed out in another window.";
    listeners.forEach((listener) => listener());
  }
});

function forget(): void {
  session = null;
  challenge = null;
  window.clearTimeout(expiryTimer);
}

/** Signs out everywhere: the session cookie's token revoked, every tab told. */
export async function signOut(): Promise<void> {
  if (session) await sessionCall("DELETE", "/session").catch(() => undefined);
  forget();
  tabs?.postMessage("signed-out");
}

/** A call to the user pool's public API (no AWS credentials: the pool's own client). */
async function cognito<T>(target: string, body: Record<string, unknown>): Promise<{ ok: boolean; body: T & { message?: string } }> {
  const settings = await config();
  const response = await tracked(fetch(settings.cognitoEndpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
    },
    body: JSON.stringify(body),
  }));
  return { ok: response.ok, body: (await response.json().catch(() => ({}))) as T & { message?: string } };
}

/** A sign-in waiting for the code from the person's authenticator app. */
let challenge: { email: string; session: string } | null = null;


interface SessionAnswer {
  signedIn?: boolean;
  codeWanted?: boolean;
  session?: string;
  accessToken?: string;
  expiresIn?: number;
  email?: string | null;
  detail?: string;
  errors?: Array<{ pointer: string; detail: string }>;
}

/** A call to the session routes, on the client's own origin (their cookie is first-party). */
async function sessionCall(method: string, path: string, body?: unknown): Promise<{ status: number; answer: SessionAnswer }> {
  const settings = await config();
  const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  try {
    const response = await tracked(fetch(`${settings.sessionBase}${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin",
    }));
    return { status: response.status, answer: (await response.json().catch(() => ({}))) as SessionAnswer };
  } catch {
    throw new SignInFailed("Signing in is not working at the moment. Try again later.");
  }
}

/** The session as the routes answered it; refreshed a minute before it runs out. */
function begin(answer: SessionAnswer, email: string): void {
  const lifetime = (answer.expiresIn ?? 0) * 1000;
  session = { accessToken: answer.accessToken ?? "", email: answer.email ?? email, expiresAt: Date.now() + lifetime };
  challenge = null;
  window.clearTimeout(expiryTimer);
  expiryTimer = window.setTimeout(() => void refresh(), Math.max(lifetime - 60_000, 5_000));
}

/** A refusal in the person's words. */
function failure(answer: SessionAnswer): SignInFailed {
  return new SignInFailed(answer.errors?.[0]?.detail ?? answer.detail ?? "Signing in is not working at the moment. Try again later.");
}

/** Signs in with a password: done, or a code from the authenticator app is wanted next. */
export async function signIn(email: string, password: string): Promise<"signed-in" | "code-wanted"> {
  const { status, answer } = await sessionCall("POST", "/session", { email, password });
  if (status === 200 && answer.codeWanted && answer.session) {
    challenge = { email, session: answer.session };
    return "code-wanted";
  }
  if (status !== 200 || !answer.accessToken) throw failure(answer);
  begin(answer, email);
  return "signed-in";
}

/** Whether a sign-in waits for its code. */
export function awaitingCode(): boolean {
  return challenge !== null;
}

/** The six-digit code from the authenticator app, for the sign-in waiting for it. */
export async function answerWithCode(code: string): Promise<void> {
  if (!challenge) throw new SignInFailed("Sign in with your email address and password first");
  const { status, answer } = await sessionCall("POST", "/session", { email: challenge.email, code, session: challenge.session });
  if (status === 401) {
    challenge = null;
    throw failure(answer);
  }
  if (status !== 200 || !answer.accessToken) throw failure(answer);
  begin(answer, challenge.email);
}

/** Carries on the session the browser has (after a reload, in a new tab): true if there is one. */
export async function resume(): Promise<boolean> {
  const { status, answer } = await sessionCall("POST", "/session/refresh").catch(() => ({ status: 0, answer: {} as SessionAnswer }));
  if (status !== 200 || !answer.accessToken) return false;
  begin(answer, answer.email ?? session?.email ?? "");
  return true;
}

/** A new access token before this one runs out; none to be had ends the session. */
async function refresh(): Promise<void> {
  if (!(await resume())) expire();
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
