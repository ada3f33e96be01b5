import { describe, expect, it } from "vitest";
import { dayBound, durationOf } from "../../src/screens/Calls";
import { hotelsFor } from "../../src/ui/App";
import { href, parseRoute } from "../../src/ui/router";

describe("calls list helpers", () => {
  it("measures a call and leaves one in progress open", () => {
    expect(durationOf({ started_at: "2026-12-01T10:00:00Z", ended_at: "2026-12-01T10:03:05Z" })).toBe(185);
    expect(durationOf({ started_at: "2026-12-01T10:00:00Z", ended_at: null })).toBeNull();
  });

  it("turns a picked day into the whole local day", () => {
    const start = new Date(dayBound("2026-12-01", false)!);
    const end = new Date(dayBound("2026-12-01", true)!);
    expect([start.getDate(), start.getHours(), end.getDate(), end.getHours()]).toEqual([1, 0, 1, 23]);
    expect(dayBound(null, false)).toBeUndefined();
  });
});

describe("routes", () => {
  it("round-trip a path and filters, dropping empty ones", () => {
    const link = href(["calls"], { since: "2026-12-01", outcome: "" });
    expect(link).toBe("#/calls?since=2026-12-01");
    const route = parseRoute(link);
    expect(route.path).toEqual(["calls"]);
    expect(route.query.get("since")).toBe("2026-12-01");
  });
});

describe("hotelsFor", () => {
  it("offers a staff member their hotels and an all-hotels admin every known one", () => {
    const base = { token: "t", subject: "s", expiresAt: 0 };
    expect(hotelsFor({ ...base, role: "staff", hotels: ["a"] }, ["a", "b"])).toEqual(["a"]);
    expect(hotelsFor({ ...base, role: "admin", hotels: ["*"] }, ["a", "b"])).toEqual(["a", "b"]);
  });
});

describe("inbox ages", () => {
  it("counts minutes, then hours, then days", async () => {
    const { ageOf } = await import("../../src/screens/Inbox");
    const now = Date.parse("2026-12-06T12:00:00Z");
    expect(ageOf("2026-12-06T11:45:00Z", now)).toEqual({ key: "inbox.minutes", count: 15 });
    expect(ageOf("2026-12-05T09:00:00Z", now)).toEqual({ key: "inbox.hours", count: 27 });
    expect(ageOf("2026-12-01T12:00:00Z", now)).toEqual({ key: "inbox.days", count: 5 });
    expect(ageOf("2026-12-06T12:05:00Z", now)).toEqual({ key: "inbox.minutes", count: 0 });
  });
});

describe("dashboard period and axes", () => {
  it("defaults to the last seven days and keeps a chosen period", async () => {
    const { periodOf } = await import("../../src/screens/Dashboard");
    const today = new Date(2026, 11, 6);
    expect(periodOf(parseRoute("#/dashboard"), today)).toEqual({ since: "2026-11-30", until: "2026-12-06" });
    expect(periodOf(parseRoute("#/dashboard?since=2026-11-01&until=2026-11-30"), today)).toEqual({ since: "2026-11-01", until: "2026-11-30" });
  });

  it("rounds an axis up to 1, 2 or 5 times a power of ten", async () => {
    const { niceMax } = await import("../../src/ui/charts");
    expect([niceMax(0), niceMax(3), niceMax(7), niceMax(18), niceMax(120)]).toEqual([1, 5, 10, 20, 200]);
  });
});

describe("settings", () => {
  it("sends every setting with the version read, without the bookkeeping fields", async () => {
    const { updateFrom, lines } = await import("../../src/screens/Settings");
    const read = { hotel_id: "h", version: 4, updated_at: "2026-12-01T00:00:00Z", updated_by: "x", dialled_numbers: ["+49301"], front_desk: "tel:+49302", max_call_s: 900 } as never;
    const body = updateFrom(read, { max_call_s: 1200 });
    expect(body).toEqual({ version: 4, dialled_numbers: ["+49301"], front_desk: "tel:+49302", max_call_s: 1200 });
    expect(lines(" +4930 1\n\n+4930 2 , +4930 3 ")).toEqual(["+4930 1", "+4930 2", "+4930 3"]);
  });
});

describe("privacy subject", () => {
  it("takes the identifiers given, a name only whole, and nothing when all are blank", async () => {
    const { subjectFrom } = await import("../../src/screens/Privacy");
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return data;
    };
    expect(subjectFrom(form({ phone: " +49 151 ", email: "", first: "Ana", last: "" }))).toEqual({ phone: "+49 151" });
    expect(subjectFrom(form({ first: "Ana", last: "Silva" }))).toEqual({ name: { first: "Ana", last: "Silva" } });
    expect(subjectFrom(form({ phone: " " }))).toBeNull();
  });
});

describe("what a call holds", () => {
  it("maps a choice to the API's filter and a call's flags to its labels", async () => {
    const { holdsQuery, heldBy } = await import("../../src/screens/Calls");
    expect(holdsQuery("transferred")).toEqual({ transferred: true });
    expect(holdsQuery("message")).toEqual({ with_message: true });
    expect(holdsQuery(null)).toEqual({});
    expect(heldBy({ call_id: "c", transferred: true, has_booking: true } as never)).toEqual(["transferred", "booking"]);
  });
});
