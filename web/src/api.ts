// The API: JSON in and out, bearer token from the session, and problem+json
// errors turned into one type the screens show (an error summary with links to
// the fields named by each error's JSON pointer).

import * as auth from "./auth";
import { address, Answer, Args, Method, Request, Route } from "./client";
import { config } from "./config";
import type { Me } from "./types";
import { forThisScreen } from "./navigation";
import { tracked } from "./waiting";

export interface FieldProblem {
  pointer: string;
  detail: string;
}

/** An answer the screens cannot have expected (not problem+json, a server
 * error, no answer at all): the person sees the service's own problem page. */
export class ServiceProblem extends Error {}

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

/** What a call made with no session meets: sign in to continue. */
function signedOut(): Problem {
  return new Problem(401, "/problems/signed-out", "Sign in", "Sign in to continue", []);
}

/** A call's parts, as `address` and `send` take them. */
interface Parts {
  path?: Record<string, string | number>;
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
}

function partsOf(request: unknown): Parts {
  return (request ?? {}) as Parts;
}

/** A call to a route of the API as the signed-in person. */
async function call<P extends string, M extends Method>(method: M, route: P, request: Request<P, M> | undefined): Promise<Answer<P, M>> {
  const session = auth.current();
  if (!session) throw signedOut();
  const parts = partsOf(request);
  return forThisScreen(send<Answer<P, M>>(method.toUpperCase(), address(route, parts.path, parts.query), parts.body,
    { authorization: `Bearer ${session.accessToken}`, ...parts.headers }));
}

/** The routes anyone may call: registering, completing a registration, accepting an invitation. */
export function publicPost<P extends Route<"post">>(route: P, ...[request]: Args<P, "post">): Promise<Answer<P, "post">> {
  const parts = partsOf(request);
  return forThisScreen(send<Answer<P, "post">>("POST", address(route, parts.path), parts.body ?? {}, parts.headers ?? {}));
}

/** A file from the API (a CSV to save, a page to print), as text. */
export function getText<P extends Route<"get">>(route: P, ...[request]: Args<P, "get">): Promise<string> {
  const parts = partsOf(request);
  return forThisScreen(signedIn("GET", address(route, parts.path, parts.query), {}).then((response) => response.text()));
}

/** Uploads a CSV file as it is, with a key of its own (an upload whose
 * answer was lost is sent again and answered as the first); the API answers
 * with JSON. */
export function postCsv<P extends Route<"post">>(route: P, file: Blob, ...[request]: Args<P, "post">): Promise<Answer<P, "post">> {
  const parts = partsOf(request);
  const headers = { "content-type": "text/csv", ...oneRequest() };
  const sent = signedIn("POST", address(route, parts.path, parts.query), { body: file, headers });
  return forThisScreen(sent.then((response) => response.json() as Promise<Answer<P, "post">>));
}

async function signedIn(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> }): Promise<Response> {
  const session = auth.current();
  if (!session) throw signedOut();
  const settings = await config();
  const response = await reach(settings.apiBase + path, {
    method, body: init.body, headers: { authorization: `Bearer ${session.accessToken}`, ...init.headers },
  });
  if (!response.ok) await failed(response, true);
  return response;
}

/** The waits before each try again of a request that met a 503, a gateway
 * with no answer from its function (502, 504), or no answer at all. */
const RETRY_WAITS_MS = [300, 1000, 3000];
/** The longest a `Retry-After` is waited for before giving up: longer, and the person is told. */
const LONGEST_WAIT_MS = 5000;

/** Whether sending the request again can change nothing twice: a read, or a
 * change that carries an Idempotency-Key (the API answers its retry as it
 * answered the first). Anything else is sent once, and a failure is shown. */
function safeToRetry(init: RequestInit): boolean {
  const headers = (init.headers ?? {}) as Record<string, string>;
  return init.method === "GET" || Object.keys(headers).some((name) => name.toLowerCase() === "idempotency-key");
}

/** The header of one request that may be sent again: a new key per click, so
 * a retry after a lost answer is answered as the first and changes nothing
 * twice. */
export function oneRequest(): { "idempotency-key": string } {
  return { "idempotency-key": crypto.randomUUID() };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

/** The answers that say the request may be sent again: the service busy
 * (503), or the gateway without an answer from the function (502, 504). */
const TRY_AGAIN = new Set([502, 503, 504]);

/** `fetch`, sending a request that is safe to send again once more after a
 * 503 (after its `Retry-After`), a 502 or 504, or no answer, with growing
 * waits; no answer in the end (the network, the service down) is a `ServiceProblem`. */
async function reach(url: string, init: RequestInit): Promise<Response> {
  const retries = safeToRetry(init) ? RETRY_WAITS_MS : [];
  for (let tried = 0; ; tried += 1) {
    const wait = retries[tried];
    let response: Response;
    try {
      response = await tracked(fetch(url, init));
    } catch (error) {
      if (wait === undefined) {
        console.error("No answer from the API", init.method, url, error);
        throw new ServiceProblem(`No answer to ${init.method} ${url}`);
      }
      await tracked(pause(wait));
      continue;
    }
    const asked = Number(response.headers.get("retry-after") ?? "0") * 1000;
    if (!TRY_AGAIN.has(response.status) || wait === undefined || !(asked <= LONGEST_WAIT_MS)) return response;
    await tracked(pause(Math.max(wait, asked)));
  }
}

async function send<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const settings = await config();
  const response = await reach(settings.apiBase + path, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) await failed(response, Boolean(headers.authorization));
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A problem+json answer as a `Problem`; a 401 to a signed-in call ends the
 * session; anything else (another kind of answer, a server error) is a `ServiceProblem`. */
async function failed(response: Response, signedInCall: boolean): Promise<never> {
  const text = await response.text();
  const kind = response.headers.get("content-type") ?? "";
  if (response.status >= 500 || !kind.startsWith("application/problem+json")) {
    console.error("Unexpected answer from the API", response.status, response.url, text.slice(0, 500));
    throw new ServiceProblem(`${response.status} from ${response.url}`);
  }
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

export const get = <P extends Route<"get">>(route: P, ...[request]: Args<P, "get">) => call("get", route, request);
export const post = <P extends Route<"post">>(route: P, ...[request]: Args<P, "post">) =>
  call("post", route, { body: {}, ...request } as Request<P, "post">);
export const put = <P extends Route<"put">>(route: P, ...[request]: Args<P, "put">) => call("put", route, request);
export const patch = <P extends Route<"patch">>(route: P, ...[request]: Args<P, "patch">) => call("patch", route, request);
export const remove = <P extends Route<"delete">>(route: P, ...[request]: Args<P, "delete">) => call("delete", route, request);

let me: { token: string; value: Promise<Me> } | null = null;

/** The signed-in person and their memberships, read once per session. */
export function whoAmI(): Promise<Me> {
  const session = auth.current();
  if (!session) return Promise.reject(signedOut());
  const token = session.accessToken;
  // Read once for every screen: the shared read is not any one screen's.
  if (!me || me.token !== token) me = { token, value: send<Me>("GET", "/me", undefined, { authorization: `Bearer ${token}` }) };
  return forThisScreen(me.value);
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
