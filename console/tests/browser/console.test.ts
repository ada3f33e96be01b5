import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, expectAccessible, launch, newPage, screenshot, seeded, seededScripts, signInAs } from "./browser";

const HOME = "aurora-berlin";
const OTHER = "seeblick-konstanz";
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
  expect(seeded[HOME]?.length, "the test must pass the seeded calls in CONSOLE_SEEDED").toBeGreaterThan(2);
  expect(seeded[OTHER]?.length).toBeGreaterThan(0);
});
afterAll(async () => browser?.close());

async function listedCalls(page: Page): Promise<string[]> {
  await page.locator("table.calls tbody tr").first().waitFor();
  return page.locator("table.calls tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-call-id") ?? ""));
}

describe("sign-in", () => {
  it("offers the development sign-in in local mode, and it passes axe", async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl}/console/`);
    await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "sign-in");
  });

  it("keeps the token out of storage and the address bar", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ/);
    expect(page.url()).not.toMatch(/eyJ|token/);
  });
});

describe("calls, as staff of one hotel", () => {
  it("lists exactly that hotel's calls, newest first, and never the other hotel's", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    const listed = await listedCalls(page);
    expect(listed).toEqual(seeded[HOME]);
    for (const other of seeded[OTHER]) expect(listed).not.toContain(other);
    const hotels = await page.getByLabel("Hotel", { exact: true }).locator("option").allTextContents();
    expect(hotels).toEqual([HOME]);
    await expectAccessible(page);
    await screenshot(page, "calls");
  });

  it("cannot open another hotel's call by its id: the API's error shows with its request id", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    await page.goto(`${baseUrl}/console/#/calls/${seeded[OTHER][0]}`);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/no such call/);
    expect(await alert.textContent()).toMatch(/Request id: [0-9a-f]{32}/);
    expect(await page.locator(".transcript").count()).toBe(0);
  });

  it("the other hotel's staff see only theirs", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", OTHER);
    expect(await listedCalls(page)).toEqual(seeded[OTHER]);
  });

  it("filters by outcome", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    await listedCalls(page);
    await page.getByLabel("Outcome").selectOption("transferred");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.locator("table.calls .badge").allTextContents()).toEqual(["Transferred", "Transferred"]);
    expect(page.url()).toContain("outcome=transferred");
  });

  it("filters by language and by what the call holds", async () => {
    const home = seededScripts.filter((c) => c.hotel_id === HOME);
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    await listedCalls(page);
    await page.locator('form.filters select[name="language"]').selectOption("de");
    await page.getByRole("button", { name: "Apply" }).click();
    const german = home.filter((c) => c.language === "de").length;
    await expect.poll(() => page.locator("table.calls tbody tr").count()).toBe(german);
    await page.locator('form.filters select[name="language"]').selectOption("");
    await page.getByLabel("Holds").selectOption("booking");
    await page.getByRole("button", { name: "Apply" }).click();
    const booked = home.filter((c) => c.booking).length;
    await expect
      .poll(() => page.locator("table.calls tbody td:last-child").allTextContents())
      .toEqual(Array(booked).fill("A booking"));
  });

  it("opens a call from the keyboard and shows its transcript as a conversation", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    await listedCalls(page);
    await page.locator("table.calls a").first().focus();
    await page.keyboard.press("Enter");
    await page.locator(".transcript").waitFor();
    expect(page.url()).toContain(`#/calls/${seeded[HOME][0]}`);
    const turns = page.locator(".transcript li");
    expect(await turns.count()).toBeGreaterThan(2);
    expect(await turns.first().textContent()).toMatch(/Receptionist/);
    expect(await page.locator(".turn.caller").count()).toBeGreaterThan(0);
    // The seeded call was recorded: a player with a short-lived signed link, nothing played.
    expect(await page.locator("audio").getAttribute("src")).toMatch(/X-Amz-Signature=/);
    await expectAccessible(page);
    await screenshot(page, "call");
  });
});

