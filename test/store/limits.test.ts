// Stored text is capped (a 50 MB explanation does not grow the database by 150 MB) and a damaged database file is one db_error line.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { createLlmCallRepository } from "../../src/store/llm-calls.js";
import { llmCallInput } from "../helpers/llm-call.js";
import { openStore } from "../../src/store/index.js";
import { capStrings, capText, MAX_STORED_CHARS } from "../../src/store/text-cap.js";
import { expectOneErrorLine, runCli } from "../cli/run-cli.js";
import { failingResult } from "./sample-results.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "redgreen-limits-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HUGE = "e".repeat(50 * 1024 * 1024);

describe("capText", () => {
  it("keeps short text and cuts long text to head and tail around a marker", () => {
    expect(capText("short")).toBe("short");
    const text = `HEAD${"m".repeat(200_000)}TAIL`;
    const capped = capText(text);
    expect(capped.length).toBe(MAX_STORED_CHARS);
    expect(capped.startsWith("HEAD")).toBe(true);
    expect(capped.endsWith("TAIL")).toBe(true);
    expect(capped).toMatch(/\n… \[\d+ characters cut by redgreen's storage limit\] …\n/);
    expect(capStrings({ a: [text, 3, null], b: { c: "x" } })).toEqual({ a: [capped, 3, null], b: { c: "x" } });
  });
});

describe("stored free text", () => {
  it("stays small however large an explanation, diff, output or answer is", () => {
    const path = join(dir, "redgreen.db");
    const store = openStore(path);
    const wf = store.createWorkflow({ projectPath: dir });
    store.recordFixAttempt(wf.id, {
      iteration: 1,
      file: "a.py",
      source: "llm",
      strategy: "llm",
      status: "rejected",
      risk: "high",
      reason: HUGE,
      diff: HUGE,
    });
    store.createAgentLog({
      workflowId: wf.id,
      agentId: "fixer",
      phase: "llm_fix",
      action: "propose",
      output: { explanation: HUGE },
      status: "success",
      errorMessage: HUGE,
    });
    const result = failingResult();
    result.failures[0]!.stackTrace = HUGE;
    result.failures[0]!.errorMessage = HUGE;
    store.saveResultsToWorkflow(wf.id, result);
    createLlmCallRepository(store, () => new Date().toISOString()).record(
      llmCallInput({ workflowId: wf.id, nodeId: null, error: HUGE, prompt: HUGE, completion: HUGE }),
    );
    const attempt = store.listFixAttempts(wf.id)[0]!;
    expect(attempt.reason.length).toBe(MAX_STORED_CHARS);
    expect(store.getWorkflow(wf.id)!.fixHistory[0]!.diff.length).toBe(MAX_STORED_CHARS);
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    store.close();
    expect(statSync(path).size).toBeLessThan(2 * 1024 * 1024);
  });
});

describe("a damaged database file", () => {
  /** A real database with some rows, then 12 KiB of garbage written over its middle pages. */
  function damagedDb(): string {
    const path = join(dir, "redgreen.db");
    const store = openStore(path);
    for (let i = 0; i < 40; i++) store.saveTestRun(failingResult(), { projectPath: dir });
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    store.close();
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(12 * 1024, 0xa5), 0, 12 * 1024, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    return path;
  }

  it("is refused at open with one db_error line", () => {
    const path = damagedDb();
    let error: unknown;
    try {
      openStore(path).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RedgreenError);
    expect((error as RedgreenError).code).toBe("db_error");
    expect((error as Error).message).toMatch(
      /^the database .*redgreen\.db is corrupt \(quick_check: .+\); move it away to start a new one$/,
    );
  });

  it("gives one error line and exit 2 through the CLI", async () => {
    const path = damagedDb();
    const r = await runCli(["runs", "--db", path]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /redgreen\.db is corrupt \(quick_check: .+\); move it away to start a new one/);
  });
});
