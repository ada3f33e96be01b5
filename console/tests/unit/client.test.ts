import { describe, expect, it } from "vitest";
import { apiError, unwrap } from "../../src/api/client";

describe("apiError", () => {
  it("reads the API's one error body", () => {
    const error = apiError(403, { error: { code: "forbidden", message: "not your hotel", request_id: "r-1" } }, null);
    expect(error.message).toBe("not your hotel");
    expect(error.code).toBe("forbidden");
    expect(error.requestId).toBe("r-1");
    expect(error.status).toBe(403);
  });

  it("falls back to the status and the gateway's request id for a foreign body", () => {
    const error = apiError(502, "<html>Bad gateway</html>", "gw-9");
    expect(error.message).toBe("HTTP 502");
    expect(error.requestId).toBe("gw-9");
  });
});

describe("unwrap", () => {
  it("returns data of a 2xx and throws an ApiError otherwise", () => {
    expect(unwrap({ data: { a: 1 }, response: new Response(null, { status: 200 }) })).toEqual({ a: 1 });
    const failed = { error: { error: { code: "invalid_request", message: "bad", request_id: "x" } }, response: new Response(null, { status: 400 }) };
    expect(() => unwrap(failed)).toThrowError("bad");
  });
});