describe("the inbox", () => {
  it("lists the hotel's open messages and requests; marking one done drops the count", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    const badge = page.getByRole("navigation").locator(".count");
    await expect.poll(() => badge.textContent()).toBe("3");
    await page.getByRole("link", { name: /Inbox/ }).click();
    const items = page.locator("li.inbox-item");
    await expect.poll(() => items.count()).toBe(3);
    expect(await page.locator(".inbox-count").textContent()).toBe("3 open");
    expect(await items.first().textContent()).toMatch(/Taxi.*REQ-7731/);
    await expectAccessible(page);
    await screenshot(page, "inbox");

    const first = await items.first().getAttribute("data-item-id");
    await items.first().getByRole("button", { name: "Mark done" }).click();
    await expect.poll(() => page.locator(".inbox-count").textContent()).toBe("2 open");
    expect(await badge.textContent()).toBe("2");
    expect(await page.locator(`li[data-item-id="${first}"]`).count()).toBe(0);

    await page.getByRole("link", { name: "Done", exact: true }).click();
    await expect.poll(() => page.locator(`li[data-item-id="${first}"]`).textContent()).toMatch(/done by local-staff/);
  });

  it("another hotel's staff see none of it", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", OTHER);
    await page.goto(`${baseUrl}/console/#/inbox`);
    await expect.poll(() => page.locator("li.inbox-item").count()).toBe(1);
    expect(await page.locator("li.inbox-item").textContent()).toMatch(/Schal/);
  });
});

describe("the dashboard", () => {
  it("shows the seeded week in numbers and charts", async () => {
    const scripts = seededScripts.filter((c) => c.hotel_id === HOME);
    const count = (outcome: string) => scripts.filter((c) => c.outcome === outcome).length;
    const created = scripts.filter((c) => c.booking?.action === "created");
    const value = created.reduce((sum, c) => sum + (c.booking?.total_minor ?? 0), 0) / 100;
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    await page.getByRole("link", { name: "Dashboard" }).click();
    const tile = (name: string) => page.locator(`[data-tile="${name}"]`);
    await expect.poll(() => tile("calls").textContent()).toBe(String(scripts.length));
    const rate = Math.round((100 * count("completed")) / (count("completed") + count("transferred")));
    expect(await tile("containment").textContent()).toBe(`${rate} %`);
    expect(await tile("bookings").textContent()).toBe(String(created.length));
    expect(await page.locator(".tiles").textContent()).toContain(`€${value.toFixed(2)}`);
    const perDay = page.locator('table[data-table="per-day"] tbody tr td:last-child');
    const perDayCalls = (await perDay.allTextContents()).map(Number);
    expect(perDayCalls.reduce((a, b) => a + b, 0)).toBe(scripts.length);
    expect(await page.locator("svg.bars rect").count()).toBeGreaterThan(0);
    const languages = await page.locator(".ranking li").allTextContents();
    expect(languages.length).toBe(new Set(scripts.map((c) => c.language)).size);
    await expectAccessible(page);
    await screenshot(page, "dashboard");
  });
});

