import { defineConfig } from "vitest/config";

// Unit tests of the client code: no browser, no server.
export default defineConfig({
  test: { include: ["tests/unit/**/*.test.ts"], environment: "node" },
});
