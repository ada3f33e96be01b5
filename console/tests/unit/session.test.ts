import { describe, expect, it } from "vitest";
import { sessionFromToken } from "../../src/auth/session";

const jwt = (claims: object) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("sessionFromToken", () => {
  it("reads role, hotels and expiry", () => {
    const s = sessionFromToken(jwt({ sub: "anna", role: "staff", hotels: ["aurora-berlin"], exp: 2_000_000_000 }));
    expect(s).toMatchObject({ subject: "anna", role: "staff", hotels: ["aurora-berlin"], expiresAt: 2_000_000_000_000 });
  });

  it("takes Entra ID's roles list and space-separated hotels from configured claims", () => {
    const s = sessionFromToken(jwt({ sub: "ben", roles: ["reader", "admin"], hv: "a b" }), "roles", "hv");
    expect(s.role).toBe("admin");
    expect(s.hotels).toEqual(["a", "b"]);
  });

  it("refuses a token without a known role, and a non-JWT", () => {
    expect(() => sessionFromToken(jwt({ sub: "x", role: "owner" }))).toThrow(/role/);
    expect(() => sessionFromToken("opaque-token")).toThrow(/JWT/);
  });

  it("decodes UTF-8 names", () => {
    expect(sessionFromToken(jwt({ sub: "Jürgen", role: "staff" })).subject).toBe("Jürgen");
  });
});
