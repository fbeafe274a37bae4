import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The repository's one accept flow for approved files: APPROVE=1 (./build.sh Test, npm test) rewrites them.
    update: process.env.APPROVE === "1",
  },
});
