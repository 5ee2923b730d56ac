import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start real HTTP servers and child processes; 2-core CI machines need headroom.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The machines run Node 20 by design (README); the SDK's notice about future Node versions is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
