// Memory mode: a process favours speed until one of its runs reports more than BIG_RUN_TESTS tests, then V8 favours memory.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BIG_RUN_TESTS } from "../../src/process/memory-mode.js";

const preload = fileURLToPath(new URL("../helpers/v8-flag-log.mjs", import.meta.url));
const progress = fileURLToPath(new URL("../../dist/src/runners/run-progress.js", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The flags a fresh process gave V8 while a progress reporter (without a listener) saw runs of these sizes. */
function flagsAfterRuns(sizes: number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-memory-mode-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "flags.log");
  const script = `const { progressReporter } = await import(${JSON.stringify(progress)});
    for (const n of ${JSON.stringify(sizes)}) {
      const report = progressReporter(() => ({ collected: n, done: Math.floor(n / 2), failed: 0 }), undefined);
      report();
      report();
    }`;
  execFileSync(process.execPath, ["--import", preload, "--input-type=module", "-e", script], {
    env: { ...process.env, REDGREEN_TEST_V8_FLAG_LOG: log },
  });
  try {
    return readFileSync(log, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe("memory mode", () => {
  it("leaves V8 alone while every run is small", () => {
    expect(flagsAfterRuns([10, 1000, BIG_RUN_TESTS])).toEqual([]);
  });

  it("tells V8 to favour memory once, when a run turns out big, heard without a progress listener", () => {
    expect(flagsAfterRuns([1000, BIG_RUN_TESTS + 1, 20_000, 50])).toEqual(["--optimize-for-size"]);
  });
});
