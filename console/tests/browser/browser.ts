/**
 * Headless Chromium (Debian's, at /usr/bin/chromium) driven by playwright-core, and the
 * helpers the console's browser tests share. The page talks only to the local API the test
 * started: background networking is off, as this machine has no outside network.
 */
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export const baseUrl = process.env.CONSOLE_URL ?? "http://127.0.0.1:3000";
export const seeded = JSON.parse(process.env.CONSOLE_SEEDED ?? "{}") as Record<string, string[]>;
export interface SeededCall {
  hotel_id: string;
  outcome: string;
  language: string;
  booking?: { action: string; total_minor: number };
}
/** The calls of local_mode/demo_calls.json, which `hotelvoice api` seeds. */
export const seededScripts = (JSON.parse(
  readFileSync(new URL("../../../local_mode/demo_calls.json", import.meta.url), "utf8"),
) as { calls: SeededCall[] }).calls;
export const shots = process.env.CONSOLE_SCREENSHOTS ?? path.resolve("../out/console");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser: Browser, locale = "en-GB"): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

export async function signInAs(page: Page, role: "staff" | "admin", hotel: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel(/Role|Rolle/).selectOption(role);
  await page.getByLabel(/Hotel id|Hotel-ID/).fill(hotel);
  await page.getByRole("button", { name: /^(Sign in|Anmelden)$/ }).click();
  await page.getByRole("navigation").waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it stands: no serious or critical finding. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource); // not a <script> tag: the console's CSP rightly refuses inline ones
  const findings = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  expect(findings.filter((f) => f.impact === "serious" || f.impact === "critical")).toEqual([]);
}
