// The API's routes as the client may call them, typed from docs/openapi.yaml
// (src/generated/api.d.ts, made from the document at every build): a call
// names a route of the document, with that route's path parameters, query,
// body and answer — so a wrong path, a missing parameter or a body the route
// does not take is a `tsc` error, and no screen builds a URL from strings.

import type { components, paths } from "./generated/api";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** A schema of the document, by name (a form's or an answer's shape). */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** Every documented path that has `M`. */
export type Route<M extends Method> = { [P in keyof paths]: M extends keyof paths[P] ? P : never }[keyof paths];

type Operation<P, M> = P extends keyof paths ? (M extends keyof paths[P] ? paths[P][M] : never) : never;
type PathOf<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryOf<O> = O extends { parameters: { query?: infer X } } ? X : never;
type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type Json<R> = R extends { content: { "application/json": infer A } } ? A : never;

/** What the route answers when it succeeds (its 200, else its 201). */
export type Answer<P, M> = Operation<P, M> extends { responses: infer R }
  ? 200 extends keyof R ? Json<R[200]> : 201 extends keyof R ? Json<R[201]> : never
  : never;

type PathPart<O> = [PathOf<O>] extends [never] ? { path?: undefined } : { path: { [K in keyof PathOf<O>]: string | number } };
type QueryPart<O> = [QueryOf<O>] extends [never] ? { query?: undefined }
  : O extends { parameters: { query: unknown } } ? { query: QueryOf<O> } : { query?: QueryOf<O> };
type BodyPart<O> = [BodyOf<O>] extends [never] ? { body?: undefined }
  : O extends { requestBody: unknown } ? { body: BodyOf<O> } : { body?: BodyOf<O> };

/** A call's parts: path parameters, query, JSON body, and headers (`If-Match`, `Idempotency-Key`). */
export type Request<P, M> = PathPart<Operation<P, M>> & QueryPart<Operation<P, M>> & BodyPart<Operation<P, M>>
  & { headers?: Record<string, string> };

/** The request argument: required when the route has path parameters or a required body. */
export type Args<P, M> = {} extends Request<P, M> ? [request?: Request<P, M>] : [request: Request<P, M>];

/** The address of a route, its `{parameters}` filled in and its query added. */
export function address(template: string, path?: Record<string, string | number>, query?: object): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined) throw new Error(`${template} needs ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}
