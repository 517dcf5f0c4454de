// A consumer project: `import ... from "redgreen"` (the packed package, installed as a user would) calls runWorkflow with only {
// projectRoot },
// typechecks under `tsc --strict`, and runs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { consumerTsc, installPackedRedgreen } from "../helpers/packed-consumer.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const CONSUMER =
  `import { createRedgreenToolkit, runWorkflow } from "redgreen";
import type { RunSummary } from "redgreen";

const projectRoot = process.argv[2]!;
const python = process.env.CONSUMER_PYTHON;
const toolkit = createRedgreenToolkit({ projectRoot, env: {}, ...(python !== undefined ? { python } : {}) });
try {
  // The toolkit's runner: no options, no switches.
  const first: RunSummary = await toolkit.runWorkflow({ projectRoot });
  // The exported library function: deps and { projectRoot }, no driver options (checkpoints go to the store).
  const second: RunSummary = await runWorkflow(await toolkit.workflowDeps(projectRoot), { projectRoot });
  const row = toolkit.store.getWorkflow(second.workflowId);
  console.log(JSON.stringify({ first: first.status, second: second.status, iterations: [first.iterations, second.iterations], row: ` +
  `row?.status }));
} finally {
  await toolkit.close();
}
`;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("a library consumer", () => {
  it("calls runWorkflow with only { projectRoot }: tsc --strict accepts it and it runs to green", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redgreen-consumer-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(join(dir, "index.ts"), CONSUMER);
    await installPackedRedgreen(dir, dir);
    const compiled = await runProcess(
      process.execPath,
      [
        consumerTsc(dir),
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--skipLibCheck",
        "--types",
        "node",
        "--outDir",
        "out",
        "index.ts",
      ],
      { cwd: dir, timeoutMs: 120_000 },
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.exitCode).toBe(0);

    const copy = copyProject(fixturePath("tools", "notes"));
    cleanups.push(copy.cleanup);
    const ran = await runProcess(process.execPath, [join(dir, "out", "index.js"), copy.root], {
      cwd: dir,
      env: { ...process.env, CONSUMER_PYTHON: testPython, REDGREEN_DB: undefined, REDGREEN_MODEL: undefined },
      timeoutMs: 120_000,
    });
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ first: "passed", second: "passed", iterations: [1, 0], row: "passed" });
  }, 240_000);
});
