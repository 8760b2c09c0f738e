// Signing in against the Cognito user pool with the password flow the pool
// allows. Tokens live in this module's memory only — never in localStorage —
// so closing the tab signs out; when the access token expires the person is
// told so on the sign-in page.

import { config } from "./config";

export interface Session {
  accessToken: string;
  email: string;
  expiresAt: number;
}

let session: Session | null = null;
let expiredNotice = false;
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

/** True once after a session ran out, so the sign-in page can say so. */
export function takeExpiredNotice(): boolean {
  const was = expiredNotice;
  expiredNotice = false;
  return was;
}

export function expire(): void {
  if (!session) return;
  session = null;
  expiredNotice = true;
  window.clearTimeout(expiryTimer);
  listeners.forEach((listener) => listener());
}

export function signOut(): void {
  session = null;
  window.clearTimeout(expiryTimer);
}

export async function signIn(email: string, password: string): Promise<void> {
  const settings = await config();
  const response = await fetch(settings.cognitoEndpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
    },
    body: JSON.stringify({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: settings.userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    AuthenticationResult?: { AccessToken: string; ExpiresIn: number };
    ChallengeName?: string;
    message?: string;
  };
  if (!response.ok || !body.AuthenticationResult) {
    if (body.ChallengeName) throw new SignInFailed("Your account needs setting up first: use the link in your email");
    if (/disabled/i.test(body.message ?? "")) {
      throw new SignInFailed("Your account has been disabled. Contact your practice's or ICB's administrator if you need it back");
    }
    throw new SignInFailed("The email address or password is not right");
  }
  const lifetime = body.AuthenticationResult.ExpiresIn * 1000;
  session = { accessToken: body.AuthenticationResult.AccessToken, email, expiresAt: Date.now() + lifetime };
  window.clearTimeout(expiryTimer);
  expiryTimer = window.setTimeout(expire, lifetime);
}
