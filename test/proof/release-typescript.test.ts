// proveFix with releaseTypescript: the language service is released after the static checks, before any run.
import { afterEach, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../src/domain/index.js";
import { proveFix } from "../../src/proof/index.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createRunnerAdapter } from "../../src/runners/create-adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";

const DISCOUNT = "src/discount.ts";
const BODY = "  return Math.round((cents * percent) / 100);\n";
const HONEST = "  return cents - Math.round((cents * percent) / 100);\n";
const TARGETS = ["tests/discount.test.ts::takes the percentage off", "tests/discount.test.ts::no discount keeps the price"];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Proves the honest fix with a real vitest adapter and language service, logging TS calls, releases and runs in order. */
async function prove(releaseTypescript: boolean): Promise<{ status: string; log: string[] }> {
  const copy = copyJsProject(exampleTsShop);
  cleanups.push(copy.cleanup);
  const log: string[] = [];
  const inner = await createRunnerAdapter({ projectRoot: copy.root, runner: "vitest" });
  const adapter = Object.create(inner) as TestRunnerAdapter;
  adapter.runTests = (options = {}) => {
    log.push(options.files?.length ? "targeted run" : "full run");
    return inner.runTests(options);
  };
  const real = createTsProject({ projectRoot: copy.root });
  cleanups.push(() => closeTsProject(real));
  const typescript: TsProject = {
    ...real,
    projectRoot: real.projectRoot,
    inspect: (rel, fn, text, options) => {
      log.push("ts");
      return real.inspect!(rel, fn, text, options);
    },
    dispose: () => {
      log.push("released");
      real.dispose!();
    },
  };
  const baseline: TestRunResult = await inner.runTests({ coverage: false });
  const outcome = await proveFix(
    {
      proposal: { source: "llm", strategy: "llm", edits: [{ file: DISCOUNT, find: BODY, replace: HONEST }], explanation: "fix" },
      targets: TARGETS,
      baseline,
    },
    {
      projectRoot: copy.root,
      adapter,
      typescript,
      releaseTypescript,
      journal: createMemoryJournal(),
      journalKey: { workflowId: "wf", signature: "sig" },
      allowTestEdits: false,
      coverage: false,
    },
  );
  // Consecutive repeats folded: the checks inspect the file more than once.
  return { status: outcome.status, log: log.filter((e, i) => e !== log[i - 1]) };
}

describe("proveFix releaseTypescript", () => {
  it("releases the language service after the type checks and before the targeted and full runs", async () => {
    const { status, log } = await prove(true);
    expect(status).toBe("kept");
    expect(log).toEqual(["ts", "released", "targeted run", "full run"]);
  }, 90_000);

  it("keeps it without the option (a caller with more candidates to check this round)", async () => {
    const { status, log } = await prove(false);
    expect(status).toBe("kept");
    expect(log).toEqual(["ts", "targeted run", "full run"]);
  }, 90_000);
});
