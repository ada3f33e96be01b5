/**
 * The typed API client: openapi-fetch over the types generated from docs/openapi.json
 * (`npm run gen:api`), so a renamed field breaks the build, not the front desk's screen.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type CallSummary = Schemas["CallSummary"];
export type CallRecord = Schemas["CallRecord"];
export type Outcome = Schemas["Outcome"];

/** Every API error as people read it: the API's message and the id to quote to support. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type ErrorShape = { error?: { code?: unknown; message?: unknown; request_id?: unknown } };

/** The one error body of our API, or a readable fallback when a proxy answered instead. */
export function apiError(status: number, body: unknown, fallbackRequestId: string | null): ApiError {
  const detail = (body as ErrorShape | null)?.error;
  const message = typeof detail?.message === "string" ? detail.message : `HTTP ${status}`;
  const code = typeof detail?.code === "string" ? detail.code : "http_error";
  const requestId = typeof detail?.request_id === "string" ? detail.request_id : fallbackRequestId;
  return new ApiError(message, status, code, requestId);
}

export type TokenSource = () => string | null;

export function createApi(baseUrl: string, token: TokenSource, onUnauthorized: () => void) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const bearer = token();
      if (bearer) request.headers.set("Authorization", `Bearer ${bearer}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  client.use(auth);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** The data of an openapi-fetch answer, or the ApiError its error body describes. */
export function unwrap<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  throw apiError(
    answer.response.status,
    answer.error ?? null,
    answer.response.headers.get("x-request-id") ?? answer.response.headers.get("apigw-requestid"),
  );
}
