import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time: most files wait on services and child processes (queue, outage, CLI),
    // and each uses its own schema, queue name and ports; one at a time took 15.3 min on 2 cores.
    maxWorkers: 2,
  },
});
