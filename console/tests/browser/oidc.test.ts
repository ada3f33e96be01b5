/**
 * Sign-in through the OpenID provider with the authorization code and PKCE: the console
 * against `hotelvoice api` configured with the local provider peer's issuer, so the API
 * verifies the RS256 token with the provider's published keys.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, expectAccessible, launch, newPage, seeded } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("sign-in with the organisation's OpenID provider", () => {
  it("goes to the provider, comes back with a code, trades it with the verifier and lists the hotel's calls", async () => {
    const page = await newPage(browser);
    const tokenRequests: string[] = [];
    page.on("request", (r) => r.method() === "POST" && r.url().includes("/oauth2/token") && tokenRequests.push(r.postData() ?? ""));
    await page.goto(`${baseUrl}/console/`);
    expect(await page.getByText("Development sign-in").count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Sign in with your organisation" }).click();
    await page.waitForURL(/\/authorize\?/);
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${baseUrl}/console/`);
    await page.getByLabel("Username").fill("anna");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.locator("table.calls tbody tr").first().waitFor();
    const listed = await page.locator("table.calls tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-call-id")));
    expect(listed).toEqual(seeded["aurora-berlin"]);
    expect(await page.getByText(/Signed in as anna \(staff\)/).count()).toBe(1);
    expect(page.url()).not.toContain("code=");
    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests[0]);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ|verifier/);
  });

  it("shows the provider's refusal and stays signed out", async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl}/console/`);
    await page.getByRole("button", { name: "Sign in with your organisation" }).click();
    await page.waitForURL(/\/authorize\?/);
    await page.getByLabel("Username").fill("mallory");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/access_denied/);
    expect(await page.getByRole("navigation").count()).toBe(0);
    expect(page.url()).not.toContain("error=");
  });
});
