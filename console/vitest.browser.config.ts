import { defineConfig } from "vitest/config";

// The console in headless Chromium (Playwright) against a running `hotelvoice api`; started
// by tests/console/test_console_browser.py, which passes the address in CONSOLE_URL.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