describe("settings, as an admin", () => {
  const longestCall = (page: Page) => page.getByLabel("Longest call (seconds)");

  it("saves a change with the version it was read at", async () => {
    const page = await newPage(browser);
    await signInAs(page, "admin", HOME);
    await page.getByRole("link", { name: "Settings" }).click();
    await longestCall(page).waitFor();
    await longestCall(page).fill("1200");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Saved as version \d+/);
    await page.getByRole("button", { name: "Load the current settings" }).click();
    await expect.poll(() => longestCall(page).inputValue()).toBe("1200");
    await expectAccessible(page);
    await screenshot(page, "settings");
  });

  it("refuses a stale edit: the conflict is shown and the other admin's change stands", async () => {
    const first = await newPage(browser);
    const second = await newPage(browser);
    for (const page of [first, second]) {
      await signInAs(page, "admin", HOME);
      await page.goto(`${baseUrl}/console/#/settings`);
      await longestCall(page).waitFor();
    }
    await longestCall(second).fill("1500");
    await second.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => second.getByRole("status").count()).toBe(1);

    await longestCall(first).fill("600");
    await first.getByRole("button", { name: "Save" }).click();
    const conflict = first.locator("[data-conflict]");
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await first.getByRole("alert").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Request id: [0-9a-f]{32}/)]),
    );
    await screenshot(first, "settings-conflict");
    await first.getByRole("button", { name: "Load the current settings" }).click();
    await expect.poll(() => longestCall(first).inputValue()).toBe("1500");
  });

  it("is not offered to staff, and its address shows the calls instead", async () => {
    const page = await newPage(browser);
    await signInAs(page, "staff", HOME);
    expect(await page.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await page.goto(`${baseUrl}/console/#/settings`);
    await expect.poll(() => page.getByRole("heading", { name: "Calls" }).count()).toBe(1);
  });
});

describe("the interface in German", () => {
  it("follows the browser's language and can be switched", async () => {
    const page = await newPage(browser, "de-DE");
    await signInAs(page, "staff", HOME);
    await expect.poll(() => page.getByRole("link", { name: "Anrufe" }).count()).toBe(1);
    await page.getByLabel("Sprache der Oberfläche").selectOption("en");
    await expect.poll(() => page.getByRole("link", { name: "Calls" }).count()).toBe(1);
  });
});

describe("a tablet", () => {
  it("shows a call without sideways scrolling", async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 768, height: 1024 });
    await signInAs(page, "staff", HOME);
    await page.goto(`${baseUrl}/console/#/calls/${seeded[HOME][0]}`);
    await page.locator(".transcript").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "call-tablet");
  });
});

describe("privacy, as an admin (last: it erases a seeded guest)", () => {
  const guest = "+4915112345678"; // the seeded caller who ordered a taxi

  it("exports a guest's calls, then erases them after a confirmation, and shows the report", async () => {
    const page = await newPage(browser);
    await signInAs(page, "admin", HOME);
    await page.getByRole("link", { name: "Privacy" }).click();
    await page.getByLabel("Phone number").fill(guest);
    await page.getByRole("button", { name: "Export their data" }).click();
    await expect.poll(() => page.locator('[data-report="export"]').textContent()).toMatch(/1 calls found/);
    expect(page.url()).not.toContain("4915112345678");

    await page.getByRole("button", { name: "Erase their data…" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.waitFor();
    await expectAccessible(page);
    await screenshot(page, "privacy");
    await dialog.getByRole("button", { name: "Yes, erase" }).click();
    await expect.poll(() => page.locator('[data-report="erasure"]').textContent()).toMatch(/1 calls erased/);
    expect(await page.locator('[data-report="erasure"] tbody tr').count()).toBeGreaterThan(0);

    await page.goto(`${baseUrl}/console/#/calls/${seeded[HOME][1]}`);
    await expect.poll(() => page.getByText(/data was erased/).count()).toBe(1);
    expect(await page.locator(".transcript").count()).toBe(0);
  });

  it("asks for an identifier, and staff are not offered it", async () => {
    const admin = await newPage(browser);
    await signInAs(admin, "admin", HOME);
    await admin.goto(`${baseUrl}/console/#/privacy`);
    await admin.getByRole("button", { name: "Erase their data…" }).click();
    await expect.poll(() => admin.getByRole("alert").textContent()).toMatch(/at least one identifier/);
    expect(await admin.getByRole("alertdialog").count()).toBe(0);
    const staff = await newPage(browser);
    await signInAs(staff, "staff", HOME);
    expect(await staff.getByRole("link", { name: "Privacy" }).count()).toBe(0);
  });
});
