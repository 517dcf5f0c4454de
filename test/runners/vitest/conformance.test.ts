// The vitest adapter against the shared adapter conformance suite.
import { runProcess } from "../../../src/process/run.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { runAdapterConformance } from "../conformance.js";
import { FAILING_NODE_IDS, jsFixtureCopies, PASSING_NODE_IDS } from "../js/fixtures.js";

const copies = jsFixtureCopies("vitest");

runAdapterConformance("vitest", {
  makeAdapter: (fixture, options) => createVitestAdapter({ projectRoot: copies.copy(fixture), ...options }),
  async terminalOutput() {
    const dir = copies.copy("failing");
    const r = await runProcess(`${dir}/node_modules/.bin/vitest`, ["run", "--no-cache"], {
      cwd: dir,
      env: { ...process.env, CI: "1", NO_COLOR: "1" },
      timeoutMs: 60_000,
    });
    return `${r.stdout}\n${r.stderr}`;
  },
  cleanup: () => copies.cleanup(),
  passing: { passedNodeIds: PASSING_NODE_IDS },
  failing: {
    failedNodeIds: FAILING_NODE_IDS,
    oneFailing: { file: "tests/cart.test.ts", name: "cart > inventory > reserve > refuses an item out of stock" },
    onePassing: { file: "tests/cart.test.ts", name: "cart > inventory > reserve > reserves an item in stock" },
  },
  hanging: {
    files: ["tests/hang.test.ts"],
    hangingNodeId: "tests/hang.test.ts::waits forever",
    passingNodeId: "tests/hang.test.ts::runs after the hang",
  },
  testFiles: [
    "tests/cart.test.ts",
    "src/cart.spec.tsx",
    "src/__tests__/cart.ts",
    "vitest.config.ts",
    "vite.config.mts",
    "vitest.workspace.ts",
  ],
  nonTestFiles: ["src/cart.ts", "src/testing.ts", "README.md", "package.json", "jest.config.cjs", "tests/data.json"],
});
