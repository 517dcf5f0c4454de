// The --json error contract through the real CLI: one {"error", "code"} object on stdout, exit 2, no stack trace;
// and --run-timeout on `run` and `resume`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCheckpointer } from "../../graph/checkpointer.js";
import { readCheckpointState } from "../../graph/run.js";
import { formatError, formatJsonError, MAX_ERROR_CHARS } from "../../src/cli/errors.js";
import { ERROR_CODES } from "../../src/domain/errors.js";
import { RedgreenError } from "../../src/domain/errors.js";
import { openStore } from "../../src/store/index.js";
import { testPython } from "../helpers/python-env.js";
import { copyFixture, expectNoStackTrace, runCli } from "./run-cli.js";

/** stdout is exactly one JSON error object with a closed-set code; returns it. */
const jsonError = (stdout: string): { error: string; code: string } => {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  const parsed = JSON.parse(stdout) as { error: string; code: string };
  expect(Object.keys(parsed).sort()).toEqual(["code", "error"]);
  expect(ERROR_CODES).toContain(parsed.code);
  expect(parsed.error.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  return parsed;
};

const empty = mkdtempSync(join(tmpdir(), "redgreen-json-errors-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("--json errors: one JSON object on stdout, exit 2", () => {
  const cases: [string[], string, RegExp][] = [
    [["run", "--json", "--bogus"], "usage", /^unknown option '--bogus' \(see redgreen run --help\)$/],
    [["run", "/no/such/project", "--json"], "path_not_found", /^no such directory: \/no\/such\/project$/],
    [["run", ".", "--json", "--run-timeout", "0"], "usage", /^--run-timeout needs a number of seconds above 0, got '0'$/],
    [["resume", "abc", "--json", "--run-timeout", "soon"], "usage", /^--run-timeout needs a number of seconds above 0, got 'soon'$/],
    [["resume", "--json"], "usage", /^expected WORKFLOW_ID \[PATH\]/],
    [["test", "/no/such/project", "--json"], "path_not_found", /^no such directory: \/no\/such\/project$/],
    [["run", ".", "--json", "--python", "/no/such/python"], "python_missing", /\/no\/such\/python/],
    [["run", ".", "--json", "--runner", "vitest"], "runner_failed", /^vitest is not installed in .*: run npm install$/],
    [["test", ".", "--json", "--runner", "jest"], "runner_failed", /^jest is not installed in .*: run npm install$/],
    [["--json", "test"], "usage", /^unknown option '--json' \(see redgreen --help\)$/],
  ];
  it.each(cases)("redgreen %j", async (args, code, message) => {
    const r = await runCli(args, { cwd: empty });
    expect(r.exitCode).toBe(2);
    const e = jsonError(r.stdout);
    expect(e.code).toBe(code);
    expect(e.error).toMatch(message);
    expectNoStackTrace(r.stderr);
  });

  it("an option after `--` is not --json: the error stays on stderr only", async () => {
    const r = await runCli(["run", "--bogus", "--", "--json"]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^redgreen: unknown option '--bogus'/);
  });

  it("caps a huge or multi-line message to one readable line, control characters escaped, internal errors coded", () => {
    const huge = new Error(`spawn failed: ${"x\0y ".repeat(2500)}\n  at somewhere`);
    const json = formatJsonError(huge);
    expect(json.trimEnd().split("\n")).toHaveLength(1);
    const parsed = JSON.parse(json) as { error: string; code: string };
    expect(parsed.code).toBe("internal");
    expect(parsed.error).toMatch(/^internal error: spawn failed: x\\x00y x\\x00y /);
    expect(parsed.error.length).toBe(MAX_ERROR_CHARS + "internal error: ".length);
    expect(parsed.error.endsWith("…")).toBe(true);
    expect(parsed.error).not.toContain("\0");
    const line = formatError(new RedgreenError("runner_failed", "a\nb\tc\u0007"), false);
    expect(line).toBe("redgreen: a b c\\x07\n");
    expect(JSON.parse(formatJsonError(new RedgreenError("runner_failed", "a\nb")))).toEqual({ error: "a b", code: "runner_failed" });
  });
});

describe("--run-timeout on run and resume", () => {
  it("kills a suite run that outlives it, ends the workflow with an error and records the limit for resume", async () => {
    const project = copyFixture("sleeper");
    const args = [
      "run",
      project,
      "--json",
      "--no-llm",
      "--no-coverage",
      "--test-timeout",
      "0",
      "--run-timeout",
      "2",
      "--python",
      testPython,
    ];
    const started = Date.now();
    const r = await runCli(args, { env: { REDGREEN_TEST_PID_FILE: join(dirname(project), "pid") } });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.exitCode).toBe(2);
    const summary = JSON.parse(r.stdout) as { status: string; reason: string; workflowId: string; db: string };
    expect(summary.status).toBe("error");
    expect(summary.reason).toMatch(/exceeded its 2 s limit/);
    const store = openStore(summary.db);
    try {
      const state = await readCheckpointState(createCheckpointer(store), summary.workflowId);
      expect(state?.switches?.runTimeoutSeconds).toBe(2);
    } finally {
      store.close();
    }
  });

  it("is in the help of both commands", async () => {
    for (const command of ["run", "resume"]) expect((await runCli([command, "--help"])).stdout).toContain("--run-timeout S");
  });
});
