import { defineConfig } from "vite";

// Served under /console/ by `hotelvoice api` (local mode) and from S3 behind CloudFront.
export default defineConfig({
  base: "/console/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
});
