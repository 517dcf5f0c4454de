// The CLI's --json output against the published schemas/*.schema.json, with a real JSON Schema validator
// (@cfworker/json-schema, draft 2020-12) and with the zod schemas: `test` and `run` on pytest and vitest projects, and an error.
import { Validator } from "@cfworker/json-schema";
import type { Schema } from "@cfworker/json-schema";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonErrorSchema, RunSummarySchema, TestCommandJsonSchema } from "../../src/domain/index.js";
import { packageRoot } from "../../src/paths.js";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { copyFixture, runCli } from "./run-cli.js";

const validator = (file: string): Validator =>
  new Validator(JSON.parse(readFileSync(join(packageRoot, "schemas", file), "utf8")) as Schema, "2020-12", false);
const testRun = validator("test-run-result.schema.json");
const runSummary = validator("run-summary.schema.json");
const jsonError = validator("error.schema.json");

/** The stdout of a --json command: one JSON document on one line. */
const document = (stdout: string): unknown => {
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  return JSON.parse(stdout) as unknown;
};

const expectValid = (v: Validator, value: unknown): void => {
  const result = v.validate(value);
  expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
  expect(result.valid).toBe(true);
};

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});
const vitestProject = (): string => {
  const copy = copyJsProject(fixturePath("vitest", "failing"));
  cleanups.push(copy.cleanup);
  return copy.root;
};
const noModel = { REDGREEN_MODEL: undefined, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

describe("--json output matches the published schemas", () => {
  it.each([
    ["pytest", (): string[] => [copyFixture("red"), "--python", testPython]],
    ["vitest", (): string[] => [vitestProject()]],
  ])(
    "redgreen test --json on a red %s project",
    async (_runner, args) => {
      const r = await runCli(["test", ...args(), "--json"]);
      expect(r.exitCode).toBe(1);
      const out = document(r.stdout);
      expectValid(testRun, out);
      const parsed = TestCommandJsonSchema.parse(out);
      expect(parsed.failures.length).toBeGreaterThan(0);
      expect(parsed.coverage).not.toBeNull();
      const [first, ...rest] = parsed.failures;
      expect(testRun.validate({ ...parsed, failures: [{ ...first, extra: 1 }, ...rest] }).valid).toBe(false);
      expect(testRun.validate({ ...parsed, runner: { ...parsed.runner, runner: "mocha" } }).valid).toBe(false);
    },
    120_000,
  );

  it.each([
    ["pytest", (): string[] => [copyFixture("red"), "--python", testPython]],
    ["vitest", (): string[] => [vitestProject()]],
  ])(
    "redgreen run --json on a red %s project",
    async (_runner, args) => {
      const r = await runCli(["run", ...args(), "--json", "--no-llm", "--no-coverage"], { env: noModel });
      expect([0, 1]).toContain(r.exitCode);
      const out = document(r.stdout);
      expectValid(runSummary, out);
      const parsed = RunSummarySchema.parse(out);
      expect(parsed.initial?.failed).toBeGreaterThan(0);
      expect(parsed.runner).toBeDefined();
      // The same document, tampered with, fails the schema.
      expect(runSummary.validate({ ...parsed, status: "green" }).valid).toBe(false);
      expect(runSummary.validate({ ...parsed, initial: { ...parsed.initial, passed: "2" } }).valid).toBe(false);
    },
    180_000,
  );

  it("redgreen test --json names the skipped tests (skippedNodeIds), as many as it counts skipped", async () => {
    const project = join(mkdtempSync(join(tmpdir(), "redgreen-cli-marks-")), "marks");
    cpSync(fixturePath("pytest", "marks"), project, { recursive: true });
    const r = await runCli(["test", project, "--python", testPython, "--json"]);
    const out = document(r.stdout);
    expectValid(testRun, out);
    const parsed = TestCommandJsonSchema.parse(out);
    expect(parsed.skippedNodeIds).toEqual(["test_marks.py::test_skipped", "test_marks.py::test_skipif", "test_marks.py::test_skip_inside"]);
    expect(parsed.skipped).toBe(3);
  }, 120_000);

  it("an error object matches error.schema.json", async () => {
    const r = await runCli(["test", "/no/such/project", "--json"]);
    expect(r.exitCode).toBe(2);
    const out = document(r.stdout);
    expectValid(jsonError, out);
    expect(JsonErrorSchema.parse(out).code).toBe("path_not_found");
  });

  it("the validator rejects what the contract excludes: an unknown field, a code outside the set, a missing field", () => {
    const ok = { error: "x", code: "usage" };
    expectValid(jsonError, ok);
    expect(jsonError.validate({ ...ok, stack: "at x" }).valid).toBe(false);
    expect(jsonError.validate({ ...ok, code: "oops" }).valid).toBe(false);
    expect(jsonError.validate({ error: "x" }).valid).toBe(false);
  });
});
