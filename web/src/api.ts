// The API: JSON in and out, bearer token from the session, and problem+json
// errors turned into one type the screens show (an error summary with links to
// the fields named by each error's JSON pointer).

import * as auth from "./auth";
import { config } from "./config";
import type { Me } from "./types";

export interface FieldProblem {
  pointer: string;
  detail: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[],
  ) {
    super(detail || title);
  }
}

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const session = auth.current();
  if (!session) throw new Problem(401, "/problems/signed-out", "Sign in", "Sign in to continue", []);
  return send<T>(method, path, body, { authorization: `Bearer ${session.accessToken}`, ...headers });
}

/** The routes anyone may call: registering, and completing a registration. */
export function publicPost<T>(path: string, body: unknown): Promise<T> {
  return send<T>("POST", path, body, {});
}

/** A file from the API (a CSV to save, a page to print), as text. */
export async function getText(path: string): Promise<string> {
  return (await signedIn("GET", path, {})).text();
}

/** Uploads a CSV file as it is; the API answers with JSON. */
export async function postCsv<T>(path: string, file: Blob): Promise<T> {
  const response = await signedIn("POST", path, { body: file, headers: { "content-type": "text/csv" } });
  return (await response.json()) as T;
}

async function signedIn(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> }): Promise<Response> {
  const session = auth.current();
  if (!session) throw new Problem(401, "/problems/signed-out", "Sign in", "Sign in to continue", []);
  const settings = await config();
  const response = await fetch(settings.apiBase + path, {
    method, body: init.body, headers: { authorization: `Bearer ${session.accessToken}`, ...init.headers },
  });
  if (!response.ok) await failed(response, true);
  return response;
}

async function send<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const settings = await config();
  const response = await fetch(settings.apiBase + path, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) await failed(response, Boolean(headers.authorization));
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A problem+json answer as a `Problem`; a 401 to a signed-in call ends the session. */
async function failed(response: Response, signedInCall: boolean): Promise<never> {
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (response.status === 401 && signedInCall) {
    auth.expire();
  }
  throw new Problem(
    response.status,
    String(parsed.type ?? "about:blank"),
    String(parsed.title ?? "Something went wrong"),
    String(parsed.detail ?? ""),
    Array.isArray(parsed.errors) ? (parsed.errors as FieldProblem[]) : [],
  );
}

export const get = <T>(path: string) => call<T>("GET", path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>("POST", path, body ?? {}, headers);
export const patch = <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>("PATCH", path, body, headers);
export const remove = <T>(path: string) => call<T>("DELETE", path);

let me: { token: string; value: Promise<Me> } | null = null;

/** The signed-in person and their memberships, read once per session. */
export function whoAmI(): Promise<Me> {
  const token = auth.current()?.accessToken ?? "";
  if (!me || me.token !== token) me = { token, value: get<Me>("/me") };
  return me.value;
}

/** After a change to the profile, read it again next time. */
export function forgetMe(): void {
  me = null;
}

/** The roles someone holds, once known (the header's menu uses them). */
export async function rolesOf(): Promise<Set<string>> {
  const person = await whoAmI();
  return new Set(person.memberships.filter((m) => m.status === "active").map((m) => m.role.code));
}
