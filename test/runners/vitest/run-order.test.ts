// vitest under redgreen runs files in the order the project's own last run left in its results cache, never writing it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { copyJsProject } from "../../helpers/project-copy.js";
import { fixturePath } from "../../helpers/python-env.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A fresh copy of the run-order fixture (two passing test files, run one at a time, cacheDir .vite-cache). */
function project(): string {
  const copy = copyJsProject(fixturePath("vitest", "run-order"));
  cleanups.push(copy.cleanup);
  return copy.root;
}

/** Where vitest keeps the root project's results: <cacheDir>/vitest/<sha1 of the project name, "">/results.json. */
const resultsFile = (root: string): string =>
  join(root, ".vite-cache", "vitest", createHash("sha1").update("").digest("hex"), "results.json");

/** The test files in the order they ran (each appends its name to order.log). */
async function runOrder(root: string): Promise<string[]> {
  const r = await (await createVitestAdapter({ projectRoot: root })).runTests();
  expect(r.status, r.message).toBe("passed");
  expect(r.total).toBe(11);
  return readFileSync(join(root, "order.log"), "utf8").trim().split("\n");
}

describe("the vitest adapter's run order", () => {
  it("runs the file the project's last run saw fail first, and leaves the results cache as it was", async () => {
    const root = project();
    const cache = resultsFile(root);
    mkdirSync(join(cache, ".."), { recursive: true });
    const text = JSON.stringify({
      version: "4.1.12",
      results: [
        [":tests/large.test.ts", { duration: 30, failed: false }],
        [":tests/small.test.ts", { duration: 5, failed: true }],
      ],
    });
    writeFileSync(cache, text);
    expect(await runOrder(root)).toEqual(["small", "large"]);
    expect(readFileSync(cache, "utf8")).toBe(text);
  }, 60_000);

  it("without a results cache keeps vitest's own order (larger files first) and writes none", async () => {
    const root = project();
    expect(await runOrder(root)).toEqual(["large", "small"]);
    expect(existsSync(resultsFile(root))).toBe(false);
  }, 60_000);
});
