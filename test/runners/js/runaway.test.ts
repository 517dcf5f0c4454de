// A synchronous busy loop in a vitest or jest test: the runner's own timeout cannot stop it, redgreen's watchdog does.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { jsFixtureCopies } from "./fixtures.js";

const BUSY = (globals: string) => `import { describe, expect, it } from "${globals}";

describe("spins", () => {
  it("loops forever", () => {
    for (;;) {
      /* never yields: the runner's testTimeout cannot fire */
    }
  });
});

it("runs after the loop", () => {
  expect(1 + 1).toBe(2);
});
`;

describe.each([
  ["vitest", createVitestAdapter, "vitest"],
  ["jest", createJestAdapter, "@jest/globals"],
] as const)("%s: a test stuck in a synchronous loop", (runner, create, globals) => {
  const copies = jsFixtureCopies(runner);
  afterAll(() => copies.cleanup());

  it("is killed past its timeout, reported as Timeout, and the rest of the file still runs", async () => {
    const root = copies.copy("hanging");
    writeFileSync(join(root, "tests", "busy.test.ts"), BUSY(globals));
    const adapter = await create({ projectRoot: root, testTimeoutSeconds: 1 });
    const started = performance.now();
    const r = await adapter.runTests({ files: ["tests/busy.test.ts"], runTimeoutSeconds: 120 });
    // Window: 2 × 1 s + 5 s grace + 2 s margin, then one more run without the stuck test.
    expect((performance.now() - started) / 1000).toBeLessThan(40);
    const f = r.failures.find((x) => x.nodeId === "tests/busy.test.ts::spins > loops forever");
    expect(f?.errorType).toBe("Timeout");
    expect(f?.errorMessage).toMatch(/did not stop \(a synchronous loop blocks .+'s own timeout\)/);
    expect(r.passedNodeIds).toEqual(["tests/busy.test.ts::runs after the loop"]);
    expect([r.status, r.failed, r.passed, r.total]).toEqual(["failed", 1, 1, 2]);
  });
});
