import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { migrations, openStore } from "../../src/store/index.js";
import type { Migration, Store } from "../../src/store/index.js";
import { failingResult, passingResult } from "./sample-results.js";

let dir: string;
let store: Store | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "redgreen-store-"));
});
afterEach(() => {
  store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The store's clock reads this; tests move it to check which timestamps change. */
let now = "";
const at = (second: number): string => `2025-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;
beforeEach(() => {
  now = at(1);
});

const open = (name = "redgreen.db"): Store => (store = openStore(join(dir, name), { clock: () => new Date(now) }));

const expectDbError = (fn: () => unknown, pattern: RegExp): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RedgreenError);
    expect((e as RedgreenError).code).toBe("db_error");
    expect((e as Error).message).toMatch(pattern);
    expect((e as Error).message).not.toContain("\n");
    return;
  }
  throw new Error("expected a db_error");
};

describe("openStore", () => {
  it("creates the directory and file with WAL, foreign keys and every migration recorded", () => {
    const s = (store = openStore(join(dir, "nested", "deeper", "r.db")));
    expect(s.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(s.db.pragma("busy_timeout", { simple: true })).toBeGreaterThanOrEqual(5000);
    const versions = s.db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
    expect(versions).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    const tables = (s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining(["workflows", "test_runs", "failures", "fix_attempts", "agent_logs", "schema_migrations"]),
    );
  });

  it("keeps data across reopen and applies a migration added later exactly once", () => {
    const path = join(dir, "r.db");
    const first = openStore(path);
    first.saveTestRun(passingResult(), { projectPath: "/p" });
    first.close();
    const extra: Migration = {
      version: migrations.length + 1,
      name: "notes",
      sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    };
    const second = openStore(path, { migrations: [...migrations, extra] });
    second.db.prepare("INSERT INTO notes (body) VALUES ('x')").run();
    second.close();
    store = openStore(path, { migrations: [...migrations, extra] });
    expect(store.listTestRuns()).toHaveLength(1);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM notes").get()).toEqual({ n: 1 });
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: migrations.length + 1 });
  });

  it("refuses a database written by a newer schema, and mis-numbered migrations", () => {
    const path = join(dir, "r.db");
    const extra: Migration = { version: migrations.length + 1, name: "future", sql: "CREATE TABLE future (id INTEGER);" };
    openStore(path, { migrations: [...migrations, extra] }).close();
    expectDbError(() => openStore(path), /created by a newer redgreen/);
    expect(() => openStore(join(dir, "other.db"), { migrations: [{ ...extra, version: 7 }] })).toThrow(/has version 7, expected 1/);
  });

  it("turns a corrupt file into one db_error sentence", () => {
    const path = join(dir, "corrupt.db");
    writeFileSync(path, "this is not a database, just text that is long enough to have a header ".repeat(20));
    expectDbError(() => openStore(path), /corrupt.db is not a SQLite database/);
  });

  it("turns an unwritable location into one db_error sentence", () => {
    const file = join(dir, "plain-file");
    writeFileSync(file, "x");
    expectDbError(() => openStore(join(file, "r.db")), /cannot create the directory for the database .*a parent of it is a file/);
    // /proc refuses new entries even for root (the tests run as root, so chmod would not stop them).
    expectDbError(
      () => openStore("/proc/redgreen-test.db"),
      /cannot open the database \/proc\/redgreen-test.db \(is its directory writable\?\)/,
    );
    // Node's recursive mkdir never returns here; the store's own one must fail instead.
    expectDbError(() => openStore("/proc/self/redgreen/x.db"), /directories cannot be created there/);
  });
});

describe("test runs", () => {
  it("round-trips a result with its failures and lists runs newest first", () => {
    const s = open();
    const a = s.saveTestRun(failingResult(), { projectPath: "/proj" });
    const b = s.saveTestRun(passingResult(), { projectPath: "/other" });
    const rec = s.getTestRun(a)!;
    expect(rec.result).toEqual(failingResult());
    expect(rec).toMatchObject({
      id: a,
      workflowId: null,
      projectPath: "/proj",
      status: "failed",
      passed: 3,
      failed: 2,
      total: 6,
      coveragePercent: 60,
    });
    expect(rec.createdAt).toBe(at(1));
    const failures = s.db.prepare("SELECT node_id, error_type, line_number FROM failures WHERE run_id = ? ORDER BY id").all(a);
    expect(failures).toEqual([
      { node_id: "tests/test_cart.py::test_total", error_type: "AssertionError", line_number: 14 },
      { node_id: "tests/test_user.py::test_name", error_type: "AttributeError", line_number: 8 },
    ]);
    expect(s.listTestRuns().map((r) => r.id)).toEqual([b, a]);
    expect(s.listTestRuns({ projectPath: "/proj" }).map((r) => r.id)).toEqual([a]);
    expect(s.listTestRuns({ limit: 1 }).map((r) => r.id)).toEqual([b]);
    expect(s.getTestRun(9999)).toBeNull();
  });

  it("rejects a result that breaks the schema before writing anything", () => {
    const s = open();
    expect(() => s.saveTestRun({ ...passingResult(), passed: -1 }, { projectPath: "/p" })).toThrow();
    expect(s.listTestRuns()).toEqual([]);
  });
});

describe("workflows", () => {
  it("creates, updates, gets and lists workflows", () => {
    const s = open();
    const wf = s.createWorkflow({ id: "wf-1", projectPath: "/proj" });
    expect(wf).toEqual({
      id: "wf-1",
      projectPath: "/proj",
      status: "running",
      iterations: 0,
      maxIterations: 5,
      testResults: null,
      initialCoverage: null,
      finalCoverage: null,
      fixHistory: [],
      createdAt: at(1),
      updatedAt: at(1),
    });
    now = at(2);
    const updated = s.updateWorkflow("wf-1", { status: "passed", iterations: 2 });
    expect(updated).toMatchObject({ status: "passed", iterations: 2, updatedAt: at(2), createdAt: at(1) });
    const generated = s.createWorkflow({ projectPath: "/other", maxIterations: 3 });
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.listWorkflows().map((w) => w.id)).toEqual([generated.id, "wf-1"]);
    expect(s.listWorkflows({ status: "passed" }).map((w) => w.id)).toEqual(["wf-1"]);
    expect(s.getWorkflow("nope")).toBeNull();
  });

  it("reports unknown ids, duplicate ids and invalid patches as RedgreenErrors", () => {
    const s = open();
    s.createWorkflow({ id: "wf-1", projectPath: "/proj" });
    expect(() => s.createWorkflow({ id: "wf-1", projectPath: "/proj" })).toThrow(expect.objectContaining({ code: "conflict" }));
    expect(() => s.updateWorkflow("nope", { status: "failed" })).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => s.updateWorkflow("wf-1", { status: "bogus" as never })).toThrow();
    expect(s.getWorkflow("wf-1")!.status).toBe("running");
  });

  it("saveResultsToWorkflow links the run and tracks first and latest coverage", () => {
    const s = open();
    s.createWorkflow({ id: "wf", projectPath: "/proj" });
    const first = s.saveResultsToWorkflow("wf", failingResult());
    const second = s.saveResultsToWorkflow("wf", passingResult());
    const noCoverage = s.saveResultsToWorkflow("wf", { ...passingResult(), coverage: null });
    const wf = s.getWorkflow("wf")!;
    expect(wf.initialCoverage).toBe(60);
    expect(wf.finalCoverage).toBe(100);
    expect(wf.testResults).toEqual({ ...passingResult(), coverage: null });
    expect(s.listTestRuns({ workflowId: "wf" }).map((r) => r.id)).toEqual([noCoverage, second, first]);
    expect(s.getTestRun(first)!.projectPath).toBe("/proj");
    expect(() => s.saveResultsToWorkflow("nope", passingResult())).toThrow(expect.objectContaining({ code: "not_found" }));
  });
});

describe("fix attempts and agent logs", () => {
  const fix = {
    iteration: 1,
    file: "shop/user.py",
    source: "pattern",
    strategy: "fix_attribute_name",
    status: "kept",
    risk: "low",
    reason: "fixed 1 failure",
    diff: "-a.nmae\n+a.name",
  } as const;

  it("records attempts in their table and in the workflow's fix history", () => {
    const s = open();
    s.createWorkflow({ id: "wf", projectPath: "/proj" });
    now = at(2);
    const a = s.recordFixAttempt("wf", fix);
    s.recordFixAttempt("wf", { ...fix, iteration: 2, status: "rolled_back", reason: "broke tests/test_x.py::test_y" });
    expect(a).toEqual({ ...fix, id: a.id, workflowId: "wf", createdAt: at(2) });
    expect(s.getWorkflow("wf")!.updatedAt).toBe(at(2));
    expect(s.listFixAttempts("wf").map((f) => [f.iteration, f.status])).toEqual([
      [1, "kept"],
      [2, "rolled_back"],
    ]);
    expect(s.getWorkflow("wf")!.fixHistory.map((f) => f.status)).toEqual(["kept", "rolled_back"]);
    expect(() => s.recordFixAttempt("nope", fix)).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("stores agent logs with JSON input and output and filters them", () => {
    const s = open();
    s.createWorkflow({ id: "wf", projectPath: "/proj" });
    const log = s.createAgentLog({
      workflowId: "wf",
      agentId: "analyzer",
      phase: "analyze",
      action: "categorize",
      input: { nodeId: "t::x" },
      output: ["assertion", 0.9],
      status: "success",
      durationMs: 12.5,
    });
    s.createAgentLog({
      workflowId: null,
      agentId: "runner",
      phase: "run_tests",
      action: "pytest",
      status: "error",
      errorMessage: "pytest missing",
    });
    expect(log).toEqual({
      id: log.id,
      workflowId: "wf",
      agentId: "analyzer",
      phase: "analyze",
      action: "categorize",
      input: { nodeId: "t::x" },
      output: ["assertion", 0.9],
      status: "success",
      errorMessage: null,
      durationMs: 12.5,
      createdAt: at(1),
    });
    expect(s.listAgentLogs({ workflowId: "wf" })).toEqual([log]);
    expect(s.listAgentLogs({ status: "error" }).map((l) => l.errorMessage)).toEqual(["pytest missing"]);
    expect(s.listAgentLogs()).toHaveLength(2);
    // Foreign keys are on: a log for a workflow that does not exist is refused.
    expect(() => s.createAgentLog({ workflowId: "ghost", agentId: "a", phase: "p", action: "x", status: "started" })).toThrow(
      expect.objectContaining({ code: "db_error" }),
    );
  });
});

describe("reports through the store", () => {
  it("generates the same report from a result and from its stored run", () => {
    const s = open();
    const id = s.saveTestRun(failingResult(), { projectPath: "/p" });
    expect(s.generateTestReport(id)).toEqual(s.generateTestReport(failingResult()));
    expect(() => s.generateTestReport(424242)).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("reads a database another connection wrote (the file is the source of truth)", () => {
    const s = open();
    s.saveTestRun(passingResult(), { projectPath: "/p" });
    const raw = new Database(s.path, { readonly: true });
    expect(raw.prepare("SELECT status, total FROM test_runs").all()).toEqual([{ status: "passed", total: 5 }]);
    raw.close();
  });
});
